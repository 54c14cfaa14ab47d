"""Access control: every caller (no token, kiosk, employer, admin, and
tokens that must not work: revoked, unknown, malformed, wrong secret)
against every route and method the daemon serves.  Exactly the intended
calls succeed; the wrong role gets 403, except where ownership decides and
the answer is 404 so that ids reveal nothing; a caller without a valid
token gets 401 with one and the same body whatever was wrong; a token in
the query string is refused; unserved methods get 405 with Allow; HEAD
answers wherever GET does.  Seekers are visible only to the kiosk that
registered them, vacancies only to their own employer, seeker ids are not
guessable, and no answer ever carries SQL or a PostgreSQL message."""

import base64
import json
import os
import re
import secrets

import harness

UNKNOWN_ID = 2 ** 53 - 1
# Strings that only a leaked query or server message would put into a body.
LEAK_MARKERS = ("ERROR:", "SELECT", "INSERT", "syntax", "relation")
PROBE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
QUERY_TOKEN_NAMES = ("access_token", "token", "api_key", "key")
ROLES = ("kiosk", "employer", "admin")
BAD_CALLERS = ("none", "revoked", "unknown", "malformed", "wrong_scheme", "truncated",
               "wrong_secret")
REGISTERED_BY_KIOSK = 20

PUBLIC = "public"
OK_STATUS = {"GET": 200, "PATCH": 200, "POST": 200}
# Public routes that answer everyone something other than 200: the old
# GET /v1/status tells every caller the credential moved into a POST body.
PUBLIC_ANSWERS = {("/v1/status", "GET"): 410}
# Routes whose successful call changes a placement: it is made pending
# again before every call, so that each caller meets the same offer.
DECIDING = ("/v1/placements/{id}/decision", "/v1/status/decline")

# The route table the matrix covers, as routes.c declares it: pattern,
# method, and per role the answer (PUBLIC: anyone, token or not).
# "own" and "other" name resources of the calling kiosk or employer and of
# another one; an admin owns everything.
ROUTES = (
    ("/v1/health", "GET", PUBLIC),
    ("/v1/openapi.json", "GET", PUBLIC),
    ("/v1/kecamatan", "GET", PUBLIC),
    ("/v1/regencies", "GET", PUBLIC),
    ("/v1/kecamatan/{code}/desa", "GET", PUBLIC),
    ("/v1/skills", "GET", PUBLIC),
    ("/v1/seekers", "POST", {"kiosk": 201, "employer": 403, "admin": 201}),
    ("/v1/seekers/{id}", "GET", {"kiosk": "own", "employer": 403, "admin": 200}),
    ("/v1/seekers/{id}", "DELETE", {"kiosk": 403, "employer": 403, "admin": 204}),
    ("/v1/seekers/{id}/recommendations", "GET",
     {"kiosk": "own", "employer": 403, "admin": 200}),
    ("/v1/employers", "POST", {"kiosk": 403, "employer": 403, "admin": 201}),
    ("/v1/vacancies", "GET", {"kiosk": 200, "employer": 200, "admin": 200}),
    ("/v1/vacancies", "POST", {"kiosk": 403, "employer": 201, "admin": 201}),
    ("/v1/vacancies/{id}", "PATCH", {"kiosk": 403, "employer": "own", "admin": 200}),
    ("/v1/match-runs", "POST", {"kiosk": 403, "employer": 403, "admin": 202}),
    ("/v1/match-runs/{id}", "GET", {"kiosk": 403, "employer": 403, "admin": 200}),
    ("/v1/placements", "GET", {"kiosk": 403, "employer": 200, "admin": 200}),
    ("/v1/placements/{id}/decision", "POST", {"kiosk": 403, "employer": "own", "admin": 200}),
    ("/v1/status", "GET", PUBLIC),
    ("/v1/status", "POST", PUBLIC),
    ("/v1/status/decline", "POST", PUBLIC),
    ("/", "GET", PUBLIC),
    ("/kiosk/{file}", "GET", PUBLIC),
    # Only the token of --metrics-token-file opens it; API tokens do not.
    ("/metrics", "GET", {"metrics": 200}),
)


