"""Health and the reference data that needs no token: GET /v1/health,
/v1/kecamatan, /v1/kecamatan/{code}/desa and /v1/skills, checked against the
shipped data in schema/data/kukar and the skills taxonomy in the database."""

import collections
import csv
import os
import urllib.parse

import harness

KUKAR_KECAMATAN = 20
KUKAR_VILLAGES = 237
SKILLS_DEFAULT_LIMIT = 10
SKILLS_MAX_LIMIT = 50
COORDINATE_TOLERANCE = 1e-6


def load_kecamatan():
    root = os.environ.get("KD_SOURCE_ROOT") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    path = os.path.join(root, "schema", "data", "kukar", "kecamatan.csv")
    with open(path, newline="", encoding="utf-8") as data:
        return list(csv.DictReader(data))


class ApiTestCase(harness.KerjadekatTestCase):

    def assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response.body)
        self.assertIsInstance(response.json, dict, response.body)
        error = response.json.get("error")
        self.assertIsInstance(error, dict, response.body)
        self.assertEqual(error.get("code"), code, response.body)
        self.assertIsInstance(error.get("message"), str)
        self.assertTrue(error["message"])
        self.assertEqual(error.get("field"), field, response.body)

    def get_json(self, path):
        response = self.request("GET", path)
        self.assertEqual(response.status, 200, response.body)
        self.assertTrue(response.headers.get("content-type", "").startswith("application/json"))
        self.assertIsInstance(response.json, dict, response.body)
        return response.json


class HealthTest(ApiTestCase):

    def test_health_answers_ok_without_a_token(self):
        self.assertEqual(self.get_json("/v1/health"), {"status": "ok", "database": "up"})

    def test_head_on_health_has_headers_but_no_body(self):
        get = self.request("GET", "/v1/health")
        head = self.request("HEAD", "/v1/health")
        self.assertEqual(head.status, 200)
        self.assertEqual(head.body, b"")
        self.assertEqual(head.headers.get("content-length"), str(len(get.body)))

    def test_health_allows_only_get_and_head(self):
        response = self.request("POST", "/v1/health", json_body={})
        self.assert_error(response, 405, "method_not_allowed")
        allowed = {method.strip() for method in response.headers.get("allow", "").split(",")}
        self.assertEqual(allowed, {"GET", "HEAD"})


class KecamatanTest(ApiTestCase):

    def test_kecamatan_list_matches_the_shipped_data(self):
        shipped = {row["code"]: row for row in load_kecamatan()}
        served = self.get_json("/v1/kecamatan")["kecamatan"]
        self.assertEqual(len(served), KUKAR_KECAMATAN)
        self.assertEqual(len({item["code"] for item in served}), KUKAR_KECAMATAN)
        for item in served:
            with self.subTest(code=item["code"]):
                self.assertEqual(set(item), {"code", "name", "lat", "lon", "villages"})
                self.assertRegex(item["code"], r"^64\.02\.\d\d$")
                row = shipped[item["code"]]
                self.assertEqual(item["name"], row["name"])
                self.assertAlmostEqual(item["lat"], float(row["lat"]), delta=COORDINATE_TOLERANCE)
                self.assertAlmostEqual(item["lon"], float(row["lon"]), delta=COORDINATE_TOLERANCE)
                self.assertEqual(item["villages"], int(row["desa"]) + int(row["kelurahan"]))
        self.assertEqual(sum(item["villages"] for item in served), KUKAR_VILLAGES)

    def test_village_lists_match_the_shipped_data(self):
        shipped = collections.defaultdict(dict)
        for row in harness.load_desa():
            shipped[row["code"][:8]][row["code"]] = row
        kecamatan_names = {row["code"]: row["name"] for row in load_kecamatan()}
        seen = set()
        for kecamatan in self.get_json("/v1/kecamatan")["kecamatan"]:
            code = kecamatan["code"]
            with self.subTest(kecamatan=code):
                body = self.get_json(f"/v1/kecamatan/{code}/desa")
                self.assertEqual(set(body), {"kecamatan_code", "kecamatan_name", "desa"})
                self.assertEqual(body["kecamatan_code"], code)
                self.assertEqual(body["kecamatan_name"], kecamatan_names[code])
                self.assertEqual(len(body["desa"]), kecamatan["villages"])
                self.assertEqual({desa["code"] for desa in body["desa"]}, set(shipped[code]))
                for desa in body["desa"]:
                    row = shipped[code][desa["code"]]
                    self.assertEqual(set(desa), {"code", "name", "kind", "lat", "lon"})
                    self.assertEqual(desa["name"], row["name"])
                    self.assertEqual(desa["kind"], row["kind"])
                    self.assertIn(desa["kind"], ("desa", "kelurahan"))
                    for axis in ("lat", "lon"):
                        self.assertAlmostEqual(desa[axis], float(row[axis]),
                                               delta=COORDINATE_TOLERANCE)
                    seen.add(desa["code"])
        self.assertEqual(len(seen), KUKAR_VILLAGES)

    def test_villages_of_an_unknown_kecamatan_are_not_found(self):
        for code in ("64.02.99", "64.01.01", "64.02.01.2001", "abc", "64.02.1"):
            with self.subTest(code=code):
                response = self.request("GET", f"/v1/kecamatan/{code}/desa")
                self.assertEqual(response.status, 404, response.body)
                self.assertEqual(response.json["error"]["code"], "not_found")

    def test_kecamatan_routes_allow_only_get_and_head(self):
        for path in ("/v1/kecamatan", "/v1/kecamatan/64.02.01/desa"):
            with self.subTest(path=path):
                response = self.request("POST", path, json_body={})
                self.assert_error(response, 405, "method_not_allowed")
                allowed = {method.strip() for method in response.headers["allow"].split(",")}
                self.assertEqual(allowed, {"GET", "HEAD"})

    def test_reference_data_is_served_without_a_token(self):
        for path in ("/v1/kecamatan", "/v1/kecamatan/64.02.01/desa", "/v1/skills?q=las"):
            with self.subTest(path=path):
                response = self.request("GET", path)
                self.assertEqual(response.status, 200, response.body)
                self.assertNotIn("www-authenticate", response.headers)


