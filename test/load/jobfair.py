#!/usr/bin/env python3
"""One job fair day, end to end, against a daemon and database of its own
(scripts/load --jobfair starts them).  Not a test: it prints what happened.

The day: 30 employers, each the industry of its kecamatan, post two
vacancies; ten kiosks register 700 people (some sent twice after a lost
answer, some duplicates, some corrected after a 422); a match run turns
assignments into offers; employers accept, reject or let offers lie; some
people check their status and decline; a week later the offers nobody
answered expire and a second run fills their openings; the filled-vacancy
report and the disability view close the day.

Which industry each kecamatan has here is an illustration for the
simulation, not the programme's list.
"""

import argparse
import concurrent.futures
import csv
import datetime
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DESA_CSV = os.path.join(REPO, "schema", "data", "kukar", "desa.csv")

SECTORS = {
    "mining": ["heavy_equipment_operator", "excavator_operator", "dump_truck_driver",
               "heavy_equipment_mechanic"],
    "oil_gas": ["oil_gas_production_operator", "pipe_welding", "hse_officer", "rigging"],
    "plantation": ["oil_palm_harvesting", "oil_palm_upkeep", "fertilizer_application",
                   "palm_oil_mill_operator"],
    "fisheries": ["shrimp_pond_farming", "fish_processing", "fishing_boat_crew",
                  "fresh_fish_handling"],
    "manufacturing": ["production_machine_operator", "quality_control", "product_packaging",
                      "food_processing"],
    "construction": ["bricklaying", "carpentry", "concrete_work", "rebar_fixing"],
}
INDUSTRY = {
    "64.02.01": "fisheries", "64.02.02": "mining", "64.02.03": "mining",
    "64.02.04": "fisheries", "64.02.05": "oil_gas", "64.02.06": "manufacturing",
    "64.02.07": "plantation", "64.02.08": "plantation", "64.02.09": "plantation",
    "64.02.10": "plantation", "64.02.11": "plantation", "64.02.12": "mining",
    "64.02.13": "construction", "64.02.14": "oil_gas", "64.02.15": "oil_gas",
    "64.02.16": "mining", "64.02.17": "fisheries", "64.02.18": "fisheries",
    "64.02.19": "construction", "64.02.20": "manufacturing",
}
EDUCATION = ("SD", "SMP", "SMA", "SMA", "SMK", "SMK", "D3", "S1")
KIOSKS = 10
EMPLOYERS = 30
SEEKERS = 700
ACCEPT, REJECT = 0.70, 0.20          # the rest is left unanswered
REJECT_REASONS = ("skills_mismatch", "qualification_mismatch", "failed_interview", "no_show")


