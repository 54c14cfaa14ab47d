"""GET /metrics: the Prometheus text exposition.  Only the token of
--metrics-token-file opens it (API tokens do not) and without that option
the route is off; the text parses as the 0.0.4 format, every family
declared once before its samples, histograms cumulative up to +Inf; the
counters move by exactly what was done (answers by route pattern, method
and status, registrations per kecamatan, match runs); the gauges tell the
pool, connections and in-flight requests; it still answers while the
database is down; and it never carries a path, a query or personal data."""

import os
import re
import socket
import subprocess

import harness
from harness_http import Client, free_port

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
DESA = "64.02.06.1001"          # in kecamatan 64.02.06 (Tenggarong)
KECAMATAN = "64.02.06"


def parse_labels(text):
    labels, pos = {}, 0
    while pos < len(text):
        match = LABEL.match(text, pos)
        if match is None:
            raise AssertionError(f"bad label set {text!r}")
        labels[match.group(1)] = match.group(2)
        pos = match.end()
    return labels


def parse_exposition(text):
    """{family: {"type", "help", "samples": [(name, labels, value)]}}; raises
    AssertionError for anything the 0.0.4 text format does not allow."""
    families, current = {}, None
    if not text.endswith("\n"):
        raise AssertionError("the text does not end in a newline")
    for line in text[:-1].split("\n"):
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            if name in families:
                raise AssertionError(f"family {name} declared twice")
            families[name] = {"help": help_text, "type": None, "samples": []}
            current = name
        elif line.startswith("# TYPE "):
            name, _, kind = line[7:].partition(" ")
            if name != current or kind not in ("counter", "gauge", "histogram"):
                raise AssertionError(f"TYPE line {line!r} out of place")
            families[name]["type"] = kind
        else:
            match = SAMPLE.match(line)
            if match is None:
                raise AssertionError(f"bad sample line {line!r}")
            name, value = match.group(1), float(match.group(4))
            family = current
            kind = families[family]["type"] if family else None
            suffixes = ("_bucket", "_sum", "_count") if kind == "histogram" else ("",)
            if family is None or not any(name == family + s for s in suffixes):
                raise AssertionError(f"sample {name} outside its family (in {family})")
            families[family]["samples"].append((name, parse_labels(match.group(3) or ""),
                                                value))
    return families


