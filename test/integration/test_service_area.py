"""Indonesia's regions in the schema and the service area: the national load
of migration 0015 (counts, Kukar unchanged, an upgrade of a database that
already holds Kukar seekers), `kerjadekat area show|set` and its audit rows,
registrations and vacancies outside the area refused with 422 naming
desa_code and nothing written, /v1/kecamatan and /v1/regencies following the
area, and matching across a regency border within the distance rules."""

import csv
import glob
import os
import secrets
import shutil
import subprocess

import harness

PROVINCES = 38
REGENCIES = 514
KECAMATAN = 7285
VILLAGES = 83403
# BPS counts 416 regencies (kabupaten) and 98 cities (kota).
KOTA = 98
KUKAR = "64.02"
SAMARINDA = "64.72"
KALTIM = "64"
# A kelurahan of Samarinda and two Kukar villages: Sungai Meriam about 9 km
# from it, Gunung Sari (Tabang) about 159 km away.
SAMARINDA_VILLAGE = "64.72.01.1001"
NEAR_KUKAR_VILLAGE = "64.02.04.2006"
FAR_KUKAR_VILLAGE = "64.02.12.2001"
DEFAULT_MAX_KM = 75
PSQL = "/usr/lib/postgresql/15/bin/psql" if os.path.exists("/usr/lib/postgresql/15/bin/psql") \
    else shutil.which("psql") or "psql"


def source_root():
    return os.environ.get("KD_SOURCE_ROOT") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def read_csv(*parts):
    with open(os.path.join(source_root(), "schema", "data", *parts), newline="",
              encoding="utf-8") as data:
        return list(csv.DictReader(data))


class AreaTestCase(harness.KerjadekatTestCase):

    def setUp(self):
        super().setUp()
        self.addCleanup(self.reset_area)

    def reset_area(self):
        self.sql("SELECT service_area_set(ARRAY[$1])", KUKAR)
        self.wait_served_regencies([KUKAR])

    def area(self, *args, check=True):
        return self.kd.run("area", *args, "--db", self.kd.conninfo, check=check)

    def area_codes(self):
        return [row[0] for row in self.sql("SELECT regency_code FROM service_area ORDER BY 1")]

    def count(self, query, *params):
        return int(self.sql(query, *params)[0][0])

    def served_regencies(self):
        response = self.request("GET", "/v1/regencies")
        self.assertEqual(response.status, 200, response.body)
        return response.json["regencies"]

    def wait_served_regencies(self, codes):
        """Waits until the daemon serves exactly these regencies (it reads
        the area again when the database tells it of a change)."""
        def served():
            return [item["code"] for item in self.served_regencies()] == sorted(codes)
        harness.wait_until(served, harness.scaled(10), what=f"the daemon serving {codes}")

    def set_area(self, *codes):
        self.area("set", *codes)
        self.wait_served_regencies(codes)

    def assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response.body)
        error = (response.json or {}).get("error")
        self.assertIsInstance(error, dict, response.body)
        self.assertEqual(error.get("code"), code, response.body)
        self.assertEqual(error.get("field"), field, response.body)

    def vacancy(self, **fields):
        body = {"title": "Juru Las Uji", "desa_code": SAMARINDA_VILLAGE,
                "required_skills": ["las"], "min_education": "SMK", "openings": 1}
        body.update(fields)
        return body


