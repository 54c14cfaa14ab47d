"""pg_terminate_backend of the daemon's connections every 2 s under a steady
stream of registrations: no acknowledged registration is lost or doubled,
what cannot be done is answered with timely 503s, and each time the daemon
reconnects by itself, even when a new connection is ended while it reads
the schema version.  Touches only this module's database: runs in
parallel with others."""

import time
from collections import Counter

import harness
from harness_cluster import HeldLock
from test_faults_support import (DB_DEADLINE, DEADLINE_SLACK, FaultTestCase,
                                 RegistrationStream, recovery_time, report,
                                 terminate_daemon_backends)

WARM_UP = 1.0
INTERVAL = 2.0
ROUNDS = 6
AFTER_LAST = 4.0


class TerminateTest(FaultTestCase):

    def test_registrations_survive_terminated_connections(self):
        self.assert_daemon_healthy()
        rounds = []
        with RegistrationStream(self.kd, self.tokens["kiosk"]) as stream:
            time.sleep(WARM_UP)
            for _ in range(ROUNDS):
                moment = time.monotonic()
                rounds.append((moment, terminate_daemon_backends(self.kd)))
                time.sleep(max(0.0, moment + INTERVAL - time.monotonic()))
            time.sleep(harness.scaled(AFTER_LAST))
        attempts = stream.attempts()
        origin = rounds[0][0]
        failed = [a for a in attempts if a.status != 201]
        report("terminate", requests=len(attempts), created=len(attempts) - len(failed),
               not_created=len(failed), statuses=dict(Counter(a.status for a in failed)),
               connections_ended=[ended for _, ended in rounds],
               slowest_first_201=max((recovery_time(attempts, moment) or float("inf")
                                      for moment, _ in rounds)),
               slowest_failure=max((a.latency for a in failed), default=0.0))

        self.assertTrue(any(a.status == 201 and a.answered < origin for a in attempts),
                        "no registration succeeded before the first termination")
        for number, (moment, ended) in enumerate(rounds, 1):
            self.assertGreater(ended, 0, f"round {number} found no daemon connection to end: "
                                         f"it had not reconnected within {INTERVAL:.0f} s")
        self.assert_created_or_unavailable(attempts, origin,
                                           harness.scaled(DB_DEADLINE + DEADLINE_SLACK))
        for number, (moment, _) in enumerate(rounds, 1):
            self.assert_recovered(attempts, moment, f"termination round {number}")
        self.assert_persisted_exactly_once(attempts)
        self.assert_daemon_healthy()


class TerminatedWhileCheckingTheSchemaTest(FaultTestCase):

    def waiting_probes(self):
        rows = self.kd.sql("select count(*) from pg_stat_activity "
                           "where datname = current_database() and wait_event_type = 'Lock' "
                           "and query like '%FROM schema_migrations'")
        return int(rows[0][0])

    def test_a_connection_ended_during_its_schema_check_is_made_again(self):
        """A new connection first reads schema_migrations; an administrator
        ending it there is a lost connection, not a verdict on the schema."""
        self.assert_daemon_healthy()
        lock = HeldLock(self.kd, "LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE")
        try:
            self.assertGreater(terminate_daemon_backends(self.kd), 0)
            harness.wait_until(lambda: self.waiting_probes() > 0, harness.scaled(10), 0.05,
                               "a new connection reading the schema version")
            self.assertGreater(terminate_daemon_backends(self.kd), 0)
            harness.wait_until(lambda: self.waiting_probes() > 0 or
                               self.kd.process.poll() is not None, harness.scaled(10), 0.05,
                               "the daemon connecting again")
            self.assertIsNone(self.kd.process.poll(),
                              f"the daemon exited: {self.daemon_messages()}")
        finally:
            lock.release()
        self.assert_daemon_healthy()


if __name__ == "__main__":
    harness.main()
