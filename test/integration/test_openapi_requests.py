"""Requests against the OpenAPI description: what the description lets a
client send, the daemon takes, and what it refuses, the daemon refuses with
422 naming the field.  Null is refused wherever the description does not
make a field nullable (and taken where it does); an empty string is refused
exactly where the description refuses it; q of GET /v1/skills is counted in
characters, as JSON Schema counts maxLength; each cursor and the typed
registration code follow their own patterns.  And the answers every
operation may give whatever it is sent are described: 400 for a token in
the query string or a repeated Authorization header, 401 for a malformed
one."""

import copy
import os
import re
import urllib.parse

import harness
from test_openapi import (DOCUMENT, SOURCE_ROOT, AnswersTestCase, operations, resolve,
                          schema_errors)

DESA = "64.02.06.1001"
UNKNOWN_ID = 2 ** 53 - 1
FAR_FUTURE = "2099-12-31"


def request_schema(pattern, method):
    operation = DOCUMENT["paths"][pattern][method.lower()]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def properties(schema, prefix=()):
    """(path, schema) of every property of schema, those of nested objects
    included; path is a tuple of names."""
    schema = resolve(schema)
    for name, value in schema.get("properties", {}).items():
        value = resolve(value)
        yield prefix + (name,), value
        if "properties" in value:
            yield from properties(value, prefix + (name,))


def with_value(body, path, value):
    """A copy of body with the property at path set to value."""
    changed = copy.deepcopy(body)
    target = changed
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    return changed


def daemon_field(path):
    """The field the daemon names for a fault at path: the path itself,
    except inside a match policy, which is judged as a whole."""
    return "policy" if path[0] == "policy" else ".".join(path)


def takes_strings(schema):
    kinds = schema.get("type")
    if kinds == "string" or (isinstance(kinds, list) and "string" in kinds):
        return True
    return bool(schema.get("enum")) and all(isinstance(v, str) for v in schema["enum"])


def concrete(pattern):
    return (pattern.replace("{id}", str(UNKNOWN_ID)).replace("{code}", "64.02.06")
            .replace("{file}", "kiosk.css"))


