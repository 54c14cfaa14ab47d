"""The database goes away under the daemon: stopped, killed, frozen, or not
up yet when the daemon starts.  Requests that need it get 503 with
Retry-After, the rest keeps answering, the daemon recovers by itself, and no
acknowledged registration is ever lost.  This module stops the shared test
cluster, so it must run alone."""

import os
import subprocess
import threading
import time

import harness

# Per-token rate limits far above what these tests send, so that no test here
# meets a 429 it did not ask for.
GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

RECOVERY_LIMIT = 10.0
DB_DEADLINE = 5.0
LOAD_THREADS = 8


class OutageTest(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def register(self, body, token="kiosk", timeout=None):
        return self.request("POST", "/v1/seekers", json_body=body, token=self.tokens[token],
                            timeout=timeout)

    def assert_unavailable(self, response):
        self.assertEqual(response.status, 503, response.body)
        self.assertEqual(response.json["error"]["code"], "database_unavailable", response.body)
        self.assertTrue(response.json["error"]["message"])
        retry_after = response.headers.get("retry-after", "")
        self.assertTrue(retry_after.isdigit() and int(retry_after) > 0,
                        f"Retry-After must be a number of seconds, got {retry_after!r}")

    def assert_down_everywhere(self, seeker_id):
        health = self.kd.wait_health(503, timeout=harness.scaled(10))
        self.assertEqual(health.json, {"status": "degraded", "database": "down"})
        refused = self.person()
        for method, path, body, token in (
                ("POST", "/v1/seekers", refused, "kiosk"),
                ("GET", f"/v1/seekers/{seeker_id}", None, "admin"),
                ("GET", "/v1/vacancies", None, "kiosk"),
                ("POST", "/v1/employers", {"name": "PT Peserta Uji Padam",
                                           "desa_code": "64.02.06.1001"}, "admin")):
            with self.subTest(method=method, path=path):
                response = self.request(method, path, json_body=body, token=self.tokens[token],
                                        timeout=harness.scaled(DB_DEADLINE + 5))
                self.assert_unavailable(response)
        return refused

    def assert_recovered(self, seeker_id, refused):
        started = time.monotonic()
        self.kd.wait_health(200, timeout=harness.scaled(RECOVERY_LIMIT))
        self.assertLess(time.monotonic() - started, harness.scaled(RECOVERY_LIMIT))
        self.assertEqual(self.request("GET", f"/v1/seekers/{seeker_id}",
                                      token=self.tokens["admin"]).status, 200)
        # the registration refused with 503 was never stored, so it goes through now
        response = self.register(refused)
        self.assertEqual(response.status, 201, response.body)
        self.assertEqual(self.register(self.person()).status, 201)
        self.assertEqual(self.request("GET", "/v1/kecamatan").status, 200)

    def registered(self):
        # warm the token cache too, so that the outage tests the database path
        for name in ("kiosk", "admin"):
            self.assertEqual(self.request("GET", "/v1/vacancies", token=self.tokens[name]).status,
                             200)
        response = self.register(self.person())
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def test_database_restart_gives_503_then_recovers(self):
        seeker_id = self.registered()
        self.db_stop()
        refused = self.assert_down_everywhere(seeker_id)
        self.assertIn(self.request("GET", "/v1/skills?q=las").status, (200, 503))
        self.db_start()
        self.assert_recovered(seeker_id, refused)

    def test_database_crash_gives_503_then_recovers(self):
        seeker_id = self.registered()
        # The throwaway cluster commits asynchronously: let its WAL writer
        # (wal_writer_delay 200 ms) flush what the daemon acknowledged, or the
        # crash itself, not the daemon, loses those rows.
        time.sleep(1)
        self.db_kill9()
        refused = self.assert_down_everywhere(seeker_id)
        self.db_start()
        self.assert_recovered(seeker_id, refused)

    def test_daemon_started_before_the_database_becomes_ready_when_it_is(self):
        """A daemon of its own: the harness asks the cluster for its settings
        before it starts one, which needs the cluster up."""
        kiosk = self.tokens["kiosk"]
        durability = self.kd.durability_args()
        self.db_stop()
        port = harness.free_port()
        log_path = os.path.join(self.kd.tmpdir, "early.daemon.log")
        with open(log_path, "w") as log:
            early = subprocess.Popen([self.kd.bin, "serve", "--listen", f"127.0.0.1:{port}",
                                      "--db", self.kd.daemon_conninfo, "--secret-file",
                                      self.kd.secret_file, *durability,
                                      *self.kd.serve_args],
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        client = harness.Client(port, timeout=harness.scaled(DB_DEADLINE + 5))
        try:
            def health():
                try:
                    return client.request("GET", "/v1/health")
                except OSError:
                    client.close()
                    self.assertIsNone(early.poll(), "the daemon must wait for the database")
                    return None

            self.assertEqual(harness.wait_until(health, harness.scaled(10)).status, 503)
            self.assert_unavailable(client.request("POST", "/v1/seekers", json_body=self.person(),
                                                   token=kiosk))
            self.assert_unavailable(client.request("GET", "/v1/kecamatan"))
            time.sleep(1)
            self.assertIsNone(early.poll(), "the daemon must wait for the database")
            self.db_start()
            harness.wait_until(lambda: (health() or harness.Response(0, {}, None, b"")).status
                               == 200, harness.scaled(RECOVERY_LIMIT), 0.1,
                               "the daemon ready once the database is up")
            response = client.request("POST", "/v1/seekers", json_body=self.person(),
                                      token=kiosk)
            self.assertEqual(response.status, 201, response.body)
        finally:
            client.close()
            early.terminate()
            try:
                early.wait(harness.scaled(20))
            except subprocess.TimeoutExpired:
                early.kill()
                early.wait()
        with open(log_path, encoding="utf-8", errors="replace") as log:
            self.assertEqual(early.returncode, 0, log.read()[-2000:])

    def test_frozen_database_gives_503_in_time_and_nothing_else_waits(self):
        seeker_id = self.registered()
        self.db_sigstop(backends=True)
        try:
            outcome = {}

            def stuck_registration():
                client = self.kd.client()
                started = time.monotonic()
                try:
                    outcome["response"] = client.request(
                        "POST", "/v1/seekers", json_body=self.person(),
                        token=self.tokens["kiosk"], timeout=harness.scaled(DB_DEADLINE + 15))
                except OSError as error:
                    outcome["response"] = error
                finally:
                    outcome["elapsed"] = time.monotonic() - started
                    client.close()

            waiter = threading.Thread(target=stuck_registration)
            waiter.start()
            time.sleep(0.5)
            # the event loop must not wait for the database: memory-served routes answer
            for path in ("/v1/health", "/v1/skills?q=las", "/v1/kecamatan"):
                started = time.monotonic()
                response = self.request("GET", path, timeout=harness.scaled(3))
                self.assertIn(response.status, (200, 503), path)
                self.assertLess(time.monotonic() - started, harness.scaled(1), path)
            waiter.join(harness.scaled(DB_DEADLINE + 20))
            self.assertIsInstance(outcome.get("response"), harness.Response, outcome)
            self.assert_unavailable(outcome["response"])
            self.assertLess(outcome["elapsed"], harness.scaled(DB_DEADLINE + 3))
        finally:
            self.db_sigcont()
        self.kd.wait_health(200, timeout=harness.scaled(RECOVERY_LIMIT))
        harness.wait_until(lambda: self.register(self.person()).status == 201,
                           harness.scaled(RECOVERY_LIMIT), 0.2, "registrations to work again")
        self.assertEqual(self.request("GET", f"/v1/seekers/{seeker_id}",
                                      token=self.tokens["admin"]).status, 200)

    def test_registrations_through_a_restart_lose_no_acknowledged_row(self):
        kiosk = self.tokens["kiosk"]
        acknowledged, statuses, failures = [], [], []
        lock = threading.Lock()
        stop = threading.Event()

        def load():
            client = self.kd.client(timeout=harness.scaled(DB_DEADLINE + 10))
            try:
                while not stop.is_set():
                    try:
                        response = client.request("POST", "/v1/seekers", json_body=self.person(),
                                                  token=kiosk)
                    except OSError as error:
                        with lock:
                            failures.append(repr(error))
                        client.close()
                        continue
                    with lock:
                        statuses.append(response.status)
                        if response.status == 201:
                            acknowledged.append(response.json["id"])
                    if response.status == 503:
                        time.sleep(0.05)
            finally:
                client.close()

        threads = [threading.Thread(target=load) for _ in range(LOAD_THREADS)]
        for thread in threads:
            thread.start()
        try:
            harness.wait_until(lambda: len(acknowledged) >= 50, harness.scaled(20), 0.02,
                               "registrations before the restart")
            self.db_stop()
            time.sleep(1)
            self.db_start()
            self.kd.wait_health(200, timeout=harness.scaled(RECOVERY_LIMIT))
            before = len(acknowledged)
            harness.wait_until(lambda: len(acknowledged) >= before + 50, harness.scaled(20), 0.02,
                               "registrations after the restart")
        finally:
            stop.set()
            for thread in threads:
                thread.join(harness.scaled(30))
        self.assertEqual(failures, [], "the daemon must answer, not drop connections")
        self.assertTrue(set(statuses) <= {201, 503}, sorted(set(statuses)))
        self.assertIn(503, statuses)
        stored = self.sql("select count(*) from seekers where id = any($1::bigint[])",
                          "{" + ",".join(map(str, acknowledged)) + "}")
        self.assertEqual(stored, [(str(len(set(acknowledged))),)])
        self.assertIsNone(self.kd.process.poll())


if __name__ == "__main__":
    harness.main()
