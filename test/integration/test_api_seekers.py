"""POST /v1/seekers and GET /v1/seekers/{id}: registration at a kiosk,
validation of every field, duplicate NIKs, who may read a seeker, and what
reaches the database and the log (never the NIK itself)."""

import datetime
import hashlib
import json
import re

import harness

# Per-token rate limits far above what these tests send, so that no test here
# meets a 429 it did not ask for.
GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

REGISTRATION_CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")
SEEKER_ID_LIMIT = 2 ** 53
SKILLS_MAX = 30
COORDINATE_TOLERANCE = 1e-6
# What a NIK or an Indonesian mobile number looks like inside a log line.
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE_NUMBER = re.compile(r"(?<![\d.])(?:\+?62|0)8\d{7,11}(?!\d)")


def masked(nik):
    return nik[:4] + "*" * 10 + nik[-2:]


def desa_by_code():
    return {row["code"]: row for row in harness.load_desa()}


def service_area():
    """The box around the village centroids, as (min_lat, max_lat, min_lon, max_lon)."""
    rows = harness.load_desa()
    lats = [float(row["lat"]) for row in rows]
    lons = [float(row["lon"]) for row in rows]
    return min(lats), max(lats), min(lons), max(lons)


class SeekerTestCase(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def register(self, body, token="kiosk", **kwargs):
        return self.request("POST", "/v1/seekers", json_body=body, token=self.tokens[token],
                            **kwargs)

    def register_ok(self, body, token="kiosk"):
        response = self.register(body, token)
        self.assertEqual(response.status, 201, response.body)
        return response.json

    def assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response.body)
        self.assertIsInstance(response.json, dict, response.body)
        error = response.json.get("error")
        self.assertIsInstance(error, dict, response.body)
        self.assertLessEqual(set(error), {"code", "message", "field"}, response.body)
        self.assertEqual(error.get("code"), code, response.body)
        self.assertIsInstance(error.get("message"), str)
        self.assertTrue(error["message"])
        self.assertEqual(error.get("field"), field, response.body)

    def seeker_row(self, seeker_id, columns):
        rows = self.sql(f"select {columns} from seekers where id = $1", seeker_id)
        self.assertEqual(len(rows), 1, f"seeker {seeker_id} is not stored exactly once")
        return rows[0]


