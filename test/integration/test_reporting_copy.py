"""The national reporting copy (docs/reporting.md): a second PostgreSQL server
set up by scripts/reporting subscribes to the publication kerjadekat_reporting
of the service's database.  Seekers (made-up NIKs, names, phones and birth
dates) and vacancies in three regencies of two provinces are registered
through the API and matched; the copy must then hold exactly the allowed
columns, none of those values, the same rows as the primary's published
columns, and national summaries that agree with the primary's placements;
later decisions and an erasure must reach it too."""

import os
import subprocess

import harness
from harness_scratch_cluster import ScratchCluster

# What may reach the copy, table by table.  Adding a column here is a
# privacy decision: schema/migrations/0017_reporting_publication.sql says
# why each left-out column stays out.
ALLOWED = {
    "provinces": {"code", "name"},
    "regencies": {"code", "province_code", "name", "kind"},
    "kecamatan": {"code", "name", "lat", "lon"},
    "skills": {"id", "code", "label_id", "label_en", "sector"},
    "employers": {"id", "kbli_code", "kecamatan_code", "created_at"},
    "seekers": {"id", "gender", "kecamatan_code", "education", "skill_ids", "experience_years",
                "status", "registered_month"},
    "vacancies": {"id", "employer_id", "kbji_code", "kecamatan_code", "required_skill_ids",
                  "optional_skill_ids", "min_education", "openings", "filled", "wage_min",
                  "wage_max", "closes_on", "disability_friendly", "status", "created_at",
                  "updated_at"},
    "match_runs": {"id", "mode", "state", "started_at", "finished_at", "seekers", "vacancies",
                   "assigned", "same_kecamatan"},
    "matches": {"run_id", "seeker_id", "vacancy_id", "same_kecamatan", "matched_skills",
                "missing_optional_skills"},
    "placements": {"id", "run_id", "seeker_id", "vacancy_id", "employer_id", "state",
                   "offered_at", "decide_by", "decided_at", "reason_code", "same_kecamatan",
                   "matched_skills"},
}
# Two kecamatan of Kutai Kartanegara (64.02) next to each other, one of
# Berau (64.03, same province) and one of Tanah Laut (63.01, another
# province), by a village of each.
TENGGARONG = "64.02.06.1001"
TENGGARONG_SEBERANG = "64.02.16.2001"
KELAY = "64.03.01.2001"
TAKISUNG = "63.01.01.2001"
REPORTING_LOGIN = "kd_test_reporting"


def source_root():
    return os.environ.get("KD_SOURCE_ROOT") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


