"""A match run's offers with their keys checked once per run
(schema/migrations/0021_offers_stored_by_set.sql): the same data gives the
same offers and the same messages (queued by the SMS rounds, 0022) whether
the schema's owner may set session_replication_role, and the keys are
checked a run at a time, or may not, and PostgreSQL checks them row by row; a key that is gone fails the
store either way and leaves nothing behind; the per-row triggers are back
on for whatever the transaction does next.  Deleting a key and storing a
run's offers wait for each other, the second failing on what the first
committed (0023)."""

import json
import subprocess

import harness
from harness_cluster import PSQL, HeldLock

DEMO = ("--seekers", "400", "--employers", "30", "--vacancies", "100")
UNPRIVILEGED = "kd_offers_owner_without_grant"
STORE = "match_offers_store(bigint, integer)"


class OffersStoreTest(harness.KerjadekatTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kd.run("demo", "--db", cls.kd.conninfo, "--secret-file", cls.kd.secret_file, *DEMO)
        # roles are cluster-wide and test modules run side by side
        cls.kd.sql(f"""DO $$ BEGIN CREATE ROLE {UNPRIVILEGED} NOLOGIN IN ROLE kerjadekat_daemon;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$""")
        [(cls.owner,)] = cls.kd.sql("SELECT proowner::regrole::text FROM pg_proc"
                                    " WHERE oid = $1::regprocedure", STORE)

    def tearDown(self):
        self.sql(f'ALTER FUNCTION {STORE} OWNER TO "{self.owner}"')
        self.end_open_runs()
        super().tearDown()

    def end_open_runs(self):
        self.sql("UPDATE match_runs SET state = 'failed', finished_at = now()"
                 " WHERE state = 'running'")

    def store_as(self, role):
        self.sql(f'ALTER FUNCTION {STORE} OWNER TO "{role}"')

    def forget_offers(self):
        self.sql("DELETE FROM sms_outbox WHERE kind = 'offer'; DELETE FROM sms_offers_due;"
                 " DELETE FROM placements")

    def match(self):
        """One run from no offer at all, with its messages queued as the SMS
        rounds queue them; its id."""
        self.forget_offers()
        proc = self.kd.run("match", "--db", self.kd.conninfo, "--mode", "stable")
        run = json.loads(proc.stdout)["run_id"]
        [(offers,)] = self.sql("SELECT count(*) FROM placements WHERE run_id = $1", run)
        self.assertEqual(self.sql("SELECT first_id, last_id - first_id + 1 FROM sms_offers_due"),
                         [(self.sql("SELECT min(id) FROM placements")[0][0], offers)])
        self.sql("SELECT sms_queue_offers(100000)")
        return run

    def offers(self, run):
        """Every offer of the run with its message, in seeker order; the
        deadline in the text is the run's own, so it stands as {batas}."""
        return self.sql(
            "SELECT p.seeker_id, p.vacancy_id, p.employer_id = v.employer_id, p.state,"
            " p.score, p.distance_km, p.same_kecamatan, p.matched_skills,"
            " p.decide_by - p.offered_at,"
            " replace(o.body, to_char(p.decide_by, 'DD-MM HH24:MI'), '{batas}'), o.coding,"
            " o.phone, o.kecamatan_code, o.state"
            " FROM placements p JOIN vacancies v ON v.id = p.vacancy_id"
            " LEFT JOIN sms_outbox o ON o.placement_id = p.id AND o.kind = 'offer'"
            " WHERE p.run_id = $1 ORDER BY p.seeker_id", run)

    def test_the_owner_decides_the_way_and_both_store_the_same(self):
        by_set = self.sql("SELECT has_parameter_privilege($1, 'session_replication_role', 'SET'),"
                          " has_parameter_privilege($2, 'session_replication_role', 'SET')",
                          self.owner, UNPRIVILEGED)
        self.assertEqual(by_set, [("t", "f")])

        once = self.offers(self.match())
        self.store_as(UNPRIVILEGED)
        by_row = self.offers(self.match())

        self.assertGreater(len(once), 50)
        self.assertEqual(once, by_row)
        self.assertTrue(all(row[2] == "t" and row[3] == "pending" for row in once))
        messages = [row for row in once if row[9] is not None]
        self.assertGreater(len(messages), len(once) // 2)
        self.assertTrue(all(row[13] == "queued" for row in messages))

    def open_run(self, seeker, vacancy):
        """A running run whose one match names seeker and vacancy, as
        kerjadekat match --db leaves it just before storing the offers."""
        self.end_open_runs()
        [(run,)] = self.sql("INSERT INTO match_runs (mode, policy) VALUES ('stable', '{}')"
                            " RETURNING id")
        return run, (f"SELECT match_results_open({run});"
                     f" INSERT INTO matches_run_{run} (run_id, seeker_id, vacancy_id, score,"
                     "  distance_km, same_kecamatan, matched_skills, missing_optional_skills,"
                     "  seeker_kecamatan)"
                     f" VALUES ({run}, {seeker}, {vacancy}, 1, 0, true, '{{}}', '{{}}', '6402010');"
                     f" SELECT match_results_attach({run});")

    def real_pair(self):
        [(seeker, vacancy)] = self.sql(
            "SELECT (SELECT min(id) FROM seekers WHERE status = 'active'),"
            " (SELECT min(id) FROM vacancies)")
        return seeker, vacancy

    def failed_store(self, seeker, vacancy):
        """The error of storing a run that matched seeker to vacancy, and
        whether anything of it was left."""
        self.forget_offers()
        run, opened = self.open_run(seeker, vacancy)
        with self.assertRaises(harness.SqlError) as failure:
            self.sql(f"BEGIN; {opened} SELECT match_offers_store({run}, 7); COMMIT")
        left = self.sql("SELECT (SELECT count(*) FROM placements),"
                        " (SELECT count(*) FROM sms_offers_due),"
                        " (SELECT count(*) FROM pg_class WHERE relname = $1)",
                        f"matches_run_{run}")
        return str(failure.exception), left

    def test_a_missing_seeker_fails_the_store_either_way(self):
        _, vacancy = self.real_pair()
        message, left = self.failed_store(987654321987, vacancy)
        self.assertIn("1 of the run's seekers no longer exist", message)
        self.assertEqual(left, [("0", "0", "0")])
        self.store_as(UNPRIVILEGED)
        message, left = self.failed_store(987654321987, vacancy)
        self.assertIn('violates foreign key constraint "placements_seeker_id_fkey"', message)
        self.assertEqual(left, [("0", "0", "0")])

    def test_a_missing_vacancy_fails_the_store(self):
        seeker, _ = self.real_pair()
        message, left = self.failed_store(seeker, 987654321987)
        self.assertIn("1 of the run's vacancies no longer exist", message)
        self.assertEqual(left, [("0", "0", "0")])

    def test_per_row_triggers_are_back_after_the_store(self):
        self.forget_offers()
        seeker, vacancy = self.real_pair()
        run, opened = self.open_run(seeker, vacancy)
        rows = self.sql(f"BEGIN; {opened} SELECT match_offers_store({run}, 7);"
                        " SHOW session_replication_role; ROLLBACK")
        self.assertEqual(rows[-2:], [("1",), ("origin",)])
        # and a row the per-row check refuses is refused in that transaction
        with self.assertRaises(harness.SqlError) as failure:
            self.sql(f"BEGIN; {opened} SELECT match_offers_store({run}, 7);"
                     " INSERT INTO placements (run_id, seeker_id, vacancy_id, decide_by, score,"
                     f"  distance_km, same_kecamatan, matched_skills) VALUES ({run},"
                     f"  987654321987, {vacancy}, now() + interval '1 day', 1, 0, true, '{{}}');"
                     " COMMIT")
        self.assertIn("placements_seeker_id_fkey", str(failure.exception))

    def started(self, script):
        """script in a psql session of its own, started and not waited for."""
        proc = subprocess.Popen([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null",
                                 "-d", self.kd.conninfo], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        proc.stdin.write(script)
        proc.stdin.close()
        return proc

    def wait_for_guard(self, proc):
        """Waits until a session waits for the offers' keys lock, while proc
        still runs: the advisory lock is what holds it up."""
        harness.wait_until(lambda: proc.poll() is not None or self.sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND objid = hashtext('kerjadekat offers keys')::oid") == [("1",)],
            harness.scaled(30), what="a session waiting for the offers' keys")
        self.assertIsNone(proc.poll(), "it did not wait")

    def finished(self, proc):
        code = proc.wait(timeout=harness.scaled(60))
        with proc.stderr:
            return code, proc.stderr.read()

    def deletable_pair(self):
        """A seeker no offer names and a vacancy: the seeker can be deleted."""
        self.forget_offers()
        return self.real_pair()

    def second_waits(self, first, second):
        """Runs first in a transaction held open, then second in a session
        of its own, which must wait for the offers' keys until first
        commits; second's exit status and errors."""
        held = HeldLock(self.kd, first)
        try:
            proc = self.started(second)
            self.wait_for_guard(proc)
        finally:
            held.release()
        return self.finished(proc)

    def test_deleting_a_matched_seeker_waits_for_the_store_then_fails(self):
        seeker, vacancy = self.deletable_pair()
        run, opened = self.open_run(seeker, vacancy)
        code, err = self.second_waits(f"{opened} SELECT match_offers_store({run}, 7)",
                                      f"DELETE FROM seekers WHERE id = {seeker};")
        self.assertNotEqual(code, 0)
        self.assertIn('violates foreign key constraint "placements_seeker_id_fkey"', err)
        self.assertEqual(self.sql("SELECT count(*) FROM placements WHERE run_id = $1"
                                  " AND seeker_id = $2", run, seeker), [("1",)])

    def test_a_store_waits_for_a_seekers_deletion_then_fails(self):
        seeker, vacancy = self.deletable_pair()
        run, opened = self.open_run(seeker, vacancy)
        code, err = self.second_waits(
            f"DELETE FROM seekers WHERE id = {seeker}",
            f"BEGIN; {opened} SELECT match_offers_store({run}, 7); COMMIT;")
        self.assertNotEqual(code, 0)
        self.assertIn("1 of the run's seekers no longer exist", err)
        self.assertEqual(self.sql("SELECT count(*) FROM placements"), [("0",)])
        self.assertEqual(self.sql("SELECT count(*) FROM seekers WHERE id = $1", seeker), [("0",)])

    def test_every_way_to_remove_a_key_takes_the_guard(self):
        triggers = self.sql(
            "SELECT c.relname, t.tgtype & 60, t.tgattr::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'offers_keys_guard'"
            " AND t.tgtype & 3 = 2 ORDER BY 1, 2")
        # BEFORE, FOR EACH STATEMENT: DELETE + UPDATE of id (8 + 16), TRUNCATE (32)
        self.assertEqual(triggers, [(table, bits, columns)
                                    for table in ("employers", "seekers", "vacancies")
                                    for bits, columns in (("24", "1"), ("32", ""))])


if __name__ == "__main__":
    harness.main()
