"""Reports: the vacancy report of Perpres 57/2023 (the filled_vacancy_report
view, filled_vacancy_report_between() and `kerjadekat report filled` as CSV),
the disability_inclusion view and its 1% quota of UU 8/2016, what the
operator role may read, and GET /v1/vacancies?disability_friendly=.

Placements are written with SQL as the contract describes them (an accepted
offer moves one opening to `filled`), so these tests depend on nothing but
the schema."""

import csv
import io
import os
import subprocess
import tempfile

import harness

OPERATOR = "kerjadekat_operator"
OPERATOR_LOGIN = "kd_test_report_operator"
DESA = "64.02.06.1001"          # Tenggarong
KECAMATAN, KECAMATAN_NAME = "64.02.06", "Tenggarong"
OTHER_DESA = "64.02.07.2001"    # Sebulu
REPORT_COLUMNS = ["vacancy_id", "employer_id", "employer_name", "kbli_code", "title",
                  "kbji_code", "kecamatan_code", "kecamatan_name", "min_education", "wage_min",
                  "wage_max", "headcount", "filled", "remaining", "posted_on", "closes_on",
                  "status", "filled_in_period"]
INCLUSION_COLUMNS = ["employer_id", "employer_name", "kbli_code", "placed",
                     "placed_with_disability", "disability_share_percent", "quota_percent",
                     "quota_required", "quota_met", "open_disability_friendly_vacancies"]


class ReportTestCase(harness.KerjadekatTestCase):

    def employer(self, name, kbli_code="05100"):
        return self.kd.create_employer(name=name, kbli_code=kbli_code, desa_code=DESA)

    def vacancy(self, employer_id, openings, title="Juru Las Uji", posted=None, **fields):
        body = {"employer_id": employer_id, "title": title, "desa_code": DESA,
                "required_skills": ["las"], "min_education": "SMA", "openings": openings}
        body.update(fields)
        response = self.request("POST", "/v1/vacancies", json_body=body,
                                token=self.tokens["admin"])
        self.assertEqual(response.status, 201, response.body)
        vacancy_id = response.json["id"]
        if posted is not None:
            self.sql("UPDATE vacancies SET created_at = $1::date + time '12:00' WHERE id = $2",
                     posted, vacancy_id)
        return vacancy_id

    def seekers(self, n, disability):
        ids = []
        for _ in range(n):
            body = self.person(disability=disability)
            response = self.request("POST", "/v1/seekers", json_body=body,
                                    token=self.tokens["kiosk"])
            self.assertEqual(response.status, 201, response.body)
            ids.append(response.json["id"])
        return ids

    def run_row(self):
        return int(self.sql("INSERT INTO match_runs (mode, policy, state, finished_at)"
                            " VALUES ('stable', '{}', 'done', now()) RETURNING id")[0][0])

    def place(self, vacancy_id, seeker_ids, state="accepted", decided_on=None):
        """Offers vacancy_id to each seeker, in state (decided at noon of
        decided_on, default now); accepted ones fill openings as the API
        does.  Returns the number of rows written."""
        run_id = self.run_row()
        decided = "NULL" if state == "pending" else \
            ("now()" if decided_on is None else "$4::date + time '12:00'")
        offered = "now() - interval '1 day'" if decided_on is None else \
            "$4::date + time '12:00' - interval '1 day'"
        params = [run_id, vacancy_id, "{" + ",".join(str(s) for s in seeker_ids) + "}"]
        if decided_on is not None:
            params.append(decided_on)
        query = (f"INSERT INTO placements (run_id, seeker_id, vacancy_id, state, offered_at,"
                 f" decide_by, decided_at, score, distance_km, same_kecamatan, matched_skills)"
                 f" SELECT $1, s, $2, '{state}', {offered}, {offered} + interval '7 days',"
                 f" {decided}, 1, 0, true, '{{welding}}' FROM unnest($3::bigint[]) s")
        self.sql(query, *params)
        if state == "accepted":
            self.sql("UPDATE vacancies SET openings = openings - $1, filled = filled + $1,"
                     " status = CASE WHEN openings - $1 = 0 THEN 'closed' ELSE status END"
                     " WHERE id = $2", len(seeker_ids), vacancy_id)
        return len(seeker_ids)

    def rows(self, query, *params, user=None):
        prefix = f"SET ROLE {user}; " if user else ""
        return self.sql(prefix + query, *params)

    def report(self, *args, conninfo=None):
        """Runs `kerjadekat report ARGS --db ...`; stdout and stderr decoded
        as UTF-8 with line ends kept as written (CRLF matters in CSV)."""
        proc = subprocess.run([self.kd.bin, "report", *args, "--db", conninfo or self.kd.conninfo],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=harness.scaled(120))
        return subprocess.CompletedProcess(proc.args, proc.returncode,
                                           proc.stdout.decode("utf-8"),
                                           proc.stderr.decode("utf-8"))