class RegistrationTest(SeekerTestCase):

    def test_registration_answers_201_with_location_and_receipt(self):
        body = self.person(desa_code="64.02.01.2002", skills=["las", "operator alat berat"])
        response = self.register(body)
        self.assertEqual(response.status, 201, response.body)
        created = response.json
        self.assertEqual(set(created), {"id", "registration_code", "kecamatan_code", "desa_code",
                                        "skills", "unknown_skills", "recommendations"})
        self.assertIsInstance(created["recommendations"], list)
        self.assertIsInstance(created["id"], int)
        self.assertTrue(0 < created["id"] < SEEKER_ID_LIMIT)
        self.assertEqual(response.headers.get("location"), f"/v1/seekers/{created['id']}")
        self.assertRegex(created["registration_code"], REGISTRATION_CODE)
        self.assertEqual(created["kecamatan_code"], "64.02.01")
        self.assertEqual(created["desa_code"], "64.02.01.2002")
        self.assertEqual([skill["code"] for skill in created["skills"]],
                         ["welding", "heavy_equipment_operator"])
        for skill in created["skills"]:
            self.assertEqual(set(skill), {"code", "label"})
            self.assertTrue(skill["label"])
        self.assertEqual(created["unknown_skills"], [])
        code, = self.seeker_row(created["id"], "registration_code")
        self.assertEqual(code, created["registration_code"])

    def test_admin_may_register_and_employer_may_not(self):
        self.register_ok(self.person(), token="admin")
        response = self.register(self.person(), token="employer")
        self.assert_error(response, 403, "forbidden")

    def test_registration_without_a_token_is_unauthorized(self):
        response = self.request("POST", "/v1/seekers", json_body=self.person())
        self.assert_error(response, 401, "unauthorized")
        self.assertEqual(response.headers.get("www-authenticate"), "Bearer")

    def test_kecamatan_is_derived_from_the_village_in_every_kecamatan(self):
        villages = desa_by_code()
        first_village = {}
        for code in sorted(villages):
            first_village.setdefault(code[:8], code)
        self.assertEqual(len(first_village), 20)
        ids, codes = [], set()
        for kecamatan, desa in first_village.items():
            with self.subTest(desa=desa):
                created = self.register_ok(self.person(desa_code=desa))
                self.assertEqual(created["kecamatan_code"], kecamatan)
                stored = self.seeker_row(created["id"], "kecamatan_code, desa_code, lat, lon, "
                                                        "location_given")
                self.assertEqual(stored[:2], (kecamatan, desa))
                self.assertAlmostEqual(float(stored[2]), float(villages[desa]["lat"]),
                                       delta=COORDINATE_TOLERANCE)
                self.assertAlmostEqual(float(stored[3]), float(villages[desa]["lon"]),
                                       delta=COORDINATE_TOLERANCE)
                self.assertEqual(stored[4], "f")
                ids.append(created["id"])
                codes.add(created["registration_code"])
        self.assertEqual(len(set(ids)), len(ids))
        self.assertEqual(len(codes), len(ids))
        steps = {later - earlier for earlier, later in zip(ids, ids[1:])}
        self.assertNotEqual(steps, {1}, "seeker ids must not be sequential")

    def test_given_location_inside_kukar_is_kept(self):
        villages = desa_by_code()
        other = villages["64.02.05.2001"]
        location = {"lat": float(other["lat"]) + 0.001, "lon": float(other["lon"]) - 0.001}
        created = self.register_ok(self.person(desa_code="64.02.01.2001", location=location))
        lat, lon, given = self.seeker_row(created["id"], "lat, lon, location_given")
        self.assertAlmostEqual(float(lat), location["lat"], delta=COORDINATE_TOLERANCE)
        self.assertAlmostEqual(float(lon), location["lon"], delta=COORDINATE_TOLERANCE)
        self.assertEqual(given, "t")

    def test_skills_are_normalised_through_synonyms_and_unknown_ones_reported(self):
        body = self.person(skills=["las", "Welding", "PENGELASAN", "  operator   alat berat ",
                                   "Menganyam  Rotan Khas", "menganyam rotan khas"])
        created = self.register_ok(body)
        self.assertEqual([skill["code"] for skill in created["skills"]],
                         ["welding", "heavy_equipment_operator"])
        self.assertEqual(created["unknown_skills"], ["menganyam rotan khas"])
        skill_codes, unknown = self.seeker_row(
            created["id"], "array(select k.code from unnest(skill_ids) with ordinality u(id, n) "
                           "join skills k on k.id = u.id order by u.n)::text, unknown_skills")
        self.assertEqual(skill_codes, "{welding,heavy_equipment_operator}")
        self.assertEqual(unknown, '{"menganyam rotan khas"}')

    def test_only_unknown_skills_are_accepted_as_free_text(self):
        skills = [f"keahlian uji {n}" for n in range(SKILLS_MAX)]
        created = self.register_ok(self.person(skills=skills))
        self.assertEqual(created["skills"], [])
        self.assertEqual(created["unknown_skills"], skills)

    def test_phone_numbers_are_stored_in_international_form(self):
        cases = {
            "0812-3456-7890": "+6281234567890",
            "+62 812 3456 7891": "+6281234567891",
            "62812.3456.7892": "+6281234567892",
            "(0541) 661234": "+62541661234",
        }
        for given, stored in cases.items():
            with self.subTest(phone=given):
                created = self.register_ok(self.person(phone=given))
                self.assertEqual(self.seeker_row(created["id"], "phone"), (stored,))
                shown = self.request("GET", f"/v1/seekers/{created['id']}",
                                     token=self.tokens["admin"])
                self.assertEqual(shown.json["phone"], stored)

    def test_age_rules_accept_adults_and_minors_with_guardian_consent(self):
        cases = [({"age": 18}, False), ({"age": 15, "guardian_consent": True}, True),
                 ({"age": 17, "guardian_consent": True}, True), ({"age": 60}, False)]
        for overrides, guardian in cases:
            with self.subTest(**overrides):
                created = self.register_ok(self.person(**overrides))
                self.assertEqual(self.seeker_row(created["id"], "guardian_consent"),
                                 ("t" if guardian else "f",))

    def test_boundary_values_are_accepted(self):
        cases = {
            "full_name": "Peserta Uji " + "x" * 88,
            "experience_years": 60,
            "max_distance_km": 1000,
            "disability": True,
        }
        for field, value in cases.items():
            with self.subTest(field=field):
                self.register_ok(self.person(**{field: value}))
        created = self.register_ok(self.person(experience_years=0, max_distance_km=12.5,
                                               full_name="Peserta \u00dcji \u00d1"))
        name, distance = self.seeker_row(created["id"], "full_name, max_distance_km")
        self.assertEqual(name, "Peserta \u00dcji \u00d1")
        self.assertEqual(float(distance), 12.5)

    def test_json_content_type_with_charset_is_accepted(self):
        response = self.register(self.person(),
                                 headers={"Content-Type": "application/json; charset=utf-8"})
        self.assertEqual(response.status, 201, response.body)


