"""kerjadekat import seekers|vacancies FILE.csv: paper forms typed into a
CSV file are judged row by row as the API judges a body; bad rows are
reported by line and field without their values, the good ones stored in
one transaction and readable through the API; --all-or-nothing stores
nothing when a row is bad; the NIK is stored only hashed and masked."""

import csv
import io
import os
import re

import harness

SEEKER_COLUMNS = ["nik", "full_name", "birth_date", "gender", "phone", "desa_code",
                  "education", "skills", "experience_years", "disability",
                  "consent_version", "consent_accepted"]
VACANCY_COLUMNS = ["title", "desa_code", "required_skills", "optional_skills",
                   "min_education", "openings", "wage_min", "wage_max"]
SUMMARY = re.compile(r"^imported (\d+) of (\d+) rows; (\d+) bad")
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def masked(nik):
    return nik[:4] + "*" * 10 + nik[-2:]


def seeker_cells(body, separator=";"):
    """The CSV cells of a POST /v1/seekers body, in SEEKER_COLUMNS order."""
    return [body["nik"], body["full_name"], body["birth_date"], body["gender"], body["phone"],
            body["desa_code"], body["education"], separator.join(body["skills"]),
            str(body["experience_years"]), "true" if body["disability"] else "false",
            body["consent"]["version"], "yes" if body["consent"]["accepted"] else "no"]


def csv_text(header, rows, bom=False, crlf=False):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + out.getvalue()


class ImportTestCase(harness.KerjadekatTestCase):

    def write(self, name, text):
        path = os.path.join(self.kd.tmpdir, name)
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        return path

    def run_import(self, kind, path, *options):
        args = ["import", kind, path, "--db", self.kd.conninfo, *options]
        if kind == "seekers":
            args += ["--secret-file", self.kd.secret_file]
        return self.kd.run(*args, check=False)

    def problems(self, proc):
        """The reported rows as {line: "field: message"}."""
        found = {}
        for text in proc.stderr.splitlines():
            match = re.match(r"^line (\d+): (.*)$", text)
            self.assertIsNotNone(match, f"unexpected report line {text!r}")
            found[int(match.group(1))] = match.group(2)
        return found

    def assert_summary(self, proc, imported, rows, bad):
        match = SUMMARY.match(proc.stdout.strip())
        self.assertIsNotNone(match, proc.stdout)
        self.assertEqual((int(match.group(1)), int(match.group(2)), int(match.group(3))),
                         (imported, rows, bad))

    def assert_private(self, proc, bodies):
        text = proc.stdout + proc.stderr
        self.assertIsNone(SIXTEEN_DIGITS.search(text), "a NIK-like number in the output")
        for body in bodies:
            for key in ("nik", "full_name", "phone", "birth_date"):
                if key in body and body[key]:
                    self.assertNotIn(body[key], text, f"{key} in the output")

    def stored(self, body):
        """Ids of seekers stored under body's masked NIK and name."""
        return [row[0] for row in self.sql(
            "SELECT id FROM seekers WHERE nik_masked = $1 AND full_name = $2",
            masked(body["nik"]), body["full_name"])]