class NationalLoadTest(AreaTestCase):

    def test_every_region_of_the_country_is_loaded(self):
        counts = self.sql("SELECT (SELECT count(*) FROM provinces), (SELECT count(*) FROM regencies),"
                          " (SELECT count(*) FROM kecamatan), (SELECT count(*) FROM desa)")[0]
        self.assertEqual([int(n) for n in counts], [PROVINCES, REGENCIES, KECAMATAN, VILLAGES])
        self.assertEqual(self.count("SELECT count(*) FROM regencies WHERE kind = 'kota'"), KOTA)

    def test_loaded_rows_are_the_shipped_files(self):
        for table, name in (("provinces", "provinsi.csv"), ("regencies", "kabupaten_kota.csv"),
                            ("kecamatan", "kecamatan.csv"), ("desa", "desa_kelurahan.csv")):
            with self.subTest(table=table):
                shipped = {row["code"]: row for row in read_csv("indonesia", name)}
                stored = self.sql(f"SELECT code, name, lat, lon FROM {table}")
                self.assertEqual(len(stored), len(shipped))
                for code, row_name, lat, lon in stored:
                    row = shipped[code]
                    self.assertEqual(row_name, row["name"], code)
                    self.assertAlmostEqual(float(lat), float(row["lat"]), delta=1e-6, msg=code)
                    self.assertAlmostEqual(float(lon), float(row["lon"]), delta=1e-6, msg=code)

    def test_the_hierarchy_links_every_level(self):
        self.assertEqual(self.count("SELECT count(*) FROM kecamatan k JOIN regencies r"
                                    " ON r.code = k.regency_code"), KECAMATAN)
        self.assertEqual(self.count("SELECT count(*) FROM regencies WHERE province_code <> left(code, 2)"), 0)
        kinds = dict(self.sql("SELECT substr(code, 10, 1), string_agg(DISTINCT kind, ',')"
                              " FROM desa GROUP BY 1"))
        self.assertEqual(kinds, {"1": "kelurahan", "2": "desa", "3": "desa"})

    def test_kukar_keeps_the_rows_it_had(self):
        kecamatan = {row["code"]: row for row in read_csv("kukar", "kecamatan.csv")}
        villages = {row["code"]: row for row in read_csv("kukar", "desa.csv")}
        stored = self.sql("SELECT code, name FROM kecamatan WHERE regency_code = $1", KUKAR)
        self.assertEqual({code: name for code, name in stored},
                         {code: row["name"] for code, row in kecamatan.items()})
        stored = self.sql("SELECT code, name, kind FROM desa WHERE code LIKE '64.02.%'")
        self.assertEqual({code: (name, kind) for code, name, kind in stored},
                         {code: (row["name"], row["kind"]) for code, row in villages.items()})


class UpgradeTest(AreaTestCase):
    """A database at 0013 whose seekers live in Kukar villages, then
    `kerjadekat migrate`."""

    def test_a_database_with_kukar_seekers_upgrades(self):
        dbname = f"{self.kd.dbname}_upgrade"
        self.kd.cluster.psql("postgres", f'create database "{dbname}"')
        self.addCleanup(self.kd.cluster.psql, "postgres",
                        f'drop database if exists "{dbname}" with (force)')
        conninfo = self.kd.cluster.conninfo(dbname)
        self.kd.cluster.psql(dbname, "create table schema_migrations (version integer primary"
                                     " key, name text not null, applied_at timestamptz not null"
                                     " default now())")
        older = [path for path in sorted(glob.glob(os.path.join(
            source_root(), "schema", "migrations", "[0-9]*.sql")))
            if int(os.path.basename(path)[:4]) < 15]
        for path in older:
            version, name = os.path.basename(path)[:-4].split("_", 1)
            subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", path,
                            "-d", conninfo], check=True, capture_output=True,
                           timeout=harness.scaled(60))
            self.kd.cluster.psql(dbname, "insert into schema_migrations (version, name)"
                                         " values ($1, $2)", (int(version), name))
        # A made-up seeker: random hash, obviously fake name and phone.
        self.kd.cluster.psql(dbname,
            "INSERT INTO seekers (id, registration_code, nik_hash, nik_masked, full_name,"
            " birth_date, gender, phone, desa_code, kecamatan_code, lat, lon, location_given,"
            " education, skill_ids, experience_years, disability, guardian_consent,"
            " consent_version, consent_at)"
            " SELECT 4242, 'UJI0-0001', decode($1, 'hex'), '6402**********01', 'Peserta Uji',"
            " '1990-01-01', 'F', '+6281200000001', d.code, d.kecamatan_code, d.lat, d.lon, false,"
            " 'SMA', '{}', 1, false, false, '1', now() FROM desa d WHERE d.code = $2",
            (secrets.token_hex(32), NEAR_KUKAR_VILLAGE))

        migrate = self.kd.run("migrate", "--db", conninfo)
        self.assertIn("applied 0015_regions_indonesia", migrate.stdout)
        rows = self.kd.cluster.psql(dbname,
            "SELECT s.desa_code, k.regency_code, (SELECT count(*) FROM desa),"
            " (SELECT string_agg(regency_code, ',') FROM service_area)"
            " FROM seekers s JOIN kecamatan k ON k.code = s.kecamatan_code WHERE s.id = 4242")
        self.assertEqual(rows, [(NEAR_KUKAR_VILLAGE, KUKAR, str(VILLAGES), KUKAR)])