class FilledVacancyReportTest(ReportTestCase):
    """A known set of vacancies posted and filled around January 2025."""

    NAME = 'PT Uji, "Kutai" Makmur'
    TITLE = 'Operator "Alat", Berat'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.built = None

    def setUp(self):
        super().setUp()
        if type(self).built is None:
            type(self).built = self.build()
        self.ids = type(self).built

    def build(self):
        employer = self.employer(self.NAME, "05100")
        ids = {"employer": employer}
        # posted in January; two filled in January, one in March
        ids["v1"] = self.vacancy(employer, 5, self.TITLE, "2025-01-10", kbji_code="8342",
                                 wage_min=4000000, wage_max=6000000, closes_on="2099-12-31")
        self.place(ids["v1"], self.seekers(2, False), decided_on="2025-01-20")
        self.place(ids["v1"], self.seekers(1, False), decided_on="2025-03-05")
        # posted before January, its only opening filled in January: closed
        ids["v2"] = self.vacancy(employer, 1, "Juru Masak", "2024-12-01")
        self.place(ids["v2"], self.seekers(1, False), decided_on="2025-01-15")
        # posted in February, nothing filled
        ids["v3"] = self.vacancy(employer, 4, "Sopir Truk", "2025-02-10")
        # posted long before, nothing in any period below
        ids["v4"] = self.vacancy(employer, 2, "Tukang Kebun", "2024-06-01")
        # posted in January; an offer rejected in January fills nothing
        ids["v5"] = self.vacancy(employer, 3, "Petugas HSE", "2025-01-05")
        self.place(ids["v5"], self.seekers(1, False), state="rejected", decided_on="2025-01-25")
        # posted before; only rejections and a pending offer in January
        ids["v6"] = self.vacancy(employer, 3, "Teknisi Listrik", "2024-05-01")
        self.place(ids["v6"], self.seekers(1, False), state="rejected", decided_on="2025-01-12")
        self.place(ids["v6"], self.seekers(1, False), state="declined", decided_on="2025-01-13")
        return ids

    def between(self, start, end, user=None):
        rows = self.rows("SELECT vacancy_id, headcount, filled, remaining, posted_on, status,"
                         " filled_in_period FROM filled_vacancy_report_between($1, $2)"
                         " WHERE employer_id = $3 ORDER BY vacancy_id",
                         start, end, self.ids["employer"], user=user)
        return {int(r[0]): (int(r[1]), int(r[2]), int(r[3]), r[4], r[5], int(r[6]))
                for r in rows}

    def test_view_has_one_row_per_vacancy_with_its_numbers(self):
        rows = self.rows("SELECT vacancy_id, employer_name, kbli_code, title, kbji_code,"
                         " kecamatan_code, kecamatan_name, min_education, wage_min, wage_max,"
                         " headcount, filled, remaining, posted_on, closes_on, status"
                         " FROM filled_vacancy_report WHERE employer_id = $1"
                         " ORDER BY vacancy_id", self.ids["employer"])
        by_id = {int(r[0]): r[1:] for r in rows}
        self.assertEqual(set(by_id), {self.ids[k] for k in ("v1", "v2", "v3", "v4", "v5", "v6")})
        self.assertEqual(by_id[self.ids["v1"]],
                         (self.NAME, "05100", self.TITLE, "8342", KECAMATAN, KECAMATAN_NAME,
                          "SMA", "4000000", "6000000", "5", "3", "2", "2025-01-10",
                          "2099-12-31", "open"))
        self.assertEqual(by_id[self.ids["v2"]][9:], ("1", "1", "0", "2024-12-01", None, "closed"))
        self.assertEqual(by_id[self.ids["v3"]][9:], ("4", "0", "4", "2025-02-10", None, "open"))
        self.assertEqual(by_id[self.ids["v5"]][9:], ("3", "0", "3", "2025-01-05", None, "open"))
        # headcount is openings + filled however the openings move
        self.assertEqual(self.sql("SELECT openings, filled FROM vacancies WHERE id = $1",
                                  self.ids["v1"]), [("2", "3")])

    def test_period_takes_postings_and_acceptances_in_it(self):
        v = self.ids
        self.assertEqual(self.between("2025-01-01", "2025-01-31"), {
            v["v1"]: (5, 3, 2, "2025-01-10", "open", 2),
            v["v2"]: (1, 1, 0, "2024-12-01", "closed", 1),
            v["v5"]: (3, 0, 3, "2025-01-05", "open", 0),
        })
        self.assertEqual(self.between("2025-02-01", "2025-03-31"), {
            v["v1"]: (5, 3, 2, "2025-01-10", "open", 1),
            v["v3"]: (4, 0, 4, "2025-02-10", "open", 0),
        })
        # both ends count
        self.assertEqual(self.between("2025-01-20", "2025-01-20"), {
            v["v1"]: (5, 3, 2, "2025-01-10", "open", 2),
        })
        self.assertEqual(set(self.between("2025-01-10", "2025-01-15")), {v["v1"], v["v2"]})
        self.assertEqual(self.between("2023-01-01", "2023-12-31"), {})
        self.assertEqual(self.between("2025-02-01", "2025-01-01"), {})

    def csv_rows(self, text):
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        self.assertEqual(rows[0], REPORT_COLUMNS)
        return [dict(zip(rows[0], r)) for r in rows[1:]]

    def test_cli_writes_the_period_as_csv(self):
        v = self.ids
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "januari.csv")
            proc = self.report("filled", "--from", "2025-01-01", "--to", "2025-01-31",
                               "--output", path)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stdout, "")
            with open(path, "rb") as written:
                raw = written.read()
        text = raw.decode("utf-8")
        # RFC 4180: CRLF after every record, fields with a comma or a quote
        # quoted and their quotes doubled, other fields bare
        self.assertTrue(text.endswith("\r\n"))
        self.assertEqual(text.count("\r\n"), 4)
        self.assertNotIn("\n", text.replace("\r\n", ""))
        lines = text.split("\r\n")
        self.assertEqual(lines[0], ",".join(REPORT_COLUMNS))
        first = [line for line in lines if line.startswith(f"{v['v1']},")]
        self.assertEqual(len(first), 1)
        self.assertEqual(first[0],
                         f'{v["v1"]},{v["employer"]},"PT Uji, ""Kutai"" Makmur",05100,'
                         f'"Operator ""Alat"", Berat",8342,{KECAMATAN},{KECAMATAN_NAME},SMA,'
                         f'4000000,6000000,5,3,2,2025-01-10,2099-12-31,open,2')
        rows = {int(r["vacancy_id"]): r for r in self.csv_rows(text)}
        self.assertEqual(set(rows), {v["v1"], v["v2"], v["v5"]})
        self.assertEqual(rows[v["v1"]]["employer_name"], self.NAME)
        self.assertEqual(rows[v["v1"]]["title"], self.TITLE)
        # NULL is an empty field
        self.assertEqual(rows[v["v2"]]["kbji_code"], "")
        self.assertEqual(rows[v["v2"]]["closes_on"], "")
        self.assertEqual((rows[v["v2"]]["headcount"], rows[v["v2"]]["filled"],
                          rows[v["v2"]]["remaining"], rows[v["v2"]]["status"],
                          rows[v["v2"]]["filled_in_period"]), ("1", "1", "0", "closed", "1"))
        self.assertEqual(rows[v["v5"]]["filled_in_period"], "0")

    def test_cli_without_output_writes_standard_output(self):
        proc = self.report("filled", "--from", "2025-02-01", "--to", "2025-03-31")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = {int(r["vacancy_id"]): r["filled_in_period"] for r in self.csv_rows(proc.stdout)}
        self.assertEqual(rows, {self.ids["v1"]: "1", self.ids["v3"]: "0"})
        empty = self.report("filled", "--from", "2023-01-01", "--to", "2023-12-31")
        self.assertEqual(empty.returncode, 0, empty.stderr)
        self.assertEqual(empty.stdout, ",".join(REPORT_COLUMNS) + "\r\n")

    def test_cli_refuses_bad_periods(self):
        cases = [
            (["--from", "2025-02-30", "--to", "2025-03-01"], "--from must be a real day"),
            (["--from", "2025-01-01", "--to", "2025-1-31"], "--to must be a real day"),
            (["--from", "01-01-2025", "--to", "2025-01-31"], "--from must be a real day"),
            (["--from", "2025-02-01", "--to", "2025-01-31"], "--from must not be after --to"),
            (["--to", "2025-01-31"], "needs --from"),
            (["--from", "2025-01-01"], "needs --to"),
        ]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "out.csv")
            for args, message in cases:
                with self.subTest(args=args):
                    proc = self.report("filled", *args, "--output", path)
                    self.assertEqual(proc.returncode, 2, proc.stderr)
                    self.assertIn(message, proc.stderr)
                    self.assertEqual(proc.stdout, "")
                    self.assertFalse(os.path.exists(path))
        for args in (["--from", "2025-01-01", "--to", "2025-01-31"], ["filled", "extra"],
                     ["monthly", "--from", "2025-01-01", "--to", "2025-01-31"]):
            with self.subTest(args=args):
                proc = self.kd.run("report", *args, check=False)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn("usage: kerjadekat report", proc.stderr)
        helped = self.kd.run("report", "--help", check=False)
        self.assertEqual(helped.returncode, 0)
        self.assertIn("--from", helped.stdout)

    def test_cli_reports_a_database_failure_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "out.csv")
            missing = self.kd.cluster.conninfo("kd_test_no_such_database")
            proc = self.report("filled", "--from", "2025-01-01", "--to", "2025-01-31",
                               "--output", path, conninfo=missing)
            self.assertEqual(proc.returncode, 1)
            self.assertIn("kerjadekat report: cannot connect", proc.stderr)
            self.assertEqual(os.listdir(tmp), [])
            # an earlier report stays as it was after a failure ...
            with open(path, "w") as earlier:
                earlier.write("earlier report\n")
            proc = self.report("filled", "--from", "2025-01-01", "--to", "2025-01-31",
                               "--output", path, conninfo=missing)
            self.assertEqual(proc.returncode, 1)
            with open(path) as kept:
                self.assertEqual(kept.read(), "earlier report\n")
            # ... and is replaced whole by a run that succeeds, nothing left beside it
            proc = self.report("filled", "--from", "2025-02-01", "--to", "2025-03-31",
                               "--output", path)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(path, newline="") as replaced:
                self.assertEqual({int(r["vacancy_id"]) for r in self.csv_rows(replaced.read())},
                                 {self.ids["v1"], self.ids["v3"]})
            self.assertEqual(os.listdir(tmp), ["out.csv"])
            # a directory that cannot take the file: a message, no file
            proc = self.report("filled", "--from", "2025-02-01", "--to", "2025-03-31",
                               "--output", os.path.join(tmp, "missing", "out.csv"))
            self.assertEqual(proc.returncode, 1)
            self.assertIn("kerjadekat report: cannot write", proc.stderr)
            self.assertEqual(os.listdir(tmp), ["out.csv"])

    def test_operator_reads_the_report_and_runs_the_cli(self):
        v = self.ids
        self.assertEqual(set(self.between("2025-01-01", "2025-01-31", user=OPERATOR)),
                         {v["v1"], v["v2"], v["v5"]})
        count = self.rows("SELECT count(*) FROM filled_vacancy_report WHERE employer_id = $1",
                          v["employer"], user=OPERATOR)
        self.assertEqual(count, [("6",)])
        self.kd.cluster.ensure_login_role(OPERATOR_LOGIN, OPERATOR)
        proc = self.report("filled", "--from", "2025-02-01", "--to", "2025-03-31",
                           conninfo=self.kd.cluster.conninfo(self.kd.dbname, user=OPERATOR_LOGIN))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual({int(r["vacancy_id"]) for r in self.csv_rows(proc.stdout)},
                         {v["v1"], v["v3"]})
        # the rows behind the report stay closed to the operator
        for table in ("placements", "vacancies", "employers", "seekers"):
            with self.subTest(table=table):
                with self.assertRaises(harness.SqlError) as refused:
                    self.rows(f"SELECT count(*) FROM {table}", user=OPERATOR)
                self.assertIn("permission denied", refused.exception.stderr)

    def test_nobody_else_may_run_the_function(self):
        with self.assertRaises(harness.SqlError) as refused:
            self.rows("SELECT count(*) FROM filled_vacancy_report_between('2025-01-01',"
                      " '2025-01-31')", user="kerjadekat_daemon")
        self.assertIn("permission denied", refused.exception.stderr)