class PrivacyTest(SeekerTestCase):

    def test_nik_is_never_stored_only_its_hash_and_masked_form(self):
        people = [self.person() for _ in range(5)]
        for body in people:
            created = self.register_ok(body)
            nik_masked, nik_hash = self.seeker_row(created["id"], "nik_masked, nik_hash")
            self.assertEqual(nik_masked, masked(body["nik"]))
            digest = bytes.fromhex(nik_hash[2:])
            self.assertEqual(len(digest), 32)
            nik = body["nik"].encode()
            # keyed: none of the plain hashes of the NIK
            self.assertNotIn(digest, (hashlib.sha256(nik).digest(),
                                      hashlib.blake2b(nik, digest_size=32).digest(),
                                      hashlib.sha3_256(nik).digest()))
        rows = [row[0] for row in self.sql("select s::text from seekers s")]
        for body in people:
            for row in rows:
                self.assertNotIn(body["nik"], row)

    def test_admin_sees_the_stored_record_with_the_masked_nik_only(self):
        body = self.person(skills=["las", "menjahit karung goni"], max_distance_km=30)
        created = self.register_ok(body)
        response = self.request("GET", f"/v1/seekers/{created['id']}", token=self.tokens["admin"])
        self.assertEqual(response.status, 200, response.body)
        seeker = response.json
        self.assertNotIn("nik", seeker)
        self.assertNotIn("nik_hash", seeker)
        # The code is the seeker's own credential: shown in the 201 alone.
        self.assertNotIn("registration_code", seeker)
        self.assertNotIn(created["registration_code"].encode(), response.body)
        self.assertNotIn(body["nik"].encode(), response.body)
        expected = {
            "id": created["id"],
            "nik_masked": masked(body["nik"]), "full_name": body["full_name"],
            "birth_date": body["birth_date"], "gender": body["gender"],
            "phone": body["phone"], "desa_code": body["desa_code"],
            "kecamatan_code": body["desa_code"][:8], "education": body["education"],
            "experience_years": body["experience_years"], "max_distance_km": 30,
            "disability": body["disability"], "guardian_consent": False,
            "consent_version": body["consent"]["version"], "status": "active",
            "skills": ["welding"], "unknown_skills": ["menjahit karung goni"],
        }
        for key, value in expected.items():
            self.assertEqual(seeker.get(key), value, key)
        for key in ("consent_at", "registered_at"):
            stamp = seeker.get(key)
            self.assertIsInstance(stamp, str, key)
            datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))

    def test_registering_kiosk_reads_its_seeker_and_others_cannot(self):
        created = self.register_ok(self.person(), token="kiosk")
        path = f"/v1/seekers/{created['id']}"
        self.assertEqual(self.request("GET", path, token=self.tokens["kiosk"]).status, 200)
        self.assert_error(self.request("GET", path, token=self.tokens["kiosk2"]), 404, "not_found")
        self.assert_error(self.request("GET", path, token=self.tokens["employer"]), 403,
                          "forbidden")
        self.assert_error(self.request("GET", path), 401, "unauthorized")
        by_admin = self.register_ok(self.person(), token="admin")
        self.assert_error(self.request("GET", f"/v1/seekers/{by_admin['id']}",
                                       token=self.tokens["kiosk"]), 404, "not_found")

    def test_unknown_or_malformed_seeker_id_is_not_found(self):
        for seeker_id in ("1", str(SEEKER_ID_LIMIT - 1), "abc", "0", "-5", "007", "+5", "1e3",
                          "99999999999999999999999", "12%2034"):
            with self.subTest(id=seeker_id):
                response = self.request("GET", f"/v1/seekers/{seeker_id}",
                                        token=self.tokens["admin"])
                self.assert_error(response, 404, "not_found")

    def test_duplicate_nik_is_409_without_echoing_it(self):
        first = self.person()
        created = self.register_ok(first)
        for token in ("kiosk", "kiosk2", "admin"):
            with self.subTest(token=token):
                again = dict(first, full_name="Peserta Uji Kembar", phone="081299990000")
                response = self.register(again, token=token)
                self.assert_error(response, 409, "duplicate", "nik")
                self.assertNotIn(first["nik"].encode(), response.body)
                self.assertNotIn(b"Kembar", response.body)
        self.assertEqual(self.sql("select count(*) from seekers where full_name = $1",
                                  "Peserta Uji Kembar"), [("0",)])
        self.assertEqual(self.seeker_row(created["id"], "full_name"), (first["full_name"],))

    def test_log_never_holds_nik_phone_or_name(self):
        people = [self.person() for _ in range(3)]
        for body in people:
            self.register_ok(body)
            self.assertEqual(self.register(body).status, 409)
            self.assertEqual(self.register(dict(body, gender="X")).status, 422)
            self.assertEqual(self.register(dict(body, extra=body["nik"])).status, 422)
        log = self.kd.log_text()
        for body in people:
            for value in (body["nik"], body["phone"], body["phone"][3:], body["full_name"]):
                self.assertNotIn(value, log)
        for line in log.splitlines():
            if line.startswith("--- harness:"):
                continue
            # request ids are random hex chosen by the daemon: all digits by chance
            scrubbed = re.sub(r"request_id=\S+", "request_id=-", line)
            self.assertIsNone(SIXTEEN_DIGITS.search(scrubbed), line)
            self.assertIsNone(PHONE_NUMBER.search(scrubbed), line)


