"""POST /v1/employers, POST /v1/vacancies, PATCH /v1/vacancies/{id} and
GET /v1/vacancies: who may do what, validation, and keyset paging that
neither repeats nor skips a vacancy."""

import datetime
import json

import harness

# Per-token rate limits far above what these tests send, so that no test here
# meets a 429 it did not ask for.
GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

OPENINGS_MAX = 10000
LIST_DEFAULT_LIMIT = 20
LIST_MAX_LIMIT = 100
UNKNOWN_ID = 2 ** 53 - 1
LIST_ITEM_KEYS = {"id", "employer_id", "employer_name", "title", "kbji_code", "desa_code",
                  "kecamatan_code", "lat", "lon", "min_education", "openings", "wage_min",
                  "wage_max", "closes_on", "disability_friendly", "required_skills",
                  "optional_skills"}


def days_from_today(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


class VacancyTestCase(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def employer_id(self, name="employer"):
        self.tokens[name]
        return self.kd.employer_ids[name]

    def assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response.body)
        self.assertIsInstance(response.json, dict, response.body)
        error = response.json.get("error")
        self.assertIsInstance(error, dict, response.body)
        self.assertEqual(error.get("code"), code, response.body)
        self.assertIsInstance(error.get("message"), str)
        self.assertTrue(error["message"])
        self.assertEqual(error.get("field"), field, response.body)

    def vacancy(self, **fields):
        body = {"title": "Juru Las Uji", "desa_code": "64.02.06.1001",
                "required_skills": ["las"], "min_education": "SMK", "openings": 3}
        body.update(fields)
        return body

    def post_vacancy(self, body, token="employer"):
        return self.request("POST", "/v1/vacancies", json_body=body, token=self.tokens[token])

    def create_vacancy(self, token="employer", **fields):
        response = self.post_vacancy(self.vacancy(**fields), token)
        self.assertEqual(response.status, 201, response.body)
        self.assertEqual(set(response.json), {"id"})
        self.assertIsInstance(response.json["id"], int)
        return response.json["id"]

    def patch(self, vacancy_id, body, token="employer"):
        return self.request("PATCH", f"/v1/vacancies/{vacancy_id}", json_body=body,
                            token=self.tokens[token])

    def list_page(self, query="", token="kiosk"):
        response = self.request("GET", "/v1/vacancies" + (f"?{query}" if query else ""),
                                token=self.tokens[token])
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(set(response.json), {"vacancies", "next_cursor"})
        return response.json

    def walk(self, query="", token="kiosk", limit=None):
        """Every vacancy the listing shows, following next_cursor to the end."""
        seen, cursor = [], None
        params = [query] if query else []
        if limit is not None:
            params.append(f"limit={limit}")
        for _ in range(10000):
            page = self.list_page("&".join(params + ([f"cursor={cursor}"] if cursor else [])),
                                  token)
            if limit is not None:
                self.assertLessEqual(len(page["vacancies"]), limit)
            seen += page["vacancies"]
            cursor = page["next_cursor"]
            if cursor is None:
                return seen
            self.assertIsInstance(cursor, str)
            self.assertTrue(page["vacancies"], "a page with a cursor must not be empty")
        self.fail("the listing never ended")

    def open_ids(self, where="true", *params):
        rows = self.sql(f"select id from vacancies where status = 'open' and ({where}) "
                        "order by id", *params)
        return [int(row[0]) for row in rows]


class EmployerTest(VacancyTestCase):

    def test_admin_creates_an_employer_with_contacts(self):
        body = {"name": "PT Peserta Uji Tambang", "kbli_code": "05100",
                "desa_code": "64.02.03.2001",
                "contacts": {"name": "Kontak Uji", "phone": "0812-0000-1111",
                             "email": "hrd@contoh.example"}}
        response = self.request("POST", "/v1/employers", json_body=body,
                                token=self.tokens["admin"])
        self.assertEqual(response.status, 201, response.body)
        self.assertEqual(set(response.json), {"id"})
        row = self.sql("select name, kbli_code, desa_code, kecamatan_code, contact_name, "
                       "contact_phone, contact_email from employers where id = $1",
                       response.json["id"])
        self.assertEqual(row, [("PT Peserta Uji Tambang", "05100", "64.02.03.2001", "64.02.03",
                                "Kontak Uji", "+6281200001111", "hrd@contoh.example")])

    def test_employer_needs_only_name_and_village(self):
        response = self.request("POST", "/v1/employers", token=self.tokens["admin"],
                                json_body={"name": "CV Peserta Uji", "desa_code": "64.02.10.2001"})
        self.assertEqual(response.status, 201, response.body)
        row = self.sql("select kbli_code, kecamatan_code, contact_name, contact_phone, "
                       "contact_email from employers where id = $1", response.json["id"])
        self.assertEqual(row, [(None, "64.02.10", None, None, None)])

    def test_only_admin_creates_employers(self):
        body = {"name": "PT Peserta Uji", "desa_code": "64.02.10.2001"}
        for token in ("kiosk", "employer"):
            with self.subTest(token=token):
                response = self.request("POST", "/v1/employers", json_body=body,
                                        token=self.tokens[token])
                self.assert_error(response, 403, "forbidden")
        self.assert_error(self.request("POST", "/v1/employers", json_body=body), 401,
                          "unauthorized")

    def test_employer_validation_names_the_field(self):
        valid = {"name": "PT Peserta Uji", "desa_code": "64.02.10.2001"}
        cases = [
            ("name missing", {"desa_code": "64.02.10.2001"}, "name", "validation_failed"),
            ("name blank", dict(valid, name="  "), "name", "validation_failed"),
            ("name too long", dict(valid, name="P" * 201), "name", "validation_failed"),
            ("kbli of four digits", dict(valid, kbli_code="0510"), "kbli_code",
             "validation_failed"),
            ("kbli with letters", dict(valid, kbli_code="05a00"), "kbli_code",
             "validation_failed"),
            ("desa missing", {"name": "PT Peserta Uji"}, "desa_code", "validation_failed"),
            ("unknown desa", dict(valid, desa_code="64.02.10.9999"), "desa_code",
             "validation_failed"),
            ("contacts not an object", dict(valid, contacts="0812"), "contacts",
             "validation_failed"),
            ("contact phone foreign", dict(valid, contacts={"phone": "+14155550100"}),
             "contacts.phone", "validation_failed"),
            ("contact email without at", dict(valid, contacts={"email": "hrd.contoh.example"}),
             "contacts.email", "validation_failed"),
            ("contact email without domain dot", dict(valid, contacts={"email": "a@localhost"}),
             "contacts.email", "validation_failed"),
            ("contact fax", dict(valid, contacts={"fax": "0541"}), "contacts.fax",
             "unknown_field"),
            ("npwp given", dict(valid, npwp="1"), "npwp", "unknown_field"),
        ]
        for description, body, field, code in cases:
            with self.subTest(description):
                response = self.request("POST", "/v1/employers", json_body=body,
                                        token=self.tokens["admin"])
                self.assert_error(response, 422, code, field)


class VacancyCreateTest(VacancyTestCase):

    def test_employer_posts_a_vacancy_for_itself(self):
        vacancy_id = self.create_vacancy(
            title="Operator Alat Berat Uji", kbji_code="8342", desa_code="64.02.07.2001",
            required_skills=["operator alat berat", "Las"],
            optional_skills=["welding", "sopir"], min_education="SMA", openings=12,
            wage_min=4500000, wage_max=6000000, closes_on=days_from_today(30),
            disability_friendly=True)
        row = self.sql(
            "select employer_id, title, kbji_code, desa_code, kecamatan_code, "
            "array(select k.code from unnest(required_skill_ids) with ordinality u(id, n) "
            "join skills k on k.id = u.id order by u.n)::text, "
            "array(select k.code from unnest(optional_skill_ids) with ordinality u(id, n) "
            "join skills k on k.id = u.id order by u.n)::text, min_education, openings, "
            "wage_min, wage_max, closes_on, disability_friendly, status "
            "from vacancies where id = $1", vacancy_id)
        driving = self.sql("select k.code from skill_synonyms s join skills k "
                           "on k.id = s.skill_id where s.synonym = 'sopir'")[0][0]
        self.assertEqual(row, [(str(self.employer_id()), "Operator Alat Berat Uji", "8342",
                                "64.02.07.2001", "64.02.07",
                                "{heavy_equipment_operator,welding}", "{" + driving + "}",
                                "SMA", "12", "4500000", "6000000", days_from_today(30), "t",
                                "open")])

    def test_location_defaults_to_the_village_centroid(self):
        village = {row["code"]: row for row in harness.load_desa()}["64.02.06.1001"]
        vacancy_id = self.create_vacancy()
        lat, lon = self.sql("select lat, lon from vacancies where id = $1", vacancy_id)[0]
        self.assertAlmostEqual(float(lat), float(village["lat"]), delta=1e-6)
        self.assertAlmostEqual(float(lon), float(village["lon"]), delta=1e-6)
        vacancy_id = self.create_vacancy(location={"lat": float(village["lat"]) + 0.01,
                                                   "lon": float(village["lon"])})
        lat, = self.sql("select lat from vacancies where id = $1", vacancy_id)[0]
        self.assertAlmostEqual(float(lat), float(village["lat"]) + 0.01, delta=1e-6)

    def test_employer_may_name_itself_but_not_another_employer(self):
        own = self.create_vacancy(employer_id=self.employer_id())
        self.assertEqual(self.sql("select employer_id from vacancies where id = $1", own),
                         [(str(self.employer_id()),)])
        before = self.sql("select count(*) from vacancies")
        response = self.post_vacancy(self.vacancy(employer_id=self.employer_id("employer2")))
        self.assert_error(response, 403, "forbidden", "employer_id")
        self.assertEqual(self.sql("select count(*) from vacancies"), before)

    def test_admin_posts_for_the_employer_it_names(self):
        vacancy_id = self.create_vacancy(token="admin", employer_id=self.employer_id("employer2"))
        self.assertEqual(self.sql("select employer_id from vacancies where id = $1", vacancy_id),
                         [(str(self.employer_id("employer2")),)])
        response = self.post_vacancy(self.vacancy(), token="admin")
        self.assert_error(response, 422, "validation_failed", "employer_id")
        response = self.post_vacancy(self.vacancy(employer_id=UNKNOWN_ID), token="admin")
        self.assert_error(response, 422, "validation_failed", "employer_id")

    def test_kiosk_may_not_post_vacancies(self):
        self.assert_error(self.post_vacancy(self.vacancy(), token="kiosk"), 403, "forbidden")
        response = self.request("POST", "/v1/vacancies", json_body=self.vacancy())
        self.assert_error(response, 401, "unauthorized")

    def test_openings_from_one_to_ten_thousand_are_accepted(self):
        for openings in (1, OPENINGS_MAX):
            with self.subTest(openings=openings):
                vacancy_id = self.create_vacancy(openings=openings)
                self.assertEqual(self.sql("select openings from vacancies where id = $1",
                                          vacancy_id), [(str(openings),)])

    def test_vacancy_validation_names_the_field(self):
        cases = [
            ("title missing", self.vacancy(title=None), "title"),
            ("title blank", self.vacancy(title=" "), "title"),
            ("title too long", self.vacancy(title="T" * 201), "title"),
            ("kbji of five digits", self.vacancy(kbji_code="83421"), "kbji_code"),
            ("unknown desa", self.vacancy(desa_code="64.02.06.9999"), "desa_code"),
            ("location in Jakarta", self.vacancy(location={"lat": -6.2, "lon": 106.8}),
             "location"),
            ("required skills missing", self.vacancy(required_skills=None), "required_skills"),
            ("no required skills", self.vacancy(required_skills=[]), "required_skills"),
            ("unknown required skill", self.vacancy(required_skills=["las", "ngopi santai"]),
             "required_skills[1]"),
            ("required skill a number", self.vacancy(required_skills=[7]), "required_skills[0]"),
            ("31 required skills", self.vacancy(required_skills=["las"] * 31), "required_skills"),
            ("unknown optional skill", self.vacancy(optional_skills=["ngopi santai"]),
             "optional_skills[0]"),
            ("unknown education", self.vacancy(min_education="SMA3"), "min_education"),
            ("education missing", self.vacancy(min_education=None), "min_education"),
            ("no openings", self.vacancy(openings=0), "openings"),
            ("too many openings", self.vacancy(openings=OPENINGS_MAX + 1), "openings"),
            ("openings a string", self.vacancy(openings="3"), "openings"),
            ("openings fractional", self.vacancy(openings=2.5), "openings"),
            ("openings missing", self.vacancy(openings=None), "openings"),
            ("negative wage", self.vacancy(wage_min=-1), "wage_min"),
            ("wage max below min", self.vacancy(wage_min=5000000, wage_max=4000000), "wage_max"),
            ("wage a string", self.vacancy(wage_max="5jt"), "wage_max"),
            ("closing date past", self.vacancy(closes_on="2020-01-01"), "closes_on"),
            ("closing date yesterday", self.vacancy(closes_on=days_from_today(-1)), "closes_on"),
            ("closing date invalid", self.vacancy(closes_on="2030-02-30"), "closes_on"),
            ("disability friendly a string", self.vacancy(disability_friendly="ya"),
             "disability_friendly"),
            ("employer id zero", self.vacancy(employer_id=0), "employer_id"),
            ("employer id a string", self.vacancy(employer_id="1"), "employer_id"),
        ]
        for description, body, field in cases:
            with self.subTest(description):
                body = {key: value for key, value in body.items() if value is not None}
                self.assert_error(self.post_vacancy(body), 422, "validation_failed", field)
        response = self.post_vacancy(self.vacancy(salary=1))
        self.assert_error(response, 422, "unknown_field", "salary")
        response = self.post_vacancy(self.vacancy(location={"lat": -0.5, "lon": 117, "z": 1}))
        self.assert_error(response, 422, "unknown_field", "location.z")

    def test_closing_today_is_accepted(self):
        vacancy_id = self.create_vacancy(closes_on=days_from_today(0))
        self.assertEqual(self.sql("select closes_on from vacancies where id = $1", vacancy_id),
                         [(days_from_today(0),)])

    def test_malformed_or_non_json_body_is_refused(self):
        response = self.request("POST", "/v1/vacancies", raw_body=b'{"title":',
                                token=self.tokens["employer"])
        self.assert_error(response, 400, "malformed_json")
        response = self.request("POST", "/v1/vacancies", token=self.tokens["employer"],
                                raw_body=json.dumps(self.vacancy()).encode(),
                                headers={"Content-Type": "text/csv"})
        self.assert_error(response, 415, "unsupported_media_type")


class VacancyPatchTest(VacancyTestCase):

    def stored(self, vacancy_id):
        return self.sql("select openings, closes_on, status from vacancies where id = $1",
                        vacancy_id)[0]

    def test_owner_changes_openings_closing_date_and_status(self):
        vacancy_id = self.create_vacancy(openings=5)
        closes = days_from_today(45)
        response = self.patch(vacancy_id, {"openings": 7, "closes_on": closes})
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(response.json, {"id": vacancy_id, "openings": 7, "closes_on": closes,
                                         "status": "open"})
        self.assertEqual(self.stored(vacancy_id), ("7", closes, "open"))

        response = self.patch(vacancy_id, {"closes_on": None})
        self.assertEqual(response.json, {"id": vacancy_id, "openings": 7, "closes_on": None,
                                         "status": "open"})
        self.assertEqual(self.stored(vacancy_id), ("7", None, "open"))

        response = self.patch(vacancy_id, {"status": "closed"})
        self.assertEqual(response.json["status"], "closed")
        response = self.patch(vacancy_id, {"status": "open", "openings": 0})
        self.assertEqual(response.json, {"id": vacancy_id, "openings": 0, "closes_on": None,
                                         "status": "open"})
        self.assertEqual(self.stored(vacancy_id), ("0", None, "open"))

    def test_admin_changes_any_vacancy(self):
        vacancy_id = self.create_vacancy(token="employer2")
        response = self.patch(vacancy_id, {"openings": 9}, token="admin")
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(self.stored(vacancy_id)[0], "9")

    def test_another_employer_finds_nothing_to_change(self):
        vacancy_id = self.create_vacancy(token="employer2", openings=4)
        response = self.patch(vacancy_id, {"openings": 1, "status": "closed"})
        self.assert_error(response, 404, "not_found")
        self.assertEqual(self.stored(vacancy_id), ("4", None, "open"))
        self.assert_error(self.patch(vacancy_id, {"openings": 1}, token="kiosk"), 403, "forbidden")
        response = self.request("PATCH", f"/v1/vacancies/{vacancy_id}", json_body={"openings": 1})
        self.assert_error(response, 401, "unauthorized")
        self.assertEqual(self.stored(vacancy_id), ("4", None, "open"))

    def test_unknown_or_malformed_vacancy_is_not_found(self):
        for vacancy_id in (UNKNOWN_ID, "abc", "0", "-1", "01"):
            with self.subTest(id=vacancy_id):
                self.assert_error(self.patch(vacancy_id, {"openings": 1}, token="admin"), 404,
                                  "not_found")

    def test_patch_validation_names_the_field(self):
        vacancy_id = self.create_vacancy(openings=6)
        cases = [
            ("negative openings", {"openings": -1}, "openings", "validation_failed"),
            ("too many openings", {"openings": OPENINGS_MAX + 1}, "openings",
             "validation_failed"),
            ("openings a string", {"openings": "2"}, "openings", "validation_failed"),
            ("unknown status", {"status": "paused"}, "status", "validation_failed"),
            ("status upper case", {"status": "CLOSED"}, "status", "validation_failed"),
            ("closing date past", {"closes_on": "2020-01-01"}, "closes_on", "validation_failed"),
            ("closing date malformed", {"closes_on": "besok"}, "closes_on", "validation_failed"),
            ("title is not patchable", {"title": "Baru"}, "title", "unknown_field"),
            ("employer is not patchable", {"employer_id": 1}, "employer_id", "unknown_field"),
        ]
        for description, body, field, code in cases:
            with self.subTest(description):
                self.assert_error(self.patch(vacancy_id, body), 422, code, field)
        response = self.patch(vacancy_id, {})
        self.assertEqual(response.status, 422, response.body)
        self.assertEqual(response.json["error"]["code"], "validation_failed")
        response = self.request("PATCH", f"/v1/vacancies/{vacancy_id}", raw_body=b"[1]",
                                token=self.tokens["employer"])
        self.assert_error(response, 400, "malformed_json")
        response = self.request("PATCH", f"/v1/vacancies/{vacancy_id}", raw_body=b"{}",
                                token=self.tokens["employer"], headers={"Content-Type": None})
        self.assert_error(response, 415, "unsupported_media_type")
        self.assertEqual(self.stored(vacancy_id), ("6", None, "open"))


class VacancyListTest(VacancyTestCase):

    def test_paging_walks_every_open_vacancy_exactly_once(self):
        made = [self.create_vacancy(token="admin", employer_id=self.employer_id(name),
                                    desa_code=desa)
                for name in ("employer", "employer2")
                for desa in ("64.02.01.2001", "64.02.02.2001", "64.02.06.1001")
                for _ in range(8)]
        for vacancy_id in made[::5]:
            self.assertEqual(self.patch(vacancy_id, {"status": "closed"}, token="admin").status,
                             200)
        expected = self.open_ids()
        self.assertGreater(len(expected), 40)
        for limit in (1, 7, len(expected), LIST_MAX_LIMIT, None):
            with self.subTest(limit=limit):
                ids = [item["id"] for item in self.walk(limit=limit)]
                self.assertEqual(ids, expected)
        for token in ("admin", "kiosk2"):
            self.assertEqual([item["id"] for item in self.walk(token=token, limit=9)], expected)

    def test_default_page_size_and_cursor_continue_after_the_last_id(self):
        for _ in range(LIST_DEFAULT_LIMIT + 1 - len(self.open_ids())):
            self.create_vacancy()
        expected = self.open_ids()
        first = self.list_page()
        self.assertEqual([item["id"] for item in first["vacancies"]],
                         expected[:LIST_DEFAULT_LIMIT])
        self.assertEqual(first["next_cursor"], str(expected[LIST_DEFAULT_LIMIT - 1]))
        rest = self.list_page(f"cursor={first['next_cursor']}&limit={LIST_MAX_LIMIT}")
        self.assertEqual([item["id"] for item in rest["vacancies"]],
                         expected[LIST_DEFAULT_LIMIT:LIST_DEFAULT_LIMIT + LIST_MAX_LIMIT])
        beyond = self.list_page(f"cursor={expected[-1]}")
        self.assertEqual(beyond, {"vacancies": [], "next_cursor": None})

    def test_closed_vacancies_are_not_listed_until_reopened(self):
        vacancy_id = self.create_vacancy()
        self.assertIn(vacancy_id, [item["id"] for item in self.walk(limit=LIST_MAX_LIMIT)])
        self.patch(vacancy_id, {"status": "closed"})
        self.assertNotIn(vacancy_id, [item["id"] for item in self.walk(limit=LIST_MAX_LIMIT)])
        self.assertNotIn(vacancy_id, [item["id"] for item in self.walk(token="employer")])
        self.patch(vacancy_id, {"status": "open"})
        self.assertIn(vacancy_id, [item["id"] for item in self.walk(limit=LIST_MAX_LIMIT)])

    def test_listed_vacancy_shows_what_was_posted(self):
        closes = days_from_today(20)
        vacancy_id = self.create_vacancy(
            title="Perawat Uji", kbji_code="3221", desa_code="64.02.09.2001",
            required_skills=["welding"], optional_skills=["operator alat berat", "las"],
            min_education="D3", openings=2, wage_min=3000000, closes_on=closes)
        listed = {item["id"]: item for item in self.walk(limit=LIST_MAX_LIMIT)}[vacancy_id]
        self.assertEqual(set(listed), LIST_ITEM_KEYS)
        village = {row["code"]: row for row in harness.load_desa()}["64.02.09.2001"]
        expected = {
            "employer_id": self.employer_id(), "employer_name": "PT Peserta Uji employer",
            "title": "Perawat Uji", "kbji_code": "3221", "desa_code": "64.02.09.2001",
            "kecamatan_code": "64.02.09", "min_education": "D3", "openings": 2,
            "wage_min": 3000000, "wage_max": None, "closes_on": closes,
            "disability_friendly": False, "required_skills": ["welding"],
            "optional_skills": ["heavy_equipment_operator"],
        }
        for key, value in expected.items():
            self.assertEqual(listed[key], value, key)
        self.assertAlmostEqual(listed["lat"], float(village["lat"]), delta=1e-6)
        self.assertAlmostEqual(listed["lon"], float(village["lon"]), delta=1e-6)

    def test_kecamatan_filter_lists_only_that_kecamatan(self):
        for desa in ("64.02.11.2001", "64.02.11.2002", "64.02.12.2001"):
            self.create_vacancy(desa_code=desa)
        for kecamatan in ("64.02.11", "64.02.12", "64.02.20"):
            with self.subTest(kecamatan=kecamatan):
                listed = self.walk(f"kecamatan={kecamatan}", limit=3)
                self.assertTrue(all(item["kecamatan_code"] == kecamatan for item in listed))
                self.assertEqual([item["id"] for item in listed],
                                 self.open_ids("kecamatan_code = $1", kecamatan))

    def test_skill_filter_matches_label_code_or_synonym_in_either_list(self):
        required = self.create_vacancy(required_skills=["las"], desa_code="64.02.13.1007")
        optional = self.create_vacancy(required_skills=["operator alat berat"],
                                       optional_skills=["pengelasan"], desa_code="64.02.13.1007")
        other = self.create_vacancy(required_skills=["operator alat berat"],
                                    desa_code="64.02.13.1007")
        welding_id = self.sql("select id from skills where code = 'welding'")[0][0]
        expected = self.open_ids("$1 = any(required_skill_ids || optional_skill_ids)",
                                 welding_id)
        self.assertIn(required, expected)
        self.assertIn(optional, expected)
        self.assertNotIn(other, expected)
        for term in ("las", "welding", "Pengelasan", "LAS", "pengelasan"):
            with self.subTest(skill=term):
                listed = self.walk(f"skill={term}", limit=5)
                self.assertEqual([item["id"] for item in listed], expected)
        both = self.walk("skill=las&kecamatan=64.02.13", limit=2)
        self.assertEqual([item["id"] for item in both], [required, optional])

    def test_employer_lists_only_its_own_vacancies(self):
        own = self.create_vacancy()
        foreign = self.create_vacancy(token="employer2")
        for name, mine, theirs in (("employer", own, foreign), ("employer2", foreign, own)):
            with self.subTest(token=name):
                listed = self.walk(token=name, limit=10)
                ids = [item["id"] for item in listed]
                self.assertIn(mine, ids)
                self.assertNotIn(theirs, ids)
                self.assertEqual(ids, self.open_ids("employer_id = $1", self.employer_id(name)))

    def test_listing_needs_a_token(self):
        self.assert_error(self.request("GET", "/v1/vacancies"), 401, "unauthorized")

    def test_bad_filters_and_paging_parameters_are_rejected(self):
        cases = [
            ("kecamatan=64.02.99", "kecamatan", "validation_failed"),
            ("kecamatan=64.02.01.2001", "kecamatan", "validation_failed"),
            ("kecamatan=", "kecamatan", "validation_failed"),
            ("skill=ngopi+santai", "skill", "validation_failed"),
            ("skill=", "skill", "validation_failed"),
            ("limit=0", "limit", "validation_failed"),
            ("limit=101", "limit", "validation_failed"),
            ("limit=ten", "limit", "validation_failed"),
            ("cursor=abc", "cursor", "validation_failed"),
            ("cursor=-1", "cursor", "validation_failed"),
            ("cursor=1.5", "cursor", "validation_failed"),
            ("employer_id=1", "employer_id", "unknown_field"),
            ("status=closed", "status", "unknown_field"),
        ]
        for query, field, code in cases:
            with self.subTest(query=query):
                response = self.request("GET", f"/v1/vacancies?{query}",
                                        token=self.tokens["kiosk"])
                self.assert_error(response, 422, code, field)


if __name__ == "__main__":
    harness.main()
