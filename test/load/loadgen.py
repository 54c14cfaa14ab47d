#!/usr/bin/env python3
"""Fixed-rate mixed load against a running kerjadekat daemon (scripts/load).

The schedule is open loop: request k is due at start + k / rate whether or not
earlier requests have been answered, and its latency is counted from that due
time.  A daemon that stalls therefore shows the stall in every request that
queued behind it, instead of the generator quietly slowing down with it.

Four requests in five register a new job seeker (POST /v1/seekers, a valid
synthetic body and an Idempotency-Key of its own); the fifth is a read,
cycling through the vacancies of a kecamatan, a skill search, the kecamatan
list and the recommendations of a seeker this run registered.

Exit status: 0 when the run meets the criteria (no 5xx, every request
answered, p99 under the limit, memory growth under the limit), 1 when it does
not, 2 on a usage or setup error.
"""

import argparse
import asyncio
import csv
import datetime
import ipaddress
import json
import math
import os
import socket
import sys
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DESA_CSV = os.path.join(REPO, "schema", "data", "kukar", "desa.csv")

READS_EVERY = 5             # one read in five requests: 80% registrations
REQUEST_TIMEOUT = 10.0      # seconds from the due time to a complete answer
RESPONSE_LIMIT = 1 << 20    # bytes; the daemon's answers are far smaller

# Person numbers run over kecamatan, gender, birth day and serial, slowest
# last, so a run keeps one serial for its first 292,000 people.  A run starts
# at the number the clock gives (1,000 a second, wrapping after 34 days), so
# runs one after another against one database never repeat a NIK while each
# registers fewer than 1,000 people a second; runs at the same time may.
BIRTH_FIRST = datetime.date(1975, 1, 1)
BIRTH_DAYS = 7300
SERIALS = 9999
PEOPLE_PER_SECOND = 1000

SKILL_SETS = (
    ["las", "operator alat berat", "K3"],
    ["las"],
    ["operator alat berat"],
    ["K3", "mengemudi"],
    ["las", "perawatan mesin"],
)
EDUCATION = ("SD", "SMP", "SMA", "SMK", "D3", "S1")
SKILL_QUERIES = ("las", "operator", "k3", "mesin", "kemudi")


def fail_setup(message):
    print(f"loadgen: {message}", file=sys.stderr)
    sys.exit(2)


def read_token(path):
    """KD_KIOSK_TOKEN from an env file of KEY=VALUE lines."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        fail_setup(f"cannot read {path}: {e.strerror}")
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep and key.strip().removeprefix("export ").strip() == "KD_KIOSK_TOKEN":
            return value.strip().strip("'\"")
    fail_setup(f"no KD_KIOSK_TOKEN in {path}")


def load_villages(path):
    """Village codes grouped by kecamatan code, in file order."""
    by_kecamatan = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_kecamatan.setdefault(row["code"].rsplit(".", 1)[0], []).append(row["code"])
    if not by_kecamatan:
        fail_setup(f"no villages in {path}")
    return by_kecamatan


def listening_inodes(port):
    """Socket inodes listening on TCP port, from /proc/net/tcp{,6}."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(fields[9])
        except OSError:
            continue
    return inodes