class MetricsTestCase(harness.KerjadekatTestCase):

    def scrape(self, client=None):
        headers = {"Authorization": f"Bearer {self.kd.metrics_token}"}
        response = (client.request("GET", "/metrics", headers=headers) if client
                    else self.request("GET", "/metrics", headers=headers))
        self.assertEqual(response.status, 200, response.body[:300])
        self.assertEqual(response.headers["content-type"],
                         "text/plain; version=0.0.4; charset=utf-8")
        return response.body.decode("utf-8"), parse_exposition(response.body.decode("utf-8"))

    @staticmethod
    def value(families, family, name=None, **labels):
        """The one sample of family (named name, default the family) whose
        labels include labels; 0 when there is none."""
        found = [v for n, l, v in families[family]["samples"]
                 if n == (name or family) and all(l.get(k) == v2 for k, v2 in labels.items())]
        if len(found) > 1:
            raise AssertionError(f"{len(found)} samples of {family} match {labels}")
        return found[0] if found else 0

    # -- access

    def test_only_the_metrics_token_opens_it(self):
        for authorization in (None, f"Bearer {self.tokens['admin']}",
                              f"Bearer {self.kd.metrics_token}x",
                              f"Bearer {self.kd.metrics_token[:-1]}",
                              f"Basic {self.kd.metrics_token}",
                              "Bearer "):
            response = self.request("GET", "/metrics", headers={"Authorization": authorization})
            self.assertEqual(response.status, 401, authorization)
            self.assertEqual(response.json["error"]["code"], "unauthorized")
            self.assertEqual(response.headers.get("www-authenticate"), "Bearer")
        text, _ = self.scrape()
        self.assertNotIn(self.kd.metrics_token, text)

    def test_without_the_option_the_route_is_off_and_bad_files_stop_serve(self):
        port = free_port()
        dead_db = f"host=127.0.0.1 port={free_port()} dbname=none user=none connect_timeout=1"
        log = open(os.path.join(self.kd.tmpdir, "no-metrics.log"), "w")
        proc = subprocess.Popen(harness.WRAP + [self.kd.bin, "serve", "--listen",
                                                f"127.0.0.1:{port}", "--db", dead_db,
                                                "--secret-file", self.kd.secret_file],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            client = Client(port)

            def answering():
                try:
                    return client.request("GET", "/v1/health")
                except OSError:
                    client.close()
                    return None
            harness.wait_until(answering, harness.scaled(30), 0.05, "the second daemon")
            response = client.request("GET", "/metrics", headers={
                "Authorization": f"Bearer {self.kd.metrics_token}"})
            self.assertEqual(response.status, 404, response.body)
            self.assertIn("--metrics-token-file", response.json["error"]["message"])
            client.close()
        finally:
            proc.terminate()
            proc.wait(timeout=harness.scaled(20))
            log.close()

        bad = os.path.join(self.kd.tmpdir, "short-token")
        with open(bad, "w") as f:
            f.write("too-short\n")
        for path in (bad, os.path.join(self.kd.tmpdir, "missing-token")):
            proc = self.kd.run("serve", "--listen", f"127.0.0.1:{free_port()}", "--db", dead_db,
                               "--secret-file", self.kd.secret_file,
                               "--metrics-token-file", path, check=False)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("metrics token file", proc.stderr)
            self.assertNotIn("too-short", proc.stderr)

    # -- format

    def test_every_family_is_declared_and_histograms_are_cumulative(self):
        self.request("GET", "/v1/health")
        _, families = self.scrape()
        for name, family in families.items():
            self.assertTrue(name.startswith("kerjadekat_"), name)
            self.assertTrue(family["help"], name)
            self.assertIsNotNone(family["type"], name)
            if family["type"] == "counter":
                self.assertTrue(name.endswith("_total"), name)
        for name in ("kerjadekat_http_requests_total", "kerjadekat_http_request_duration_seconds",
                     "kerjadekat_http_requests_in_flight", "kerjadekat_http_connections",
                     "kerjadekat_db_up", "kerjadekat_db_connections", "kerjadekat_db_jobs_queued",
                     "kerjadekat_db_jobs_in_flight", "kerjadekat_registrations_total",
                     "kerjadekat_match_runs_total", "kerjadekat_match_run_duration_seconds",
                     "kerjadekat_build_info", "kerjadekat_ready"):
            self.assertIn(name, families)
        for name, family in families.items():
            if family["type"] != "histogram":
                continue
            series = {}
            for sample, labels, value in family["samples"]:
                key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
                series.setdefault(key, {"buckets": [], "count": None})
                if sample.endswith("_bucket"):
                    series[key]["buckets"].append((float(labels["le"]), value))
                elif sample.endswith("_count"):
                    series[key]["count"] = value
            for key, s in series.items():
                bounds = [b for b, _ in s["buckets"]]
                counts = [c for _, c in s["buckets"]]
                self.assertEqual(bounds, sorted(bounds), (name, key))
                self.assertEqual(bounds[-1], float("inf"), (name, key))
                self.assertEqual(counts, sorted(counts), (name, key))
                self.assertEqual(counts[-1], s["count"], (name, key))
        health = families["kerjadekat_http_request_duration_seconds"]
        self.assertTrue(any(l.get("route") == "/v1/health" for _, l, _ in health["samples"]))

    # -- counters

    def test_answers_are_counted_by_route_pattern_method_and_status(self):
        _, before = self.scrape()
        vacancies = 5
        for _ in range(vacancies):
            self.assertEqual(self.request("GET", "/v1/vacancies",
                                          token=self.tokens["kiosk"]).status, 200)
        bad = self.person(nik="123")
        self.assertEqual(self.request("POST", "/v1/seekers", json_body=bad,
                                      token=self.tokens["kiosk"]).status, 422)
        self.assertEqual(self.request("GET", "/v1/no-such-route/64020612345").status, 404)
        self.assertEqual(self.request("GET", "/v1/seekers/12345",
                                      token=self.tokens["admin"]).status, 404)
        text, after = self.scrape()

        def moved(family, name=None, **labels):
            return (self.value(after, family, name, **labels)
                    - self.value(before, family, name, **labels))
        total = "kerjadekat_http_requests_total"
        self.assertEqual(moved(total, route="/v1/vacancies", method="GET", status="200"),
                         vacancies)
        self.assertEqual(moved(total, route="/v1/seekers", method="POST", status="422"), 1)
        self.assertEqual(moved(total, route="unmatched", method="GET", status="404"), 1)
        self.assertEqual(moved(total, route="/v1/seekers/{id}", method="GET", status="404"), 1)
        latency = "kerjadekat_http_request_duration_seconds"
        self.assertEqual(moved(latency, latency + "_count", route="/v1/vacancies", method="GET"),
                         vacancies)
        # Patterns only: no path, id or query reaches a label.
        self.assertNotIn("no-such-route", text)
        self.assertNotIn("12345", text)

    def test_registrations_are_counted_per_kecamatan_without_personal_data(self):
        kecamatan = self.request("GET", "/v1/kecamatan").json["kecamatan"]
        _, before = self.scrape()
        family = "kerjadekat_registrations_total"
        codes = {l["kecamatan"] for _, l, _ in before[family]["samples"]}
        self.assertEqual(codes, {k["code"] for k in kecamatan})
        names = {l["kecamatan"]: l["kecamatan_name"] for _, l, _ in before[family]["samples"]}
        self.assertEqual(names, {k["code"]: k["name"] for k in kecamatan})
        people = [self.person(desa_code=DESA) for _ in range(3)]
        for body in people:
            response = self.request("POST", "/v1/seekers", json_body=body,
                                    token=self.tokens["kiosk"])
            self.assertEqual(response.status, 201, response.body)
        # A duplicate NIK commits nothing and counts nothing.
        self.assertEqual(self.request("POST", "/v1/seekers", json_body=people[0],
                                      token=self.tokens["kiosk"]).status, 409)
        text, after = self.scrape()
        for code in codes:
            want = 3 if code == KECAMATAN else 0
            self.assertEqual(self.value(after, family, kecamatan=code)
                             - self.value(before, family, kecamatan=code), want, code)
        for body in people:
            for field in ("nik", "full_name", "phone", "birth_date"):
                self.assertNotIn(str(body[field]), text, field)

    def test_match_runs_are_counted_with_their_duration(self):
        _, before = self.scrape()
        run = self.request("POST", "/v1/match-runs", json_body={}, token=self.tokens["admin"])
        self.assertEqual(run.status, 202, run.body)
        self.assertEqual(self.kd.ended_match_run(run.json["id"])["state"], "done")
        # The run's row is written before the worker hands back: wait for the count.
        duration = "kerjadekat_match_run_duration_seconds"

        def counted():
            _, now = self.scrape()
            return now if self.value(now, "kerjadekat_match_runs_total", outcome="done") \
                > self.value(before, "kerjadekat_match_runs_total", outcome="done") else None
        after = harness.wait_until(counted, harness.scaled(10), 0.05, "the run to be counted")
        self.assertEqual(self.value(after, "kerjadekat_match_runs_total", outcome="done")
                         - self.value(before, "kerjadekat_match_runs_total", outcome="done"), 1)
        self.assertEqual(self.value(after, "kerjadekat_match_runs_total", outcome="failed"),
                         self.value(before, "kerjadekat_match_runs_total", outcome="failed"))
        self.assertEqual(self.value(after, duration, duration + "_count")
                         - self.value(before, duration, duration + "_count"), 1)
        self.assertGreater(self.value(after, duration, duration + "_sum"),
                           self.value(before, duration, duration + "_sum"))
        self.assertEqual(self.value(after, "kerjadekat_match_run_running"), 0)

    # -- gauges

    def test_gauges_tell_connections_in_flight_and_the_pool(self):
        client = Client(self.kd.port)
        try:
            _, before = self.scrape(client)
            idle = []
            for _ in range(3):
                sock = socket.create_connection(("127.0.0.1", self.kd.port))
                idle.append(sock)
            try:
                def three_more():
                    _, now = self.scrape(client)
                    grown = (self.value(now, "kerjadekat_http_connections")
                             - self.value(before, "kerjadekat_http_connections"))
                    return now if grown == 3 else None
                after = harness.wait_until(three_more, harness.scaled(10), 0.02,
                                           "three more connections")
            finally:
                for sock in idle:
                    sock.close()
        finally:
            client.close()
        # The scrape itself is the one request in flight.
        self.assertEqual(self.value(after, "kerjadekat_http_requests_in_flight"), 1)
        self.assertEqual(self.value(after, "kerjadekat_db_up"), 1)
        self.assertEqual(self.value(after, "kerjadekat_ready"), 1)
        ready = self.value(after, "kerjadekat_db_connections", state="ready")
        total = sum(v for _, _, v in after["kerjadekat_db_connections"]["samples"])
        self.assertEqual(total, 4)   # serve's default --db-connections
        self.assertGreaterEqual(ready, 1)
        build = after["kerjadekat_build_info"]["samples"]
        self.assertEqual(len(build), 1)
        version = self.sql("SELECT max(version) FROM schema_migrations")[0][0]
        self.assertEqual(build[0][1]["schema_version"], str(version))
        self.assertEqual(build[0][1]["daemon"], f"127.0.0.1:{self.kd.port}")

    def test_it_answers_while_the_database_is_unreachable(self):
        dead_db = f"host=127.0.0.1 port={free_port()} dbname=none user=none connect_timeout=1"
        self.kd.restart_daemon(serve_args=("--db", dead_db), wait="up")
        try:
            self.assertEqual(self.request("GET", "/v1/health").status, 503)
            _, families = self.scrape()
            self.assertEqual(self.value(families, "kerjadekat_db_up"), 0)
            self.assertEqual(self.value(families, "kerjadekat_ready"), 0)
            self.assertEqual(self.value(families, "kerjadekat_db_connections", state="ready"), 0)
            # No reference data yet: the registration series appear once it loads.
            self.assertEqual(families["kerjadekat_registrations_total"]["samples"], [])
        finally:
            self.kd.restart_daemon(serve_args=())


if __name__ == "__main__":
    harness.main()