class ReportingCopyTest(harness.KerjadekatTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscriber = None
        cls.subscription = "kd_test_" + cls.kd.dbname[len("kd_test_"):] + "_reporting"
        cls.people = []
        try:
            cls.add_regions()
            cls.subscriber = ScratchCluster()
            cls.subscriber.psql("postgres", "create database reporting")
            cls.kd.cluster.psql("postgres", f"""do $$ begin
                create role "{REPORTING_LOGIN}" login replication in role kerjadekat_reporting;
                exception when duplicate_object or unique_violation then null; end $$""")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def add_regions(cls):
        """The service area grows from Kukar to the two other regencies, and
        the daemon reads it at its start."""
        regencies = sorted({code[:5] for code in (TENGGARONG, KELAY, TAKISUNG)})
        cls.kd.sql("SELECT service_area_set($1::text[])", "{" + ",".join(regencies) + "}")
        cls.kd.restart_daemon()

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.subscriber is not None:
                # Dropping the subscription drops its slot on the test
                # cluster, which would otherwise keep WAL and the database.
                cls.reporting("drop", check=False)
                cls.subscriber.close()
            cls.kd.cluster.psql("postgres", """select pg_terminate_backend(active_pid)
                from pg_replication_slots where slot_name like $1 and active_pid is not null""",
                                (cls.subscription + "%",))
            cls.kd.cluster.psql("postgres", """select pg_drop_replication_slot(slot_name)
                from pg_replication_slots where slot_name like $1 and not active""",
                                (cls.subscription + "%",))
        finally:
            super().tearDownClass()

    # -- helpers

    @classmethod
    def reporting(cls, action, check=True, database="reporting", login=REPORTING_LOGIN):
        """Runs scripts/reporting ACTION against the copy in database (and,
        for setup, the primary as the copy's server reaches it, as login)."""
        args = [os.path.join(source_root(), "scripts", "reporting"), action,
                "--subscriber", cls.subscriber.conninfo(database)]
        if action != "status":
            args += ["--name", cls.subscription]
        if action == "setup":
            args += ["--publisher", cls.kd.cluster.conninfo(cls.kd.dbname, user=login)]
        proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=harness.scaled(60))
        if check and proc.returncode != 0:
            raise AssertionError(f"scripts/reporting {action} exited with {proc.returncode}: "
                                 f"{proc.stderr}")
        return proc

    def copy_sql(self, query, *params):
        return self.subscriber.psql("reporting", query, params)

    def register(self, desa_code, count):
        ids = []
        for _ in range(count):
            body = self.person(desa_code=desa_code, skills=["las"], education="SMA")
            response = self.request("POST", "/v1/seekers", json_body=body,
                                    token=self.tokens["kiosk"])
            self.assertEqual(response.status, 201, response.body)
            self.people.append(dict(body, id=response.json["id"],
                                    registration_code=response.json["registration_code"]))
            ids.append(response.json["id"])
        return ids

    def create_vacancy(self, desa_code, openings):
        body = {"title": "Juru Las Laporan", "desa_code": desa_code, "required_skills": ["las"],
                "min_education": "SMA", "openings": openings}
        response = self.request("POST", "/v1/vacancies", json_body=body,
                                token=self.tokens["employer"])
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def run_match(self):
        response = self.request("POST", "/v1/match-runs", json_body={},
                                token=self.tokens["admin"])
        self.assertEqual(response.status, 202, response.body)
        run = self.kd.ended_match_run(response.json["id"])
        self.assertEqual(run["state"], "done", run)

    def decide(self, placement_id, decision, reason=None):
        body = {"decision": decision}
        if reason is not None:
            body["reason_code"] = reason
        response = self.request("POST", f"/v1/placements/{placement_id}/decision",
                                json_body=body, token=self.tokens["employer"])
        self.assertEqual(response.status, 200, response.body)

    @staticmethod
    def fingerprint_query(table):
        """One row: the table's row count and a digest of its allowed
        columns' values, in the same text on both servers."""
        columns = ", ".join(sorted(ALLOWED[table]))
        return (f"SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"
                f" FROM (SELECT {columns} FROM {table}) r")

    def differing_tables(self):
        """The tables whose rows differ between the primary and the copy."""
        differing = []
        for table in sorted(ALLOWED):
            query = "SET TimeZone = 'UTC'; " + self.fingerprint_query(table)
            if self.sql(query) != self.copy_sql(query):
                differing.append(table)
        return differing

    def wait_for_copy(self):
        """Waits, within a bound, until every table of the copy has had its
        first copy and holds what the primary holds."""
        def caught_up():
            copied = self.copy_sql("SELECT count(*) FILTER (WHERE srsubstate = 'r')"
                                   " FROM pg_subscription_rel")
            return copied == [(str(len(ALLOWED)),)] and not self.differing_tables()
        try:
            harness.wait_until(caught_up, harness.scaled(60), 0.2, "the copy catching up")
        except AssertionError as error:
            raise AssertionError(f"{error}; differing: {self.differing_tables()}; "
                                 f"subscriber log:\n{self.subscriber.log_tail()}") from None

    def expected_summary(self, width):
        """Per region code (the seeker's kecamatan code cut to width), from
        the primary's rows: offers, placed, placed in their own kecamatan,
        the percentage of the latter."""
        regions = {}
        for code, state, same in self.sql("SELECT s.kecamatan_code, p.state, p.same_kecamatan"
                                          " FROM placements p JOIN seekers s ON s.id = p.seeker_id"):
            counts = regions.setdefault(code[:width], [0, 0, 0])
            counts[0] += 1
            if state == "accepted":
                counts[1] += 1
                counts[2] += same == "t"
        return {region: (offers, placed, own,
                         None if placed == 0 else f"{100 * own / placed:.1f}")
                for region, (offers, placed, own) in regions.items()}

    @staticmethod
    def summary_rows(rows):
        return {row[0]: (int(row[1]), int(row[2]), int(row[3]), row[4]) for row in rows}

    def personal_values(self):
        """Every personal value of the people made here, as the primary and
        the API know them."""
        values = set()
        for person in self.people:
            values |= {person["nik"], person["full_name"], person["phone"],
                       person["phone"].replace("+62", "0"), person["birth_date"],
                       person["registration_code"]}
        for masked, nik_hash in self.sql("SELECT nik_masked, encode(nik_hash, 'hex')"
                                         " FROM seekers WHERE nik_masked <> ''"):
            values |= {masked, nik_hash}
        return values

    # -- the test

    def test_copy_holds_allowed_columns_and_agrees_with_the_primary(self):
        kukar = self.register(TENGGARONG, 4)
        self.register(TENGGARONG_SEBERANG, 1)
        self.register(KELAY, 2)
        self.register(TAKISUNG, 2)
        # Tenggarong's four share two local openings and two across the river.
        self.create_vacancy(TENGGARONG, 2)
        self.create_vacancy(TENGGARONG_SEBERANG, 3)
        self.create_vacancy(KELAY, 1)
        self.create_vacancy(TAKISUNG, 2)
        self.run_match()
        offers = self.sql("SELECT p.id, s.kecamatan_code, p.same_kecamatan FROM placements p"
                          " JOIN seekers s ON s.id = p.seeker_id ORDER BY p.id")
        self.assertEqual(len(offers), 8, offers)
        # Decisions before the copy exists, which its first sync carries:
        # Tenggarong's four accepted, one of Takisung's two, none elsewhere.
        takisung = [o for o in offers if o[1].startswith("63.")]
        kelay = [o for o in offers if o[1].startswith("64.03")]
        tenggarong = [o for o in offers if o[1] == TENGGARONG[:8]]
        self.assertEqual({o[2] for o in tenggarong}, {"t", "f"}, tenggarong)
        self.decide(takisung[0][0], "accepted")
        self.decide(takisung[1][0], "rejected", "skills_mismatch")
        for offer in tenggarong:
            self.decide(offer[0], "accepted")

        # The primary publishes the allowed columns and no others ...
        published = {}
        for table, column in self.sql("SELECT p.tablename, a FROM pg_publication_tables p,"
                                      " unnest(p.attnames) a"
                                      " WHERE p.pubname = 'kerjadekat_reporting'"):
            published.setdefault(table, set()).add(column)
        self.assertEqual(published, ALLOWED)

        self.reporting("setup")
        self.wait_for_copy()
        status = self.reporting("status").stdout
        self.assertIn(self.subscription, status)
        for table in ALLOWED:
            self.assertRegex(status, rf"(?m)^ {table} +\| ready$")

        # The copy has no other table or column ...
        copied = {}
        for table, column in self.copy_sql("SELECT table_name, column_name"
                                           " FROM information_schema.columns"
                                           " WHERE table_schema = 'public' AND table_name IN"
                                           " (SELECT tablename FROM pg_tables"
                                           "  WHERE schemaname = 'public')"):
            copied.setdefault(table, set()).add(column)
        self.assertEqual(copied, ALLOWED)

        # ... and no personal value anywhere, whatever the column.
        self.assert_no_personal_value()

        # The national summaries agree with the primary's placements.
        self.assert_summaries()
        by_province = self.summary_rows(self.copy_sql(
            "SELECT province_code, offers, placed, placed_own_kecamatan, own_kecamatan_percent"
            " FROM placements_by_province"))
        self.assertEqual(by_province["63"], (2, 1, 1, "100.0"))
        self.assertEqual(set(by_province), {"63", "64"})
        self.assertEqual(self.copy_sql("SELECT province_code, province FROM placements_by_province"),
                         [("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur")])
        self.assertEqual(self.copy_sql("SELECT regency_code, regency FROM placements_by_regency"),
                         [("63.01", "Kabupaten Tanah Laut"), ("64.02", "Kabupaten Kutai Kartanegara"),
                          ("64.03", "Kabupaten Berau")])

        # Later changes reach the copy: a decision, a new registration, an
        # erasure (the person's row stays, as on the primary, marked erased).
        self.decide(kelay[0][0], "accepted")
        self.register(KELAY, 1)
        erased = kukar[0]
        response = self.request("DELETE", f"/v1/seekers/{erased}", token=self.tokens["admin"])
        self.assertEqual(response.status, 204, response.body)
        self.wait_for_copy()
        self.assertEqual(self.copy_sql("SELECT status FROM seekers WHERE id = $1", erased),
                         [("erased",)])
        self.assertEqual(self.copy_sql("SELECT count(*) FROM seekers WHERE status = 'active'"),
                         [(str(len(self.people) - 1),)])
        self.assert_no_personal_value()
        self.assert_summaries()

    def assert_no_personal_value(self):
        values = self.personal_values()
        self.assertGreater(len(values), 6 * len(self.people))
        tables = [row[0] for row in self.copy_sql("SELECT tablename FROM pg_tables"
                                                  " WHERE schemaname = 'public'")]
        self.assertEqual(set(tables), set(ALLOWED))
        for table in tables:
            text = "\n".join(row[0] for row in self.copy_sql(f"SELECT t::text FROM {table} t"))
            found = sorted(value for value in values if value in text)
            self.assertEqual(found, [], f"personal values in the copy's {table}")

    def assert_summaries(self):
        self.assertEqual(
            self.summary_rows(self.copy_sql("SELECT regency_code, offers, placed,"
                                            " placed_own_kecamatan, own_kecamatan_percent"
                                            " FROM placements_by_regency")),
            self.expected_summary(5))
        self.assertEqual(
            self.summary_rows(self.copy_sql("SELECT province_code, offers, placed,"
                                            " placed_own_kecamatan, own_kecamatan_percent"
                                            " FROM placements_by_province")),
            self.expected_summary(2))

    def test_reporting_login_reads_published_columns_only(self):
        """The subscriber's login on the primary, as psql would use it."""
        self.assertEqual(self.sql("SELECT count(*) >= 0 FROM (SELECT id, kecamatan_code, status"
                                  " FROM seekers) s", user=REPORTING_LOGIN), [("t",)])
        for query in ("SELECT full_name FROM seekers", "SELECT phone FROM seekers",
                      "SELECT birth_date FROM seekers", "SELECT nik_hash FROM seekers",
                      "SELECT contact_phone FROM employers", "SELECT title FROM vacancies",
                      "SELECT distance_km FROM placements", "SELECT * FROM unplaced_listed",
                      "SELECT * FROM audit_log"):
            with self.assertRaises(harness.SqlError, msg=query) as raised:
                self.sql(query, user=REPORTING_LOGIN)
            self.assertIn("permission denied", raised.exception.stderr)

    def test_setup_refuses_a_login_without_replication_and_writes_nothing(self):
        login = REPORTING_LOGIN + "_norepl"
        self.kd.cluster.psql("postgres", f"""do $$ begin
            create role "{login}" login in role kerjadekat_reporting;
            exception when duplicate_object or unique_violation then null; end $$""")
        self.subscriber.psql("postgres", "create database refused")
        proc = self.reporting("setup", check=False, database="refused", login=login)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("login lacks REPLICATION", proc.stderr)
        self.assertEqual(self.subscriber.psql("refused", "SELECT count(*) FROM pg_class c"
                                              " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                              " WHERE n.nspname = 'public'"), [("0",)])
        self.assertEqual(self.subscriber.psql("refused", "SELECT count(*) FROM pg_subscription s"
                                              " JOIN pg_database d ON d.oid = s.subdbid"
                                              " WHERE d.datname = 'refused'"), [("0",)])

    def test_registered_month_is_the_month_of_registered_at(self):
        """Whoever writes seekers, the month is that of the registration:
        the demo loads seekers registered over past months through a
        staging table made LIKE seekers, in a database of its own."""
        dbname = self.kd.dbname + "_months"
        self.kd.cluster.psql("postgres", f'create database "{dbname}"')
        try:
            conninfo = self.kd.cluster.conninfo(dbname)
            self.kd.run("migrate", "--db", conninfo)
            self.kd.run("demo", "--db", conninfo, "--secret-file", self.kd.secret_file,
                        "--seekers", "200", "--employers", "5", "--vacancies", "10")
            seekers, months, wrong = self.kd.cluster.psql(dbname, """SELECT count(*),
                count(DISTINCT registered_month), count(*) FILTER (WHERE registered_month
                    <> date_trunc('month', registered_at AT TIME ZONE 'UTC')::date)
                FROM seekers""")[0]
            self.assertEqual(seekers, "200")
            self.assertGreater(int(months), 1)
            self.assertEqual(wrong, "0")
        finally:
            self.kd.cluster.psql("postgres", f'drop database if exists "{dbname}" with (force)')


if __name__ == "__main__":
    harness.main()