class SpreadsheetSafetyTest(ReportTestCase):
    """Text a spreadsheet would run as a formula (CSV injection) reaches no
    CSV the project writes, nor the operators' export views, as a formula."""

    EMPLOYER = '=HYPERLINK("http://contoh.invalid","klik")'
    TITLE = "+62 cmd|' /C calc'!A0"
    OTHER_TITLE = "-2+3 Operator"

    def test_cli_and_export_views_neutralise_formulas(self):
        employer = self.employer(self.EMPLOYER)
        first = self.vacancy(employer, 2, self.TITLE, "2025-04-10")
        second = self.vacancy(employer, 1, self.OTHER_TITLE, "2025-04-11")
        self.place(first, self.seekers(1, False), decided_on="2025-04-20")
        proc = self.report("filled", "--from", "2025-04-01", "--to", "2025-04-30")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = list(csv.reader(io.StringIO(proc.stdout, newline=""), strict=True))
        by_id = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
        self.assertEqual(by_id[str(first)]["employer_name"], "'" + self.EMPLOYER)
        self.assertEqual(by_id[str(first)]["title"], "'" + self.TITLE)
        self.assertEqual(by_id[str(second)]["title"], "'" + self.OTHER_TITLE)
        # numbers stay numbers
        self.assertEqual(by_id[str(first)]["filled_in_period"], "1")
        for row in rows[1:]:
            for cell in row:
                self.assertFalse(cell[:1] in ("=", "+", "@", "\t", "\r") or
                                 (cell[:1] == "-" and not cell[1:].replace(".", "").isdigit()),
                                 cell)

        views = {
            "filled_vacancy_report_csv": ("employer_name", "title"),
            "vacancy_fill_csv": ("employer", "title"),
            "disability_inclusion_csv": ("employer_name",),
        }
        for view, columns in views.items():
            with self.subTest(view=view):
                key = "vacancy_id" if view != "disability_inclusion_csv" else "employer_id"
                want = first if key == "vacancy_id" else employer
                got = self.rows(f"SELECT {', '.join(columns)} FROM {view} WHERE {key} = $1",
                                want, user=OPERATOR)
                self.assertEqual(len(got), 1, got)
                for cell in got[0]:
                    self.assertEqual(cell[:1], "'", cell)
        self.assertEqual(self.rows("SELECT csv_safe('-5'), csv_safe('@x'), csv_safe('PT A=B'),"
                                   " csv_safe(E'\\tx'), csv_safe(E'\\rx'), csv_safe('')",
                                   user=OPERATOR),
                         [("-5", "'@x", "PT A=B", "'\tx", "'\rx", "")])


