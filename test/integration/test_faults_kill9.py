"""kill -9 of the postmaster during a steady stream of registrations, and a
restart a few seconds later: no acknowledged registration is lost or doubled,
the outage is answered with timely 503s, and the daemon recovers by itself.
Kills the shared test cluster: runs alone."""

import time
from collections import Counter

import harness
from test_faults_support import (DB_DEADLINE, DEADLINE_SLACK, FaultTestCase,
                                 RegistrationStream, recovery_time, report)

WARM_UP = 2.0
OUTAGE = 3.0
AFTER_RECOVERY = 6.0


class Kill9Test(FaultTestCase):

    def test_registrations_survive_a_killed_postmaster(self):
        self.make_commits_survive_a_server_crash()
        self.assert_daemon_healthy()
        with RegistrationStream(self.kd, self.tokens["kiosk"]) as stream:
            time.sleep(WARM_UP)
            killed = time.monotonic()
            self.db_kill9()
            time.sleep(OUTAGE)
            self.db_start()
            ready = time.monotonic()
            time.sleep(harness.scaled(AFTER_RECOVERY))
        attempts = stream.attempts()
        failed = [a for a in attempts if a.status != 201]
        report("kill9", requests=len(attempts), created=len(attempts) - len(failed),
               not_created=len(failed), statuses=dict(Counter(a.status for a in failed)),
               restart_took=ready - killed,
               first_201_after_ready=recovery_time(attempts, ready),
               slowest_failure=max((a.latency for a in failed), default=0.0))

        self.assertTrue(any(a.status == 201 and a.answered < killed for a in attempts),
                        "no registration succeeded before the kill")
        self.assert_created_or_unavailable(attempts, killed,
                                           harness.scaled(DB_DEADLINE + DEADLINE_SLACK))
        self.assert_recovered(attempts, ready, "the database accepted connections again")
        self.assert_persisted_exactly_once(attempts)
        self.assert_daemon_healthy()


if __name__ == "__main__":
    harness.main()
