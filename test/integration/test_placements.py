"""Placements: a match run through POST /v1/match-runs turns its assignments
into pending offers; the employer lists and decides them (accepting fills
and finally closes the vacancy), nobody else may; a rejected or expired
offer frees its opening for someone else and that pair is never offered
again; decisions replay under an Idempotency-Key."""

import harness

GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")
DESA = "64.02.06.1001"
ITEM_KEYS = {"id", "run_id", "vacancy_id", "vacancy_title", "state", "offered_at", "decide_by",
             "decided_at", "reason_code", "score", "distance_km", "same_kecamatan",
             "matched_skills", "seeker"}
SEEKER_KEYS = {"id", "full_name", "phone", "education",
               "experience_years", "kecamatan_code", "desa_code", "disability"}
RFC3339 = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"


class PlacementTestCase(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def setUp(self):
        super().setUp()
        # Every test matches only the people and vacancies it makes itself.
        self.sql("UPDATE seekers SET status = 'inactive' WHERE status = 'active'")
        self.sql("UPDATE vacancies SET status = 'closed' WHERE status = 'open'")

    def assert_error(self, response, status, code):
        self.assertEqual(response.status, status, response.body)
        self.assertEqual(response.json["error"]["code"], code, response.body)

    def register(self, n):
        ids = []
        for _ in range(n):
            body = self.person(desa_code=DESA, skills=["las"], education="SMA")
            response = self.request("POST", "/v1/seekers", json_body=body,
                                    token=self.tokens["kiosk"])
            self.assertEqual(response.status, 201, response.body)
            ids.append(response.json["id"])
        return ids

    def create_vacancy(self, openings, token="employer"):
        body = {"title": "Juru Las Uji", "desa_code": DESA, "required_skills": ["las"],
                "min_education": "SMA", "openings": openings}
        response = self.request("POST", "/v1/vacancies", json_body=body,
                                token=self.tokens[token])
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def run_match(self, policy=None):
        body = {"policy": policy} if policy else {}
        response = self.request("POST", "/v1/match-runs", json_body=body,
                                token=self.tokens["admin"])
        self.assertEqual(response.status, 202, response.body)
        run_id = response.json["id"]
        run = self.kd.ended_match_run(run_id)
        self.assertEqual(run["state"], "done", run)
        return run_id

    def listed(self, token="employer", query=""):
        response = self.request("GET", f"/v1/placements{query}", token=self.tokens[token])
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(set(response.json), {"placements", "next_cursor"})
        return response.json["placements"]

    def decide(self, placement_id, decision, token="employer", reason=None, headers=None):
        body = {"decision": decision}
        if reason is not None:
            body["reason_code"] = reason
        return self.request("POST", f"/v1/placements/{placement_id}/decision", json_body=body,
                            token=self.tokens[token], headers=headers)

    def vacancy_row(self, vacancy_id):
        openings, filled, status = self.sql(
            "SELECT openings, filled, status FROM vacancies WHERE id = $1", vacancy_id)[0]
        return int(openings), int(filled), status

    def offers_on(self, vacancy_id, state="pending"):
        return {int(r[0]) for r in self.sql(
            "SELECT seeker_id FROM placements WHERE vacancy_id = $1 AND state = $2",
            vacancy_id, state)}


class OfferAndDecisionTest(PlacementTestCase):

    def test_a_run_offers_and_acceptance_fills_then_closes(self):
        seekers = set(self.register(3))
        vacancy = self.create_vacancy(2)
        run_id = self.run_match()
        items = self.listed(query=f"?state=pending&vacancy_id={vacancy}")
        self.assertEqual(len(items), 2)
        for item in items:
            self.assertEqual(set(item), ITEM_KEYS)
            self.assertEqual(set(item["seeker"]), SEEKER_KEYS)
            self.assertIn(item["seeker"]["id"], seekers)
            self.assertEqual(item["run_id"], run_id)
            self.assertEqual(item["vacancy_id"], vacancy)
            self.assertEqual(item["state"], "pending")
            self.assertEqual(item["matched_skills"], ["welding"])
            self.assertTrue(item["same_kecamatan"])
            self.assertRegex(item["offered_at"], RFC3339)
            self.assertRegex(item["decide_by"], RFC3339)
            self.assertIsNone(item["decided_at"])
        # The default policy gives employers 7 days; the third seeker waits.
        days = self.sql("SELECT DISTINCT extract(epoch FROM decide_by - offered_at) / 86400"
                        " FROM placements WHERE vacancy_id = $1", vacancy)
        self.assertEqual([float(d[0]) for d in days], [7.0])
        self.assertEqual(int(self.sql("SELECT count(*) FROM matches WHERE run_id = $1",
                                      run_id)[0][0]), 2)

        first = self.decide(items[0]["id"], "accepted")
        self.assertEqual(first.status, 200, first.body)
        self.assertEqual(set(first.json), ITEM_KEYS)
        self.assertEqual(first.json["state"], "accepted")
        self.assertRegex(first.json["decided_at"], RFC3339)
        self.assertEqual(self.vacancy_row(vacancy), (1, 1, "open"))
        second = self.decide(items[1]["id"], "accepted")
        self.assertEqual(second.status, 200, second.body)
        self.assertEqual(self.vacancy_row(vacancy), (0, 2, "closed"))

        again = self.decide(items[0]["id"], "rejected", reason="no_show")
        self.assert_error(again, 409, "not_pending")
        self.assertEqual(self.vacancy_row(vacancy), (0, 2, "closed"))
        accepted = self.listed(query=f"?state=accepted&vacancy_id={vacancy}")
        self.assertEqual({i["id"] for i in accepted}, {items[0]["id"], items[1]["id"]})
        # Seekers holding an accepted placement are not matched again.
        more = self.create_vacancy(5)
        self.run_match()
        placed = {i["seeker"]["id"] for i in accepted}
        self.assertEqual(self.offers_on(more), seekers - placed)

    def test_others_may_not_see_or_decide(self):
        self.register(1)
        vacancy = self.create_vacancy(1)
        self.run_match()
        item = self.listed(query=f"?vacancy_id={vacancy}")[0]
        self.assertEqual(self.listed(token="employer2", query=f"?vacancy_id={vacancy}"), [])
        self.assert_error(self.decide(item["id"], "accepted", token="employer2"), 404,
                          "not_found")
        self.assert_error(self.decide(2 ** 53, "accepted"), 404, "not_found")
        kiosk = self.request("GET", "/v1/placements", token=self.tokens["kiosk"])
        self.assert_error(kiosk, 403, "forbidden")
        self.assert_error(self.decide(item["id"], "accepted", token="kiosk"), 403, "forbidden")
        self.assert_error(self.decide(item["id"], "maybe"), 422, "validation_failed")
        self.assert_error(self.decide(item["id"], "rejected", reason="too_far"), 422,
                          "validation_failed")
        self.assertEqual(self.offers_on(vacancy), {item["seeker"]["id"]})
        # An admin may decide any placement, and that is audited.
        admin = self.decide(item["id"], "rejected", token="admin", reason="documents_incomplete")
        self.assertEqual(admin.status, 200, admin.body)
        self.assertEqual(admin.json["reason_code"], "documents_incomplete")
        audited = self.sql("SELECT action FROM audit_log WHERE target = $1",
                           f"placement:{item['id']}")
        self.assertEqual(audited, [("placement.reject",)])

    def test_a_rejection_frees_the_opening_for_someone_else_only(self):
        seekers = set(self.register(2))
        vacancy = self.create_vacancy(1)
        self.run_match(policy={"decision_days": 2})
        (first,) = self.offers_on(vacancy)
        days = self.sql("SELECT extract(epoch FROM decide_by - offered_at) / 86400"
                        " FROM placements WHERE vacancy_id = $1", vacancy)
        self.assertEqual(float(days[0][0]), 2.0)
        item = self.listed(query=f"?vacancy_id={vacancy}")[0]
        rejected = self.decide(item["id"], "rejected", reason="skills_mismatch")
        self.assertEqual(rejected.status, 200, rejected.body)
        self.assertEqual((rejected.json["state"], rejected.json["reason_code"]),
                         ("rejected", "skills_mismatch"))
        self.assertEqual(self.vacancy_row(vacancy), (1, 0, "open"))

        self.run_match()
        (second,) = self.offers_on(vacancy)
        self.assertEqual({first, second}, seekers)
        item = self.listed(query=f"?state=pending&vacancy_id={vacancy}")[0]
        self.assertEqual(self.decide(item["id"], "rejected").status, 200)
        # Both pairs were turned down: the opening stays free.
        self.run_match()
        self.assertEqual(self.offers_on(vacancy), set())
        self.assertEqual(self.vacancy_row(vacancy), (1, 0, "open"))

    def test_a_decision_replays_under_its_key(self):
        self.register(1)
        vacancy = self.create_vacancy(2)
        self.run_match()
        item = self.listed(query=f"?vacancy_id={vacancy}")[0]
        key = {"Idempotency-Key": "decision-uji-1"}
        first = self.decide(item["id"], "accepted", headers=key)
        self.assertEqual(first.status, 200, first.body)
        replayed = self.decide(item["id"], "accepted", headers=key)
        self.assertEqual(replayed.status, 200, replayed.body)
        self.assertEqual(replayed.body, first.body)
        self.assertEqual(replayed.headers.get("idempotent-replayed"), "true")
        self.assertEqual(self.vacancy_row(vacancy), (1, 1, "open"))
        other = self.decide(item["id"], "rejected", headers=key)
        self.assert_error(other, 422, "idempotency_key_reused")
        self.assert_error(self.decide(item["id"], "accepted"), 409, "not_pending")
        # The stored answer names the person: erasing them forgets it.
        stored = "SELECT count(*) FROM idempotency_keys WHERE key = $1"
        self.assertEqual(self.sql(stored, "decision-uji-1"), [("1",)])
        erased = self.request("DELETE", f"/v1/seekers/{item['seeker']['id']}",
                              token=self.tokens["admin"])
        self.assertEqual(erased.status, 204, erased.body)
        self.assertEqual(self.sql(stored, "decision-uji-1"), [("0",)])

    def test_a_passed_deadline_is_refused(self):
        self.register(1)
        vacancy = self.create_vacancy(1)
        self.run_match()
        item = self.listed(query=f"?vacancy_id={vacancy}")[0]
        self.sql("UPDATE placements SET offered_at = now() - interval '2 days',"
                 " decide_by = now() - interval '1 day' WHERE id = $1", item["id"])
        shown = self.listed(query=f"?state=expired&vacancy_id={vacancy}")
        self.assertEqual([(i["id"], i["state"]) for i in shown], [(item["id"], "expired")])
        self.assertEqual(self.listed(query=f"?state=pending&vacancy_id={vacancy}"), [])
        self.assert_error(self.decide(item["id"], "accepted"), 409, "not_pending")
        self.assertEqual(self.vacancy_row(vacancy), (1, 0, "open"))


class ExpiryTest(PlacementTestCase):

    serve_args = GENEROUS_LIMITS + ("--placement-expiry-interval", "1")

    def test_the_timer_expires_and_the_next_run_offers_someone_else(self):
        seekers = set(self.register(2))
        vacancy = self.create_vacancy(1)
        self.run_match()
        (first,) = self.offers_on(vacancy)
        since = self.kd.log_offset()
        self.sql("UPDATE placements SET offered_at = now() - interval '2 days',"
                 " decide_by = now() - interval '1 day' WHERE vacancy_id = $1", vacancy)
        harness.wait_until(lambda: self.offers_on(vacancy, "expired") == {first},
                           harness.scaled(30), 0.2, "the offer expiring")
        self.assertRegex(self.kd.log_text(since), r'msg="expired placements" count=1\b')
        self.run_match()
        self.assertEqual(self.offers_on(vacancy), seekers - {first})


if __name__ == "__main__":
    harness.main()