class SkillsTest(ApiTestCase):

    def search(self, query):
        return self.get_json("/v1/skills?" + query)["skills"]

    def synonym_owner(self, synonym):
        rows = self.sql("select k.code from skill_synonyms s join skills k on k.id = s.skill_id "
                        "where s.synonym = $1", synonym)
        self.assertEqual(len(rows), 1, f"the taxonomy has no synonym {synonym!r}")
        return rows[0][0]

    def test_las_welding_and_pengelasan_find_the_same_skill(self):
        welding = self.synonym_owner("las")
        self.assertEqual(self.synonym_owner("welding"), welding)
        self.assertEqual(self.synonym_owner("pengelasan"), welding)
        for term in ("las", "welding", "pengelasan", "LAS", "  Welding ", "PengeLasan"):
            with self.subTest(term=term):
                found = self.search(urllib.parse.urlencode({"q": term}))
                self.assertTrue(found, f"nothing found for {term!r}")
                self.assertEqual(found[0]["code"], welding)

    def test_skill_results_carry_code_and_both_labels(self):
        found = self.search("q=operator")
        self.assertTrue(found)
        for skill in found:
            self.assertEqual(set(skill), {"code", "label", "label_en"})
            self.assertRegex(skill["code"], r"^[a-z0-9_]+$")
            self.assertTrue(skill["label"].strip())
            self.assertTrue(skill["label_en"].strip())
        self.assertEqual(len({skill["code"] for skill in found}), len(found))

    def test_every_skill_is_found_first_by_its_labels(self):
        rows = self.sql("select code, label_id, label_en from skills order by id")
        self.assertGreaterEqual(len(rows), 150, "the taxonomy must hold at least 150 skills")
        for code, label_id, label_en in rows:
            for label in (label_id, label_en):
                with self.subTest(code=code, label=label):
                    found = self.search(urllib.parse.urlencode({"q": label, "limit": 1}))
                    self.assertEqual([skill["code"] for skill in found], [code])

    def test_taxonomy_covers_the_sectors_of_kukar(self):
        sectors = {row[0] for row in self.sql("select distinct sector from skills")}
        for sector in ("mining", "oil_gas", "fisheries", "construction", "logistics",
                       "hospitality", "office", "it", "care"):
            self.assertIn(sector, sectors)
        self.assertTrue(sectors & {"plantation", "palm_oil"}, sectors)
        self.assertTrue(sectors & {"manufacturing", "processing"}, sectors)

    def test_query_matches_inside_labels(self):
        codes = [skill["code"] for skill in self.search("q=alat+berat&limit=50")]
        self.assertIn(self.synonym_owner("operator alat berat"), codes)
        self.assertEqual(codes, [skill["code"] for skill in self.search("q=alat%20berat&limit=50")])

    def test_search_without_a_query_returns_the_default_number(self):
        self.assertEqual(len(self.search("")), SKILLS_DEFAULT_LIMIT)
        self.assertEqual(len(self.search("q=")), SKILLS_DEFAULT_LIMIT)

    def test_limit_from_one_to_fifty_is_honoured(self):
        for limit in (1, 7, SKILLS_MAX_LIMIT):
            with self.subTest(limit=limit):
                found = self.search(f"limit={limit}")
                self.assertEqual(len(found), limit)
                self.assertEqual(len({skill["code"] for skill in found}), limit)

    def test_limit_outside_one_to_fifty_is_rejected(self):
        for limit in ("0", "51", "-1", "abc", "", "1.5", "10x", "99999999999999999999"):
            with self.subTest(limit=limit):
                response = self.request("GET", f"/v1/skills?q=las&limit={limit}")
                self.assert_error(response, 422, "validation_failed", "limit")

    def test_unknown_query_parameter_is_rejected(self):
        response = self.request("GET", "/v1/skills?q=las&sector=mining")
        self.assert_error(response, 422, "unknown_field", "sector")

    def test_overlong_query_is_rejected(self):
        response = self.request("GET", "/v1/skills?q=" + "a" * 200)
        self.assert_error(response, 422, "validation_failed", "q")

    def test_query_matching_nothing_gives_an_empty_list(self):
        self.assertEqual(self.search("q=zzqqxxjj"), [])

    def test_non_ascii_query_is_answered(self):
        query = urllib.parse.urlencode({"q": "pengelasan \u00e9\u00e8 \u6f22"})
        response = self.request("GET", "/v1/skills?" + query)
        self.assertEqual(response.status, 200, response.body)
        self.assertIsInstance(response.json["skills"], list)


if __name__ == "__main__":
    harness.main()
