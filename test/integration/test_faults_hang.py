"""A hung database: the postmaster and every backend stopped with SIGSTOP for
15 s under a steady stream of registrations and a burst of a thousand more.
The event loop must not block (GET /v1/health keeps answering), every request
waiting for the database is answered 503 at its deadline rather than when the
database wakes up, and a 201 comes soon after SIGCONT.  Freezes the shared
test cluster: runs alone."""

import threading
import time
from collections import Counter

import harness
from test_faults_support import (DB_DEADLINE, DEADLINE_SLACK, FaultTestCase,
                                 RegistrationStream, burst, daemon_rss_kib, recovery_time,
                                 report)

WARM_UP = 2.0
HANG = 15.0
BURST_AFTER = 2.0
# Well below the daemon's cap of 1024 connections, with the stream's and the
# health probe's, so that every one of them is let in and has to queue.
BURST_SIZE = 1000
AFTER_HANG = 6.0
HEALTH_INTERVAL = 0.05
# An event loop that waited for the database would hold a probe until SIGCONT,
# up to HANG seconds; one that does not answers at once.  The bound sits
# between the two, far from both, so that a loaded machine cannot fail it.
HEALTH_LIMIT = 2.0


class HealthProbe:
    """GET /v1/health every HEALTH_INTERVAL on one keep-alive connection,
    recording (sent, latency, status, json or error) until stopped."""

    def __init__(self, kd):
        self.kd = kd
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(harness.scaled(30))

    def _run(self):
        client = harness.Client(self.kd.port, timeout=harness.scaled(10))
        try:
            while not self._stop.is_set():
                sent = time.monotonic()
                try:
                    response = client.request("GET", "/v1/health")
                    outcome = (response.status, response.json)
                except OSError as error:
                    client.close()
                    outcome = (None, f"{type(error).__name__}: {error}")
                self.samples.append((sent, time.monotonic() - sent) + outcome)
                self._stop.wait(HEALTH_INTERVAL)
        finally:
            client.close()


class HangTest(FaultTestCase):

    def test_a_hung_database_neither_blocks_nor_holds_requests(self):
        self.assert_daemon_healthy()
        self.addCleanup(self.db_sigcont)
        deadline = harness.scaled(DB_DEADLINE + DEADLINE_SLACK)
        with HealthProbe(self.kd) as probe, \
                RegistrationStream(self.kd, self.tokens["kiosk"]) as stream:
            time.sleep(WARM_UP)
            rss_before = daemon_rss_kib(self.kd)
            self.db_sigstop(backends=True)
            stopped = time.monotonic()
            time.sleep(BURST_AFTER)
            burst_attempts = burst(self.kd, self.tokens["kiosk"], BURST_SIZE,
                                   timeout=HANG - BURST_AFTER - 0.5)
            rss_burst = daemon_rss_kib(self.kd)
            time.sleep(max(0.0, stopped + HANG - time.monotonic()))
            self.db_sigcont()
            woken = time.monotonic()
            time.sleep(harness.scaled(AFTER_HANG))
        attempts = stream.attempts()
        hung = [a for a in attempts if stopped <= a.sent < woken]
        during = [sample for sample in probe.samples if stopped <= sample[0] < woken]
        report("hang", requests=len(attempts), during_hang=len(hung),
               statuses=dict(Counter(a.status for a in hung)),
               slowest_during_hang=max((a.latency for a in hung), default=0.0),
               burst=len(burst_attempts),
               burst_statuses=dict(Counter(a.status for a in burst_attempts)),
               burst_fastest=min(a.latency for a in burst_attempts),
               burst_slowest=max(a.latency for a in burst_attempts),
               health_probes=len(during),
               health_answers=dict(Counter((s[2], isinstance(s[3], dict) and s[3].get("database"))
                                           for s in during)),
               health_slowest=max((sample[1] for sample in during), default=0.0),
               first_201_after_sigcont=recovery_time(attempts, woken),
               rss_kib_before=rss_before, rss_kib_at_burst=rss_burst,
               rss_kib_after=daemon_rss_kib(self.kd))

        self.assertGreater(len(during), HANG / HEALTH_INTERVAL / 2,
                           "the health probe hardly ran during the hang")
        wrong = [(sent - stopped, latency, status, detail)
                 for sent, latency, status, detail in probe.samples
                 if latency > harness.scaled(HEALTH_LIMIT) or status not in (200, 503)
                 or not isinstance(detail, dict) or detail.get("database") not in ("up", "down")]
        self.assertEqual(wrong, [], f"GET /v1/health was slow or wrong {len(wrong)} times "
                                    "(seconds from SIGSTOP, latency, status, body)")
        self.assert_created_or_unavailable(attempts, stopped, deadline)
        self.assert_created_or_unavailable(burst_attempts, stopped, deadline)
        held = [a for a in attempts + burst_attempts
                if stopped <= a.sent and a.sent + deadline < woken and
                (a.status != 503 or a.answered >= woken)]
        self.fail_with([("not answered 503 before SIGCONT", a) for a in held], stopped,
                       "requests made during the hang were not failed at their deadline")
        self.assert_recovered(attempts, woken, "SIGCONT")
        self.assert_persisted_exactly_once(attempts + burst_attempts)
        self.assert_daemon_healthy()


if __name__ == "__main__":
    harness.main()
