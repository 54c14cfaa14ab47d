"""A database that turns read-only (default_transaction_read_only, as an
operator may set it for maintenance): registrations are answered 503 with
Retry-After, never a 500, and nothing is written; once it is writable again
they succeed.  Touches only this module's database: runs in
parallel with others."""

import time
from collections import Counter

import harness
from test_faults_support import (DB_DEADLINE, DEADLINE_SLACK, FaultTestCase,
                                 RegistrationStream, recovery_time, report,
                                 terminate_daemon_backends)

SETTLE = 0.5
READ_ONLY_FOR = 3.0
AFTER = 3.0


class ReadOnlyTest(FaultTestCase):

    def set_read_only(self, on):
        """Changes the setting for new sessions of this module's database
        (from another database: a read-only session may not change it) and
        ends the daemon's sessions so that it reconnects under it."""
        value = "set default_transaction_read_only = on" if on else \
            "reset default_transaction_read_only"
        self.kd.cluster.psql("postgres", f'alter database "{self.kd.dbname}" {value}')
        self.assertGreater(terminate_daemon_backends(self.kd), 0,
                           "the daemon had no connection to end")
        self.assertEqual(self.sql("show default_transaction_read_only"),
                         [("on" if on else "off",)])
        return time.monotonic()

    def table_counts(self):
        """Rows in every table of the schema, by table name."""
        return dict(self.sql(
            "select table_name, (xpath('/row/n/text()', query_to_xml(format("
            "'select count(*) as n from %I.%I', table_schema, table_name), false, true, '')"
            "))[1]::text from information_schema.tables "
            "where table_schema = 'public' and table_type = 'BASE TABLE'"))

    def test_read_only_database_gets_503_and_nothing_written(self):
        self.assert_daemon_healthy()
        self.addCleanup(self.kd.cluster.psql, "postgres",
                        f'alter database "{self.kd.dbname}" reset default_transaction_read_only')
        with RegistrationStream(self.kd, self.tokens["kiosk"]) as stream:
            read_only = self.set_read_only(True)
            # Sessions that were ended may still have been committing.
            time.sleep(SETTLE)
            first = self.table_counts()
            counted = time.monotonic()
            time.sleep(READ_ONLY_FOR)
            last_count = time.monotonic()
            last = self.table_counts()
            writable = self.set_read_only(False)
            time.sleep(harness.scaled(AFTER))
        attempts = stream.attempts()
        refused = [a for a in attempts if counted <= a.sent and a.answered < last_count]
        report("readonly", requests=len(attempts), while_read_only=len(refused),
               statuses=dict(Counter(a.status for a in refused)),
               first_201_after_writable=recovery_time(attempts, writable),
               slowest_refusal=max((a.latency for a in refused), default=0.0))

        self.assertTrue(refused, "no registration was made while the database was read-only")
        self.assertEqual(first, last, "tables changed while the database was read-only")
        stored = {row[0] for row in self.sql("select full_name from seekers")}
        self.assertEqual([a.name for a in refused if a.name in stored], [],
                         "registrations made while the database was read-only are stored")
        self.assert_created_or_unavailable(attempts, read_only,
                                           harness.scaled(DB_DEADLINE + DEADLINE_SLACK))
        self.assert_recovered(attempts, writable, "the database became writable")
        self.assert_persisted_exactly_once(attempts)
        self.assert_daemon_healthy()


if __name__ == "__main__":
    harness.main()