class DisabilityInclusionTest(ReportTestCase):

    def inclusion(self, employer_id, user=None):
        rows = self.rows("SELECT placed, placed_with_disability, disability_share_percent,"
                         " quota_percent, quota_required, quota_met,"
                         " open_disability_friendly_vacancies FROM disability_inclusion"
                         " WHERE employer_id = $1", employer_id, user=user)
        self.assertEqual(len(rows), 1)
        return rows[0]

    def test_columns_are_counts_never_a_person(self):
        columns = self.sql("SELECT column_name FROM information_schema.columns"
                           " WHERE table_name = 'disability_inclusion' ORDER BY ordinal_position")
        self.assertEqual([c[0] for c in columns], INCLUSION_COLUMNS)
        columns = self.sql("SELECT column_name FROM information_schema.columns"
                           " WHERE table_name = 'filled_vacancy_report' ORDER BY ordinal_position")
        self.assertEqual([c[0] for c in columns], REPORT_COLUMNS[:-1])

    def test_quota_of_one_percent(self):
        without = self.employer("PT Inklusi Uji Satu")
        vacancy = self.vacancy(without, 200)
        self.place(vacancy, self.seekers(150, False))
        # Offers not accepted count for nobody, whoever they went to.
        self.place(vacancy, self.seekers(1, True), state="rejected")
        self.place(vacancy, self.seekers(1, True), state="declined")
        self.place(vacancy, self.seekers(1, True), state="pending")
        self.assertEqual(self.inclusion(without), ("150", "0", "0.00", "1", "2", "f", "0"))

        meeting = self.employer("PT Inklusi Uji Dua")
        other = self.vacancy(meeting, 200)
        self.place(other, self.seekers(148, False) + self.seekers(2, True))
        self.assertEqual(self.inclusion(meeting), ("150", "2", "1.33", "1", "2", "t", "0"))

        # 1 of 151 is 0.66%: 1% of 151 workers needs 2.
        self.place(vacancy, self.seekers(1, True))
        self.assertEqual(self.inclusion(without), ("151", "1", "0.66", "1", "2", "f", "0"))
        # The operator reads the same.
        self.assertEqual(self.inclusion(without, user=OPERATOR),
                         ("151", "1", "0.66", "1", "2", "f", "0"))
        self.assertEqual(self.inclusion(meeting, user=OPERATOR),
                         ("150", "2", "1.33", "1", "2", "t", "0"))

    def test_small_numbers_and_nobody_placed(self):
        nobody = self.employer("PT Inklusi Uji Tiga")
        # nobody placed: nothing to measure, neither met nor missed
        self.assertEqual(self.inclusion(nobody), ("0", "0", None, "1", "0", None, "0"))
        vacancy = self.vacancy(nobody, 5)
        self.place(vacancy, self.seekers(1, True))
        self.assertEqual(self.inclusion(nobody), ("1", "1", "100.00", "1", "1", "t", "0"))
        few = self.employer("PT Inklusi Uji Empat")
        self.place(self.vacancy(few, 5), self.seekers(3, False))
        self.assertEqual(self.inclusion(few), ("3", "0", "0.00", "1", "1", "f", "0"))
        # exactly 1% meets it
        exact = self.employer("PT Inklusi Uji Enam")
        self.place(self.vacancy(exact, 100), self.seekers(99, False) + self.seekers(1, True))
        self.assertEqual(self.inclusion(exact), ("100", "1", "1.00", "1", "1", "t", "0"))

    def test_open_disability_friendly_vacancies_are_counted(self):
        employer = self.employer("PT Inklusi Uji Lima")
        self.vacancy(employer, 2, disability_friendly=True)
        self.vacancy(employer, 2, disability_friendly=True)
        self.vacancy(employer, 2, disability_friendly=False)
        closed = self.vacancy(employer, 2, disability_friendly=True)
        response = self.request("PATCH", f"/v1/vacancies/{closed}", json_body={"status": "closed"},
                                token=self.tokens["admin"])
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(self.inclusion(employer), ("0", "0", None, "1", "0", None, "2"))
        self.assertEqual(self.inclusion(employer, user=OPERATOR)[-1], "2")


