"""The daemon started while the database is down: it stays up, says it is
degraded, answers 503 with Retry-After to every request that needs the
database, and is ready within 5 s of the database accepting connections.
Stops the shared test cluster: runs alone."""

import time

import harness
from test_faults_support import (DB_DEADLINE, DEADLINE_SLACK, RECOVERY_LIMIT, Attempt,
                                 FaultTestCase, report)

DOWN_FOR = 3.0
PROBE_INTERVAL = 0.1
HEALTH_LIMIT = 0.2


class StartDownTest(FaultTestCase):

    def timed(self, method, path, token=None, json_body=None):
        """The request as an Attempt, for the shared checks."""
        attempt = Attempt(f"{method} {path}", "", time.monotonic(), 0.0)
        response = self.request(method, path, json_body=json_body,
                                token=self.tokens[token] if token else None,
                                timeout=harness.scaled(DB_DEADLINE + 10))
        attempt.answered = time.monotonic()
        attempt.status = response.status
        attempt.retry_after = response.headers.get("retry-after")
        attempt.json = response.json
        attempt.body = response.body
        return attempt

    def test_started_without_a_database_serves_503_then_becomes_ready(self):
        # The tokens are made while the database is up; the new daemon has
        # none of them cached, so even authentication needs the database.
        for name in ("kiosk", "admin"):
            self.assertTrue(self.tokens[name])
        self.assertEqual(self.daemon_stop(), 0)
        self.db_stop()
        self.kd.start_daemon(wait="up")
        started = time.monotonic()

        health = []
        while time.monotonic() < started + DOWN_FOR:
            health.append(self.timed("GET", "/v1/health"))
            time.sleep(PROBE_INTERVAL)
        refused = [self.timed("POST", "/v1/seekers", "kiosk", self.person()),
                   self.timed("GET", "/v1/vacancies", "kiosk"),
                   self.timed("POST", "/v1/employers", "admin",
                              {"name": "PT Peserta Uji", "desa_code": "64.02.06.1001"}),
                   self.timed("GET", "/v1/kecamatan")]
        self.assertIsNone(self.kd.process.poll(), "the daemon exited without a database")

        self.db_start()
        up = time.monotonic()
        ready = self.kd.wait_health(200, timeout=harness.scaled(RECOVERY_LIMIT + 5))
        health_ready = time.monotonic() - up
        created = None
        while time.monotonic() < up + harness.scaled(RECOVERY_LIMIT + 5):
            created = self.timed("POST", "/v1/seekers", "kiosk", self.person())
            if created.status == 201:
                break
            time.sleep(PROBE_INTERVAL)
        registered = created.answered - up
        report("startdown", health_probes=len(health),
               health_statuses=sorted({(a.status, str(a.json)) for a in health}),
               health_slowest=max(a.latency for a in health),
               refused={a.name: a.status for a in refused},
               slowest_refusal=max(a.latency for a in refused),
               health_200_after_db_up=health_ready, first_201_after_db_up=registered)

        wrong = [(a.status, a.json, a.retry_after, round(a.latency, 3)) for a in health
                 if a.status != 503 or a.json != {"status": "degraded", "database": "down"}
                 or not (a.retry_after or "").isdigit()
                 or a.latency > harness.scaled(HEALTH_LIMIT)]
        self.assertEqual(wrong, [], "GET /v1/health while the database was down")
        self.assert_created_or_unavailable(refused, started,
                                           harness.scaled(DB_DEADLINE + DEADLINE_SLACK))
        self.assertEqual([a.name for a in refused if a.status != 503], [],
                         "requests that need the database were not refused with 503")
        self.assertEqual(ready.json, {"status": "ok", "database": "up"})
        self.assertLessEqual(health_ready, harness.scaled(RECOVERY_LIMIT),
                             "GET /v1/health took too long to answer 200")
        self.assertEqual(created.status, 201, created.body)
        self.assertLessEqual(registered, harness.scaled(RECOVERY_LIMIT),
                             "the first registration took too long to succeed")
        self.assert_daemon_healthy()


if __name__ == "__main__":
    harness.main()