def checked(response, what):
    """response, after failing the test when its body carries a leak marker."""
    text = response.body.decode("utf-8", errors="replace")
    found = [marker for marker in LEAK_MARKERS if marker in text]
    if found:
        raise AssertionError(f"{what}: body carries {found}: {response.body[:400]!r}")
    return response


def served_routes_in_source():
    """(pattern, method) of every route in service/api/routes.c."""
    root = os.environ.get("KD_SOURCE_ROOT") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "service", "api", "routes.c"), encoding="utf-8") as source:
        text = source.read()
    return set(re.findall(r'\{\s*"(/[^"]*)",\s*HTTP_([A-Z]+)\s*,', text))


def unknown_token():
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    return f"kd_{secrets.token_hex(8)}_{secret}"


class AccessMatrixTest(harness.KerjadekatTestCase):

    # The matrix calls the status routes many times from one address.
    serve_args = ("--rate-limit-status", "10000000")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kd = cls.kd
        cls.desa_code = kd.persons.desa_codes[0]
        cls.kecamatan_code = ".".join(cls.desa_code.split(".")[:3])
        for name in ("admin", "kiosk", "kiosk2", "employer", "employer2"):
            kd.tokens[name]
        cls.employer_ids = dict(kd.employer_ids)

        cls.registered = [cls.created_id("POST", "/v1/seekers", kd.persons.seeker(), "kiosk")
                          for _ in range(REGISTERED_BY_KIOSK)]
        cls.seeker_own = cls.registered[0]
        cls.seeker_other = cls.created_id("POST", "/v1/seekers", kd.persons.seeker(), "kiosk2")
        # Erased by the matrix's DELETE case, so no other case uses it.
        cls.seeker_erasable = cls.created_id("POST", "/v1/seekers", kd.persons.seeker(), "kiosk")
        cls.vacancy_own = cls.created_id("POST", "/v1/vacancies", cls.vacancy_body(), "employer")
        cls.vacancy_other = cls.created_id("POST", "/v1/vacancies", cls.vacancy_body(),
                                           "employer2")
        cls.match_run = cls.created_id("POST", "/v1/match-runs", {}, "admin", status=202)
        kd.ended_match_run(cls.match_run)
        # Two offers made after that run, on the two employers' vacancies;
        # the first to a person who reads and declines it by code.
        cls.status_person = kd.persons.seeker()
        receipt = checked(kd.request("POST", "/v1/seekers", json_body=cls.status_person,
                                     token=kd.tokens["kiosk"]), "POST /v1/seekers")
        if receipt.status != 201:
            raise harness.HarnessError(f"POST /v1/seekers answered {receipt.status}")
        cls.status_code = receipt.json["registration_code"]
        offered_other = cls.created_id("POST", "/v1/seekers", kd.persons.seeker(), "kiosk2")
        cls.placement_own = cls.offer(receipt.json["id"], cls.vacancy_own)
        cls.placement_other = cls.offer(offered_other, cls.vacancy_other)

        revoked = kd.create_token("kiosk", "test-revoked")
        response = checked(kd.request("GET", "/v1/vacancies", token=revoked), "fresh token")
        if response.status != 200:
            raise harness.HarnessError(f"a fresh kiosk token got {response.status}")
        kd.run("token", "revoke", revoked[3:19], "--db", kd.conninfo)
        harness.wait_until(
            lambda: kd.request("GET", "/v1/vacancies", token=revoked).status == 401,
            harness.scaled(0.5), 0.01, "the revoked token to be refused")
        admin = kd.tokens["admin"]
        cls.callers = {
            "none": None,
            "kiosk": f"Bearer {kd.tokens['kiosk']}",
            "employer": f"Bearer {kd.tokens['employer']}",
            "admin": f"Bearer {admin}",
            "metrics": f"Bearer {kd.metrics_token}",
            "revoked": f"Bearer {revoked}",
            "unknown": f"Bearer {unknown_token()}",
            "malformed": "Bearer not-a-token",
            "wrong_scheme": "Basic " + base64.b64encode(b"admin:admin").decode(),
            "truncated": f"Bearer {admin[:-1]}",
            "wrong_secret": f"Bearer {admin[:20]}{unknown_token()[20:]}",
        }

    @classmethod
    def created_id(cls, method, path, body, token, status=201):
        response = checked(cls.kd.request(method, path, json_body=body,
                                          token=cls.kd.tokens[token]), f"{method} {path}")
        if response.status != status or not isinstance(response.json, dict) \
                or not isinstance(response.json.get("id"), int):
            raise harness.HarnessError(f"{method} {path} as {token} answered "
                                       f"{response.status}: {response.body[:300]!r}")
        return response.json["id"]

    @classmethod
    def offer(cls, seeker_id, vacancy_id):
        rows = cls.kd.sql("INSERT INTO placements (run_id, seeker_id, vacancy_id, decide_by,"
                          " score, distance_km, same_kecamatan, matched_skills)"
                          " VALUES ($1, $2, $3, now() + interval '7 days', 1, 0, true,"
                          " '{welding}') RETURNING id", cls.match_run, seeker_id, vacancy_id)
        return int(rows[0][0])

    def make_pending_again(self):
        self.sql("UPDATE placements SET state = 'pending', decided_at = NULL,"
                 " decided_by = NULL, reason_code = NULL, decide_by = now() + interval '7 days'"
                 " WHERE id IN ($1, $2)", self.placement_own, self.placement_other)

    @classmethod
    def vacancy_body(cls, employer_id=None, openings=3):
        body = {"title": "Juru Las Uji", "desa_code": "64.02.06.1001",
                "required_skills": ["las"], "min_education": "SMK", "openings": openings}
        if employer_id is not None:
            body["employer_id"] = employer_id
        return body

    # -- requests, every answer checked for leaks

    def call(self, method, path, caller="none", json_body=None, headers=None, raw_body=None):
        fields = dict(headers or {})
        authorization = self.callers[caller]
        if authorization is not None:
            fields["Authorization"] = authorization
        response = self.request(method, path, json_body=json_body, headers=fields,
                                raw_body=raw_body)
        return checked(response, f"{method} {path} as {caller}")

    def as_token(self, method, path, token, json_body=None):
        token = self.tokens[token] if token in self.tokens.ROLES else token
        return checked(self.request(method, path, json_body=json_body, token=token),
                       f"{method} {path}")

    # -- the cases: one concrete request per route and ownership situation

    def cases(self):
        """(pattern, method, path, body, expected) with expected a dict role
        -> status; PUBLIC routes expect 200 of every caller."""
        employer_id = self.employer_ids["employer"]
        fill = {
            "/kiosk/{file}": ["/kiosk/kiosk.css"],
            "/v1/kecamatan/{code}/desa": [f"/v1/kecamatan/{self.kecamatan_code}/desa"],
            "/v1/seekers/{id}": [f"/v1/seekers/{self.seeker_own}",
                                 f"/v1/seekers/{self.seeker_other}"],
            "/v1/seekers/{id}/recommendations": [
                f"/v1/seekers/{self.seeker_own}/recommendations",
                f"/v1/seekers/{self.seeker_other}/recommendations"],
            "/v1/vacancies/{id}": [f"/v1/vacancies/{self.vacancy_own}",
                                   f"/v1/vacancies/{self.vacancy_other}"],
            "/v1/match-runs/{id}": [f"/v1/match-runs/{self.match_run}"],
            "/v1/placements/{id}/decision": [f"/v1/placements/{self.placement_own}/decision",
                                             f"/v1/placements/{self.placement_other}/decision"],
            # The old form, with a right credential: refused all the same.
            ("/v1/status", "GET"): [f"/v1/status?code={self.status_code}"
                                    f"&birth_date={self.status_person['birth_date']}"],
        }
        bodies = {
            "/v1/seekers": lambda: self.kd.persons.seeker(),
            "/v1/employers": lambda: {"name": f"PT Peserta Uji {secrets.token_hex(3)}",
                                      "desa_code": self.desa_code},
            "/v1/vacancies": lambda: self.vacancy_body(employer_id),
            "/v1/vacancies/{id}": lambda: {"openings": 2},
            "/v1/match-runs": lambda: {},
            "/v1/placements/{id}/decision": lambda: {"decision": "rejected"},
            "/v1/status": lambda: {"code": self.status_code,
                                   "birth_date": self.status_person["birth_date"]},
            "/v1/status/decline": lambda: {"registration_code": self.status_code,
                                           "birth_date": self.status_person["birth_date"],
                                           "placement_id": self.placement_own},
        }
        cases = []
        for pattern, method, rule in ROUTES:
            paths = fill.get((pattern, method)) or fill.get(pattern, [pattern])
            if method == "DELETE":
                paths = [f"/v1/seekers/{self.seeker_erasable}"]
            for index, path in enumerate(paths):
                mine = index == 0
                if rule == PUBLIC:
                    expected = PUBLIC_ANSWERS.get((pattern, method), PUBLIC)
                else:
                    expected = {role: (OK_STATUS[method] if mine else 404)
                                if status == "own" else status
                                for role, status in rule.items()}
                body = bodies.get(pattern) if method in ("POST", "PATCH") else None
                cases.append((pattern, method, path, body, expected))
        return cases

    def expected_status(self, expected, caller):
        if expected == PUBLIC:
            return 200
        if isinstance(expected, int):
            return expected
        if caller in expected:
            return expected[caller]
        return 401

    # -- the tests

    def test_matrix_covers_every_route_routes_c_serves(self):
        covered = {(pattern, method) for pattern, method, _ in ROUTES}
        served = served_routes_in_source()
        self.assertTrue(served, "no route found in service/api/routes.c")
        self.assertEqual(sorted(served - covered), [], "routes the matrix does not try")
        self.assertEqual(sorted(covered - served), [], "routes the daemon no longer serves")

    def test_exactly_the_intended_calls_succeed(self):
        failures = []
        unauthorized = {}
        for pattern, method, path, body, expected in self.cases():
            for caller in self.callers:
                if method == "POST" and pattern == "/v1/match-runs" and caller == "admin":
                    continue   # tried last, below: one run at a time
                want = self.expected_status(expected, caller)
                if pattern in DECIDING:
                    self.make_pending_again()
                response = self.call(method, path, caller, body() if body else None)
                problem = self.judge(response, want)
                if problem:
                    failures.append(f"{method} {path} as {caller}: expected {want}, "
                                    f"got {response.status} {response.body[:200]!r}{problem}")
                if want == 401 and response.status == 401:
                    unauthorized.setdefault(response.body, []).append(f"{method} {path} "
                                                                      f"as {caller}")
        response = self.call("POST", "/v1/match-runs", "admin", {})
        if response.status != 202:
            failures.append(f"POST /v1/match-runs as admin: expected 202, got "
                            f"{response.status} {response.body[:200]!r}")
        else:
            self.kd.ended_match_run(response.json["id"])
        self.assertEqual(failures, [], "\n" + "\n".join(failures))
        self.assertEqual(len(unauthorized), 1,
                         "401 bodies differ: " + "; ".join(f"{body!r} for {where[:3]}"
                                                           for body, where in unauthorized.items()))

    def test_roles_are_checked_before_the_media_type(self):
        # A caller whose role may not use a route learns 403 (or 401)
        # whatever it sends; the media type is judged only for the others.
        failures = []
        for pattern, method, path, body, expected in self.cases():
            if method not in ("POST", "PATCH"):
                continue
            for caller in self.callers:
                want = self.expected_status(expected, caller)
                if want not in (401, 403):
                    want = 415
                sent = json.dumps(body() if body else {}).encode()
                for headers, raw in (({"Content-Type": "text/plain"}, sent),
                                     ({"Content-Type": None}, sent),
                                     ({"Content-Type": "application/x-www-form-urlencoded"},
                                      b"decision=accepted")):
                    response = self.call(method, path, caller, raw_body=raw, headers=headers)
                    problem = self.judge(response, want)
                    if want == 415 and not problem and \
                            (response.json or {}).get("error", {}).get("code") != \
                            "unsupported_media_type":
                        problem = " (error code)"
                    if problem:
                        failures.append(f"{method} {path} as {caller} with {headers}: expected "
                                        f"{want}, got {response.status} "
                                        f"{response.body[:200]!r}{problem}")
        # A body-less POST /v1/match-runs (its body is optional) is judged by
        # role alone.
        for caller in ("kiosk", "employer", "none", "malformed"):
            response = self.call("POST", "/v1/match-runs", caller)
            want = 401 if caller in BAD_CALLERS else 403
            problem = self.judge(response, want)
            if problem:
                failures.append(f"body-less POST /v1/match-runs as {caller}: expected {want}, "
                                f"got {response.status} {response.body[:200]!r}{problem}")
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def judge(self, response, want):
        """Empty when response is the answer wanted, else what is wrong with it."""
        if response.status != want:
            return " (status)"
        if want == 401:
            if response.headers.get("www-authenticate") != "Bearer":
                return f" (WWW-Authenticate: {response.headers.get('www-authenticate')!r})"
            if (response.json or {}).get("error", {}).get("code") != "unauthorized":
                return " (error code)"
        if want == 403 and (response.json or {}).get("error", {}).get("code") != "forbidden":
            return " (error code)"
        if want == 404 and (response.json or {}).get("error", {}).get("code") != "not_found":
            return " (error code)"
        if want == 410 and (response.json or {}).get("error", {}).get("code") != "moved":
            return " (error code)"
        return ""

    def test_head_answers_wherever_get_does(self):
        failures = []
        for pattern, method, path, _, expected in self.cases():
            if method != "GET":
                continue
            for caller in self.callers:
                want = self.expected_status(expected, caller)
                response = self.call("HEAD", path, caller)
                if response.status != want or response.body != b"":
                    failures.append(f"HEAD {path} as {caller}: expected {want} and no body, "
                                    f"got {response.status} {response.body[:100]!r}")
                elif want == 401 and response.headers.get("www-authenticate") != "Bearer":
                    failures.append(f"HEAD {path} as {caller}: 401 without "
                                    "WWW-Authenticate: Bearer")
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def test_unserved_methods_answer_405_with_allow(self):
        served = {}
        for pattern, method, _ in ROUTES:
            served.setdefault(pattern, set()).add(method)
            if method == "GET":
                served[pattern].add("HEAD")
        paths = {pattern: path for pattern, _, path, _, _ in self.cases()}
        failures = []
        for pattern, methods in served.items():
            for method in PROBE_METHODS:
                if method in methods:
                    continue
                for caller in ("none", "kiosk", "admin"):
                    body = {} if method in ("POST", "PUT", "PATCH") else None
                    response = self.call(method, paths[pattern], caller, body)
                    allow = {m.strip() for m in response.headers.get("allow", "").split(",")
                             if m.strip()}
                    if response.status != 405 or allow != methods:
                        failures.append(f"{method} {paths[pattern]} as {caller}: expected 405 "
                                        f"with Allow {sorted(methods)}, got {response.status} "
                                        f"Allow {response.headers.get('allow')!r}")
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def test_unknown_paths_are_not_found_for_everyone(self):
        for caller in ("none", "kiosk", "admin"):
            for path in ("/v1/nothing", "/v1/seekers/1/nothing", "/v2/health", "/index.html",
                         "/kiosk/nothing.js", "/kiosk/"):
                response = self.call("GET", path, caller)
                self.assertEqual(response.status, 404, f"GET {path} as {caller}")

    def test_tokens_in_the_query_string_are_refused(self):
        admin = self.tokens["admin"]
        failures = []
        seekers_before = self.sql("select count(*) from seekers")
        openings_before = self.sql("select openings from vacancies where id = $1",
                                   self.vacancy_own)
        for pattern, method, path, body, _ in self.cases():
            for name in QUERY_TOKEN_NAMES:
                for caller in ("none", "admin"):
                    target = f"{path}{'&' if '?' in path else '?'}{name}={admin}"
                    response = self.call(method, target, caller, body() if body else None)
                    error = (response.json or {}).get("error") or {}
                    if response.status != 400 or error.get("code") != "token_in_query" \
                            or error.get("field") != name:
                        failures.append(f"{method} {target[:60]}... as {caller}: expected 400 "
                                        f"token_in_query, got {response.status} "
                                        f"{response.body[:200]!r}")
        for target in ("/v1/health?access_token=", "/v1/skills?q=las&access_token=x",
                       "/v1/vacancies?limit=5&key=" + admin):
            response = self.call("GET", target, "none")
            if response.status != 400:
                failures.append(f"GET {target[:60]}: expected 400, got {response.status}")
        self.assertEqual(failures, [], "\n" + "\n".join(failures))
        self.assertEqual(self.sql("select count(*) from seekers"), seekers_before,
                         "a request with a token in its query string registered a seeker")
        self.assertEqual(self.sql("select openings from vacancies where id = $1",
                                  self.vacancy_own), openings_before)

    def test_401_bodies_are_identical_whatever_is_wrong(self):
        bodies = {}
        for caller in BAD_CALLERS:
            for method, path, body in (("GET", "/v1/vacancies", None),
                                       ("POST", "/v1/seekers", self.kd.persons.seeker()),
                                       ("GET", f"/v1/seekers/{self.seeker_own}", None),
                                       ("GET", f"/v1/seekers/{UNKNOWN_ID}", None)):
                response = self.call(method, path, caller, body)
                self.assertEqual(response.status, 401, f"{method} {path} as {caller}")
                self.assertEqual(response.headers.get("www-authenticate"), "Bearer")
                bodies.setdefault(response.body, []).append(f"{method} {path} as {caller}")
        self.assertEqual(len(bodies), 1, bodies)

    def test_revoking_a_token_takes_effect_at_once(self):
        for role in ROLES:
            employer_id = self.employer_ids["employer"] if role == "employer" else None
            token = self.kd.create_token(role, f"test-revoke-{role}", employer_id)
            # used first, so the daemon has it cached
            for _ in range(2):
                response = self.as_token("GET", "/v1/vacancies", token)
                self.assertEqual(response.status, 200, response.body)
            self.kd.run("token", "revoke", token[3:19], "--db", self.kd.conninfo)
            # The revocation travels as a NOTIFY sent at commit, alongside
            # the CLI's own reply: allow the daemon that instant, no more.
            harness.wait_until(
                lambda: self.as_token("GET", "/v1/vacancies", token).status == 401,
                harness.scaled(0.5), 0.01, f"a revoked {role} token to be refused")
            response = self.as_token("POST", "/v1/seekers", token, self.kd.persons.seeker())
            self.assertEqual(response.status, 401, response.body)

    def test_employers_neither_see_nor_change_each_others_vacancies(self):
        own, other = self.vacancy_own, self.vacancy_other
        openings_of_other = self.sql("select openings from vacancies where id = $1", other)
        missing = self.as_token("PATCH", f"/v1/vacancies/{UNKNOWN_ID}", "employer",
                                {"openings": 7})
        self.assertEqual(missing.status, 404, missing.body)
        for body in ({"openings": 7}, {"status": "closed"}, {"closes_on": None}):
            response = self.as_token("PATCH", f"/v1/vacancies/{other}", "employer", body)
            self.assertEqual(response.status, 404, f"{body}: {response.body!r}")
            self.assertEqual(response.body, missing.body,
                             "another employer's vacancy answers unlike a missing one")
        self.assertEqual(self.sql("select openings from vacancies where id = $1", other),
                         openings_of_other)
        self.assertEqual(self.sql("select status from vacancies where id = $1", other),
                         [("open",)])

        mine = self.listed("employer")
        self.assertIn(own, mine)
        self.assertNotIn(other, mine)
        self.assertEqual({item["employer_id"] for item in mine.values()},
                         {self.employer_ids["employer"]})
        theirs = self.listed("employer2")
        self.assertIn(other, theirs)
        self.assertNotIn(own, theirs)
        for role in ("kiosk", "admin"):
            everyone = self.listed(role)
            self.assertIn(own, everyone, role)
            self.assertIn(other, everyone, role)

        count = self.sql("select count(*) from vacancies where employer_id = $1",
                         self.employer_ids["employer2"])
        response = self.as_token("POST", "/v1/vacancies", "employer",
                                 self.vacancy_body(self.employer_ids["employer2"]))
        self.assertIn(response.status, (403, 404), response.body)
        self.assertEqual(self.sql("select count(*) from vacancies where employer_id = $1",
                                  self.employer_ids["employer2"]), count,
                         "an employer posted a vacancy for another employer")

    def listed(self, token):
        """Every vacancy GET /v1/vacancies shows token, by id."""
        seen, cursor = {}, None
        for _ in range(1000):
            query = "?limit=100" + (f"&cursor={cursor}" if cursor else "")
            response = self.as_token("GET", "/v1/vacancies" + query, token)
            self.assertEqual(response.status, 200, response.body)
            for item in response.json["vacancies"]:
                seen[item["id"]] = item
            cursor = response.json.get("next_cursor")
            if not cursor:
                return seen
        self.fail("vacancy listing never ended")

    def test_a_kiosk_reads_back_only_the_seekers_it_registered(self):
        missing = self.as_token("GET", f"/v1/seekers/{UNKNOWN_ID}", "kiosk2")
        self.assertEqual(missing.status, 404, missing.body)
        missing_rec = self.as_token("GET", f"/v1/seekers/{UNKNOWN_ID}/recommendations", "kiosk2")
        self.assertEqual(missing_rec.status, 404, missing_rec.body)
        for seeker_id in self.registered:
            response = self.as_token("GET", f"/v1/seekers/{seeker_id}", "kiosk")
            self.assertEqual(response.status, 200, response.body)
            self.assertEqual(response.json["id"], seeker_id)
            response = self.as_token("GET", f"/v1/seekers/{seeker_id}/recommendations", "kiosk")
            self.assertEqual(response.status, 200, response.body)
            response = self.as_token("GET", f"/v1/seekers/{seeker_id}", "kiosk2")
            self.assertEqual((response.status, response.body), (404, missing.body),
                             "another kiosk's seeker answers unlike a missing one")
            response = self.as_token("GET", f"/v1/seekers/{seeker_id}/recommendations", "kiosk2")
            self.assertEqual((response.status, response.body), (404, missing_rec.body))
        response = self.as_token("GET", f"/v1/seekers/{self.seeker_other}", "kiosk")
        self.assertEqual((response.status, response.body), (404, missing.body))

    def test_seeker_ids_are_random_and_below_2_53(self):
        ids = self.registered
        self.assertEqual(len(set(ids)), len(ids), ids)
        for seeker_id in ids:
            self.assertIsInstance(seeker_id, int)
            self.assertTrue(0 < seeker_id < 2 ** 53, seeker_id)
        ascending = all(a < b for a, b in zip(ids, ids[1:]))
        descending = all(a > b for a, b in zip(ids, ids[1:]))
        self.assertFalse(ascending or descending, f"ids follow registration order: {ids}")
        ordered = sorted(ids)
        gaps = [b - a for a, b in zip(ordered, ordered[1:])]
        self.assertNotIn(1, gaps, f"consecutive ids: {ordered}")
        # 20 draws from 2^53 values spread far wider than any counter would.
        self.assertGreater(ordered[-1] - ordered[0], 2 ** 40, ordered)

    def test_hostile_input_never_surfaces_sql(self):
        probes = (
            ("GET", "/v1/skills?q=%27%20OR%201%3D1--", "none", None, {200}),
            ("GET", "/v1/skills?q=%27%3B%20DROP%20TABLE%20skills%3B--", "none", None, {200}),
            ("GET", "/v1/vacancies?kecamatan=64.02%27", "kiosk", None, {422}),
            ("GET", "/v1/vacancies?skill=%27%20or%20%271%27%3D%271", "kiosk", None, {422}),
            ("GET", "/v1/vacancies?cursor=999999999999999999", "kiosk", None, {200}),
            ("GET", "/v1/vacancies?cursor=9223372036854775807", "kiosk", None, {422}),
            ("GET", "/v1/vacancies?cursor=99999999999999999999", "kiosk", None, {422}),
            ("GET", "/v1/vacancies?cursor=-1", "kiosk", None, {422}),
            ("GET", "/v1/seekers/9223372036854775807", "admin", None, {404}),
            ("GET", "/v1/seekers/99999999999999999999", "admin", None, {404}),
            ("GET", "/v1/seekers/1%27", "admin", None, {404}),
            ("GET", "/v1/match-runs/9223372036854775807", "admin", None, {404}),
            ("PATCH", f"/v1/vacancies/{self.vacancy_own}", "admin",
             {"openings": 2 ** 31}, {422}),
            ("PATCH", f"/v1/vacancies/{self.vacancy_own}", "admin",
             {"closes_on": "2024-02-30"}, {422}),
            ("PATCH", "/v1/vacancies/9223372036854775807", "admin", {"openings": 1}, {404}),
            ("POST", "/v1/vacancies", "admin",
             self.vacancy_body(employer_id=2 ** 53 - 1), {422}),
            ("POST", "/v1/vacancies", "admin",
             self.vacancy_body(employer_id=2 ** 63), {422}),
            ("POST", "/v1/seekers", "kiosk",
             self.kd.persons.seeker(full_name="Peserta Uji'); drop table seekers;--"),
             {201, 422}),
            ("POST", "/v1/match-runs", "admin", {"mode": "stable'--"}, {422}),
            ("POST", "/v1/match-runs", "admin", {"policy": {"weights": "'"}}, {422}),
        )
        failures = []
        for method, path, caller, body, wanted in probes:
            response = self.call(method, path, caller, body)
            if response.status not in wanted:
                failures.append(f"{method} {path} as {caller}: expected {sorted(wanted)}, "
                                f"got {response.status} {response.body[:200]!r}")
        # duplicate registration: a unique violation must not come back as text
        person = self.kd.persons.seeker()
        self.assertEqual(self.as_token("POST", "/v1/seekers", "kiosk", person).status, 201)
        response = self.as_token("POST", "/v1/seekers", "kiosk", person)
        if response.status != 409:
            failures.append(f"second POST /v1/seekers of one person: expected 409, got "
                            f"{response.status} {response.body[:200]!r}")
        self.assertEqual(failures, [], "\n" + "\n".join(failures))


if __name__ == "__main__":
    harness.main()
