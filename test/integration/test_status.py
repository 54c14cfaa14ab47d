"""POST /v1/status and POST /v1/status/decline: a seeker, without a token,
reads their offers by registration code and birth date, sent in the body,
and declines one; a wrong code and a wrong birth date get the same 404; the
answers carry nothing about the person; the old GET /v1/status answers 410
without reading its query; the routes are rate limited per address, and the
misses on each registration code whatever address they come from."""

import datetime
import itertools
import secrets

import harness

GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000",
                   "--rate-limit-status", "10000000")
DESA = "64.02.06.1001"
STATUS_ITEM_KEYS = {"id", "state", "vacancy_title", "employer_name", "kecamatan_code",
                    "kecamatan_name", "distance_km", "offered_at", "decide_by", "decided_at"}
CODE_SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Misses on one code before it waits, and how long it waits at most for
# the next guess (STATUS_GUESSES and STATUS_GUESS_REGAIN_MS in service/daemon/app.c).
GUESSES = 5
GUESS_REGAIN_S = 300


def unknown_code():
    """A well-formed registration code, drawn anew: in a 40-bit space, one
    no test registered."""
    symbols = "".join(secrets.choice(CODE_SYMBOLS) for _ in range(8))
    return f"{symbols[:4]}-{symbols[4:]}"


def another_day(birth_date):
    return (datetime.date.fromisoformat(birth_date) + datetime.timedelta(days=1)).isoformat()


class StatusTestCase(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def setUp(self):
        super().setUp()
        self.sql("UPDATE seekers SET status = 'inactive' WHERE status = 'active'")
        self.sql("UPDATE vacancies SET status = 'closed' WHERE status = 'open'")

    def assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response.body)
        self.assertEqual(response.json["error"]["code"], code, response.body)
        self.assertEqual(response.json["error"].get("field"), field, response.body)

    def offered_person(self):
        """A registered person with one pending offer: (registration body, receipt)."""
        body = self.person(desa_code=DESA, skills=["las"], education="SMA")
        receipt = self.request("POST", "/v1/seekers", json_body=body, token=self.tokens["kiosk"])
        self.assertEqual(receipt.status, 201, receipt.body)
        vacancy = self.request("POST", "/v1/vacancies", token=self.tokens["employer"],
                               json_body={"title": "Juru Las Uji", "desa_code": DESA,
                                          "required_skills": ["las"], "min_education": "SMA",
                                          "openings": 1})
        self.assertEqual(vacancy.status, 201, vacancy.body)
        run = self.request("POST", "/v1/match-runs", json_body={}, token=self.tokens["admin"])
        self.assertEqual(run.status, 202, run.body)
        done = self.kd.ended_match_run(run.json["id"])
        self.assertEqual(done["state"], "done", done)
        return body, receipt.json

    def registered_person(self):
        """A registered person without offers: (registration body, receipt)."""
        body = self.person(desa_code=DESA)
        receipt = self.request("POST", "/v1/seekers", json_body=body, token=self.tokens["kiosk"])
        self.assertEqual(receipt.status, 201, receipt.body)
        return body, receipt.json

    def status(self, code, birth_date, headers=None):
        return self.request("POST", "/v1/status", headers=headers,
                            json_body={"code": code, "birth_date": birth_date})

    def status_from(self, forwarded):
        """A status call for a code nobody has, carrying X-Forwarded-For: forwarded."""
        return self.status(unknown_code(), "1990-01-01", headers={"X-Forwarded-For": forwarded})

    def decline(self, code, birth_date, placement_id, headers=None, **extra):
        body = {"registration_code": code, "birth_date": birth_date,
                "placement_id": placement_id}
        body.update(extra)
        return self.request("POST", "/v1/status/decline", json_body=body, headers=headers)