class RequestRulesTest(AnswersTestCase):

    serve_args = ("--rate-limit-status", "10000000")

    def setUp(self):
        super().setUp()
        desa = next(row for row in harness.load_desa() if row["code"] == DESA)
        self.centroid = {"lat": float(desa["lat"]), "lon": float(desa["lon"])}
        skills = self.request("GET", "/v1/skills?limit=2").json["skills"]
        self.skill_codes = [skill["code"] for skill in skills]
        self.vacancy = self.request("POST", "/v1/vacancies", token=self.tokens["employer"],
                                    json_body=self.vacancy_body()).json["id"]

    def vacancy_body(self):
        return {"employer_id": self.kd.employer_ids["employer"], "title": "Juru Las Aturan",
                "kbji_code": "7212", "desa_code": DESA, "location": dict(self.centroid),
                "required_skills": self.skill_codes[:1], "optional_skills": self.skill_codes[1:],
                "min_education": "SMK", "openings": 2, "wage_min": 4000000,
                "wage_max": 5000000, "closes_on": FAR_FUTURE, "disability_friendly": False}

    def samples(self):
        """Per (pattern, method) of every operation with a JSON body: the
        path, the token and a function making a valid body with every
        optional field given."""
        tokens = self.tokens
        made = {
            ("/v1/seekers", "POST"): ("/v1/seekers", tokens["kiosk"], lambda: self.person(
                desa_code=DESA, location=dict(self.centroid), max_distance_km=25,
                guardian_consent=True)),
            ("/v1/employers", "POST"): ("/v1/employers", tokens["admin"], lambda: {
                "name": "PT Aturan Uji", "kbli_code": "05100", "desa_code": DESA,
                "contacts": {"name": "Kontak Uji", "phone": "0812-3456-0007",
                             "email": "hrd@uji.example"}}),
            ("/v1/vacancies", "POST"): ("/v1/vacancies", tokens["employer"], self.vacancy_body),
            ("/v1/vacancies/{id}", "PATCH"): (
                f"/v1/vacancies/{self.vacancy}", tokens["employer"],
                lambda: {"openings": 2, "closes_on": FAR_FUTURE, "status": "open"}),
            ("/v1/match-runs", "POST"): ("/v1/match-runs", tokens["admin"], lambda: {
                "mode": "stable",
                "policy": {"max_distance_km": 50, "min_required_coverage": 0.5,
                           "candidates_per_seeker": 10, "local_priority": "strict",
                           "weights": {"skill_fit": 1, "distance": 1, "same_kecamatan": 1},
                           "distance_scale_km": 10, "decision_days": 7}}),
            ("/v1/placements/{id}/decision", "POST"): (
                f"/v1/placements/{UNKNOWN_ID}/decision", tokens["employer"],
                lambda: {"decision": "rejected", "reason_code": "other"}),
            ("/v1/status", "POST"): ("/v1/status", None, lambda: {
                "code": "ZZZZ-ZZZ1", "birth_date": "2000-01-01"}),
            ("/v1/status/decline", "POST"): ("/v1/status/decline", None, lambda: {
                "registration_code": "ZZZZ-ZZZ2", "birth_date": "2000-01-01",
                "placement_id": UNKNOWN_ID, "reason_code": "other"}),
        }
        with_bodies = {(path, method) for path, method, operation in operations()
                       if "requestBody" in operation}
        self.assertEqual(with_bodies - set(made), set(), "operations without a sample body")
        return {key: value for key, value in made.items() if key in with_bodies}

    def judge(self, where, response, refused, field):
        """Failures of response, which should be 422 naming field when
        refused, else taken (2xx, or 404 for an unknown resource)."""
        error = (response.json or {}).get("error") or {}
        if refused and (response.status != 422 or error.get("field") != field):
            return [f"{where}: the description refuses it, the daemon answered "
                    f"{response.status} {response.body[:200]!r}"]
        if not refused and response.status not in (200, 201, 202, 204, 404):
            return [f"{where}: the description takes it, the daemon answered "
                    f"{response.status} {response.body[:200]!r}"]
        return []

    def test_null_is_refused_wherever_the_description_does_not_allow_it(self):
        failures, nullable = [], []
        for (pattern, method), (path, token, make) in self.samples().items():
            schema = request_schema(pattern, method)
            for field, _ in properties(schema):
                body = with_value(make(), field, None)
                refused = bool(schema_errors(body, schema))
                if not refused:
                    nullable.append(f"{method} {pattern} {'.'.join(field)}")
                response = self.request(method, path, json_body=body, token=token)
                failures += self.judge(f"{method} {pattern} {'.'.join(field)}: null", response,
                                       refused, daemon_field(field))
        self.assertEqual(failures, [], "\n" + "\n".join(failures))
        # The checker is awake: the one nullable field of a request was met.
        self.assertEqual(nullable, ["PATCH /v1/vacancies/{id} closes_on"])

    def test_an_empty_string_is_refused_exactly_where_the_description_refuses_it(self):
        failures = []
        for (pattern, method), (path, token, make) in self.samples().items():
            schema = request_schema(pattern, method)
            for field, value_schema in properties(schema):
                if not takes_strings(value_schema):
                    continue
                body = with_value(make(), field, "")
                refused = bool(schema_errors(body, schema))
                response = self.request(method, path, json_body=body, token=token)
                failures += self.judge(f"{method} {pattern} {'.'.join(field)}: \"\"", response,
                                       refused, daemon_field(field))
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def test_q_of_skills_is_counted_in_characters(self):
        parameter = next(p for p in DOCUMENT["paths"]["/v1/skills"]["get"]["parameters"]
                         if p.get("name") == "q")
        failures = []
        for q in ("", "las", "a" * 127, "\u00e9" * 127, "\U0001f527" * 127, "a" * 128,
                  "\u00e9" * 128, "\U0001f527" * 128):
            refused = bool(schema_errors(q, parameter["schema"]))
            response = self.request("GET", "/v1/skills?q=" + urllib.parse.quote(q))
            failures += self.judge(f"q of {len(q)} characters, {len(q.encode())} bytes",
                                   response, refused, "q")
        self.assertEqual(failures, [], "\n" + "\n".join(failures))
        for query, problem in (("q=%00", "nul"), ("q=a%00b", "nul"), ("q=%zz", "percent"),
                               ("q=%FF", "utf-8"), ("q=%C3", "utf-8")):
            response = self.described("GET", "/v1/skills", "/v1/skills?" + query, expect=422)
            error = response.json["error"]
            self.assertEqual(error["field"], "q", query)
            self.assertIn(problem, error["message"], query)

    def test_each_cursor_has_its_own_pattern_and_the_daemon_keeps_to_it(self):
        refs = {}
        failures = []
        for pattern, token in (("/v1/vacancies", "kiosk"), ("/v1/placements", "employer")):
            listed = DOCUMENT["paths"][pattern]["get"]["parameters"]
            ref = next(p["$ref"] for p in listed if resolve(p)["name"] == "cursor")
            refs[pattern] = ref
            schema = resolve({"$ref": ref})["schema"]
            self.assertIn("pattern", schema, ref)
            for cursor in ("0", "7", "000123", "9" * 18, "", "-1", "+1", " 1", "1 ", "1.5",
                           "abc", "0x1f", "9" * 19, "9223372036854775807"):
                refused = bool(schema_errors(cursor, schema))
                response = self.request("GET", f"{pattern}?cursor={urllib.parse.quote(cursor)}",
                                        token=self.tokens[token])
                failures += self.judge(f"GET {pattern} cursor {cursor!r}", response, refused,
                                       "cursor")
        self.assertNotEqual(refs["/v1/vacancies"], refs["/v1/placements"],
                            "the two cursors share one component")
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def test_registration_codes_as_typed_follow_their_pattern(self):
        failures = []
        cases = (("/v1/status/decline", "registration_code",
                  ("PQRS-TVWX", "pqrstvwy", "0O1I-LL2Z")),
                 ("/v1/status", "code", ("MNPQ-RSTV", "mnpqrstw", "1ILO-0OAB")))
        samples = self.samples()
        for pattern, name, valid in cases:
            if (pattern, "POST") not in samples:
                continue
            path, _, make = samples[(pattern, "POST")]
            schema = request_schema(pattern, "POST")
            self.assertIn("pattern", resolve(schema)["properties"][name], pattern)
            for code in valid + ("", "PQRS-TVWU", "PQRS--TVWX", "PQR-STVWX", "PQRSTVWXY",
                                 "PQRS TVWX", "PQRS-TVW", "PQRS-TVW\u00e9"):
                body = with_value(make(), (name,), code)
                refused = bool(schema_errors(body, schema))
                if code in valid:
                    self.assertFalse(refused, f"{pattern}: {code!r}")
                response = self.request("POST", path, json_body=body)
                failures += self.judge(f"POST {pattern} {name} {code!r}", response, refused,
                                       name)
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def test_the_licence_named_is_the_projects(self):
        with open(os.path.join(SOURCE_ROOT, "meson.build"), encoding="utf-8") as build:
            licence = re.search(r"project\([^)]*?license\s*:\s*'([^']+)'", build.read(), re.S)
        self.assertEqual(DOCUMENT["info"]["license"]["identifier"], licence.group(1))

    def test_a_token_in_the_query_is_a_described_400_everywhere(self):
        for pattern, method, operation in operations():
            self.assertIn("400", operation["responses"], f"{method} {pattern}")
            target = concrete(pattern)
            response = self.described(method, pattern, f"{target}?access_token=x", expect=400,
                                      json_body={} if "requestBody" in operation else None)
            self.assertEqual(response.json["error"]["code"], "token_in_query")

    def test_malformed_authorization_is_described_wherever_a_token_is_taken(self):
        with_token = [(pattern, method, operation) for pattern, method, operation in operations()
                      if operation["security"]]
        self.assertGreater(len(with_token), 10)
        for pattern, method, operation in with_token:
            target = concrete(pattern)
            body = {} if "requestBody" in operation else None
            for value in ("Bearer garbage", "Bearer", "Basic x", "kd_only_a_token"):
                response = self.described(method, pattern, target, expect=401, json_body=body,
                                          headers={"Authorization": value})
                self.assertEqual(response.headers.get("www-authenticate"), "Bearer")
            # Two Authorization headers are broken framing, answered by the
            # server before any route.
            with self.raw() as conn:
                conn.send(f"{method} {target} HTTP/1.1\r\nHost: kerjadekat\r\n"
                          f"Authorization: Bearer {self.tokens['admin']}\r\n"
                          f"Authorization: Bearer {self.tokens['admin']}\r\n"
                          "Content-Length: 0\r\n\r\n".encode())
                response = conn.read_response()
            where = f"{method} {pattern} with two Authorization headers"
            self.assertEqual(response.status, 400, f"{where}: {response.body!r}")
            declared = resolve(operation["responses"].get("400", {}))
            self.assertIn("content", declared, f"{where}: 400 not described")
            self.assertEqual(schema_errors(
                response.json, declared["content"]["application/json"]["schema"]), [], where)


if __name__ == "__main__":
    harness.main()