def is_serve(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return False
    return os.path.basename(argv[0]) == b"kerjadekat" and b"serve" in argv[1:]


def find_daemon(port):
    """The pid of the `kerjadekat serve` process listening on port, or None."""
    wanted = {f"socket:[{inode}]" for inode in listening_inodes(port)}
    if not wanted:
        return None
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or not is_serve(entry):
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fd")
            if any(os.readlink(f"/proc/{entry}/fd/{fd}") in wanted for fd in fds):
                return int(entry)
        except OSError:
            continue
    return None


def rss_kib(pid):
    """VmRSS of pid in KiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise OSError(f"no VmRSS for process {pid}")


class Workload:
    """The request for each slot of the schedule."""

    def __init__(self, villages, token, now):
        self.kecamatan = sorted(villages)
        self.villages = villages
        self.auth = f"Bearer {token}"
        people = len(self.kecamatan) * 2 * BIRTH_DAYS * SERIALS
        self.first_person = int(now * PEOPLE_PER_SECOND) % people
        self.run_tag = f"{os.getpid():x}-{self.first_person:x}"
        self.registered = []

    def person(self, n):
        p = self.first_person + n
        kecamatan = self.kecamatan[p % len(self.kecamatan)]
        p //= len(self.kecamatan)
        gender = "MF"[p % 2]
        p //= 2
        birth = BIRTH_FIRST + datetime.timedelta(days=p % BIRTH_DAYS)
        serial = p // BIRTH_DAYS % SERIALS + 1
        desas = self.villages[kecamatan]
        desa = desas[n // len(self.kecamatan) % len(desas)]
        day = birth.day + (40 if gender == "F" else 0)
        nik = "".join(desa.split(".")[:3]) + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        return {
            "nik": f"{nik}{serial:04d}",
            "full_name": f"Peserta Beban {n + 1}",
            "birth_date": birth.isoformat(),
            "gender": gender,
            "phone": f"+6281299{(self.first_person + n) % 1000000:06d}",
            "desa_code": desa,
            "education": EDUCATION[n % len(EDUCATION)],
            "skills": SKILL_SETS[n % len(SKILL_SETS)],
            "experience_years": n % 15,
            "disability": n % 50 == 0,
            "consent": {"version": "1", "accepted": True},
        }

    def request(self, slot):
        """(kind, method, target, extra headers, body) for schedule slot."""
        if slot % READS_EVERY != READS_EVERY - 1:
            n = slot - slot // READS_EVERY
            body = json.dumps(self.person(n), separators=(",", ":")).encode()
            headers = {"Content-Type": "application/json",
                       "Idempotency-Key": f"load-{self.run_tag}-{n}"}
            return "register", "POST", "/v1/seekers", headers, body
        read = slot // READS_EVERY
        choice = read % 4
        if choice == 3 and self.registered:
            seeker = self.registered[read * 7919 % len(self.registered)]
            return "recommend", "GET", f"/v1/seekers/{seeker}/recommendations", {}, b""
        if choice == 0:
            kecamatan = self.kecamatan[read % len(self.kecamatan)]
            return "vacancies", "GET", f"/v1/vacancies?kecamatan={kecamatan}", {}, b""
        if choice == 1:
            q = SKILL_QUERIES[read % len(SKILL_QUERIES)]
            return "skills", "GET", f"/v1/skills?q={urllib.parse.quote(q)}", {}, b""
        return "kecamatan", "GET", "/v1/kecamatan", {}, b""


class NoResponse(Exception):
    pass


class StaleConnection(Exception):
    """The connection ended before any byte of the answer arrived."""


class Pool:
    """Keep-alive HTTP/1.1 connections to one loopback address, capped."""

    def __init__(self, host, port, limit):
        self.host, self.port = host, port
        self.idle = []
        self.slots = asyncio.Semaphore(limit)
        self.opened = 0
        self.resent = 0

    async def request(self, method, target, headers, body):
        """(status, body) of one exchange.  Every request the workload sends
        may be repeated (a GET, or a POST with an Idempotency-Key), so one
        that meets a kept-alive connection the daemon closed just then is
        sent again on a new one, as any HTTP client would."""
        async with self.slots:
            while self.idle:
                reader, writer = self.idle.pop()
                if not reader.at_eof() and not writer.is_closing():
                    try:
                        return await self.exchange_on(reader, writer, method, target,
                                                      headers, body)
                    except StaleConnection:
                        self.resent += 1
                        break
                writer.close()
            reader, writer = await asyncio.open_connection(self.host, self.port)
            writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.opened += 1
            try:
                return await self.exchange_on(reader, writer, method, target, headers, body)
            except StaleConnection as e:
                raise NoResponse("connection closed before an answer") from e

    async def exchange_on(self, reader, writer, method, target, headers, body):
        try:
            status, answer, keep = await self.exchange(reader, writer, method, target,
                                                       headers, body)
        except BaseException:
            writer.close()
            raise
        if keep:
            self.idle.append((reader, writer))
        else:
            writer.close()
        return status, answer

    async def exchange(self, reader, writer, method, target, headers, body):
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError) as e:
            raise StaleConnection() from e
        except asyncio.IncompleteReadError as e:
            if e.partial:
                raise
            raise StaleConnection() from e
        status_line, *fields = head.decode("latin-1").split("\r\n")
        version, _, rest = status_line.partition(" ")
        if not version.startswith("HTTP/1.") or not rest[:3].isdigit():
            raise NoResponse("malformed status line")
        length, keep = None, version == "HTTP/1.1"
        for field in fields:
            name, _, value = field.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection":
                keep = value == "keep-alive" or (keep and value != "close")
            elif name == "transfer-encoding":
                raise NoResponse("transfer-encoding is not expected")
        if length is None:
            return int(rest[:3]), await reader.read(RESPONSE_LIMIT), False
        if length > RESPONSE_LIMIT:
            raise NoResponse("response too large")
        return int(rest[:3]), await reader.readexactly(length), keep

    def close(self):
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


class Results:
    def __init__(self):
        self.latency = {}       # kind -> [seconds]
        self.statuses = {}      # kind -> {status or error name: count}
        self.max_lag = 0.0      # how late the generator sent, worst case

    def record(self, kind, outcome, seconds):
        self.latency.setdefault(kind, []).append(seconds)
        counts = self.statuses.setdefault(kind, {})
        counts[outcome] = counts.get(outcome, 0) + 1

    def all_latencies(self):
        return sorted(s for values in self.latency.values() for s in values)

    def total(self, predicate):
        return sum(count for counts in self.statuses.values()
                   for outcome, count in counts.items() if predicate(outcome))


def percentile(ordered, fraction):
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = min(max(1, math.ceil(fraction * len(ordered))), len(ordered))
    return ordered[rank - 1]


async def one(pool, workload, results, slot, due):
    kind, method, target, headers, body = workload.request(slot)
    headers["Authorization"] = workload.auth
    remaining = due + REQUEST_TIMEOUT - time.monotonic()
    try:
        outcome, answer = await asyncio.wait_for(pool.request(method, target, headers, body),
                                                 max(remaining, 0.001))
    except asyncio.TimeoutError:
        outcome = "timeout"
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
            NoResponse, ValueError) as e:
        outcome = "refused" if isinstance(e, ConnectionRefusedError) else "broken"
    results.record(kind, outcome, time.monotonic() - due)
    if kind == "register" and outcome == 201:
        try:
            workload.registered.append(int(json.loads(answer)["id"]))
        except (ValueError, KeyError, TypeError):
            pass


async def run(args, host, port, workload, results):
    pool = Pool(host, port, args.connections)
    total = int(args.rate * args.duration)
    start = time.monotonic() + 0.1
    tasks = []
    for slot in range(total):
        due = start + slot / args.rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            results.max_lag = max(results.max_lag, -delay)
        tasks.append(asyncio.ensure_future(one(pool, workload, results, slot, due)))
    await asyncio.gather(*tasks)
    pool.close()
    return time.monotonic() - start, pool


def parse_args():
    p = argparse.ArgumentParser(description="fixed-rate mixed load against kerjadekat")
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--rate", type=float, default=200.0, help="requests a second")
    p.add_argument("--duration", type=float, default=120.0, help="seconds")
    p.add_argument("--token-file", default=os.path.join(REPO, "state", "tokens.env"))
    p.add_argument("--pid", type=int, help="daemon pid (default: found by port)")
    p.add_argument("--connections", type=int, default=64, help="connection cap")
    p.add_argument("--p99-limit-ms", type=float, default=50.0)
    p.add_argument("--memory-limit-pct", type=float, default=10.0)
    args = p.parse_args()
    if not 0 < args.rate <= 5000 or not 0 < args.duration <= 3600:
        p.error("--rate must be in (0, 5000] and --duration in (0, 3600]")
    if not 1 <= args.connections <= 1000:
        p.error("--connections must be 1..1000")
    return args


def loopback_target(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
        fail_setup("--url must look like http://127.0.0.1:8080")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, type=socket.SOCK_STREAM)
    except socket.gaierror:
        fail_setup(f"cannot resolve {parts.hostname}")
    if not all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos):
        fail_setup("refusing a target that is not a loopback address")
    return parts.hostname, parts.port or 80


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def report(args, results, elapsed, pool, rss_before, rss_after, rss_peak):
    ordered = results.all_latencies()
    sent = len(ordered)
    p50, p99 = percentile(ordered, 0.50), percentile(ordered, 0.99)
    print(f"kerjadekat load: {sent} requests in {elapsed:.1f} s "
          f"({sent / elapsed:.1f}/s, target {args.rate:g}/s), "
          f"{pool.opened} connections ({pool.resent} requests resent after the daemon "
          f"closed an idle one), generator at most {ms(results.max_lag)} ms late")
    print(f"latency ms: p50 {ms(p50)}  p99 {ms(p99)}  p99.9 {ms(percentile(ordered, 0.999))}"
          f"  max {ms(ordered[-1])}")
    for kind in ("register", "vacancies", "skills", "kecamatan", "recommend"):
        values = sorted(results.latency.get(kind, []))
        if not values:
            continue
        counts = ", ".join(f"{k}={v}" for k, v in sorted(results.statuses[kind].items(),
                                                         key=lambda kv: str(kv[0])))
        print(f"  {kind:<10} {len(values):>6}  p50 {ms(percentile(values, 0.5)):>6}"
              f"  p99 {ms(percentile(values, 0.99)):>6}  {counts}")
    growth = (rss_after - rss_before) * 100.0 / rss_before
    print(f"daemon RSS KiB: before {rss_before}, after {rss_after}, peak {rss_peak} "
          f"({growth:+.1f}%)")

    failures = []
    server_errors = results.total(lambda o: isinstance(o, int) and o >= 500)
    unanswered = results.total(lambda o: not isinstance(o, int))
    if server_errors:
        failures.append(f"{server_errors} responses were 5xx")
    if unanswered:
        failures.append(f"{unanswered} requests got no response")
    if not p99 < args.p99_limit_ms / 1000:
        failures.append(f"p99 {ms(p99)} ms is not under {args.p99_limit_ms:g} ms")
    if not growth < args.memory_limit_pct:
        failures.append(f"memory grew {growth:.1f}%, not under {args.memory_limit_pct:g}%")
    client_errors = results.total(lambda o: isinstance(o, int) and 400 <= o < 500)
    if client_errors:
        print(f"note: {client_errors} responses were 4xx (see the counts above)")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print(f"PASS: no 5xx, p99 under {args.p99_limit_ms:g} ms, "
              f"memory growth under {args.memory_limit_pct:g}%")
    return 1 if failures else 0


async def sample_rss(pid, peak):
    while True:
        peak[0] = max(peak[0], rss_kib(pid))
        await asyncio.sleep(1.0)


async def main_async(args, host, port, workload, pid):
    results = Results()
    rss_before = rss_kib(pid)
    peak = [rss_before]
    sampler = asyncio.ensure_future(sample_rss(pid, peak))
    try:
        elapsed, pool = await run(args, host, port, workload, results)
    finally:
        sampler.cancel()
    rss_after = rss_kib(pid)
    peak[0] = max(peak[0], rss_after)
    return report(args, results, elapsed, pool, rss_before, rss_after, peak[0])


def main():
    args = parse_args()
    host, port = loopback_target(args.url)
    workload = Workload(load_villages(DESA_CSV), read_token(args.token_file), time.time())
    pid = args.pid or find_daemon(port)
    if pid is None:
        fail_setup(f"no `kerjadekat serve` process listens on port {port}; give --pid")
    try:
        rss_kib(pid)
    except OSError:
        fail_setup(f"cannot read the memory of process {pid}")
    return asyncio.run(main_async(args, host, port, workload, pid))


if __name__ == "__main__":
    sys.exit(main())
