"""The OpenAPI description at /v1/openapi.json.  It is the file kept in the
repository (service/openapi/openapi.json), served with an ETag and a 304 for
a current copy.  It describes exactly the routes the daemon serves: the
route table in routes.c and the daemon's own 405 answers agree with it in
both directions, and the roles it names are those the access matrix
proves.  It is a sound OpenAPI 3.1 document: every $ref resolves, operation
ids are unique, every path parameter is declared, every schema is valid
JSON Schema 2020-12, and its version is the build's.  And what the daemon
really answers, successes and errors alike, has a status the operation
declares, the declared media type, the declared required headers and a body
its schema accepts."""

import json
import os
import re

from jsonschema import Draft202012Validator, FormatChecker

import harness
from test_access_matrix import PUBLIC, ROUTES, served_routes_in_source

SOURCE_ROOT = os.environ.get("KD_SOURCE_ROOT") or \
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DOCUMENT_PATH = os.path.join(SOURCE_ROOT, "service", "openapi", "openapi.json")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DESA = "64.02.06.1001"
KECAMATAN = "64.02.06"


def load_document():
    with open(DOCUMENT_PATH, encoding="utf-8") as source:
        return json.load(source)


DOCUMENT = load_document()


def resolve(node, document=DOCUMENT):
    """node with its $ref chain followed (local references only)."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise AssertionError(f"unresolvable reference {ref}")
        seen.add(ref)
        target = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise AssertionError(f"reference {ref} names nothing")
            target = target[part]
        node = target
    return node


def values_under(key, node):
    """Every value stored under key anywhere in node."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key:
                yield value
            yield from values_under(key, value)
    elif isinstance(node, list):
        for value in node:
            yield from values_under(key, value)


