"""The error contract: one body shape for every error, 401 the same for
every bad token (revoked ones included), 403 for the wrong role, 404 for
unknown resources, 405 with Allow, 415 for bodies that are not JSON, 400 for
malformed JSON, and never a 500 for anything a client sends."""

import json
import time

import harness

# Per-token rate limits far above what these tests send, so that no test here
# meets a 429 it did not ask for.
GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

ERROR_KEYS = {"code", "message", "field"}
# Small limits for RateLimitTest: bursts of a quarter of the minute's allowance.
REGISTRATIONS_PER_MINUTE = 40
REQUESTS_PER_MINUTE = 80


class ErrorTestCase(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response.body)
        self.assertTrue(response.headers.get("content-type", "").startswith("application/json"))
        self.assertIsInstance(response.json, dict, response.body)
        self.assertEqual(set(response.json), {"error"}, response.body)
        error = response.json["error"]
        self.assertLessEqual(set(error), ERROR_KEYS, response.body)
        self.assertEqual(error.get("code"), code, response.body)
        self.assertIsInstance(error.get("message"), str)
        self.assertTrue(error["message"])
        self.assertEqual(error.get("field"), field, response.body)

    def seeker_body(self):
        return json.dumps(self.kd.persons.seeker()).encode()

    def vacancy_id(self):
        response = self.request("POST", "/v1/vacancies", token=self.tokens["employer"],
                                json_body={"title": "Juru Las Uji", "desa_code": "64.02.06.1001",
                                           "required_skills": ["las"], "min_education": "SMK",
                                           "openings": 1})
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]


class UnauthorizedTest(ErrorTestCase):

    def protected_requests(self):
        vacancy_id = self.vacancy_id()
        return [("POST", "/v1/seekers", self.seeker_body()),
                ("GET", "/v1/seekers/1", None),
                ("POST", "/v1/employers", b'{"name":"PT Peserta Uji","desa_code":"64.02.06.1001"}'),
                ("GET", "/v1/vacancies", None),
                ("POST", "/v1/vacancies", b"{}"),
                ("PATCH", f"/v1/vacancies/{vacancy_id}", b'{"openings":1}')]

    def bad_authorizations(self):
        kiosk = self.tokens["kiosk"]
        prefix, key_id, secret = kiosk.split("_", 2)
        wrong_secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        return {
            "no header": None,
            "empty": "",
            "scheme only": "Bearer",
            "scheme and space": "Bearer ",
            "basic": "Basic dXNlcjpwYXNzd29yZA==",
            "token without scheme": kiosk,
            "unknown key id": f"Bearer {prefix}_0123456789abcdef_{secret}",
            "wrong secret": f"Bearer {prefix}_{key_id}_{wrong_secret}",
            "truncated": f"Bearer {kiosk[:-5]}",
            "extended": f"Bearer {kiosk}x",
            "not a kerjadekat token": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x",
            "long garbage": "Bearer " + "k" * 4000,
            "non-ascii": "Bearer kd_\u00e9\u00e8",
        }

    def test_every_bad_token_gets_the_same_401(self):
        reference = None
        for method, path, body in self.protected_requests():
            for description, authorization in self.bad_authorizations().items():
                with self.subTest(method=method, path=path, authorization=description):
                    headers = {"Authorization": authorization}
                    if body is not None:
                        headers["Content-Type"] = "application/json"
                    response = self.request(method, path, raw_body=body, headers=headers)
                    self.assert_error(response, 401, "unauthorized")
                    self.assertEqual(response.headers.get("www-authenticate"), "Bearer")
                    reference = reference or response.body
                    self.assertEqual(response.body, reference)

    def test_revoked_token_is_refused_at_once_with_the_same_401(self):
        token = self.kd.create_token("kiosk", "test-revoked-kiosk")
        response = self.request("GET", "/v1/vacancies", token=token)
        self.assertEqual(response.status, 200, response.body)
        unknown = self.request("GET", "/v1/vacancies", token="kd_0123456789abcdef_" + "x" * 43)
        key_id = token.split("_")[1]
        self.kd.run("token", "revoke", key_id, "--db", self.kd.conninfo)
        harness.wait_until(lambda: self.request("GET", "/v1/vacancies", token=token).status == 401,
                           harness.scaled(2), 0.05, "refusal of the revoked token")
        for method, path, body in self.protected_requests():
            with self.subTest(method=method, path=path):
                response = self.request(method, path, raw_body=body, token=token)
                self.assert_error(response, 401, "unauthorized")
                self.assertEqual(response.headers.get("www-authenticate"), "Bearer")
                self.assertEqual(response.body, unknown.body)
        other = self.request("GET", "/v1/vacancies", token=self.tokens["kiosk"])
        self.assertEqual(other.status, 200, "revoking one token must leave the others working")

    def test_revocation_in_the_database_reaches_a_daemon_that_cached_the_token(self):
        token = self.kd.create_token("admin", "test-revoked-admin")
        for _ in range(3):
            self.assertEqual(self.request("GET", "/v1/vacancies", token=token).status, 200)
        self.sql("update api_tokens set revoked_at = now() where key_id = $1", token.split("_")[1])
        harness.wait_until(lambda: self.request("GET", "/v1/vacancies", token=token).status == 401,
                           harness.scaled(2), 0.05, "refusal of the revoked token")

    def test_revocation_while_the_daemon_is_disconnected_still_takes_effect(self):
        """The revocation's notification cannot reach a daemon whose
        database sessions are gone; it must not trust its cache afterwards."""
        token = self.kd.create_token("kiosk", "test-revoked-offline")
        for _ in range(3):
            self.assertEqual(self.request("GET", "/v1/vacancies", token=token).status, 200)
        self.sql("select pg_terminate_backend(pid) from pg_stat_activity "
                 "where datname = current_database() and pid <> pg_backend_pid(); "
                 "update api_tokens set revoked_at = now() where key_id = $1",
                 token.split("_")[1])

        def refused():
            response = self.request("GET", "/v1/vacancies", token=token)
            self.assertIn(response.status, (200, 401, 503), response.body)
            return response.status == 401

        harness.wait_until(refused, harness.scaled(5), 0.1,
                           "refusal of a token revoked while the daemon was disconnected")

    def test_reference_data_ignores_a_bad_token(self):
        for path in ("/v1/health", "/v1/kecamatan", "/v1/skills?q=las"):
            with self.subTest(path=path):
                response = self.request("GET", path, headers={"Authorization": "Bearer nonsense"})
                self.assertEqual(response.status, 200, response.body)