class ValidationTest(SeekerTestCase):
    """Each bad field gets 422 naming that field, and the message never
    repeats the value."""

    def check_rejected(self, body, field, code="validation_failed"):
        response = self.register(body)
        self.assert_error(response, 422, code, field)
        message = response.json["error"]["message"]
        for key in ("nik", "phone", "full_name"):
            value = body.get(key)
            if isinstance(value, str) and len(value) > 3:
                self.assertNotIn(value, message)
        return response

    def run_cases(self, cases):
        for description, body, field, *code in cases:
            with self.subTest(description):
                self.check_rejected(body, field, *code)

    def without(self, field, body=None):
        body = body or self.person()
        del body[field]
        return body

    def changed(self, **fields):
        body = self.person()
        body.update(fields)
        return body

    def test_nik_rules(self):
        nik = self.person()["nik"]
        female = self.person(gender="F")
        male = self.person(gender="M")
        other_date = self.person(birth_date="1990-05-17")
        self.run_cases([
            ("missing", self.without("nik"), "nik"),
            ("too short", self.changed(nik="3201234"), "nik"),
            ("too long", self.changed(nik=nik + "1"), "nik"),
            ("letters", self.changed(nik=nik[:14] + "ab"), "nik"),
            ("a number", self.changed(nik=int(nik)), "nik"),
            ("arabic-indic digits", self.changed(nik="\u0663" * 16), "nik"),
            ("province 00", self.changed(nik="00" + nik[2:]), "nik"),
            ("unknown province 99", self.changed(nik="99" + nik[2:]), "nik"),
            ("regency 00", self.changed(nik=nik[:2] + "00" + nik[4:]), "nik"),
            ("kecamatan 00", self.changed(nik=nik[:4] + "00" + nik[6:]), "nik"),
            ("month 13", self.changed(nik=nik[:8] + "13" + nik[10:]), "nik"),
            ("serial 0000", self.changed(nik=nik[:12] + "0000"), "nik"),
            ("woman with a man's day", dict(female, gender="M"), "nik"),
            ("man with a woman's day", dict(male, gender="F"), "nik"),
            ("birth date differs", dict(other_date, birth_date="1990-05-18"), "nik"),
            ("birth year differs", dict(other_date, birth_date="1991-05-17"), "nik"),
        ])

    def test_name_birth_date_and_gender_rules(self):
        self.run_cases([
            ("name missing", self.without("full_name"), "full_name"),
            ("name empty", self.changed(full_name=""), "full_name"),
            ("name blank", self.changed(full_name="   "), "full_name"),
            ("name too long", self.changed(full_name="P" * 101), "full_name"),
            ("name with control character", self.changed(full_name="Peserta\u0001Uji"),
             "full_name"),
            ("name not a string", self.changed(full_name=["Peserta", "Uji"]), "full_name"),
            ("birth date missing", self.without("birth_date"), "birth_date"),
            ("birth month 13", self.changed(birth_date="2000-13-01"), "birth_date"),
            ("30 February", self.changed(birth_date="2000-02-30"), "birth_date"),
            ("day first", self.changed(birth_date="01-01-2000"), "birth_date"),
            ("birth date a number", self.changed(birth_date=20000101), "birth_date"),
            ("gender missing", self.without("gender"), "gender"),
            ("gender X", self.changed(gender="X"), "gender"),
            ("gender lower case", self.changed(gender="m"), "gender"),
        ])

    def test_age_rules(self):
        too_old = self.person(birth_date="1900-01-01")
        future = datetime.date.today() + datetime.timedelta(days=400)
        self.run_cases([
            ("14 years old", self.person(age=14), "birth_date"),
            ("14 years old with guardian consent", self.person(age=14, guardian_consent=True),
             "birth_date"),
            ("born in the future", self.person(birth_date=future), "birth_date"),
            ("older than anyone", too_old, "birth_date"),
            ("16 without guardian consent", self.person(age=16), "guardian_consent"),
            ("16 with guardian consent false", self.person(age=16, guardian_consent=False),
             "guardian_consent"),
            ("guardian consent not a boolean", self.person(age=16, guardian_consent="true"),
             "guardian_consent"),
        ])

    def test_phone_rules(self):
        self.run_cases([
            ("missing", self.without("phone"), "phone"),
            ("too short", self.changed(phone="0812"), "phone"),
            ("not Indonesian", self.changed(phone="+14155550100"), "phone"),
            ("too long", self.changed(phone="0812345678901234"), "phone"),
            ("letters", self.changed(phone="0812-CALL-ME"), "phone"),
            ("a number", self.changed(phone=81234567890), "phone"),
            ("empty", self.changed(phone=""), "phone"),
        ])

    def test_village_and_location_rules(self):
        min_lat, max_lat, min_lon, max_lon = service_area()
        middle_lon = (min_lon + max_lon) / 2
        self.run_cases([
            ("desa missing", self.without("desa_code"), "desa_code"),
            ("unknown desa", self.changed(desa_code="64.02.01.9999"), "desa_code"),
            ("desa of another regency", self.changed(desa_code="64.72.01.1001"), "desa_code"),
            ("kecamatan code", self.changed(desa_code="64.02.01"), "desa_code"),
            ("without dots", self.changed(desa_code="6402012001"), "desa_code"),
            ("desa a number", self.changed(desa_code=6402012001), "desa_code"),
            ("location in Jakarta", self.changed(location={"lat": -6.2, "lon": 106.8}),
             "location"),
            ("location north of Kukar", self.changed(location={"lat": max_lat + 0.5,
                                                                "lon": middle_lon}), "location"),
            ("location at 0,0", self.changed(location={"lat": 0, "lon": 0}), "location"),
            ("location a string", self.changed(location="-0.5,117"), "location"),
            ("location an array", self.changed(location=[-0.5, 117.0]), "location"),
            ("latitude a string", self.changed(location={"lat": "-0.5", "lon": 117.0}),
             "location.lat"),
            ("latitude missing", self.changed(location={"lon": 117.0}), "location.lat"),
            ("longitude missing", self.changed(location={"lat": -0.5}), "location.lon"),
            ("latitude beyond 90", self.changed(location={"lat": 91, "lon": 117.0}),
             "location.lat"),
            ("altitude given", self.changed(location={"lat": -0.5, "lon": 117.0, "alt": 10}),
             "location.alt", "unknown_field"),
        ])

    def test_education_and_skill_rules(self):
        self.run_cases([
            ("education missing", self.without("education"), "education"),
            ("unknown education", self.changed(education="SMA3"), "education"),
            ("education a number", self.changed(education=12), "education"),
            ("skills missing", self.without("skills"), "skills"),
            ("no skills", self.changed(skills=[]), "skills"),
            ("31 skills", self.changed(skills=[f"keahlian {n}" for n in range(31)]), "skills"),
            ("skills a string", self.changed(skills="las"), "skills"),
            ("skill a number", self.changed(skills=[1]), "skills[0]"),
            ("skill empty", self.changed(skills=["las", ""]), "skills[1]"),
            ("skill blank", self.changed(skills=["   "]), "skills[0]"),
            ("free-text skill too long", self.changed(skills=["las", "las", "k" * 61]),
             "skills[2]"),
            ("skill with control character", self.changed(skills=["memasak\u0007"]),
             "skills[0]"),
            ("skill an object", self.changed(skills=[{"label": "las"}]), "skills[0]"),
        ])

    def test_experience_distance_disability_rules(self):
        self.run_cases([
            ("experience missing", self.without("experience_years"), "experience_years"),
            ("experience negative", self.changed(experience_years=-1), "experience_years"),
            ("experience 61", self.changed(experience_years=61), "experience_years"),
            ("experience fractional", self.changed(experience_years=1.5), "experience_years"),
            ("experience a string", self.changed(experience_years="3"), "experience_years"),
            ("experience huge", self.changed(experience_years=10 ** 30), "experience_years"),
            ("distance 0", self.changed(max_distance_km=0), "max_distance_km"),
            ("distance negative", self.changed(max_distance_km=-5), "max_distance_km"),
            ("distance 1001", self.changed(max_distance_km=1001), "max_distance_km"),
            ("distance a string", self.changed(max_distance_km="10"), "max_distance_km"),
            ("disability missing", self.without("disability"), "disability"),
            ("disability a string", self.changed(disability="no"), "disability"),
            ("disability a number", self.changed(disability=0), "disability"),
        ])

    def test_consent_rules(self):
        self.run_cases([
            ("consent missing", self.without("consent"), "consent"),
            ("consent a string", self.changed(consent="yes"), "consent"),
            ("not accepted", self.changed(consent={"version": "1", "accepted": False}),
             "consent.accepted"),
            ("accepted missing", self.changed(consent={"version": "1"}), "consent.accepted"),
            ("accepted a string", self.changed(consent={"version": "1", "accepted": "true"}),
             "consent.accepted"),
            ("version missing", self.changed(consent={"accepted": True}), "consent.version"),
            ("version empty", self.changed(consent={"version": "", "accepted": True}),
             "consent.version"),
            ("version too long", self.changed(consent={"version": "v" * 33, "accepted": True}),
             "consent.version"),
            ("signature given", self.changed(consent={"version": "1", "accepted": True,
                                                      "signed": True}),
             "consent.signed", "unknown_field"),
        ])

    def test_unknown_fields_are_rejected_by_name(self):
        self.run_cases([
            ("religion", self.changed(religion="-"), "religion", "unknown_field"),
            ("upper-case NIK", self.changed(NIK="x"), "NIK", "unknown_field"),
            ("id", self.changed(id=5), "id", "unknown_field"),
            ("kecamatan_code", self.changed(kecamatan_code="64.02.01"), "kecamatan_code",
             "unknown_field"),
        ])
        response = self.register(self.changed(**{"x" * 300: 1}))
        self.assertEqual(response.status, 422, response.body)
        self.assertEqual(response.json["error"]["code"], "unknown_field")
        field = response.json["error"]["field"]
        self.assertTrue(field and ("x" * 300).startswith(field), "a long key is cut to fit")

    def test_malformed_json_is_400(self):
        person = json.dumps(self.person()).encode()
        cases = {
            "empty body": b"",
            "truncated": person[:-1],
            "trailing comma": person[:-1] + b",}",
            "trailing data": person + b"{}",
            "an array": b"[" + person + b"]",
            "a string": b'"nik"',
            "null": b"null",
            "invalid utf-8": person[:-1] + b',"full_name":"\xff\xfe"}',
            "duplicate key": person[:-1] + b',"gender":"M"}',
            "escaped nul": b'{"full_name":"a\\u0000b"}',
            "single quotes": b"{'nik':'1'}",
            "deep nesting": b'{"location":' + b"[" * 5000 + b"]" * 5000 + b"}",
        }
        for description, raw in cases.items():
            with self.subTest(description):
                response = self.request("POST", "/v1/seekers", raw_body=raw,
                                        token=self.tokens["kiosk"])
                self.assert_error(response, 400, "malformed_json")

    def test_body_other_than_json_is_415(self):
        body = json.dumps(self.person()).encode()
        for content_type in ("text/plain", "application/x-www-form-urlencoded",
                             "application/json-patch+json", None):
            with self.subTest(content_type=content_type):
                response = self.request("POST", "/v1/seekers", raw_body=body,
                                        token=self.tokens["kiosk"],
                                        headers={"Content-Type": content_type})
                self.assert_error(response, 415, "unsupported_media_type")

    def test_no_value_in_any_field_causes_a_server_error(self):
        values = [None, True, False, 0, -1, 2 ** 63, 1e308, -1e308, 0.5, "", " ", "x" * 2000,
                  "\u0000", "\ud800", [], {}, ["las"], {"lat": -0.5}, [None]]
        fields = list(self.person()) + ["location", "max_distance_km", "guardian_consent"]
        for field in fields:
            for value in values:
                with self.subTest(field=field, value=repr(value)[:20]):
                    body = self.person()
                    body[field] = value
                    raw = json.dumps(body, ensure_ascii=True).encode()
                    response = self.request("POST", "/v1/seekers", raw_body=raw,
                                            token=self.tokens["kiosk"])
                    self.assertIn(response.status, (201, 400, 409, 422), response.body)
                    self.assertIsInstance(response.json, dict, response.body)


if __name__ == "__main__":
    harness.main()
