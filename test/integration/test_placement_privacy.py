"""What employers see of a person, and what that costs everyone else: never
the registration code (the seeker's own credential), personal data only
while the offer is live or the person hired, every page of it in the audit
log; an employer's list walks an index of its own; and one caller's flood of
list pages cannot hold the whole database pool while a kiosk waits."""

import concurrent.futures
import subprocess
import time

import harness
import harness_cluster
import test_placements as tp

PERSONAL = {"full_name", "phone", "education", "experience_years", "kecamatan_code",
            "desa_code", "disability"}


class EmployerViewTest(tp.PlacementTestCase):

    def register_with_codes(self, n):
        codes = {}
        for _ in range(n):
            body = self.person(desa_code=tp.DESA, skills=["las"], education="SMA")
            response = self.request("POST", "/v1/seekers", json_body=body,
                                    token=self.tokens["kiosk"])
            self.assertEqual(response.status, 201, response.body)
            codes[response.json["id"]] = response.json["registration_code"]
        return codes

    def test_no_registration_code_and_no_personal_data_once_the_offer_ended(self):
        codes = self.register_with_codes(2)
        vacancy = self.create_vacancy(1)
        self.run_match()
        response = self.request("GET", f"/v1/placements?vacancy_id={vacancy}",
                                token=self.tokens["employer"])
        self.assertEqual(response.status, 200, response.body)
        for code in codes.values():
            self.assertNotIn(code, response.body.decode())
        [item] = response.json["placements"]
        self.assertEqual(set(item["seeker"]), {"id"} | PERSONAL)

        rejected = self.decide(item["id"], "rejected", reason="no_show")
        self.assertEqual(rejected.status, 200, rejected.body)
        self.assertEqual(rejected.json["seeker"], {"id": item["seeker"]["id"]})
        for code in codes.values():
            self.assertNotIn(code, rejected.body.decode())
        [after] = self.listed(query=f"?vacancy_id={vacancy}&state=rejected")
        self.assertEqual(after["seeker"], {"id": item["seeker"]["id"]})

        # The next run offers the other person; hired, their details stay.
        self.run_match()
        [offer] = self.listed(query=f"?vacancy_id={vacancy}&state=pending")
        accepted = self.decide(offer["id"], "accepted")
        self.assertEqual(accepted.status, 200, accepted.body)
        self.assertEqual(set(accepted.json["seeker"]), {"id"} | PERSONAL)
        self.assertNotIn(codes[offer["seeker"]["id"]], accepted.body.decode())

    def test_operator_views_name_seekers_by_id_not_code(self):
        codes = self.register_with_codes(1)
        self.create_vacancy(1)
        self.run_match()
        columns = {r[0] for r in self.sql(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name IN ('match_latest', 'unmatched_seekers')")}
        self.assertIn("seeker_id", columns)
        self.assertNotIn("registration_code", columns)
        [(seeker_id,)] = self.sql("SELECT seeker_id FROM match_latest")
        self.assertEqual(int(seeker_id), next(iter(codes)))

    def test_every_page_with_personal_data_is_audited(self):
        self.register(2)
        vacancy = self.create_vacancy(2)
        self.run_match()
        before = self.sql("SELECT coalesce(max(id), 0) FROM audit_log")[0][0]
        items = self.listed(query=f"?vacancy_id={vacancy}")
        self.assertEqual(len(items), 2)
        rows = self.sql("SELECT a.action, a.target, t.name FROM audit_log a"
                        " JOIN api_tokens t ON t.id = a.token_id WHERE a.id > $1", before)
        self.assertEqual(len(rows), 1, rows)
        action, target, token_name = rows[0]
        self.assertEqual(action, "placements.read")
        ids = ",".join(str(i["id"]) for i in sorted(items, key=lambda i: i["id"]))
        self.assertRegex(target, rf"^employer:\d+:placements:{ids}$")
        self.assertEqual(token_name, "test-employer")

        # Pages without personal data (offers that ended) are not.
        for item in items:
            self.assertEqual(self.decide(item["id"], "rejected", reason="no_show").status, 200)
        marker = self.sql("SELECT max(id) FROM audit_log")[0][0]
        self.assertEqual(len(self.listed(query=f"?vacancy_id={vacancy}")), 2)
        self.assertEqual(self.sql("SELECT count(*) FROM audit_log WHERE id > $1"
                                  " AND action = 'placements.read'", marker), [("0",)])

    def test_the_audit_log_is_append_only_for_the_daemon_and_operators(self):
        self.register(1)
        self.create_vacancy(1)
        self.run_match()
        self.listed()
        for role in ("kd_test_daemon", "kd_test_operator"):
            self.kd.cluster.ensure_login_role(
                role, "kerjadekat_daemon" if role == "kd_test_daemon" else "kerjadekat_operator")
            for statement in ("UPDATE audit_log SET target = 'x'", "DELETE FROM audit_log",
                              "TRUNCATE audit_log"):
                with self.assertRaises(harness_cluster.SqlError, msg=(role, statement)):
                    self.sql(statement, user=role)
        # The owner (the migrating role) still may, for retention.
        self.sql("UPDATE audit_log SET request_id = request_id WHERE false")


class EmployerIndexTest(tp.PlacementTestCase):

    def test_an_employers_list_uses_the_employers_index(self):
        # With sequential scans priced out, the plan shows which index the
        # list can use; before the employer's own index it could only walk
        # every placement in id order.
        self.register(1)
        vacancy = self.create_vacancy(1)
        self.run_match()
        self.sql(f'ALTER DATABASE "{self.kd.dbname}" SET enable_seqscan = off')
        try:
            self.kd.restart_daemon()
            before = self.index_scans()
            self.assertEqual(len(self.listed(query=f"?vacancy_id={vacancy}")), 1)
            deadline = time.monotonic() + harness.scaled(30)
            while self.index_scans() == before and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertGreater(self.index_scans(), before)
        finally:
            self.sql(f'ALTER DATABASE "{self.kd.dbname}" RESET enable_seqscan')
            self.kd.restart_daemon()

    def index_scans(self):
        return int(self.sql("SELECT pg_stat_clear_snapshot();"
                            " SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes"
                            " WHERE indexrelname = 'placements_employer'")[-1][0])


class FairShareTest(tp.PlacementTestCase):

    def test_one_callers_list_pages_leave_room_for_a_kiosk(self):
        self.register(1)
        self.create_vacancy(1)
        self.run_match()
        # Tokens verified once, so no lookup needs the pool below.
        self.listed()
        self.register(1)
        # A session holding the audit log (which every page showing
        # personal data writes to, and a registration never does) makes
        # every page wait in the database, as slow pages over a huge table
        # would.
        holder = subprocess.Popen(
            [harness_cluster.PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1",
             "-d", self.kd.cluster.conninfo(self.kd.dbname) + " application_name=kd_lock_holder",
             "-c", "BEGIN", "-c", "LOCK TABLE audit_log IN EXCLUSIVE MODE",
             "-c", "SELECT pg_sleep(600)"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The pool has 4 connections: one caller's pages take 2 of them, 64
        # more wait in the daemon, and the rest are told to come back.
        at_database, waiting, refused = 2, 64, 3
        pages = at_database + waiting + refused
        try:
            self.wait_for_lock()
            with concurrent.futures.ThreadPoolExecutor(pages) as pool:
                futures = [pool.submit(self.page_status) for _ in range(pages)]
                deadline = time.monotonic() + harness.scaled(60)
                while (self.waiting_pages() < at_database or
                       sum(f.done() for f in futures) < refused) and \
                        time.monotonic() < deadline:
                    time.sleep(0.1)
                done = [f.result() for f in futures if f.done()]
                self.assertEqual(done, [429] * refused)
                self.assertEqual(self.waiting_pages(), at_database)
                # The kiosk registers while that caller's pages still wait.
                body = self.person(desa_code=tp.DESA, skills=["las"], education="SMA")
                kiosk = self.kd.client()
                try:
                    response = kiosk.request("POST", "/v1/seekers", json_body=body,
                                             token=self.tokens["kiosk"])
                finally:
                    kiosk.close()
                self.assertEqual(response.status, 201, response.body)
                self.assertEqual(self.waiting_pages(), at_database)
                self.release_lock(holder)
                statuses = [f.result() for f in futures]
            # The pages that waited are answered once the table is free (the
            # two at the database with 503 if that took longer than a
            # request may wait); the queued ones all reach the database.
            self.assertEqual(statuses.count(429), refused, statuses)
            self.assertGreaterEqual(statuses.count(200), waiting, statuses)
            self.assertEqual(statuses.count(200) + statuses.count(503), pages - refused,
                             statuses)
        finally:
            self.release_lock(holder)

    def page_status(self):
        client = self.kd.client()
        try:
            response = client.request("GET", "/v1/placements", token=self.tokens["employer"])
            if response.status == 429:
                self.assertEqual(response.json["error"]["code"], "busy")
                self.assertEqual(response.headers.get("retry-after"), "1")
            return response.status
        finally:
            client.close()

    def waiting_pages(self):
        return int(self.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            " AND datname = current_database()")[0][0])

    def wait_for_lock(self):
        deadline = time.monotonic() + harness.scaled(30)
        while time.monotonic() < deadline:
            if self.sql("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                        " WHERE a.application_name = 'kd_lock_holder' AND l.granted"
                        " AND l.mode = 'ExclusiveLock'"
                        " AND l.relation = 'audit_log'::regclass")[0][0] != "0":
                return
            time.sleep(0.1)
        self.fail("the lock holder did not take its lock")

    def release_lock(self, holder):
        if holder.poll() is None:
            self.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     " WHERE application_name = 'kd_lock_holder'")
            holder.wait(timeout=harness.scaled(30))


if __name__ == "__main__":
    harness.main()