class Api:
    """One keep-alive connection per thread."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.local = threading.local()

    def call(self, method, path, token=None, body=None, key=None):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        for attempt in range(2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port,
                                                                    timeout=30)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                raw = response.read()
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt == 1:
                    raise
                continue
            elapsed = time.perf_counter() - start
            if response.will_close:
                conn.close()
                self.local.conn = None
            text = raw.decode()
            is_json = response.getheader("Content-Type", "").startswith("application/json")
            return response.status, (json.loads(text) if is_json and text else text), elapsed
        raise RuntimeError("unreachable")


class Day:
    def __init__(self, args):
        self.args = args
        self.api = Api(args.url)
        self.rng = random.Random(args.seed)
        self.villages = {}
        with open(DESA_CSV, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                self.villages.setdefault(row["code"].rsplit(".", 1)[0], []).append(row["code"])
        self.kecamatan = sorted(self.villages)
        self.tokens = dict(line.split("=", 1) for line in open(args.tokens).read().split())
        self.figures = []
        self.lock = threading.Lock()

    # -- tools

    def say(self, text):
        print(text, flush=True)

    def figure(self, name, value):
        self.figures.append((name, value))
        self.say(f"  {name}: {value}")

    def sql(self, query):
        proc = subprocess.run([self.args.psql, "-X", "-At", "-F", "\t", "-d", self.args.db,
                               "-v", "ON_ERROR_STOP=1", "-c", query], capture_output=True,
                              text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"psql: {proc.stderr.strip()}")
        out = proc.stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def token_for(self, role, name, employer=None):
        command = [self.args.bin, "token", "create", "--role", role, "--name", name,
                   "--db", self.args.db]
        if employer:
            command += ["--employer", str(employer)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        return out.strip().splitlines()[-1]

    def wait_run(self, run_id):
        start = time.perf_counter()
        while True:
            status, body, _ = self.api.call("GET", f"/v1/match-runs/{run_id}",
                                            self.tokens["KD_ADMIN_TOKEN"])
            if status != 200:
                raise RuntimeError(f"GET /v1/match-runs answered {status}")
            if body["state"] != "running":
                return body, time.perf_counter() - start
            time.sleep(0.05)

    # -- the day

    def employers_post(self):
        self.say("employers post their vacancies")
        admin = self.tokens["KD_ADMIN_TOKEN"]
        self.employers = []
        for i in range(EMPLOYERS):
            kecamatan = self.kecamatan[i % len(self.kecamatan)]
            desa = self.villages[kecamatan][0]
            status, body, _ = self.api.call("POST", "/v1/employers", admin, {
                "name": f"PT Industri Contoh {i + 1:02d}", "desa_code": desa})
            assert status == 201, body
            token = self.token_for("employer", f"jobfair-employer-{i + 1}", body["id"])
            self.employers.append({"id": body["id"], "token": token, "kecamatan": kecamatan})
        openings = 0
        self.vacancies = 0
        for i, e in enumerate(self.employers):
            skills = SECTORS[INDUSTRY[e["kecamatan"]]]
            for j in range(2):
                n = self.rng.randint(1, 6)
                status, body, _ = self.api.call("POST", "/v1/vacancies", e["token"], {
                    "title": f"Lowongan {i + 1:02d}-{j + 1}",
                    "desa_code": self.villages[e["kecamatan"]][j % len(
                        self.villages[e["kecamatan"]])],
                    "required_skills": [skills[(i + j) % len(skills)]],
                    "optional_skills": [skills[(i + j + 1) % len(skills)]],
                    "min_education": "SMP" if j == 0 else "SMA",
                    "openings": n, "disability_friendly": (i + j) % 4 == 0})
                assert status == 201, body
                openings += n
                self.vacancies += 1
        self.openings = openings
        self.figure("employers", EMPLOYERS)
        self.figure("vacancies", self.vacancies)
        self.figure("openings", openings)

    def person(self, n):
        kecamatan = self.kecamatan[self.rng.randrange(len(self.kecamatan))]
        desa = self.rng.choice(self.villages[kecamatan])
        sector = INDUSTRY[kecamatan] if self.rng.random() < 0.7 else \
            self.rng.choice(sorted(SECTORS))
        skills = self.rng.sample(SECTORS[sector], 2)
        birth = datetime.date(1972, 1, 1) + datetime.timedelta(days=self.rng.randrange(12000))
        gender = self.rng.choice("MF")
        day = birth.day + (40 if gender == "F" else 0)
        nik = "".join(desa.split(".")[:3]) + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        return {
            "nik": f"{nik}{(self.args.seed * 1000 + n) % 9999 + 1:04d}",
            "full_name": f"Peserta Pameran {n + 1}",
            "birth_date": birth.isoformat(), "gender": gender,
            "phone": f"+6281377{n:06d}", "desa_code": desa,
            "education": self.rng.choice(EDUCATION), "skills": skills,
            "experience_years": self.rng.randrange(0, 12),
            "disability": self.rng.random() < 0.03,
            "consent": {"version": "1", "accepted": True},
        }

    def kiosks_register(self):
        self.say(f"{KIOSKS} kiosks register {SEEKERS} people")
        kiosk_tokens = [self.token_for("kiosk", f"jobfair-kiosk-{k + 1}") for k in range(KIOSKS)]
        people = [self.person(n) for n in range(SEEKERS)]
        self.receipts = {}
        latencies, outcomes = [], {}
        replays_equal = [0, 0]

        def count(what):
            with self.lock:
                outcomes[what] = outcomes.get(what, 0) + 1

        def register(n):
            token = kiosk_tokens[n % KIOSKS]
            body = people[n]
            key = f"jobfair-{self.args.seed}-{n}"
            if n % 50 == 7:      # a kiosk typo: 422, then corrected
                status, _, t = self.api.call("POST", "/v1/seekers", token,
                                             dict(body, phone="12"), key + "-typo")
                count(f"first try {status}")
            status, receipt, t = self.api.call("POST", "/v1/seekers", token, body, key)
            with self.lock:
                latencies.append(t)
            count(str(status))
            if status != 201:
                return
            if n % 20 == 3:      # the answer was lost; the kiosk sends again
                again, replay, _ = self.api.call("POST", "/v1/seekers", token, body, key)
                with self.lock:
                    replays_equal[0] += 1
                    replays_equal[1] += again == 201 and replay == receipt
            if n % 100 == 11:    # the same person at another booth
                dup, _, _ = self.api.call("POST", "/v1/seekers", kiosk_tokens[(n + 1) % KIOSKS],
                                          body, key + "-again")
                count(f"duplicate {dup}")
            with self.lock:
                self.receipts[n] = (receipt, body)

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(KIOSKS) as pool:
            list(pool.map(register, range(SEEKERS)))
        elapsed = time.perf_counter() - start
        ordered = sorted(latencies)
        with_match = [r for r, _ in self.receipts.values() if r["recommendations"]]
        local = [r for r, _ in self.receipts.values() if r["recommendations"] and
                 r["recommendations"][0].get("same_kecamatan")]
        self.figure("answers", dict(sorted(outcomes.items())))
        self.figure("lost-answer resends replayed identically",
                    f"{replays_equal[1]} of {replays_equal[0]}")
        self.figure("registration wall time", f"{elapsed:.1f} s "
                    f"({SEEKERS / elapsed:.0f}/s with {KIOSKS} kiosks back to back)")
        self.figure("registration latency", f"p50 {statistics.median(ordered) * 1000:.1f} ms, "
                    f"p99 {ordered[int(len(ordered) * 0.99)] * 1000:.1f} ms")
        self.figure("receipts showing a nearby match", f"{len(with_match)} of {len(self.receipts)}")
        self.figure("receipts whose first match is in the same kecamatan", len(local))

    def match(self, label):
        status, body, _ = self.api.call("POST", "/v1/match-runs", self.tokens["KD_ADMIN_TOKEN"],
                                        {})
        assert status == 202, body
        run, seconds = self.wait_run(body["id"])
        assert run["state"] == "done", run
        rows = self.sql(f"SELECT count(*), count(*) FILTER (WHERE same_kecamatan),"
                        f" coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY distance_km)"
                        f"::numeric, 1), 0), coalesce(round(percentile_cont(0.9) WITHIN GROUP"
                        f" (ORDER BY distance_km)::numeric, 1), 0)"
                        f" FROM placements WHERE run_id = {body['id']}")
        offers, local, p50, p90 = rows[0]
        self.figure(f"{label}: run time (POST to done)", f"{seconds:.2f} s")
        self.figure(f"{label}: offers", f"{offers} ({local} in the seeker's own kecamatan)")
        self.figure(f"{label}: distance to the offer", f"median {p50} km, p90 {p90} km")
        return body["id"], int(offers)

    def employers_decide(self, label):
        decided = {"accepted": 0, "rejected": 0, "left": 0}
        for e in self.employers:
            cursor = None
            pending = []
            while True:
                path = "/v1/placements?state=pending&limit=100" + (
                    f"&cursor={cursor}" if cursor else "")
                status, body, _ = self.api.call("GET", path, e["token"])
                assert status == 200, body
                pending += body["placements"]
                cursor = body["next_cursor"]
                if not cursor:
                    break
            for p in pending:
                roll = self.rng.random()
                if roll >= ACCEPT + REJECT:
                    decided["left"] += 1
                    continue
                choice = "accepted" if roll < ACCEPT else "rejected"
                body = {"decision": choice}
                if choice == "rejected":
                    body["reason_code"] = self.rng.choice(REJECT_REASONS)
                status, answer, _ = self.api.call("POST", f"/v1/placements/{p['id']}/decision",
                                                  e["token"], body)
                assert status == 200, answer
                decided[choice] += 1
        self.figure(f"{label}: employer decisions", decided)

    def seekers_check(self):
        checked = declined = offered = 0
        for n in sorted(self.receipts)[::5]:
            receipt, body = self.receipts[n]
            status, answer, _ = self.api.call("POST", "/v1/status", None, {
                "code": receipt["registration_code"], "birth_date": body["birth_date"]})
            assert status == 200, answer
            checked += 1
            pending = [p for p in answer["placements"] if p["state"] == "pending"]
            offered += bool(answer["placements"])
            if pending and n % 4 == 0:
                status, _, _ = self.api.call("POST", "/v1/status/decline", None, {
                    "registration_code": receipt["registration_code"],
                    "birth_date": body["birth_date"], "placement_id": pending[0]["id"],
                    "reason_code": "too_far"})
                assert status == 200
                declined += 1
        self.figure("status checks by code and birth date",
                    f"{checked} ({offered} saw an offer or its outcome; {declined} declined)")

    def week_passes(self):
        left = int(self.sql("SELECT count(*) FROM placements WHERE state = 'pending'")[0][0])
        # The clock moves on a week: the offers are dated back, not the daemon's clock.
        self.sql("UPDATE placements SET offered_at = offered_at - interval '8 days',"
                 " decide_by = now() - interval '1 second' WHERE state = 'pending'")
        start = time.perf_counter()
        while int(self.sql("SELECT count(*) FROM placements WHERE state = 'pending'")[0][0]):
            time.sleep(0.2)
        self.figure("a week later: unanswered offers expired by the daemon",
                    f"{left} in {time.perf_counter() - start:.1f} s")

    def close_the_day(self):
        today = self.sql("SELECT current_date")[0][0]
        out = os.path.join(self.args.workdir, "filled.csv")
        subprocess.run([self.args.bin, "report", "filled", "--from", today, "--to", today,
                        "--db", self.args.db, "--output", out], check=True)
        with open(out, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        headcount = sum(int(r["headcount"]) for r in rows)
        filled = sum(int(r["filled"]) for r in rows)
        self.figure("filled-vacancy report (report filled)",
                    f"{len(rows)} vacancies, headcount {headcount}, filled {filled} "
                    f"({100 * filled / max(headcount, 1):.0f}%)")
        states = dict(self.sql("SELECT state, count(*) FROM placements GROUP BY state"))
        self.figure("placements by state", dict(sorted(states.items())))
        local = self.sql("SELECT count(*) FILTER (WHERE same_kecamatan), count(*)"
                         " FROM placements WHERE state = 'accepted'")[0]
        self.figure("hired in their own kecamatan", f"{local[0]} of {local[1]}")
        inclusion = self.sql("SELECT sum(placed), sum(placed_with_disability),"
                             " count(*) FILTER (WHERE quota_met),"
                             " count(*) FILTER (WHERE quota_met IS NOT NULL)"
                             " FROM disability_inclusion")[0]
        self.figure("disability_inclusion view",
                    f"{inclusion[1]} of {inclusion[0]} hired have a disability; "
                    f"{inclusion[2]} of {inclusion[3]} hiring employers meet the 1% quota")
        status, text, _ = self.api.call("GET", "/metrics", self.tokens["KD_METRICS_TOKEN"])
        assert status == 200
        registrations = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                            if line.startswith("kerjadekat_registrations_total{"))
        self.figure("kerjadekat_registrations_total over all kecamatan", int(registrations))

    def run(self):
        start = time.perf_counter()
        self.employers_post()
        self.kiosks_register()
        self.match("run 1")
        self.employers_decide("run 1")
        self.seekers_check()
        self.week_passes()
        self.match("run 2 (expired and declined openings offered again)")
        self.employers_decide("run 2")
        self.close_the_day()
        self.say(f"the whole day took {time.perf_counter() - start:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True, help="owner conninfo (tokens, views)")
    parser.add_argument("--bin", required=True)
    parser.add_argument("--psql", required=True)
    parser.add_argument("--tokens", required=True,
                        help="file with KD_ADMIN_TOKEN=... and KD_METRICS_TOKEN=... lines")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--seed", type=int, default=57)
    Day(parser.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