def operations(document=DOCUMENT):
    """(path, method in upper case, operation) of every operation."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method.upper(), operation


def schema_errors(instance, schema):
    """What makes instance fail schema, which may refer to the document's
    components; an empty list when it conforms."""
    wrapper = {"$schema": "https://json-schema.org/draft/2020-12/schema",
               "allOf": [schema], "components": DOCUMENT["components"]}
    validator = Draft202012Validator(wrapper, format_checker=FormatChecker())
    return sorted(f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                  for error in validator.iter_errors(instance))


def project_version():
    with open(os.path.join(SOURCE_ROOT, "meson.build"), encoding="utf-8") as build:
        found = re.search(r"project\([^)]*?version\s*:\s*'([^']+)'", build.read(), re.S)
    return found.group(1)


class OpenapiDocumentTest(harness.KerjadekatTestCase):

    def test_the_daemon_serves_the_repository_file_with_an_etag(self):
        response = self.request("GET", "/v1/openapi.json")
        self.assertEqual(response.status, 200, response.body[:300])
        self.assertEqual(response.headers["content-type"].split(";")[0], "application/json")
        self.assertEqual(response.json, DOCUMENT)
        with open(DOCUMENT_PATH, "rb") as source:
            self.assertEqual(response.body, source.read())
        self.assertEqual(response.headers["cache-control"], "max-age=300")
        self.assertEqual(response.headers["access-control-allow-origin"], "*")
        etag = response.headers["etag"]
        self.assertRegex(etag, r'^"[^"]+"$')

        for validator in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            current = self.request("GET", "/v1/openapi.json", headers={"If-None-Match": validator})
            self.assertEqual(current.status, 304, validator)
            self.assertEqual(current.body, b"")
            self.assertEqual(current.headers["etag"], etag)
        stale = self.request("GET", "/v1/openapi.json", headers={"If-None-Match": '"other"'})
        self.assertEqual(stale.status, 200)
        self.assertEqual(stale.body, response.body)
        head = self.request("HEAD", "/v1/openapi.json")
        self.assertEqual((head.status, head.body), (200, b""))
        self.assertEqual(head.headers["content-length"], str(len(response.body)))

    def test_every_served_route_is_described_and_every_described_route_is_served(self):
        described = {(path, method) for path, method, _ in operations()}
        served = served_routes_in_source()
        self.assertEqual(served - described, set(), "served but not described")
        self.assertEqual(described - served, set(), "described but not served")

    def test_the_daemon_allows_exactly_the_described_methods_on_every_path(self):
        # An unserved method on a served path gets 405 with Allow; a path the
        # daemon does not serve gets 404: so this proves the description
        # against the running daemon, not only against routes.c.
        for path, item in DOCUMENT["paths"].items():
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            allowed = {method.upper() for method in item if method in METHODS}
            if "GET" in allowed:
                allowed.add("HEAD")
            response = self.request("PUT", concrete, json_body={})
            self.assertEqual(response.status, 405, f"PUT {concrete}: {response.body[:200]!r}")
            self.assertEqual({m.strip() for m in response.headers["allow"].split(",")}, allowed,
                             path)
        undescribed = self.request("GET", "/v1/undescribed")
        self.assertEqual(undescribed.status, 404)

    def test_roles_are_those_the_access_matrix_proves(self):
        matrix = {(path, method): answers for path, method, answers in ROUTES}
        self.assertEqual(set(matrix), {(path, method) for path, method, _ in operations()})
        for path, method, operation in operations():
            answers = matrix[(path, method)]
            if answers == PUBLIC:
                expected = ["public"]
            else:
                expected = [role for role, answer in answers.items() if answer != 403]
            self.assertEqual(sorted(operation["x-roles"]), sorted(expected), f"{method} {path}")
            if answers == PUBLIC:
                self.assertEqual(operation["security"], [], f"{method} {path}")
            else:
                scheme = "metricsToken" if expected == ["metrics"] else "apiToken"
                self.assertEqual(operation["security"], [{scheme: []}], f"{method} {path}")
                self.assertIn("401", operation["responses"], f"{method} {path}")
            if any(answer == 403 for answer in (answers if answers != PUBLIC else {}).values()):
                self.assertIn("403", operation["responses"], f"{method} {path}")
            if any(answer in ("own", "other") for answer in
                   (answers if answers != PUBLIC else {}).values()):
                self.assertIn("404", operation["responses"], f"{method} {path}")

    def test_the_document_is_sound_openapi_3_1(self):
        self.assertEqual(DOCUMENT["openapi"], "3.1.0")
        self.assertEqual(DOCUMENT["info"]["version"], project_version())
        for ref in values_under("$ref", DOCUMENT):
            resolve({"$ref": ref})

        ids = [operation["operationId"] for _, _, operation in operations()]
        self.assertEqual(len(ids), len(set(ids)), "operation ids repeat")
        schemes = set(DOCUMENT["components"]["securitySchemes"])
        tags = {tag["name"] for tag in DOCUMENT.get("tags", [])}
        for path, method, operation in operations():
            where = f"{method} {path}"
            self.assertTrue(operation.get("summary"), where)
            self.assertTrue(operation["responses"], where)
            self.assertLessEqual(set(operation.get("tags", [])), tags, where)
            for requirement in operation["security"]:
                self.assertLessEqual(set(requirement), schemes, where)
            parameters = [resolve(p) for p in DOCUMENT["paths"][path].get("parameters", []) +
                          operation.get("parameters", [])]
            in_path = {p["name"] for p in parameters if p["in"] == "path"}
            self.assertEqual(in_path, set(re.findall(r"\{([^}]+)\}", path)), where)
            for parameter in parameters:
                if parameter["in"] == "path":
                    self.assertIs(parameter.get("required"), True, f"{where} {parameter['name']}")
            for status, response in operation["responses"].items():
                self.assertRegex(status, r"^[1-5][0-9][0-9]$", where)
                self.assertTrue(resolve(response).get("description"), f"{where} {status}")

    def test_every_schema_is_valid_json_schema_2020_12(self):
        found = list(DOCUMENT["components"]["schemas"].values()) + \
            [schema for schema in values_under("schema", DOCUMENT) if isinstance(schema, dict)]
        self.assertGreater(len(found), 40)
        for schema in found:
            Draft202012Validator.check_schema(schema)
        # And the checker is awake: a body the Error schema must refuse.
        self.assertTrue(schema_errors({"error": {"code": "x"}},
                                      {"$ref": "#/components/schemas/Error"}))


class AnswersTestCase(harness.KerjadekatTestCase):
    """Real answers against the description: each call names the described
    path it exercises."""

    def setUp(self):
        super().setUp()
        self.sql("UPDATE seekers SET status = 'inactive' WHERE status = 'active'")
        self.sql("UPDATE vacancies SET status = 'closed' WHERE status = 'open'")

    def described(self, method, pattern, path=None, expect=None, **request):
        """The answer to method path (default: pattern), after asserting that
        it conforms to what the description says of pattern and method."""
        response = self.request(method, path or pattern, **request)
        where = f"{method} {path or pattern} -> {response.status}"
        if expect is not None:
            self.assertEqual(response.status, expect, f"{where}: {response.body[:300]!r}")
        operation = DOCUMENT["paths"][pattern][method.lower()]
        declared = operation["responses"].get(str(response.status))
        self.assertIsNotNone(declared, f"{where}: status not described")
        declared = resolve(declared)
        for name, header in declared.get("headers", {}).items():
            header = resolve(header)
            value = response.headers.get(name.lower())
            if header.get("required"):
                self.assertIsNotNone(value, f"{where}: no {name}")
            if value is not None:
                if header["schema"].get("type") == "integer":
                    value = int(value)
                self.assertEqual(schema_errors(value, header["schema"]), [], f"{where} {name}")
        content = declared.get("content")
        if not content:
            self.assertEqual(response.body, b"", where)
            return response
        media = response.headers["content-type"].split(";")[0].strip()
        self.assertIn(media, content, where)
        if media == "application/json":
            self.assertEqual(schema_errors(response.json, content[media]["schema"]), [],
                             f"{where}: {response.body[:400]!r}")
        return response

    def wait_run(self, run_id):
        """Asserts that the run ends done, checking GET /v1/match-runs/{id}
        against the description before and after."""
        self.described("GET", "/v1/match-runs/{id}", f"/v1/match-runs/{run_id}", expect=200,
                       token=self.tokens["admin"])
        self.assertEqual(self.kd.ended_match_run(run_id)["state"], "done")
        self.described("GET", "/v1/match-runs/{id}", f"/v1/match-runs/{run_id}", expect=200,
                       token=self.tokens["admin"])



class OpenapiAnswersTest(AnswersTestCase):

    serve_args = ("--rate-limit-status", "10000000")

    def test_reference_answers(self):
        self.described("GET", "/v1/health", expect=200)
        listed = self.described("GET", "/v1/kecamatan", expect=200)
        self.assertEqual(len(listed.json["kecamatan"]), 20)
        regencies = self.described("GET", "/v1/regencies", expect=200)
        self.assertEqual([item["code"] for item in regencies.json["regencies"]], ["64.02"])
        pattern = "/v1/kecamatan/{code}/desa"
        self.described("GET", pattern, f"/v1/kecamatan/{KECAMATAN}/desa", expect=200)
        self.described("GET", pattern, "/v1/kecamatan/64.02.99/desa", expect=404)
        found = self.described("GET", "/v1/skills", "/v1/skills?q=las", expect=200)
        self.assertTrue(found.json["skills"])
        self.described("GET", "/v1/skills", "/v1/skills?colour=red", expect=422)
        self.described("GET", "/v1/skills", "/v1/skills?q=" + "a" * 200, expect=422)

    def test_seeker_answers(self):
        kiosk = self.tokens["kiosk"]
        body = self.person(desa_code=DESA, skills=["las"], education="SMK")
        key = {"Idempotency-Key": "openapi-seeker-1"}
        receipt = self.described("POST", "/v1/seekers", expect=201, json_body=body, token=kiosk,
                                 headers=key)
        replay = self.described("POST", "/v1/seekers", expect=201, json_body=body, token=kiosk,
                                headers=key)
        self.assertEqual(replay.headers.get("idempotent-replayed"), "true")
        self.assertEqual((replay.body, replay.headers["location"]),
                         (receipt.body, receipt.headers["location"]))
        self.described("POST", "/v1/seekers", expect=409, json_body=body, token=kiosk)
        bad = self.described("POST", "/v1/seekers", expect=422, token=kiosk,
                             json_body=dict(self.person(), nik="12"))
        self.assertEqual(bad.json["error"]["field"], "nik")
        self.described("POST", "/v1/seekers", expect=400, token=kiosk, raw_body=b"{")
        self.described("POST", "/v1/seekers", expect=415, token=kiosk, raw_body=b"{}",
                       headers={"Content-Type": "text/plain"})
        self.described("POST", "/v1/seekers", expect=413, token=kiosk,
                       raw_body=b'{"x":"' + b"a" * 70000 + b'"}')
        self.described("POST", "/v1/seekers", expect=401, json_body=body)
        self.described("POST", "/v1/seekers", expect=403, json_body=body,
                       token=self.tokens["employer"])

        seeker = receipt.json["id"]
        self.described("GET", "/v1/seekers/{id}", f"/v1/seekers/{seeker}", expect=200,
                       token=kiosk)
        self.described("GET", "/v1/seekers/{id}", "/v1/seekers/9007199254740991", expect=404,
                       token=kiosk)
        pattern = "/v1/seekers/{id}/recommendations"
        self.described("GET", pattern, f"/v1/seekers/{seeker}/recommendations", expect=200,
                       token=kiosk)
        self.described("GET", pattern, f"/v1/seekers/{seeker}/recommendations?limit=0",
                       expect=422, token=kiosk)
        self.described("DELETE", "/v1/seekers/{id}", f"/v1/seekers/{seeker}", expect=403,
                       token=kiosk)
        self.described("DELETE", "/v1/seekers/{id}", f"/v1/seekers/{seeker}", expect=204,
                       token=self.tokens["admin"])
        self.described("DELETE", "/v1/seekers/{id}", f"/v1/seekers/{seeker}", expect=404,
                       token=self.tokens["admin"])

    def test_employer_vacancy_and_match_answers(self):
        admin, employer = self.tokens["admin"], self.tokens["employer"]
        self.described("POST", "/v1/employers", expect=201, token=admin,
                       json_body={"name": "PT Deskripsi Uji", "desa_code": DESA})
        self.described("POST", "/v1/employers", expect=422, token=admin,
                       json_body={"name": "PT Deskripsi Uji", "desa_code": "99.99"})
        vacancy = {"title": "Operator Uji", "desa_code": DESA, "required_skills": ["las"],
                   "min_education": "SMK", "openings": 2}
        created = self.described("POST", "/v1/vacancies", expect=201, token=employer,
                                 json_body=vacancy)
        self.described("POST", "/v1/vacancies", expect=422, token=employer,
                       json_body=dict(vacancy, openings=0))
        page = self.described("GET", "/v1/vacancies", "/v1/vacancies?limit=1", expect=200,
                              token=employer)
        self.assertEqual(len(page.json["vacancies"]), 1)
        self.described("GET", "/v1/vacancies", "/v1/vacancies?cursor=%21", expect=422,
                       token=employer)
        pattern = "/v1/vacancies/{id}"
        self.described("PATCH", pattern, f"/v1/vacancies/{created.json['id']}", expect=200,
                       token=employer, json_body={"openings": 3})
        self.described("PATCH", pattern, "/v1/vacancies/9007199254740991", expect=404,
                       token=employer, json_body={"openings": 3})

        self.described("POST", "/v1/match-runs", expect=422, token=admin,
                       json_body={"mode": "greedy"})
        started = self.described("POST", "/v1/match-runs", expect=202, token=admin,
                                 json_body={})
        self.wait_run(started.json["id"])
        self.described("GET", "/v1/match-runs/{id}", "/v1/match-runs/9007199254740991",
                       expect=404, token=admin)

    def test_placement_and_status_answers(self):
        kiosk, employer, admin = self.tokens["kiosk"], self.tokens["employer"], self.tokens["admin"]
        people = [self.person(desa_code=DESA, skills=["las"], education="SMK") for _ in range(2)]
        receipts = [self.described("POST", "/v1/seekers", expect=201, json_body=person,
                                   token=kiosk).json for person in people]
        self.described("POST", "/v1/vacancies", expect=201, token=employer,
                       json_body={"title": "Juru Las Deskripsi", "desa_code": DESA,
                                  "required_skills": ["las"], "min_education": "SMK",
                                  "openings": 2})
        started = self.described("POST", "/v1/match-runs", expect=202, token=admin,
                                 json_body={})
        self.wait_run(started.json["id"])

        pending = self.described("GET", "/v1/placements", "/v1/placements?state=pending",
                                 expect=200, token=employer)
        offers = {item["seeker"]["id"]: item["id"] for item in pending.json["placements"]}
        self.assertEqual(set(offers), {receipt["id"] for receipt in receipts})
        self.described("GET", "/v1/placements", "/v1/placements?state=maybe", expect=422,
                       token=employer)

        pattern = "/v1/placements/{id}/decision"
        first = offers[receipts[0]["id"]]
        self.described("POST", pattern, f"/v1/placements/{first}/decision", expect=200,
                       token=employer, json_body={"decision": "accepted"})
        self.described("POST", pattern, f"/v1/placements/{first}/decision", expect=409,
                       token=employer, json_body={"decision": "rejected",
                                                  "reason_code": "no_show"})
        self.described("POST", pattern, f"/v1/placements/{first}/decision", expect=422,
                       token=employer, json_body={"decision": "perhaps"})
        self.described("POST", pattern, "/v1/placements/9007199254740991/decision",
                       expect=404, token=employer, json_body={"decision": "accepted"})

        second = receipts[1]["registration_code"]
        status = self.described("POST", "/v1/status", expect=200,
                                json_body={"code": second, "birth_date": people[1]["birth_date"]})
        self.assertEqual(len(status.json["placements"]), 1)
        self.described("POST", "/v1/status/decline", expect=200,
                       json_body={"registration_code": second,
                                  "birth_date": people[1]["birth_date"],
                                  "placement_id": offers[receipts[1]["id"]]})
        self.described("POST", "/v1/status", expect=404,
                       json_body={"code": second, "birth_date": "2000-01-01"})
        self.described("POST", "/v1/status", expect=422,
                       json_body={"code": "nope", "birth_date": "2000-01-01"})
        self.described("POST", "/v1/status", expect=400, raw_body=b"[]")
        self.described("POST", "/v1/status", expect=415, raw_body=b"{}",
                       headers={"Content-Type": "text/plain"})
        self.described("GET", "/v1/status",
                       f"/v1/status?code={second}&birth_date={people[1]['birth_date']}",
                       expect=410)
        self.described("POST", "/v1/status/decline", expect=422,
                       json_body={"registration_code": "AAAA-AAAA", "birth_date": "2000-01-01",
                                  "placement_id": 0})

    def test_page_document_and_metrics_answers(self):
        page = self.described("GET", "/", expect=200)
        self.described("GET", "/", expect=304, headers={"If-None-Match": page.headers["etag"]})
        names = set(re.findall(r'(?:src|href)="/kiosk/([^"]+)"', page.body.decode("utf-8")))
        self.assertTrue(names)
        for name in sorted(names):
            self.described("GET", "/kiosk/{file}", f"/kiosk/{name}", expect=200)
        self.described("GET", "/kiosk/{file}", "/kiosk/absent.js", expect=404)
        document = self.described("GET", "/v1/openapi.json", expect=200)
        self.described("GET", "/v1/openapi.json", expect=304,
                       headers={"If-None-Match": document.headers["etag"]})
        self.described("GET", "/metrics", expect=200,
                       headers={"Authorization": f"Bearer {self.kd.metrics_token}"})
        self.described("GET", "/metrics", expect=401, token=self.tokens["admin"])



class OpenapiRateLimitTest(AnswersTestCase):
    """The 429 of the status routes: at 4 a minute the burst is one call."""

    serve_args = ("--rate-limit-status", "4")

    def test_a_second_status_call_at_once_is_refused(self):
        for expect in (404, 429):
            self.described("POST", "/v1/status", expect=expect,
                           json_body={"code": "AAAA-AAAA", "birth_date": "2000-01-01"})


if __name__ == "__main__":
    harness.main()
