"""What a match run keeps (schema/migrations/0016_run_results.sql): the
counts by kecamatan and reason equal a direct count of the seekers the
views name; only the rarer reasons are listed, and the view still tells
every unplaced seeker of the latest run their reason, whichever reason is
the unlisted one, leaving out whoever the run did not read (an offer
pending then, a registration after it); and the retention drops old runs'
partitions while keeping the latest done run and any run with an offer
still pending, from psql and from the daemon's hourly round.  A database
holding runs in the layout before 0016 answers the same after migrating."""

import glob
import json
import os

import harness

DEMO = ("--seekers", "500", "--employers", "40", "--vacancies", "120")
REASONS = ("incomplete_profile", "no_feasible_vacancy", "outcompeted")
LATEST_DONE = "(SELECT max(id) FROM match_runs WHERE state = 'done')"
FIRST_RETENTION = 60.0

_demo_loaded = []


class RunResultsTestCase(harness.KerjadekatTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not _demo_loaded:
            cls.kd.run("demo", "--db", cls.kd.conninfo, "--secret-file", cls.kd.secret_file,
                       *DEMO)
            _demo_loaded.append(True)

    def match(self, *extra, forget_offers=True):
        """One run from the command line; with forget_offers, from no offer at all."""
        if forget_offers:
            self.sql("DELETE FROM placements")
        proc = self.kd.run("match", "--db", self.kd.conninfo, "--mode", "stable", *extra)
        return json.loads(proc.stdout)

    def scalar(self, query, *params):
        rows = self.sql(query, *params)
        self.assertEqual(len(rows), 1, query)
        return rows[0][0]

    def count(self, query, *params):
        return int(self.scalar(f"SELECT count(*) FROM ({query}) AS q", *params))

    def partitions(self, run):
        return self.count("SELECT 1 FROM pg_class WHERE relname IN ($1, $2)",
                          f"matches_run_{run}", f"unplaced_listed_run_{run}")


class SeekerOutcomeTest(RunResultsTestCase):

    def check_latest_run(self, summary, unlisted):
        run = summary["run_id"]
        self.assertEqual(int(self.scalar(LATEST_DONE)), run)
        self.assertEqual(self.scalar("SELECT unlisted_reason FROM match_runs WHERE id = $1", run),
                         unlisted)
        stats = json.loads(self.scalar("SELECT stats::text FROM match_runs WHERE id = $1",
                                       run))["unassigned"]
        # The unlisted reason is the commoner one, and none of its seekers has a row.
        others = [r for r in ("no_feasible_vacancy", "outcompeted") if r != unlisted]
        self.assertGreater(stats[unlisted], stats[others[0]])
        self.assertEqual(self.count("SELECT 1 FROM unplaced_listed WHERE run_id = $1"
                                    " AND reason = $2", run, unlisted), 0)
        self.assertEqual(self.count("SELECT 1 FROM unplaced_listed WHERE run_id = $1", run),
                         stats["incomplete_profile"] + stats[others[0]])
        # The view's seekers, counted directly, are the stored counts and the matcher's.
        direct = {(k, r): int(n) for k, r, n in self.sql(
            "SELECT kecamatan_code, reason, count(*) FROM unmatched_seekers GROUP BY 1, 2")}
        stored = {(k, r): int(n) for k, r, n in self.sql(
            "SELECT kecamatan_code, reason, seekers FROM unmatched_counts")}
        self.assertEqual(direct, stored)
        self.assertEqual(self.count("SELECT 1 FROM unplaced_counts WHERE run_id = $1", run),
                         len(stored))
        for reason in REASONS:
            self.assertEqual(sum(n for (_, r), n in direct.items() if r == reason),
                             stats[reason], reason)
        # Every active seeker is placed or told a reason, once.
        self.assertEqual(self.count(
            "SELECT s.id FROM seekers s WHERE s.status = 'active' AND"
            " (SELECT count(*) FROM matches m WHERE m.run_id = $1 AND m.seeker_id = s.id) +"
            " (SELECT count(*) FROM unmatched_seekers u WHERE u.seeker_id = s.id) <> 1", run), 0)

    def test_no_feasible_vacancy_unlisted_when_commoner(self):
        self.check_latest_run(self.match(), "no_feasible_vacancy")

    def test_outcompeted_unlisted_when_commoner(self):
        path = self.kd.tmpdir + "/far.json"
        with open(path, "w") as policy:
            json.dump({"max_distance_km": 500}, policy)
        # Every seeker with a skill has every skill asked for, at the highest
        # education: all but the incomplete then have candidates, and the
        # openings are fewer than they are.
        self.sql("CREATE TABLE seekers_as_demo AS SELECT id, education, skill_ids FROM seekers")
        try:
            self.sql("UPDATE seekers SET education = 'S3', skill_ids = (SELECT array_agg(DISTINCT"
                     " x) FROM vacancies, unnest(required_skill_ids) x)"
                     " WHERE cardinality(skill_ids) > 0")
            self.check_latest_run(self.match("--policy", path), "outcompeted")
        finally:
            self.sql("UPDATE seekers s SET education = d.education, skill_ids = d.skill_ids"
                     " FROM seekers_as_demo d WHERE d.id = s.id")
            self.sql("DROP TABLE seekers_as_demo")

    def test_one_seeker_reads_the_same_reason_as_the_counts(self):
        summary = self.match()
        # Looked up one at a time, as an officer answers a seeker.
        ids = [row[0] for row in self.sql("SELECT id FROM seekers WHERE status = 'active'"
                                          " ORDER BY id LIMIT 60")]
        told = {}
        for seeker in ids:
            rows = self.sql("SELECT reason FROM unmatched_seekers WHERE seeker_id = $1", seeker)
            placed = self.count("SELECT 1 FROM matches WHERE run_id = $1 AND seeker_id = $2",
                                summary["run_id"], seeker)
            self.assertEqual(len(rows) + placed, 1, seeker)
            if rows:
                told[rows[0][0]] = told.get(rows[0][0], 0) + 1
        self.assertLessEqual(set(told), set(REASONS))
        self.assertGreater(sum(told.values()), 0)

    def test_who_the_run_did_not_read_is_told_nothing(self):
        first = self.match()
        offered = {row[0] for row in self.sql("SELECT seeker_id FROM placements"
                                              " WHERE run_id = $1", first["run_id"])}
        self.assertGreater(len(offered), 0)
        # The next run skips whoever holds an offer.
        second = self.match(forget_offers=False)
        response = self.request("POST", "/v1/seekers", json_body=self.person(),
                                token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        late = response.json["id"]

        def told():
            return {row[0] for row in self.sql("SELECT seeker_id FROM unmatched_seekers")}
        self.assertEqual(told() & offered, set())
        self.assertNotIn(late, told())
        total = int(self.scalar("SELECT sum(seekers) FROM unplaced_counts WHERE run_id = $1",
                                second["run_id"]))
        self.assertEqual(len(told()), total)
        # Declining after the run does not put anyone back into it.
        self.sql("UPDATE placements SET state = 'declined', decided_at = now()"
                 " WHERE run_id = $1", first["run_id"])
        self.assertEqual(told() & offered, set())
        self.assertEqual(len(told()), total)


class RetentionTest(RunResultsTestCase):

    def setUp(self):
        super().setUp()
        self.sql("UPDATE result_retention SET keep_runs = 10, keep_days = 30")

    def runs_with_one_offer_pending(self):
        """Three runs: the middle one's offers stay pending."""
        old = self.match()["run_id"]
        pending = self.match()["run_id"]
        latest = self.match(forget_offers=False)["run_id"]
        self.sql("UPDATE placements SET state = 'expired', decided_at = now()"
                 " WHERE run_id = $1", latest)
        self.assertGreater(self.count("SELECT 1 FROM placements WHERE run_id = $1"
                                      " AND state = 'pending'", pending), 0)
        return old, pending, latest

    def assert_kept(self, run):
        self.assertEqual(self.partitions(run), 2, run)
        self.assertGreater(self.count("SELECT 1 FROM unplaced_counts WHERE run_id = $1", run), 0)
        self.assertIsNone(self.scalar("SELECT results_dropped_at FROM match_runs WHERE id = $1",
                                      run))

    def assert_dropped(self, run):
        self.assertEqual(self.partitions(run), 0, run)
        self.assertEqual(self.count("SELECT 1 FROM matches WHERE run_id = $1 UNION ALL"
                                    " SELECT 1 FROM unplaced_listed WHERE run_id = $1 UNION ALL"
                                    " SELECT 1 FROM unplaced_counts WHERE run_id = $1", run), 0)
        # The run's own row, with its figures, stays.
        self.assertEqual(self.scalar("SELECT state FROM match_runs WHERE id = $1"
                                     " AND results_dropped_at IS NOT NULL", run), "done")

    def test_old_runs_dropped_latest_and_pending_kept(self):
        old, pending, latest = self.runs_with_one_offer_pending()
        # Within keep_days, or among keep_runs, nothing goes.
        self.sql("UPDATE result_retention SET keep_runs = 1, keep_days = 1")
        self.assertEqual(int(self.scalar("SELECT match_results_drop_expired(100)")), 0)
        earlier = self.count("SELECT 1 FROM match_runs WHERE id < $1"
                             " AND results_dropped_at IS NULL", old)
        self.sql("UPDATE result_retention SET keep_runs = 3, keep_days = 0")
        self.assertEqual(int(self.scalar("SELECT match_results_drop_expired(100)")), earlier)
        self.assert_kept(old)
        self.sql("UPDATE result_retention SET keep_runs = 1, keep_days = 0")
        self.assertEqual(int(self.scalar("SELECT match_results_drop_expired(100)")), 1)
        self.assert_dropped(old)
        self.assert_kept(pending)
        self.assert_kept(latest)
        # The views read the latest run as before.
        self.assertEqual(self.count("SELECT 1 FROM match_latest"),
                         self.count("SELECT 1 FROM matches WHERE run_id = $1", latest))
        # Once its offers are decided, the middle run goes too.
        self.sql("UPDATE placements SET state = 'expired', decided_at = now()"
                 " WHERE run_id = $1", pending)
        self.assertEqual(int(self.scalar("SELECT match_results_drop_expired(100)")), 1)
        self.assert_dropped(pending)
        self.assert_kept(latest)
        self.assertEqual(int(self.scalar("SELECT match_results_drop_expired(100)")), 0)

    def test_the_daemon_drops_expired_runs(self):
        self.daemon_restart()
        old, pending, latest = self.runs_with_one_offer_pending()
        self.sql("UPDATE result_retention SET keep_runs = 1, keep_days = 0")
        self.sql("UPDATE housekeeping SET due_at = now() WHERE task = 'result_retention'")
        harness.wait_until(lambda: self.partitions(old) == 0,
                           harness.scaled(FIRST_RETENTION + 30), 1.0, "the first retention round")
        self.assert_dropped(old)
        self.assert_kept(pending)
        self.assert_kept(latest)
        self.assertIn('msg="dropped match run results"', self.kd.log_text())


class MigrationTest(RunResultsTestCase):
    """A database at migration 0013, with a run written a row per unplaced
    seeker, migrated by `kerjadekat migrate`."""

    OLD_RUN = """
        INSERT INTO seekers (id, registration_code, nik_hash, nik_masked, full_name, birth_date,
            gender, phone, desa_code, kecamatan_code, lat, lon, location_given, education,
            skill_ids, experience_years, disability, guardian_consent, consent_version, consent_at)
        SELECT 5000 + i, 'MIGR-' || lpad(i::text, 4, '0'), sha256(('migration ' || i)::bytea),
            '6402**********' || lpad(i::text, 2, '0'), 'Peserta Uji ' || i, date '1990-01-01',
            'F', '0800000000', d.code, d.kecamatan_code, d.lat, d.lon, true, 'SMA',
            ARRAY[(SELECT min(id) FROM skills)], 1, false, true, 'test', now()
        FROM generate_series(1, 12) AS i,
            LATERAL (SELECT * FROM desa ORDER BY code OFFSET i % 5 LIMIT 1) d;
        INSERT INTO employers (name, desa_code, kecamatan_code)
            SELECT 'Perusahaan Uji', code, kecamatan_code FROM desa ORDER BY code LIMIT 1;
        INSERT INTO vacancies (employer_id, title, desa_code, kecamatan_code, lat, lon,
            required_skill_ids, min_education, openings)
            SELECT e.id, 'Lowongan Uji', e.desa_code, e.kecamatan_code, 0, 117,
                ARRAY[(SELECT min(id) FROM skills)], 'SD', 2 FROM employers e;
        INSERT INTO match_runs (mode, policy, state, finished_at)
            VALUES ('stable', '{}', 'done', now());
        INSERT INTO matches SELECT r.id, s.id, v.id, 1.5, 2.5, false, '{x}', '{}'
            FROM match_runs r, vacancies v, seekers s WHERE s.id IN (5001, 5002);
        INSERT INTO unmatched SELECT r.id, s.id,
                CASE WHEN s.id % 3 = 0 THEN 'outcompeted' WHEN s.id % 4 = 0
                THEN 'incomplete_profile' ELSE 'no_feasible_vacancy' END
            FROM match_runs r, seekers s WHERE s.id > 5002;
    """

    def test_existing_runs_read_the_same_after_migrating(self):
        db = self.kd.dbname + "_old"
        cluster = self.kd.cluster
        cluster.psql("postgres", f'CREATE DATABASE "{db}"')
        try:
            root = os.environ.get("KD_SOURCE_ROOT") or \
                os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
            cluster.psql(db, "CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
                             " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            for path in sorted(glob.glob(os.path.join(root, "schema", "migrations", "00*.sql"))):
                version, name = os.path.basename(path)[:-4].split("_", 1)
                if int(version) > 13:
                    break
                with open(path, encoding="utf-8") as migration:
                    cluster.psql(db, migration.read())
                cluster.psql(db, "INSERT INTO schema_migrations VALUES ($1::int, $2)",
                             (version, name))
            cluster.psql(db, self.OLD_RUN)

            def answers():
                return (cluster.psql(db, "SELECT seeker_id, reason, run_id FROM unmatched_seekers"
                                         " ORDER BY seeker_id"),
                        cluster.psql(db, "SELECT seeker_id, vacancy_title FROM match_latest"
                                         " ORDER BY seeker_id"))
            before = answers()
            self.assertEqual((len(before[0]), len(before[1])), (10, 2))
            self.kd.run("migrate", "--db", cluster.conninfo(db))
            self.assertEqual(answers(), before)
            direct = cluster.psql(db, "SELECT kecamatan_code, reason, count(*)::text"
                                      " FROM unmatched_seekers GROUP BY 1, 2 ORDER BY 1, 2")
            self.assertEqual(cluster.psql(db, "SELECT kecamatan_code, reason, seekers::text"
                                              " FROM unmatched_counts ORDER BY 1, 2"), direct)
            self.assertEqual(cluster.psql(db, "SELECT relname FROM pg_class WHERE relkind = 'r'"
                                              " AND relname ~ '^(matches|unplaced_listed)_run_'"
                                              " ORDER BY 1"),
                             [("matches_run_1",), ("unplaced_listed_run_1",)])
        finally:
            cluster.psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


if __name__ == "__main__":
    harness.main()