class AreaCommandTest(AreaTestCase):

    def audit_rows(self):
        return self.sql("SELECT action, target, token_id FROM audit_log"
                        " WHERE action = 'service_area_set' ORDER BY id")

    def test_the_default_area_is_kukar(self):
        self.assertEqual(self.area_codes(), [KUKAR])
        shown = self.area("show").stdout
        self.assertIn("Kabupaten Kutai Kartanegara", shown)
        self.assertIn("1 regency, 20 kecamatan, 237 villages", shown)

    def test_set_changes_the_area_and_is_audited(self):
        before = len(self.audit_rows())
        shown = self.area("set", KUKAR, SAMARINDA).stdout
        self.assertEqual(self.area_codes(), [KUKAR, SAMARINDA])
        self.assertIn("Kota Samarinda", shown)
        self.assertIn("2 regencies", shown)
        rows = self.audit_rows()
        self.assertEqual(len(rows), before + 1)
        action, target, token_id = rows[-1]
        self.assertIsNone(token_id)
        role = self.sql("SELECT session_user")[0][0]
        self.assertEqual(target, f"service_area:{KUKAR},{SAMARINDA} (was {KUKAR}) by {role}")

    def test_setting_the_same_area_again_writes_no_audit_row(self):
        before = len(self.audit_rows())
        self.area("set", KUKAR)
        self.assertEqual(len(self.audit_rows()), before)

    def test_a_province_and_all(self):
        self.area("set", "--province", KALTIM)
        self.assertEqual(self.area_codes(), [row[0] for row in self.sql(
            "SELECT code FROM regencies WHERE province_code = $1 ORDER BY 1", KALTIM)])
        self.assertIn(SAMARINDA, self.area_codes())
        self.area("set", "--all")
        self.assertEqual(len(self.area_codes()), REGENCIES)

    def test_unknown_or_malformed_codes_change_nothing(self):
        before = len(self.audit_rows())
        for args, words in ((["99.99"], "no such regency: 99.99"),
                            (["--province", "99"], "no such province: 99"),
                            (["6402"], "6402"),
                            (["--all", KUKAR], "--all"),
                            ([], "set needs")):
            with self.subTest(args=args):
                proc = self.area("set", *args, check=False)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn(words, proc.stderr)
                self.assertEqual(self.area_codes(), [KUKAR])
        self.assertEqual(len(self.audit_rows()), before)