class ForbiddenTest(ErrorTestCase):

    def test_wrong_role_is_403_before_the_body_is_judged(self):
        vacancy_id = self.vacancy_id()
        cases = [
            ("kiosk", "POST", "/v1/employers", b"{}"),
            ("kiosk", "POST", "/v1/vacancies", b"{}"),
            ("kiosk", "PATCH", f"/v1/vacancies/{vacancy_id}", b"{}"),
            ("employer", "POST", "/v1/seekers", b"{}"),
            ("employer", "GET", "/v1/seekers/1", None),
            ("employer", "POST", "/v1/employers", b"{}"),
            ("employer", "POST", "/v1/employers", b'{"name":"PT Peserta Uji",'
                                                  b'"desa_code":"64.02.06.1001"}'),
        ]
        for token, method, path, body in cases:
            with self.subTest(token=token, method=method, path=path):
                response = self.request(method, path, raw_body=body, token=self.tokens[token])
                self.assert_error(response, 403, "forbidden")
        self.assertEqual(self.sql("select count(*) from employers where name = 'PT Peserta Uji'"),
                         [("0",)])


class NotFoundAndMethodTest(ErrorTestCase):

    def test_unknown_paths_are_404(self):
        for path in ("/v1", "/v1/", "/v2/health", "/v1/health/", "/V1/HEALTH",
                     "/v1/seekers/", "/v1/kecamatan/64.02.01", "/v1/kecamatan//desa",
                     "/v1/kecamatan/64.02.01/desa/x", "/v1/vacancies/1/extra", "/v1/employer",
                     "//v1/health", "/v1/%68ealth", "/index.html", "/kiosk/nothing.js",
                     "/kiosk/../service/app.c"):
            with self.subTest(path=path):
                response = self.request("GET", path, token=self.tokens["admin"])
                self.assert_error(response, 404, "not_found")

    def test_wrong_method_is_405_with_allow(self):
        cases = [
            ("GET", "/v1/seekers", {"POST"}),
            ("DELETE", "/v1/seekers", {"POST"}),
            ("PUT", "/v1/seekers/1", {"GET", "HEAD", "DELETE"}),
            ("POST", "/v1/seekers/1", {"GET", "HEAD", "DELETE"}),
            ("GET", "/v1/employers", {"POST"}),
            ("PUT", "/v1/vacancies", {"GET", "HEAD", "POST"}),
            ("DELETE", "/v1/vacancies", {"GET", "HEAD", "POST"}),
            ("GET", "/v1/vacancies/1", {"PATCH"}),
            ("PUT", "/v1/vacancies/1", {"PATCH"}),
            ("POST", "/v1/skills", {"GET", "HEAD"}),
            ("DELETE", "/v1/kecamatan/64.02.01/desa", {"GET", "HEAD"}),
            ("OPTIONS", "/v1/health", {"GET", "HEAD"}),
        ]
        for method, path, allowed in cases:
            with self.subTest(method=method, path=path):
                for token in (None, self.tokens["admin"]):
                    response = self.request(method, path, token=token)
                    self.assert_error(response, 405, "method_not_allowed")
                    allow = {m.strip() for m in response.headers.get("allow", "").split(",")}
                    self.assertEqual(allow, allowed)