class StatusTest(StatusTestCase):

    def test_status_shows_the_offer_and_nothing_about_the_person(self):
        person, receipt = self.offered_person()
        code = receipt["registration_code"]
        response = self.status(code, person["birth_date"])
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(response.headers.get("cache-control"), "no-store")
        self.assertEqual(set(response.json), {"registration_code", "placements"})
        self.assertEqual(response.json["registration_code"], code)
        (item,) = response.json["placements"]
        self.assertEqual(set(item), STATUS_ITEM_KEYS)
        self.assertEqual(item["state"], "pending")
        self.assertEqual(item["vacancy_title"], "Juru Las Uji")
        self.assertEqual(item["employer_name"], "PT Peserta Uji employer")
        self.assertEqual((item["kecamatan_code"], item["kecamatan_name"]),
                         ("64.02.06", "Tenggarong"))
        self.assertIsNone(item["decided_at"])
        text = response.body.decode("utf-8")
        for field in ("full_name", "phone", "nik", "birth_date"):
            self.assertNotIn(person[field], text)
        self.assertNotIn(str(receipt["id"]), text)
        # Typed as a person would: lower case, without the hyphen.
        again = self.status(code.replace("-", "").lower(), person["birth_date"])
        self.assertEqual(again.status, 200, again.body)
        self.assertEqual(again.json, response.json)

    def test_a_wrong_code_and_a_wrong_birth_date_look_the_same(self):
        person, receipt = self.offered_person()
        code = receipt["registration_code"]
        born = datetime.date.fromisoformat(person["birth_date"])
        wrong_date = (born + datetime.timedelta(days=1)).isoformat()
        other_code = "ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ" else "YYYY-YYYY"
        by_date = self.status(code, wrong_date)
        by_code = self.status(other_code, person["birth_date"])
        self.assert_error(by_date, 404, "not_found")
        self.assertEqual(by_date.body, by_code.body)
        self.assert_error(self.status("ABC-12", person["birth_date"]), 422,
                          "validation_failed", "code")
        self.assert_error(self.status(code, "1990-13-01"), 422, "validation_failed",
                          "birth_date")
        self.assertEqual(self.decline(code, wrong_date, 1).body, by_date.body)

    def test_decline(self):
        person, receipt = self.offered_person()
        code, born = receipt["registration_code"], person["birth_date"]
        (item,) = self.status(code, born).json["placements"]
        self.assertEqual(self.decline(code, born, item["id"] + 1000).status, 404)
        self.assert_error(self.decline(code, born, item["id"], reason_code="no_show"), 422,
                          "validation_failed", "reason_code")
        self.assert_error(self.decline(code, born, item["id"], extra=1), 422, "unknown_field",
                          "extra")
        declined = self.decline(code, born, item["id"], reason_code="too_far")
        self.assertEqual(declined.status, 200, declined.body)
        self.assertEqual(set(declined.json), STATUS_ITEM_KEYS)
        self.assertEqual(declined.json["state"], "declined")
        self.assertIsNotNone(declined.json["decided_at"])
        row = self.sql("SELECT state, reason_code, decided_by FROM placements WHERE id = $1",
                       item["id"])
        self.assertEqual(row, [("declined", "too_far", None)])
        # The same decline again (an answer lost on the way) gets the same answer;
        # a different one finds the offer already decided.
        again = self.decline(code, born, item["id"], reason_code="too_far")
        self.assertEqual((again.status, again.body), (200, declined.body))
        self.assert_error(self.decline(code, born, item["id"]), 409, "not_pending")
        self.assert_error(self.decline(code, born, item["id"], reason_code="personal"), 409,
                          "not_pending")
        (shown,) = self.status(code, born).json["placements"]
        self.assertEqual(shown["state"], "declined")

    def test_the_body_is_checked(self):
        def lookup(**request):
            return self.request("POST", "/v1/status", **request)
        self.assert_error(lookup(json_body={"code": "ZZZZ-ZZZZ", "birth_date": "1990-01-01",
                                            "registration_code": "ZZZZ-ZZZZ"}),
                          422, "unknown_field", "registration_code")
        self.assert_error(lookup(json_body={"birth_date": "1990-01-01"}), 422,
                          "validation_failed", "code")
        self.assert_error(lookup(json_body={"code": "ZZZZ-ZZZZ", "birth_date": 19900101}), 422,
                          "validation_failed", "birth_date")
        self.assert_error(lookup(raw_body=b'["ZZZZ-ZZZZ", "1990-01-01"]'), 400, "malformed_json")
        self.assert_error(lookup(raw_body=b"{}", headers={"Content-Type": "text/plain"}), 415,
                          "unsupported_media_type")

    def test_the_credential_is_never_read_from_the_url(self):
        person, receipt = self.registered_person()
        code, born = receipt["registration_code"], person["birth_date"]
        moved = self.request("GET", f"/v1/status?code={code}&birth_date={born}")
        self.assert_error(moved, 410, "moved")
        self.assertIn("POST /v1/status", moved.json["error"]["message"])
        self.assertEqual(moved.headers.get("cache-control"), "no-store")
        self.assertNotIn(code, moved.body.decode("utf-8"))
        # Whatever the query holds, the same answer: none of it was read.
        for query in ("", f"?code={code}&birth_date={another_day(born)}", "?code=x&colour=red"):
            self.assertEqual(self.request("GET", "/v1/status" + query).body, moved.body, query)
        # Nor did the wrong birth dates above count as misses on the code.
        for _ in range(GUESSES):
            self.request("GET", f"/v1/status?code={code}&birth_date={another_day(born)}")
        self.assertEqual(self.status(code, born).status, 200)
        # A POST that carries the credential in its URL as well is refused.
        in_query = self.request("POST", f"/v1/status?code={code}",
                                json_body={"code": code, "birth_date": born})
        self.assert_error(in_query, 422, "unknown_field", "code")


class StatusRateLimitTest(StatusTestCase):

    # Four a minute with bursts of one: the second request at once is refused.
    serve_args = GENEROUS_LIMITS + ("--rate-limit-status", "4")

    def test_the_status_routes_are_rate_limited(self):
        first = self.status("ZZZZ-ZZZZ", "1990-01-01")
        self.assert_error(first, 404, "not_found")
        second = self.status("ZZZZ-ZZZZ", "1990-01-01")
        self.assert_error(second, 429, "rate_limited")
        self.assertGreaterEqual(int(second.headers["retry-after"]), 1)
        third = self.decline("ZZZZ-ZZZZ", "1990-01-01", 1)
        self.assert_error(third, 429, "rate_limited")
        # From a peer nobody named a proxy, X-Forwarded-For changes nothing.
        self.assert_error(self.status_from("198.51.100.1"), 429, "rate_limited")