class AreaApiTest(AreaTestCase):

    def test_regencies_lists_the_area_with_counts(self):
        regencies = self.served_regencies()
        self.assertEqual(regencies, [{
            "code": KUKAR, "name": "Kabupaten Kutai Kartanegara", "kind": "kabupaten",
            "province_code": KALTIM, "province_name": "Kalimantan Timur",
            "lat": regencies[0]["lat"], "lon": regencies[0]["lon"],
            "kecamatan": 20, "villages": 237}])
        self.set_area(KUKAR, SAMARINDA)
        samarinda = self.served_regencies()[1]
        self.assertEqual((samarinda["code"], samarinda["kind"], samarinda["kecamatan"]),
                         (SAMARINDA, "kota", self.count(
                             "SELECT count(*) FROM kecamatan WHERE regency_code = $1", SAMARINDA)))

    def test_kecamatan_and_villages_follow_the_area(self):
        kecamatan = [item["code"] for item in self.request("GET", "/v1/kecamatan").json["kecamatan"]]
        self.assertEqual(len(kecamatan), 20)
        self.assertEqual(self.request("GET", "/v1/kecamatan/64.72.01/desa").status, 404)
        self.set_area(KUKAR, SAMARINDA)
        kecamatan = [item["code"] for item in self.request("GET", "/v1/kecamatan").json["kecamatan"]]
        self.assertEqual(kecamatan, [row[0] for row in self.sql(
            "SELECT code FROM kecamatan WHERE regency_code IN ($1, $2) ORDER BY 1", KUKAR, SAMARINDA)])
        villages = self.request("GET", "/v1/kecamatan/64.72.01/desa")
        self.assertEqual(villages.status, 200, villages.body)
        self.assertIn(SAMARINDA_VILLAGE, [item["code"] for item in villages.json["desa"]])
        self.set_area(SAMARINDA)
        self.assertEqual(self.request("GET", "/v1/kecamatan/64.02.06/desa").status, 404)


class OperatorViewsTest(AreaTestCase):

    def test_per_kecamatan_views_list_the_area_not_the_country(self):
        views = ("SELECT code FROM kecamatan_summary",
                 "SELECT kecamatan_code FROM sms_delivery_summary")
        wanted = {row[0] for row in self.sql(
            "SELECT code FROM kecamatan WHERE regency_code IN ($1, $2)", KUKAR, SAMARINDA)}
        self.set_area(KUKAR, SAMARINDA)
        for view in views:
            with self.subTest(view=view):
                self.assertEqual({row[0] for row in self.sql(view)}, wanted)
        self.set_area(KUKAR)
        # Kukar's, and any other where something is still stored.
        stored = {row[0] for row in self.sql(
            "SELECT kecamatan_code FROM seekers WHERE status = 'active'"
            " UNION SELECT kecamatan_code FROM vacancies WHERE status = 'open'")}
        kukar = {code for code in wanted if code.startswith(KUKAR + ".")}
        self.assertEqual({row[0] for row in self.sql(views[0])}, kukar | stored)
        self.assertEqual({row[0] for row in self.sql(views[1])}, kukar)


class OutsideTheAreaTest(AreaTestCase):

    def stored(self):
        return [self.count("SELECT count(*) FROM seekers"),
                self.count("SELECT count(*) FROM vacancies"),
                self.count("SELECT count(*) FROM idempotency_keys")]

    def attempts(self):
        """A registration and a vacancy in Samarinda, each with its own key."""
        seeker = self.request("POST", "/v1/seekers", token=self.tokens["kiosk"],
                              json_body=self.person(desa_code=SAMARINDA_VILLAGE),
                              headers={"Idempotency-Key": secrets.token_hex(8)})
        vacancy = self.request("POST", "/v1/vacancies", token=self.tokens["employer"],
                               json_body=self.vacancy(),
                               headers={"Idempotency-Key": secrets.token_hex(8)})
        return seeker, vacancy

    def test_a_place_outside_the_area_is_refused_naming_desa_code(self):
        before = self.stored()
        for response in self.attempts():
            self.assert_error(response, 422, "validation_failed", "desa_code")
        self.assertEqual(self.stored(), before)

    def test_the_database_refuses_what_a_stale_cache_lets_through(self):
        """Another daemon, or this one a moment before the news, still holds
        the old area: the writing transaction checks the area itself."""
        self.set_area(KUKAR, SAMARINDA)
        # Bypassing service_area_set() sends no notification, so the
        # daemon's cache still holds Samarinda.
        self.sql("DELETE FROM service_area WHERE regency_code = $1", SAMARINDA)
        self.assertEqual(len(self.served_regencies()), 2)
        before = self.stored()
        for response in self.attempts():
            self.assert_error(response, 422, "validation_failed", "desa_code")
            self.assertNotIn(SAMARINDA_VILLAGE, response.body.decode())
        self.assertEqual(self.stored(), before)

    def test_inside_a_wider_area_both_are_accepted(self):
        self.set_area(KUKAR, SAMARINDA)
        seeker, vacancy = self.attempts()
        self.assertEqual(seeker.status, 201, seeker.body)
        self.assertEqual(vacancy.status, 201, vacancy.body)


