"""Personal data: erasure keeps anonymous statistics and nothing else,
admin actions leave an audit trail without personal data, and the
operators' database role reads the views but no table with personal data."""

import harness

OPERATOR = "kerjadekat_operator"
PERSONAL_TABLES = ("seekers", "api_tokens", "idempotency_keys", "employers", "audit_log")
OPERATOR_VIEWS = ("match_latest", "unmatched_seekers", "unmatched_counts", "vacancy_fill",
                  "kecamatan_summary", "skill_gaps", "result_retention", "match_results_expired")


class PrivacyTest(harness.KerjadekatTestCase):

    def register(self, body, token="kiosk"):
        response = self.request("POST", "/v1/seekers", json_body=body, token=self.tokens[token])
        self.assertEqual(response.status, 201, response.body)
        return response.json

    def as_operator(self, query):
        return self.sql(f"SET ROLE {OPERATOR}; {query}")

    def test_erasure_destroys_personal_data_and_keeps_statistics(self):
        person = self.person()
        created = self.register(person)
        seeker = created["id"]
        response = self.request("DELETE", f"/v1/seekers/{seeker}", token=self.tokens["admin"])
        self.assertEqual(response.status, 204, response.body)
        self.assertEqual(response.body, b"")
        row = self.sql("SELECT status, full_name, phone, nik_masked, registration_code,"
                       " to_char(birth_date, 'MM-DD'), kecamatan_code, education::text,"
                       " cardinality(skill_ids) FROM seekers WHERE id = $1", seeker)[0]
        self.assertEqual(row[:6], ("erased", "", "", "", None, "01-01"))
        self.assertEqual(row[6], created["kecamatan_code"])
        self.assertEqual(row[7], person["education"])
        self.assertGreater(int(row[8]), 0)
        # Nothing of the person is left to find.
        everything = "\n".join(str(r) for r in self.sql(
            "SELECT s::text FROM seekers s WHERE id = $1", seeker))
        for value in (person["full_name"], person["nik"], person["nik"][-6:],
                      created["registration_code"]):
            self.assertNotIn(value, everything)
        self.assertEqual(self.sql("SELECT count(*) FROM idempotency_keys"
                                  " WHERE response LIKE $1", f'%{seeker}%'), [("0",)])
        for path in (f"/v1/seekers/{seeker}", f"/v1/seekers/{seeker}/recommendations"):
            self.assertEqual(self.request("GET", path, token=self.tokens["admin"]).status, 404)
        again = self.request("DELETE", f"/v1/seekers/{seeker}", token=self.tokens["admin"])
        self.assertEqual(again.status, 404)
        # The person may register again with the same NIK.
        self.register(person)

    def test_erasure_is_for_admins_only(self):
        seeker = self.register(self.person())["id"]
        for token in ("kiosk", "employer"):
            response = self.request("DELETE", f"/v1/seekers/{seeker}", token=self.tokens[token])
            self.assertEqual(response.status, 403, response.body)
        self.assertEqual(self.request("DELETE", f"/v1/seekers/{seeker}").status, 401)
        self.assertEqual(self.sql("SELECT status FROM seekers WHERE id = $1", seeker),
                         [("active",)])

    def test_admin_actions_are_audited_without_personal_data(self):
        before = int(self.sql("SELECT coalesce(max(id), 0) FROM audit_log")[0][0])
        admin = self.tokens["admin"]
        seeker = self.register(self.person(), "kiosk")["id"]
        self.request("GET", f"/v1/seekers/{seeker}", token=self.tokens["kiosk"])
        self.assertEqual(self.request("GET", f"/v1/seekers/{seeker}", token=admin).status, 200)
        employer = self.kd.create_employer()
        vacancy = self.request("POST", "/v1/vacancies", token=admin, json_body={
            "employer_id": employer, "title": "Juru Las", "desa_code": self.person()["desa_code"],
            "required_skills": ["las"], "min_education": "SMA", "openings": 1})
        self.assertEqual(vacancy.status, 201, vacancy.body)
        patch = self.request("PATCH", f"/v1/vacancies/{vacancy.json['id']}", token=admin,
                             json_body={"openings": 2})
        self.assertEqual(patch.status, 200, patch.body)
        self.assertEqual(self.request("DELETE", f"/v1/seekers/{seeker}", token=admin).status, 204)
        rows = self.sql("SELECT action, target, token_id IS NOT NULL, request_id IS NOT NULL"
                        " FROM audit_log WHERE id > $1 ORDER BY id", before)
        actions = [(action, target) for action, target, _, _ in rows]
        self.assertEqual(actions, [
            ("seeker.read", f"seeker:{seeker}"),
            ("employer.create", f"employer:{employer}"),
            ("vacancy.create", f"vacancy:{vacancy.json['id']}"),
            ("vacancy.update", f"vacancy:{vacancy.json['id']}"),
            ("seeker.erase", f"seeker:{seeker}"),
        ])
        self.assertTrue(all(r[2] == "t" and r[3] == "t" for r in rows), rows)

    def test_operator_role_reads_views_but_no_personal_tables(self):
        self.register(self.person())
        for view in OPERATOR_VIEWS:
            self.as_operator(f"SELECT count(*) FROM {view}")
        for table in PERSONAL_TABLES:
            with self.assertRaises(harness.SqlError, msg=table) as refused:
                self.as_operator(f"SELECT count(*) FROM {table}")
            self.assertIn("permission denied", refused.exception.stderr)


if __name__ == "__main__":
    harness.main()