class DisabilityFriendlyFilterTest(ReportTestCase):

    def listed(self, query, token="employer"):
        response = self.request("GET", f"/v1/vacancies{query}", token=self.tokens[token])
        self.assertEqual(response.status, 200, response.body)
        return response.json

    def create(self, friendly, desa=DESA, token="employer"):
        body = {"title": "Juru Las Uji", "desa_code": desa, "required_skills": ["las"],
                "min_education": "SMA", "openings": 2}
        if friendly is not None:
            body["disability_friendly"] = friendly
        response = self.request("POST", "/v1/vacancies", json_body=body,
                                token=self.tokens[token])
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def test_filter_lists_only_disability_friendly_vacancies(self):
        friendly = [self.create(True), self.create(True, OTHER_DESA), self.create(True)]
        plain = [self.create(False), self.create(None)]
        closed = self.create(True)
        response = self.request("PATCH", f"/v1/vacancies/{closed}", json_body={"status": "closed"},
                                token=self.tokens["employer"])
        self.assertEqual(response.status, 200, response.body)

        items = self.listed("?disability_friendly=true&limit=100")["vacancies"]
        self.assertEqual([i["id"] for i in items], friendly)
        self.assertTrue(all(i["disability_friendly"] is True for i in items))
        items = self.listed("?disability_friendly=false&limit=100")["vacancies"]
        self.assertEqual([i["id"] for i in items], plain)
        self.assertTrue(all(i["disability_friendly"] is False for i in items))
        everything = self.listed("?limit=100")["vacancies"]
        self.assertEqual([i["id"] for i in everything], sorted(friendly + plain))

        # with the other filters and paging
        items = self.listed(f"?disability_friendly=true&kecamatan={KECAMATAN}")["vacancies"]
        self.assertEqual([i["id"] for i in items], [friendly[0], friendly[2]])
        page = self.listed("?disability_friendly=true&limit=2")
        self.assertEqual([i["id"] for i in page["vacancies"]], friendly[:2])
        rest = self.listed(f"?disability_friendly=true&limit=2&cursor={page['next_cursor']}")
        self.assertEqual([i["id"] for i in rest["vacancies"]], friendly[2:])
        self.assertIsNone(rest["next_cursor"])
        # a kiosk sees the same open ones (and any other employer's)
        kiosk = self.listed("?disability_friendly=true&limit=100", token="kiosk")["vacancies"]
        self.assertTrue({i["id"] for i in kiosk} >= set(friendly))
        self.assertTrue(all(i["disability_friendly"] is True for i in kiosk))
        self.assertFalse({i["id"] for i in kiosk} & set(plain + [closed]))

    def test_filter_value_must_be_true_or_false(self):
        for value in ("yes", "1", "TRUE", "", "truefalse"):
            with self.subTest(value=value):
                response = self.request("GET", f"/v1/vacancies?disability_friendly={value}",
                                        token=self.tokens["kiosk"])
                self.assertEqual(response.status, 422, response.body)
                error = response.json["error"]
                self.assertEqual(error["code"], "validation_failed")
                self.assertEqual(error["field"], "disability_friendly")


if __name__ == "__main__":
    harness.main()
