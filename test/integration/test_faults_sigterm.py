"""SIGTERM under load, while the registrations in flight are held up by a
lock on seekers: the daemon finishes them (201, as the database is fine),
exits 0 within 10 s, and every 201 it sent is stored.  Touches only this
module's database: runs in parallel with others."""

import threading
import time
from collections import Counter

import harness
from test_faults_support import FaultTestCase, RegistrationStream, report

THREADS = 16
WARM_UP = 1.0
LOCK_FOR = 2.0
# How long the registrations pile up behind the lock before SIGTERM.
HELD_BEFORE_SIGTERM = 0.5
# A request sent this shortly before SIGTERM may still have been unread in
# its socket when the daemon stopped reading: the client has to retry it.
RACE = 0.1
DRAIN_LIMIT = 10.0


class SigtermTest(FaultTestCase):

    def hold_seekers(self):
        """Locks seekers against writes for LOCK_FOR seconds from another
        session; returns that session's thread once the lock is held."""
        def hold():
            self.sql(f"begin; lock table seekers in exclusive mode; "
                     f"select pg_sleep({LOCK_FOR}); commit")

        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        harness.wait_until(lambda: self.sql(
            "select count(*) from pg_locks where relation = 'seekers'::regclass "
            "and mode = 'ExclusiveLock' and granted") == [("1",)], harness.scaled(5), 0.02,
            "the lock on seekers")
        return holder

    def test_sigterm_drains_in_flight_registrations(self):
        self.assert_daemon_healthy()
        with RegistrationStream(self.kd, self.tokens["kiosk"], threads=THREADS, pause=0.0,
                                request_timeout=DRAIN_LIMIT + 10) as stream:
            time.sleep(WARM_UP)
            holder = self.hold_seekers()
            time.sleep(HELD_BEFORE_SIGTERM)
            signalled = time.monotonic()
            code = self.daemon_stop(timeout=harness.scaled(DRAIN_LIMIT))
            drained = time.monotonic() - signalled
        holder.join(harness.scaled(LOCK_FOR + 10))
        attempts = stream.attempts()

        before = [a for a in attempts if a.sent < signalled - RACE]
        racing = [a for a in attempts if signalled - RACE <= a.sent < signalled]
        held = [a for a in before if a.answered > signalled]
        report("sigterm", requests=len(attempts), in_flight_at_sigterm=len(held),
               in_flight_statuses=dict(Counter(a.status for a in held)),
               racing=dict(Counter(a.status for a in racing)),
               after=dict(Counter(a.status if a.status else "no answer"
                                  for a in attempts if a.sent >= signalled)),
               drained_in=drained, exit_code=code)

        self.assertEqual(code, 0, "the daemon did not exit 0 on SIGTERM")
        self.assertLessEqual(drained, harness.scaled(DRAIN_LIMIT))
        self.assertGreaterEqual(len(held), THREADS // 2,
                                "too few registrations were in flight at SIGTERM for this "
                                "test to mean anything")
        self.fail_with([("not 201", a) for a in before if a.status != 201], signalled,
                       "registrations in flight at SIGTERM were not finished")
        self.fail_with([(f"answered {a.status}", a) for a in attempts
                        if a.status not in (None, 201, 503)], signalled,
                       "unexpected answers around SIGTERM")
        self.assert_persisted_exactly_once(attempts)


if __name__ == "__main__":
    harness.main()
