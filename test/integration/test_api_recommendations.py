"""Recommendations: the registration receipt's nearby matches and
GET /v1/seekers/{id}/recommendations, ranked by the matcher's rules (same
kecamatan first, then distance), explained, and kept current as vacancies
open, change and close."""

import harness

TENGGARONG = "64.02.06"
LOA_JANAN = "64.02.03"
TABANG = "64.02.12"  # about 130 km upriver from Tenggarong


def first_desa(kecamatan_code):
    return next(row["code"] for row in harness.load_desa()
                if row["code"].startswith(kecamatan_code + "."))


class RecommendationTest(harness.KerjadekatTestCase):

    def post_vacancy(self, title, kecamatan_code, required, min_education="SMA", **extra):
        body = {"title": title, "desa_code": first_desa(kecamatan_code),
                "required_skills": required, "min_education": min_education, "openings": 2}
        body.update(extra)
        response = self.request("POST", "/v1/vacancies", json_body=body,
                                token=self.tokens["employer"])
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def recommendations(self, seeker_id, token="kiosk", query=""):
        return self.request("GET", f"/v1/seekers/{seeker_id}/recommendations{query}",
                            token=self.tokens[token])

    def ids(self, listing):
        return [item["vacancy_id"] for item in listing]

    def wait_for(self, seeker_id, predicate, what):
        harness.wait_until(lambda: predicate(self.ids(
            self.recommendations(seeker_id).json["recommendations"])),
            harness.scaled(5), what=what)

    def test_receipt_ranks_local_first_and_explains(self):
        local = self.post_vacancy("Juru Las Tenggarong", TENGGARONG, ["welding"],
                                  optional_skills=["occupational safety"])
        near = self.post_vacancy("Juru Las Loa Janan", LOA_JANAN, ["las"])
        far = self.post_vacancy("Juru Las Tabang", TABANG, ["pengelasan"])
        unqualified = self.post_vacancy("Insinyur Las", TENGGARONG, ["welding"],
                                        min_education="S1")
        other_skill = self.post_vacancy("Nakhoda", TENGGARONG, ["nakhoda"])
        profile = dict(desa_code=first_desa(TENGGARONG), education="SMK", skills=["las"])
        # Vacancies reach the index through NOTIFY: wait until a first
        # person with the same profile sees them.
        probe = self.request("POST", "/v1/seekers", json_body=self.person(**profile),
                             token=self.tokens["kiosk"])
        self.assertEqual(probe.status, 201, probe.body)
        self.wait_for(probe.json["id"], lambda ids: {local, near} <= set(ids),
                      "the new vacancies to reach the index")
        person = self.person(**profile)
        response = self.request("POST", "/v1/seekers", json_body=person,
                                token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        receipt = response.json["recommendations"]
        ids = self.ids(receipt)
        self.assertEqual(ids[:2], [local, near], receipt)
        self.assertNotIn(unqualified, ids)
        self.assertNotIn(other_skill, ids)
        # Beyond the 75 km limit of a seeker in Tenggarong.
        self.assertNotIn(far, ids)
        first = receipt[0]
        self.assertTrue(first["same_kecamatan"])
        self.assertEqual(first["kecamatan_code"], TENGGARONG)
        self.assertEqual(first["title"], "Juru Las Tenggarong")
        self.assertEqual(first["matched_skills"], ["welding"])
        self.assertEqual(first["missing_optional_skills"], ["occupational_safety"])
        self.assertFalse(receipt[1]["same_kecamatan"])
        self.assertGreater(receipt[1]["distance_km"], first["distance_km"])
        self.assertLessEqual(len(receipt), 5)

        # The same list, on request, for the kiosk that registered the person.
        listed = self.recommendations(response.json["id"])
        self.assertEqual(listed.status, 200, listed.body)
        self.assertEqual(self.ids(listed.json["recommendations"])[:2], [local, near])

    def test_index_follows_vacancy_changes(self):
        person = self.person(desa_code=first_desa(TENGGARONG), education="SMA",
                             skills=["operator excavator"])
        response = self.request("POST", "/v1/seekers", json_body=person,
                                token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        seeker = response.json["id"]
        self.assertEqual(self.recommendations(seeker).json["recommendations"], [])

        opened = self.post_vacancy("Operator Excavator", TENGGARONG, ["excavator operator"])
        self.wait_for(seeker, lambda ids: opened in ids, "a new vacancy to be recommended")

        patch = self.request("PATCH", f"/v1/vacancies/{opened}", json_body={"status": "closed"},
                             token=self.tokens["employer"])
        self.assertEqual(patch.status, 200, patch.body)
        self.wait_for(seeker, lambda ids: opened not in ids, "a closed vacancy to disappear")

        # A change made in psql, not through the API, reaches the daemon too.
        self.sql("UPDATE vacancies SET status = 'open' WHERE id = $1", opened)
        self.wait_for(seeker, lambda ids: opened in ids, "a reopened vacancy to return")
        self.sql("UPDATE vacancies SET openings = 0 WHERE id = $1", opened)
        self.wait_for(seeker, lambda ids: opened not in ids, "a full vacancy to disappear")

    def test_who_may_ask_and_how(self):
        response = self.request("POST", "/v1/seekers", json_body=self.person(),
                                token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        seeker = response.json["id"]
        self.assertEqual(self.recommendations(seeker, "admin").status, 200)
        self.assertEqual(self.recommendations(seeker, "kiosk2").status, 404)
        self.assertEqual(self.recommendations(seeker, "employer").status, 403)
        self.assertEqual(self.request("GET", f"/v1/seekers/{seeker}/recommendations").status, 401)
        self.assertEqual(self.recommendations(seeker, "admin", "?limit=0").status, 422)
        self.assertEqual(self.recommendations(seeker, "admin", "?limit=51").status, 422)
        bad = self.recommendations(seeker, "admin", "?sort=score")
        self.assertEqual(bad.status, 422)
        self.assertEqual(bad.json["error"]["field"], "sort")
        self.assertEqual(self.recommendations(1, "admin").status, 404)


if __name__ == "__main__":
    harness.main()