class SeekerImport(ImportTestCase):

    def test_good_and_bad_rows(self):
        registered = self.person()
        response = self.request("POST", "/v1/seekers", json_body=registered,
                                token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        good = [self.person(full_name="Peserta Uji Impor, Satu", skills=["las", "mengemudi"]),
                self.person(),
                self.person(skills=["operator alat berat", "menganyam rotan impor"])]
        bad_nik = self.person(nik="123")
        broken_name = self.person(full_name="Peserta\nUji Impor")
        bad_gender = self.person(gender="X")
        refused = self.person()
        refused["consent"]["accepted"] = False
        rows = [
            seeker_cells(good[0]),                  # line 2
            seeker_cells(bad_nik),                  # line 3
            seeker_cells(broken_name),              # lines 4-5: a quoted line break
            seeker_cells(good[1]),                  # line 6
            seeker_cells(bad_gender),               # line 7
            seeker_cells(good[0]),                  # line 8: the NIK of line 2
            seeker_cells(registered),               # line 9: registered through the API
            seeker_cells(self.person())[:5],        # line 10: too few fields
            seeker_cells(refused),                  # line 11
            seeker_cells(good[2], separator="|"),   # line 12
        ]
        path = self.write("mixed.csv", csv_text(SEEKER_COLUMNS, rows, bom=True, crlf=True))
        proc = self.run_import("seekers", path)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assert_summary(proc, 3, 10, 7)
        problems = self.problems(proc)
        self.assertEqual(sorted(problems), [3, 4, 7, 8, 9, 10, 11])
        self.assertEqual(problems[3], "nik: must be 16 digits")
        self.assertTrue(problems[4].startswith("full_name: "), problems[4])
        self.assertEqual(problems[7], "gender: must be M or F")
        self.assertEqual(problems[8], "nik: the same nik as line 2")
        self.assertEqual(problems[9], "nik: a seeker with this nik is already registered")
        self.assertEqual(problems[10], "has 5 fields where the header has 12")
        self.assertEqual(problems[11], "consent.accepted: must be true")
        self.assert_private(proc, good + [bad_nik, broken_name, bad_gender, registered, refused])

        for body in (bad_nik, broken_name, bad_gender, refused):
            self.assertEqual(self.sql("SELECT count(*) FROM seekers WHERE full_name = $1",
                                      body["full_name"]), [("0",)])
        self.assertEqual(len(self.stored(registered)), 1)
        for body in good:
            ids = self.stored(body)
            self.assertEqual(len(ids), 1, body["full_name"])
            response = self.request("GET", f"/v1/seekers/{ids[0]}", token=self.tokens["admin"])
            self.assertEqual(response.status, 200, response.body)
            record = response.json
            self.assertEqual(record["nik_masked"], masked(body["nik"]))
            self.assertNotIn("nik", record)
            self.assertEqual(record["full_name"], body["full_name"])
            self.assertEqual(record["birth_date"], body["birth_date"])
            self.assertEqual(record["desa_code"], body["desa_code"])
            self.assertEqual(record["kecamatan_code"], body["desa_code"][:8])
            self.assertEqual(record["consent_version"], body["consent"]["version"])
            # Each person gets a code of their own, which the API never shows
            # staff: it reaches the person by the registration SMS.
            self.assertNotIn("registration_code", record)
            [(code,)] = self.sql("SELECT registration_code FROM seekers WHERE id = $1", ids[0])
            self.assertRegex(code, r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")
        unknown = self.sql("SELECT array_to_json(unknown_skills) FROM seekers WHERE id = $1",
                           self.stored(good[2])[0])
        self.assertEqual(unknown, [('["menganyam rotan impor"]',)])
        # The NIK itself is nowhere in a stored row, only its hash and masked form.
        for body in good:
            self.assertEqual(self.sql(
                "SELECT count(*) FROM seekers s WHERE strpos(row_to_json(s)::text, $1) > 0"
                " OR strpos(encode(s.nik_hash, 'hex'), $1) > 0", body["nik"]), [("0",)])
        audit = self.sql("SELECT token_id, target FROM audit_log WHERE action = 'seekers.import'"
                         " ORDER BY id DESC LIMIT 1")
        self.assertEqual(audit, [(None, "import:rows=10,imported=3,bad=7")])

    def test_all_or_nothing(self):
        bodies = [self.person(), self.person(), self.person(education="PhD")]
        path = self.write("aon.csv", csv_text(SEEKER_COLUMNS, [seeker_cells(b) for b in bodies]))
        proc = self.run_import("seekers", path, "--all-or-nothing")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assert_summary(proc, 0, 3, 1)
        self.assertEqual(sorted(self.problems(proc)), [4])
        self.assertTrue(self.problems(proc)[4].startswith("education: "))
        for body in bodies:
            self.assertEqual(self.stored(body), [])
        proc = self.run_import("seekers", path)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assert_summary(proc, 2, 3, 1)
        self.assertEqual(len(self.stored(bodies[0])), 1)
        self.assertEqual(len(self.stored(bodies[1])), 1)

    def test_all_good(self):
        bodies = [self.person(), self.person()]
        # A spreadsheet's trailing row of empty cells is no form.
        rows = [seeker_cells(b) for b in bodies] + [[""] * len(SEEKER_COLUMNS)]
        path = self.write("good.csv", csv_text(SEEKER_COLUMNS, rows))
        proc = self.run_import("seekers", path, "--all-or-nothing")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assert_summary(proc, 2, 2, 0)
        self.assertEqual(proc.stderr, "")
        for body in bodies:
            self.assertEqual(len(self.stored(body)), 1)

    def test_file_errors_import_nothing(self):
        body = self.person()
        cells = seeker_cells(body)
        cases = [
            (SEEKER_COLUMNS + ["hobby"], cells + ["x"], 'unknown column "hobby"'),
            (SEEKER_COLUMNS[1:], cells[1:], 'missing column "nik"'),
            (SEEKER_COLUMNS + ["nik"], cells + [body["nik"]], 'column "nik" given twice'),
        ]
        for header, row, message in cases:
            with self.subTest(message=message):
                path = self.write("header.csv", csv_text(header, [row]))
                proc = self.run_import("seekers", path)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn(message, proc.stderr)
                self.assert_private(proc, [body])
        path = self.write("quote.csv", ",".join(SEEKER_COLUMNS) + '\n"unclosed,' +
                          ",".join(cells[1:]) + "\n")
        proc = self.run_import("seekers", path)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("line 2: not valid csv", proc.stderr)
        self.assertEqual(self.stored(body), [])

    def test_usage(self):
        for args in ([], ["people", "x.csv"], ["seekers"], ["seekers", "a.csv", "b.csv"],
                     ["seekers", "a.csv", "--employer", "1"],
                     ["vacancies", "a.csv", "--employer", "nine"]):
            with self.subTest(args=args):
                self.assertEqual(self.kd.run("import", *args, check=False).returncode, 2)
        proc = self.kd.run("import", "--help")
        self.assertIn("--all-or-nothing", proc.stdout)
        proc = self.kd.run("import", "seekers", os.path.join(self.kd.tmpdir, "absent.csv"),
                           "--db", self.kd.conninfo, "--secret-file", self.kd.secret_file,
                           check=False)
        self.assertEqual(proc.returncode, 2)


class VacancyImport(ImportTestCase):

    def test_vacancies(self):
        employer = self.kd.create_employer()
        desa = self.kd.persons.desa_codes[3]
        rows = [
            ["Juru Las Impor", desa, "las;operator alat berat", "", "SMK", "4", "4000000", "6000000"],
            ["Operator Impor", desa, "operator alat berat", "las", "SMA", "0", "", ""],
            ["Sopir Impor", desa, "bukan keahlian", "", "SMA", "2", "", ""],
            ["Mandor Impor", desa, "las", "", "SMA", "2", "7000000", "5000000"],
            ["Pengemudi, Impor", desa, "sopir", "", "SMP", "1", "", ""],
        ]
        path = self.write("vacancies.csv", csv_text(VACANCY_COLUMNS, rows, crlf=True))
        proc = self.kd.run("import", "vacancies", path, "--db", self.kd.conninfo,
                           "--employer", str(employer), check=False)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assert_summary(proc, 2, 5, 3)
        problems = self.problems(proc)
        self.assertEqual(sorted(problems), [3, 4, 5])
        self.assertEqual(problems[3], "openings: must be between 1 and 10000")
        self.assertEqual(problems[4], "required_skills[0]: unknown skill")
        self.assertEqual(problems[5], "wage_max: must not be less than wage_min")

        response = self.request("GET", "/v1/vacancies?limit=100", token=self.tokens["admin"])
        self.assertEqual(response.status, 200, response.body)
        listed = {v["title"]: v for v in response.json["vacancies"]}
        self.assertIn("Juru Las Impor", listed)
        self.assertIn("Pengemudi, Impor", listed)
        for title in ("Operator Impor", "Sopir Impor", "Mandor Impor"):
            self.assertNotIn(title, listed)
        first = listed["Juru Las Impor"]
        self.assertEqual(first["employer_id"], employer)
        self.assertEqual(first["openings"], 4)
        self.assertEqual((first["wage_min"], first["wage_max"]), (4000000, 6000000))
        self.assertEqual(first["kecamatan_code"], desa[:8])
        self.assertEqual(sorted(first["required_skills"]), ["heavy_equipment_operator", "welding"])
        audit = self.sql("SELECT target FROM audit_log WHERE action = 'vacancies.import'"
                         " ORDER BY id DESC LIMIT 1")
        self.assertEqual(audit, [("import:rows=5,imported=2,bad=3",)])

    def test_employer_column(self):
        employer = self.kd.create_employer()
        desa = self.kd.persons.desa_codes[5]
        rows = [[str(employer), "Teknisi Impor", desa, "las", "SMK", "1"],
                ["999999", "Teknisi Lain Impor", desa, "las", "SMK", "1"],
                ["", "Teknisi Tanpa Impor", desa, "las", "SMK", "1"]]
        header = ["employer_id", "title", "desa_code", "required_skills", "min_education",
                  "openings"]
        path = self.write("employers.csv", csv_text(header, rows))
        proc = self.kd.run("import", "vacancies", path, "--db", self.kd.conninfo, check=False)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assert_summary(proc, 1, 3, 2)
        problems = self.problems(proc)
        self.assertEqual(problems[3], "employer_id: no such employer")
        self.assertTrue(problems[4].startswith("employer_id: "), problems[4])
        self.assertEqual(self.sql("SELECT employer_id FROM vacancies WHERE title = $1",
                                  "Teknisi Impor"), [(str(employer),)])
        path = self.write("no-employer.csv", csv_text(header[1:], [r[1:] for r in rows]))
        proc = self.kd.run("import", "vacancies", path, "--db", self.kd.conninfo, check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn('missing column "employer_id"', proc.stderr)


if __name__ == "__main__":
    harness.main()