class CrossBorderMatchTest(AreaTestCase):

    def start_run(self):
        # A pending offer keeps a seeker out of the next run: each run here
        # starts from none.
        self.sql("DELETE FROM placements")

        def answered():
            response = self.request("POST", "/v1/match-runs", json_body={"mode": "stable"},
                                    token=self.tokens["admin"])
            return response if response.status != 409 else None
        response = harness.wait_until(answered, harness.scaled(10), 0.1, "a match run starting")
        self.assertEqual(response.status, 202, response.body)
        run = self.kd.ended_match_run(response.json["id"])
        self.assertEqual(run["state"], "done", run)
        return run["id"]

    def outcomes(self, run_id, ids):
        """seeker id -> (vacancy id, km, same kecamatan) or the unmatched reason."""
        found = {int(seeker): (int(vacancy), float(km), same == "t") for seeker, vacancy, km, same
                 in self.sql("SELECT seeker_id, vacancy_id, distance_km, same_kecamatan"
                             " FROM matches WHERE run_id = $1", run_id)}
        found.update({int(seeker): reason for seeker, reason in self.sql(
            "SELECT seeker_id, reason FROM unmatched_seekers WHERE run_id = $1", run_id)})
        return {village: found.get(seeker_id) for village, seeker_id in ids.items()}

    def test_a_seeker_matches_across_the_regency_border_within_the_limit(self):
        self.set_area(KUKAR, SAMARINDA)
        employer = self.kd.create_employer(desa_code=SAMARINDA_VILLAGE)
        # A skill no other vacancy of this module asks for.
        response = self.request("POST", "/v1/vacancies", token=self.tokens["admin"],
                                json_body=self.vacancy(employer_id=employer, openings=5,
                                                       required_skills=["operator alat berat"],
                                                       min_education="SD"))
        self.assertEqual(response.status, 201, response.body)
        vacancy_id = response.json["id"]
        ids = {}
        for village in (NEAR_KUKAR_VILLAGE, FAR_KUKAR_VILLAGE):
            created = self.request("POST", "/v1/seekers", token=self.tokens["kiosk"],
                                   json_body=self.person(desa_code=village, education="SMA",
                                                         skills=["operator alat berat"]))
            self.assertEqual(created.status, 201, created.body)
            ids[village] = created.json["id"]

        outcomes = self.outcomes(self.start_run(), ids)
        self.assertEqual(outcomes[FAR_KUKAR_VILLAGE], "no_feasible_vacancy")
        matched_vacancy, km, same_kecamatan = outcomes[NEAR_KUKAR_VILLAGE]
        self.assertEqual((matched_vacancy, same_kecamatan), (vacancy_id, False))
        self.assertLess(km, DEFAULT_MAX_KM)

        # The operators' travel table holds across the border too: a route
        # longer than the limit keeps the near seeker away.
        self.sql("INSERT INTO kecamatan_travel (from_code, to_code, km) VALUES ($1, $2, 90)",
                 NEAR_KUKAR_VILLAGE[:8], SAMARINDA_VILLAGE[:8])
        self.addCleanup(self.sql, "DELETE FROM kecamatan_travel")
        outcomes = self.outcomes(self.start_run(), ids)
        self.assertEqual(outcomes, {NEAR_KUKAR_VILLAGE: "no_feasible_vacancy",
                                    FAR_KUKAR_VILLAGE: "no_feasible_vacancy"})


if __name__ == "__main__":
    harness.main()