class BodyTest(ErrorTestCase):

    def json_routes(self):
        vacancy_id = self.vacancy_id()
        return [("POST", "/v1/seekers", "kiosk"), ("POST", "/v1/employers", "admin"),
                ("POST", "/v1/vacancies", "employer"),
                ("PATCH", f"/v1/vacancies/{vacancy_id}", "employer")]

    def test_body_that_is_not_json_is_415(self):
        for method, path, token in self.json_routes():
            for content_type in (None, "text/plain", "application/xml", "multipart/form-data",
                                 "application/jsonp", "json"):
                with self.subTest(method=method, path=path, content_type=content_type):
                    response = self.request(method, path, raw_body=b"{}",
                                            token=self.tokens[token],
                                            headers={"Content-Type": content_type})
                    self.assert_error(response, 415, "unsupported_media_type")

    def test_json_content_type_is_matched_without_regard_to_case(self):
        body = b'{"name":"PT Peserta Uji Kapital","desa_code":"64.02.06.1001"}'
        response = self.request("POST", "/v1/employers", token=self.tokens["admin"], raw_body=body,
                                headers={"Content-Type": "Application/JSON; charset=UTF-8"})
        self.assertEqual(response.status, 201, response.body)

    def test_malformed_json_is_400_on_every_json_route(self):
        for method, path, token in self.json_routes():
            for body in (b"{", b"", b"[]", b"nul", b'{"a":1}{"b":2}', b"\xef\xbb\xbf{}",
                         b'{"openings":01}', b'{"openings":NaN}'):
                with self.subTest(method=method, path=path, body=body):
                    response = self.request(method, path, raw_body=body, token=self.tokens[token])
                    self.assert_error(response, 400, "malformed_json")

    def test_no_body_shape_causes_a_server_error(self):
        values = [None, True, -1, 2 ** 64, 1e400, "", "\u202e", [], {}, [[]], {"": {}},
                  "x" * 10000]
        for method, path, token in self.json_routes():
            keys = {"/v1/seekers": list(self.kd.persons.seeker()),
                    "/v1/employers": ["name", "kbli_code", "desa_code", "contacts"],
                    "/v1/vacancies": ["employer_id", "title", "kbji_code", "desa_code",
                                      "location", "required_skills", "optional_skills",
                                      "min_education", "openings", "wage_min", "wage_max",
                                      "closes_on", "disability_friendly"]}.get(
                                          path, ["openings", "closes_on", "status"])
            for key in keys:
                for value in values:
                    with self.subTest(path=path, key=key, value=repr(value)[:16]):
                        # Python writes the overflowing float as Infinity, which is not JSON
                        body = json.dumps({key: value}).replace("Infinity", "1e400").encode()
                        response = self.request(method, path, raw_body=body,
                                                token=self.tokens[token])
                        self.assertIn(response.status, (200, 201, 400, 403, 404, 409, 422),
                                      response.body)
                        self.assertIsInstance(response.json, dict)
                        if response.status >= 400:
                            self.assertIn("error", response.json)


