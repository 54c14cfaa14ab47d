"""What the test_faults_* modules share; not a test module itself.

A fault test runs a steady stream of kiosk registrations (RegistrationStream)
while it hurts the database or the daemon, records every answer with its
timing, and then holds the answers and the seekers table to the service's
pass criteria with FaultTestCase's checks.  Every time limit is scaled for
slow builds (valgrind, sanitizers) with harness.scaled.
"""

import collections
import dataclasses
import http.client
import json
import os
import selectors
import socket
import sys
import tempfile
import threading
import time
import uuid

import harness

# The daemon's deadline for database work, and how much later than that an
# answer may come (the deadline is checked on a timer, and the answer must
# still cross loopback).
DB_DEADLINE = 5.0
DEADLINE_SLACK = 1.0
# The promise: the first 201 comes within 5 s of the database being back.
RECOVERY_LIMIT = 5.0
# How many failed answers a failure message quotes.
EXAMPLES = 5
# Where a burst's connections come from: kiosks behind 32 addresses, each
# well within the daemon's cap of 128 connections per address.
BURST_SOURCES = [f"127.0.2.{n}" for n in range(1, 33)]


def connect_unix(path):
    """A socket connected to the unix socket at path, or None when it
    refuses."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        return sock
    except OSError:
        sock.close()
        return None


class PassThroughProxy:
    """Listens on a unix socket named as a PostgreSQL server's (a directory
    libpq takes as a host) and passes each connection through to the real
    server's socket.  What crosses is the subclass's pump(client, server),
    which runs on a thread of its own per connection and returns (or raises
    OSError) when either side closes; both sockets are closed after it."""

    def __init__(self, server_socket, port):
        self.dir = tempfile.mkdtemp(prefix="kd-proxy-")
        self.path = os.path.join(self.dir, f".s.PGSQL.{port}")
        self.server_socket = server_socket
        self._pairs = []
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.path)
        self._listener.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def to_cluster(cls, kd):
        """A proxy to the test cluster of the Service kd."""
        cluster = kd.cluster
        return cls(os.path.join(cluster.host, f".s.PGSQL.{cluster.port}"), cluster.port)

    def conninfo(self, kd):
        """Conninfo for kd's daemon to reach its database through the proxy."""
        return (f"host='{self.dir}' port='{kd.cluster.port}' user='{harness.DAEMON_ROLE}' "
                f"dbname='{kd.dbname}'")

    def pump(self, client, server):
        raise NotImplementedError

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = connect_unix(self.server_socket)
            if server is None:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._run, args=(client, server), daemon=True).start()

    def _run(self, client, server):
        try:
            self.pump(client, server)
        except OSError:
            pass
        finally:
            client.close()
            server.close()

    def drop_all(self):
        """Breaks every connection, as a broken network would."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for client, server in pairs:
            for sock in (client, server):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self._listener.close()
        self.drop_all()
        os.unlink(self.path)
        os.rmdir(self.dir)


def masked(nik):
    return nik[:4] + "*" * 10 + nik[-2:]


@dataclasses.dataclass
class Attempt:
    """One request and what came of it.  Times are time.monotonic()."""
    name: str                    # the person registered (full_name)
    nik: str
    sent: float
    answered: float
    status: object = None        # int, or None when no answer came
    retry_after: object = None
    json: object = None
    body: bytes = b""
    error: object = None         # why no answer came

    @property
    def latency(self):
        return self.answered - self.sent


class RegistrationStream:
    """Registrations from `threads` threads, each on a keep-alive connection
    of its own, one after another with `pause` seconds between, until stop(),
    `limit` requests per thread or `max_seconds`.  Each request carries an
    Idempotency-Key of its own, as a kiosk's would.  A request that gets no
    answer is recorded with the error, and its thread waits `pause_on_error`
    before the next one so a dead daemon costs no busy loop."""

    def __init__(self, kd, token, threads=4, pause=0.02, limit=2000, max_seconds=80.0,
                 pause_on_error=0.05, request_timeout=20.0):
        self.kd = kd
        self.token = token
        self.pause = pause
        self.pause_on_error = pause_on_error
        self.limit = limit
        self.max_seconds = max_seconds
        self.request_timeout = harness.scaled(request_timeout)
        self._attempts = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        self.started = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.started = time.monotonic()
        for thread in self._threads:
            thread.start()

    def stop(self):
        """Stops the threads (each finishes its request in flight) and
        returns every attempt, in the order they were sent."""
        self._stop.set()
        for thread in self._threads:
            thread.join(self.request_timeout + 5)
            if thread.is_alive():
                raise AssertionError("a registration thread is still waiting for an answer")
        return self.attempts()

    def attempts(self):
        with self._lock:
            return sorted(self._attempts, key=lambda attempt: attempt.sent)

    def _record(self, attempt):
        with self._lock:
            self._attempts.append(attempt)

    def _run(self):
        client = harness.Client(self.kd.port, timeout=self.request_timeout)
        ends = self.started + self.max_seconds
        try:
            for _ in range(self.limit):
                if self._stop.is_set() or time.monotonic() >= ends:
                    return
                body = self.kd.persons.seeker()
                headers = {"Idempotency-Key": f"faults-{uuid.uuid4().hex}"}
                attempt = Attempt(body["full_name"], body["nik"], time.monotonic(), 0.0)
                try:
                    response = client.request("POST", "/v1/seekers", json_body=body,
                                              token=self.token, headers=headers)
                except (OSError, http.client.HTTPException) as error:
                    attempt.answered = time.monotonic()
                    attempt.error = f"{type(error).__name__}: {error}"
                    self._record(attempt)
                    client.close()
                    self._stop.wait(self.pause_on_error)
                    continue
                attempt.answered = time.monotonic()
                attempt.status = response.status
                attempt.retry_after = response.headers.get("retry-after")
                attempt.json = response.json
                attempt.body = response.body
                self._record(attempt)
                self._stop.wait(self.pause)
        finally:
            client.close()


def request_bytes(port, token, body):
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    head = (f"POST /v1/seekers HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Idempotency-Key: faults-{uuid.uuid4().hex}\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n")
    return head.encode("ascii") + payload


class _BurstConnection:
    def __init__(self, attempt, data):
        self.attempt = attempt
        self.out = data
        self.received = b""
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)

    def complete(self):
        """True once a whole response is in, framed by Content-Length."""
        end = self.received.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = self.received[:end].decode("iso-8859-1").split("\r\n")
        fields = dict(line.split(":", 1) for line in head[1:] if ":" in line)
        fields = {name.strip().lower(): value.strip() for name, value in fields.items()}
        length = int(fields.get("content-length", "0"))
        if len(self.received) < end + 4 + length:
            return False
        self.attempt.status = int(head[0].split(" ", 2)[1])
        self.attempt.retry_after = fields.get("retry-after")
        self.attempt.body = self.received[end + 4:end + 4 + length]
        try:
            self.attempt.json = json.loads(self.attempt.body)
        except ValueError:
            self.attempt.json = None
        return True


def burst(kd, token, count, timeout):
    """Opens `count` connections to the daemon at once (from the
    BURST_SOURCES in turn), sends one registration on each and waits up to
    `timeout` seconds for the answers.
    Returns an Attempt per connection (status None with the error when no
    answer came).  One thread and a selector, so all of them really are
    outstanding together."""
    selector = selectors.DefaultSelector()
    pending = []
    for n in range(count):
        body = kd.persons.seeker()
        attempt = Attempt(body["full_name"], body["nik"], 0.0, 0.0)
        conn = _BurstConnection(attempt, request_bytes(kd.port, token, body))
        conn.sock.bind((BURST_SOURCES[n % len(BURST_SOURCES)], 0))
        conn.sock.connect_ex(("127.0.0.1", kd.port))
        selector.register(conn.sock, selectors.EVENT_WRITE, conn)
        pending.append(conn)
    deadline = time.monotonic() + timeout
    remaining = len(pending)

    def finish(conn, error=None):
        nonlocal remaining
        conn.attempt.answered = time.monotonic()
        conn.attempt.error = error
        if not conn.attempt.sent:
            conn.attempt.sent = conn.attempt.answered
        selector.unregister(conn.sock)
        conn.sock.close()
        remaining -= 1

    try:
        while remaining and time.monotonic() < deadline:
            for key, events in selector.select(max(0.0, deadline - time.monotonic())):
                conn = key.data
                try:
                    if events & selectors.EVENT_WRITE:
                        sent = conn.sock.send(conn.out)
                        conn.out = conn.out[sent:]
                        if not conn.out:
                            conn.attempt.sent = time.monotonic()
                            selector.modify(conn.sock, selectors.EVENT_READ, conn)
                        continue
                    chunk = conn.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError as error:
                    finish(conn, f"{type(error).__name__}: {error}")
                    continue
                if not chunk:
                    finish(conn, "closed without an answer")
                    continue
                conn.received += chunk
                if conn.complete():
                    finish(conn)
        for conn in pending:
            if conn.sock.fileno() >= 0:
                finish(conn, f"no answer within {timeout:.1f} s")
    finally:
        selector.close()
    return [conn.attempt for conn in pending]


def recovery_time(attempts, moment):
    """Seconds from moment to the first 201 answered after it, or None."""
    return min((a.answered - moment for a in attempts
                if a.status == 201 and a.answered >= moment), default=None)


def terminate_daemon_backends(kd):
    """Ends every session on the module's database except psql's own (the
    harness's sql() and this very query), that is the daemon's connections;
    returns how many were ended."""
    rows = kd.sql("select count(*) filter (where pg_terminate_backend(pid)) "
                  "from pg_stat_activity where datname = current_database() "
                  "and pid <> pg_backend_pid() and backend_type = 'client backend' "
                  "and application_name is distinct from 'psql'")
    return int(rows[0][0])


def daemon_rss_kib(kd):
    """The daemon's resident set in KiB, or None when it cannot be read."""
    try:
        with open(f"/proc/{kd.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def report(scenario, **figures):
    """One line of measurements on stderr, for the test log."""
    text = " ".join(f"{name}={value:.3f}" if isinstance(value, float) else f"{name}={value}"
                    for name, value in figures.items())
    print(f"faults {scenario}: {text}", file=sys.stderr, flush=True)


class FaultTestCase(harness.KerjadekatTestCase):
    """The checks every fault scenario makes."""

    def describe(self, attempt, origin):
        what = f"{attempt.status} {attempt.body[:160]!r}" if attempt.status is not None \
            else f"no answer ({attempt.error})"
        return (f"sent at {attempt.sent - origin:+.2f} s, {what} after "
                f"{attempt.latency:.2f} s")

    def fail_with(self, problems, origin, title):
        if not problems:
            return
        kinds = collections.Counter(kind for kind, _ in problems)
        examples = "\n  ".join(self.describe(attempt, origin) + f" [{kind}]"
                               for kind, attempt in problems[:EXAMPLES])
        self.fail(f"{title}: {dict(kinds)}; for example:\n  {examples}\n"
                  f"the daemon's last messages:\n{self.daemon_messages()}")

    def daemon_messages(self, count=20):
        """The end of the daemon log without its per-request lines."""
        lines = [line for line in self.kd.log_text().splitlines()
                 if not line.startswith("time=")]
        return "\n".join(lines[-count:])

    def make_commits_survive_a_server_crash(self):
        """The throwaway test cluster runs with synchronous_commit off, so a
        kill -9 of the server loses the last commits it acknowledged, as
        PostgreSQL documents; the daemon cannot help that.  With it on for
        this module's database (fsync may stay off: the kernel keeps what the
        server wrote) a crash of the server loses nothing acknowledged.  The
        daemon is restarted so that its sessions take the setting."""
        self.kd.cluster.psql("postgres", f'alter database "{self.kd.dbname}" '
                             "set synchronous_commit = on")
        self.daemon_restart()
        self.assertEqual(self.sql("show synchronous_commit"), [("on",)])

    @staticmethod
    def unavailable_problem(attempt):
        """None when attempt is a proper 503 (JSON error and Retry-After),
        else what is wrong with it."""
        if attempt.status is None:
            return "no answer"
        if attempt.status != 503:
            return f"answered {attempt.status}"
        if not (attempt.retry_after or "").strip().isdigit():
            return "503 without Retry-After"
        error = attempt.json.get("error") if isinstance(attempt.json, dict) else None
        if not isinstance(error, dict) or not error.get("code"):
            return "503 without an error body"
        return None

    def assert_created_or_unavailable(self, attempts, origin, max_latency):
        """Every answer is a 201 or a 503 with Retry-After, each within
        max_latency seconds of its request."""
        problems = []
        for attempt in attempts:
            if attempt.status != 201:
                wrong = self.unavailable_problem(attempt)
                if wrong:
                    problems.append((wrong, attempt))
                    continue
            if attempt.latency > max_latency:
                problems.append((f"slower than {max_latency:.1f} s", attempt))
        self.fail_with(problems, origin, "answers other than 201 or a timely 503")

    def assert_persisted_exactly_once(self, attempts):
        """Every 201 names a row of seekers that holds that person, exactly
        once; no person is stored twice; and no person is stored whose
        request was refused for a reason other than an unavailable database
        (a 503 may hide a commit whose outcome the daemon could not know)."""
        rows = self.sql("select id, registration_code, full_name, nik_masked from seekers")
        by_id = {int(row[0]): row for row in rows}
        names = collections.Counter(row[2] for row in rows)
        problems = []
        for attempt in attempts:
            stored = names.get(attempt.name, 0)
            if stored > 1:
                problems.append(f"{attempt.name} is stored {stored} times")
            if attempt.status == 201:
                created = attempt.json if isinstance(attempt.json, dict) else {}
                row = by_id.get(created.get("id"))
                expected = (created.get("registration_code"), attempt.name, masked(attempt.nik))
                if row is None:
                    problems.append(f"201 id {created.get('id')} ({attempt.name}) is not stored")
                elif tuple(row[1:]) != expected:
                    problems.append(f"201 id {created.get('id')} holds {row[1:]}, "
                                    f"not {expected}")
            elif stored and attempt.status not in (None, 503):
                problems.append(f"{attempt.name} answered {attempt.status} is stored")
        if problems:
            self.fail(f"{len(problems)} persistence problems, e.g.:\n  "
                      + "\n  ".join(problems[:EXAMPLES]))

    def assert_recovered(self, attempts, moment, what):
        """A 201 was answered within RECOVERY_LIMIT of moment."""
        took = recovery_time(attempts, moment)
        limit = harness.scaled(RECOVERY_LIMIT)
        self.assertIsNotNone(took, f"no 201 at all after {what}")
        self.assertLessEqual(took, limit, f"the first 201 came {took:.2f} s after {what}, "
                                          f"more than {limit:.1f} s")

    def assert_daemon_healthy(self):
        """The daemon still runs, reports the database up and registers."""
        self.assertIsNone(self.kd.process.poll(), "the daemon exited")
        health = self.kd.wait_health(200, timeout=harness.scaled(RECOVERY_LIMIT))
        self.assertEqual(health.json, {"status": "ok", "database": "up"})
        # a connection of its own: the shared one may have idled out meanwhile
        client = self.kd.client()
        try:
            response = client.request("POST", "/v1/seekers", json_body=self.person(),
                                      token=self.tokens["kiosk"])
        finally:
            client.close()
        self.assertEqual(response.status, 201, response.body)