class StatusBehindProxyTest(StatusTestCase):
    """With the test client's address (127.0.0.1) named a trusted proxy, the
    limit holds per address the proxy forwarded for, the last one in
    X-Forwarded-For; without a usable one, for the proxy itself.  Each test
    spends the buckets of addresses of its own."""

    serve_args = GENEROUS_LIMITS + ("--rate-limit-status", "4", "--trusted-proxy", "::1,127.0.0.1")

    def test_each_forwarded_client_has_its_own_limit(self):
        for client in ("198.51.100.1", "198.51.100.2", "2001:db8:0:1::5"):
            self.assert_error(self.status_from(client), 404, "not_found")
        for client in ("198.51.100.1", "198.51.100.2", "2001:db8:0:1::77"):
            self.assert_error(self.status_from(client), 429, "rate_limited")

    def test_only_the_address_the_proxy_added_counts(self):
        self.assert_error(self.status_from("203.0.113.1"), 404, "not_found")
        # What the client wrote in front of it does not make it another client.
        self.assert_error(self.status_from("192.0.2.99, 203.0.113.1"), 429, "rate_limited")
        self.assert_error(self.status_from("203.0.113.1, 203.0.113.2"), 404, "not_found")

    def test_an_unusable_forwarded_value_counts_for_the_proxy(self):
        self.assert_error(self.status_from("unknown"), 404, "not_found")
        self.assert_error(self.status_from("203.0.113.50:443"), 429, "rate_limited")
        self.assert_error(self.status_from(""), 429, "rate_limited")


# Each guess of the test below comes from a /64 of its own in one IPv6 /48:
# more addresses than the per-address limit can hold back.
ELSEWHERE = (f"2001:db8:9:{n:x}::1" for n in itertools.count(1))


class StatusGuessLimitTest(StatusTestCase):
    """Misses (404s) on one registration code are limited whatever address
    they come from: after GUESSES of them every attempt on that code waits a
    few minutes, the right birth date included, while other codes are
    untouched.  The daemon is the one StatusBehindProxyTest runs (one
    request a burst per address), so only the per-code limit can refuse."""

    serve_args = StatusBehindProxyTest.serve_args

    def elsewhere(self):
        return {"X-Forwarded-For": next(ELSEWHERE)}

    def assert_locked(self, response):
        self.assert_error(response, 429, "rate_limited")
        self.assertGreaterEqual(int(response.headers["retry-after"]), 1)
        self.assertLessEqual(int(response.headers["retry-after"]), GUESS_REGAIN_S)

    def test_misses_on_a_code_lock_it_for_every_address_and_birth_date(self):
        person, receipt = self.offered_person()
        code, born = receipt["registration_code"], person["birth_date"]
        (placement,) = self.sql("SELECT id FROM placements WHERE seeker_id = $1", receipt["id"])
        for _ in range(GUESSES):
            self.assert_error(self.status(code, another_day(born), self.elsewhere()), 404,
                              "not_found")
        self.assert_locked(self.status(code, born, self.elsewhere()))
        self.assert_locked(self.status(code.replace("-", "").lower(), born, self.elsewhere()))
        self.assert_locked(self.decline(code, born, int(placement[0]), self.elsewhere()))
        self.assertEqual(self.sql("SELECT state FROM placements WHERE id = $1", placement[0]),
                         [("pending",)])
        # Another person's code is not touched.
        other, other_receipt = self.registered_person()
        self.assertEqual(self.status(other_receipt["registration_code"], other["birth_date"],
                                     self.elsewhere()).status, 200)

    def test_declines_count_and_right_answers_never_do(self):
        person, receipt = self.registered_person()
        code, born = receipt["registration_code"], person["birth_date"]
        for _ in range(3 * GUESSES):
            self.assertEqual(self.status(code, born, self.elsewhere()).status, 200)
        for _ in range(GUESSES):
            self.assert_error(self.decline(code, another_day(born), 1, self.elsewhere()), 404,
                              "not_found")
        self.assert_locked(self.status(code, born, self.elsewhere()))

    def test_an_unknown_code_locks_like_a_real_one(self):
        # Were only real codes locked, the lock would tell which exist.
        person, receipt = self.registered_person()
        real, unknown = receipt["registration_code"], unknown_code()
        answers = {}
        for code in (real, unknown):
            misses = [self.status(code, another_day(person["birth_date"]), self.elsewhere())
                      for _ in range(GUESSES)]
            self.assertEqual({(r.status, r.body) for r in misses},
                             {(404, misses[0].body)}, code)
            locked = self.status(code, person["birth_date"], self.elsewhere())
            self.assert_locked(locked)
            answers[code] = locked.body
        self.assertEqual(answers[real], answers[unknown])


if __name__ == "__main__":
    harness.main()