class QueryNameTest(ErrorTestCase):
    """A query parameter name is client bytes of any kind: the error that
    names it must still be a JSON body, never a 500."""

    # Names that are not UTF-8 text once percent-decoded: escapes of bytes
    # that start no character, a character cut short, the same bytes sent
    # raw, a broken escape, a control character.
    MALFORMED_NAMES = (b"%FF", b"%C3", b"x%E2%82", b"\xff", b"\xc3", b"%zz", b"%0A")

    def query_routes(self):
        return [("/v1/skills", None), ("/v1/vacancies", "kiosk"), ("/v1/placements", "admin"),
                ("/v1/seekers/1/recommendations", "admin")]

    def get_raw(self, path, query, token=None):
        """GET path?query, the query sent byte for byte as given."""
        head = b"GET " + path.encode("ascii") + b"?" + query + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if token:
            head += f"Authorization: Bearer {self.tokens[token]}\r\n".encode("ascii")
        with self.raw() as conn:
            conn.send(head + b"Connection: close\r\n\r\n")
            return conn.read_response()

    def test_a_name_that_is_not_utf8_text_is_400(self):
        for path, token in self.query_routes():
            for name in self.MALFORMED_NAMES:
                with self.subTest(path=path, name=name):
                    response = self.get_raw(path, name + b"=1", token)
                    self.assert_error(response, 400, "bad_request")

    def test_an_unknown_name_is_named_decoded_and_cut_at_a_character(self):
        cases = [(b"caf%C3%A9=1", "caf\u00e9"), (b"caf\xc3\xa9=1", "caf\u00e9"),
                 (b"a" * 62 + b"%C3%A9=1", "a" * 62), (b"a" * 62 + b"\xc3\xa9=1", "a" * 62),
                 (b"a" * 61 + b"\xe2\x82\xac=1", "a" * 61), (b"lim%69t2=1", "limit2")]
        for path, token in self.query_routes():
            for query, field in cases:
                with self.subTest(path=path, query=query):
                    self.assert_error(self.get_raw(path, query, token), 422, "unknown_field",
                                      field)

    def test_a_policy_key_cut_inside_a_character_is_422(self):
        # The matcher's message names the key, cut to 64 bytes.
        key = "a" + "\u00e9" * 40
        response = self.request("POST", "/v1/match-runs", token=self.tokens["admin"],
                                json_body={"mode": "stable", "policy": {key: 1}})
        self.assert_error(response, 422, "validation_failed", "policy")


class RateLimitTest(ErrorTestCase):
    """Each token gets a burst of a quarter of its minute's allowance and
    then 429 with Retry-After; other tokens and token-free routes are not
    affected.  Every test uses tokens of its own, so buckets start full."""

    serve_args = ("--rate-limit-registrations", str(REGISTRATIONS_PER_MINUTE),
                  "--rate-limit-requests", str(REQUESTS_PER_MINUTE))

    def until_limited(self, send, per_minute):
        """Calls send() until it answers 429; checks that happened after the
        burst (plus what refilled meanwhile) and returns the 429 response."""
        burst = per_minute // 4
        started = time.monotonic()
        for sent in range(4 * burst):
            response = send()
            if response.status != 429:
                self.assertIn(response.status, (200, 201), response.body)
                continue
            refilled = (time.monotonic() - started) * per_minute / 60
            self.assertGreaterEqual(sent, burst, "limited before the burst was spent")
            self.assertLessEqual(sent, burst + refilled + 1, "limited too late")
            self.assert_error(response, 429, "rate_limited")
            retry_after = response.headers.get("retry-after", "")
            self.assertTrue(retry_after.isdigit() and int(retry_after) >= 1, retry_after)
            return response
        self.fail("never limited")

    def test_registrations_beyond_the_burst_get_429_with_retry_after(self):
        token = self.kd.create_token("kiosk", "test-limited-kiosk")
        people = []

        def register():
            people.append(self.kd.persons.seeker())
            return self.request("POST", "/v1/seekers", json_body=people[-1], token=token)

        limited = self.until_limited(register, REGISTRATIONS_PER_MINUTE)
        self.assertEqual(self.sql("select count(*) from seekers where full_name = $1",
                                  people[-1]["full_name"]), [("0",)])
        other = self.kd.create_token("kiosk", "test-unlimited-kiosk")
        response = self.request("POST", "/v1/seekers", json_body=self.kd.persons.seeker(),
                                token=other)
        self.assertEqual(response.status, 201, "another token has a bucket of its own")
        self.assertEqual(self.request("GET", "/v1/vacancies", token=token).status, 200,
                         "reading is limited apart from registering")
        time.sleep(int(limited.headers["retry-after"]))
        response = self.request("POST", "/v1/seekers", json_body=self.kd.persons.seeker(),
                                token=token)
        self.assertEqual(response.status, 201, "the bucket refills")

    def test_requests_beyond_the_burst_get_429_but_token_free_routes_do_not(self):
        token = self.kd.create_token("admin", "test-limited-admin")
        self.until_limited(lambda: self.request("GET", "/v1/vacancies", token=token),
                           REQUESTS_PER_MINUTE)
        for path in ("/v1/health", "/v1/kecamatan", "/v1/skills?q=las"):
            self.assertEqual(self.request("GET", path).status, 200, path)
        other = self.kd.create_token("admin", "test-unlimited-admin")
        self.assertEqual(self.request("GET", "/v1/vacancies", token=other).status, 200)


if __name__ == "__main__":
    harness.main()
