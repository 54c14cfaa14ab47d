"""Two daemons against one database, as behind haproxy (docs/ha.md): what
one daemon could keep in memory is right with two.  One match run at a
time across both; one listening connection per daemon, and a daemon whose
listener comes back reads its cached tokens and vacancies again, since a
NOTIFY sent meanwhile (or on the old primary before a failover) is lost;
the housekeeping rounds go to one daemon each; a replayed answer is a
write, whose commit waits for the synchronous standby."""

import subprocess
import threading
import uuid

import harness
from harness_cluster import HeldLock
from harness_http import Client, free_port

LISTENER = "kerjadekat listener"
TENGGARONG = "64.02.06"


class SecondDaemon:
    """Another `serve` of the module's database, on its own port and log."""

    def __init__(self, service):
        self.port = free_port()
        self.log_path = service.log_path.replace(".daemon.log", ".second.log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(service.daemon_command(self.port),
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        self.client = Client(self.port, timeout=30 * harness.TIMEOUT_SCALE)

        def healthy():
            if self.process.poll() is not None:
                raise harness.HarnessError(f"the second daemon exited:\n"
                                           f"{harness.tail(self.log_path, 20)}")
            try:
                return self.client.request("GET", "/v1/health").status == 200
            except OSError:
                self.client.close()
                return False
        harness.wait_until(healthy, harness.scaled(30), 0.1, "the second daemon to be ready")

    def request(self, *args, **kwargs):
        return self.client.request(*args, **kwargs)

    def stop(self):
        self.client.close()
        self.process.terminate()
        self.process.wait(harness.scaled(20))


class ManyDaemonsTest(harness.KerjadekatTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second = SecondDaemon(cls.kd)

    @classmethod
    def tearDownClass(cls):
        cls.second.stop()
        super().tearDownClass()

    def both(self, method, path, **kwargs):
        """The same request sent to both daemons at once: their answers."""
        answers = [None, None]
        barrier = threading.Barrier(2)
        clients = [self.kd.client(), Client(self.second.port, timeout=30)]

        def send(i):
            barrier.wait()
            answers[i] = clients[i].request(method, path, **kwargs)
        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in clients:
            c.close()
        return answers

    def test_match_runs_started_on_both_daemons_at_once_run_one(self):
        # The run blocks on writing its matches while this lock is held, so
        # that it is surely still running when the other daemon is asked.
        lock = HeldLock(self.kd, "LOCK TABLE matches IN EXCLUSIVE MODE")
        try:
            answers = self.both("POST", "/v1/match-runs", json_body={},
                                token=self.tokens["admin"])
            self.assertEqual(sorted(a.status for a in answers), [202, 409],
                             [a.body for a in answers])
            refused = next(a for a in answers if a.status == 409)
            self.assertEqual(refused.json["error"]["code"], "run_in_progress")
            started = next(a for a in answers if a.status == 202)
            # The daemon that runs it refuses another as well: the database
            # decides, not the memory of the daemon that was asked.
            for ask in (self.kd.request, self.second.request):
                again = ask("POST", "/v1/match-runs", json_body={}, token=self.tokens["admin"])
                self.assertEqual(again.status, 409, again.body)
            running = self.sql("select count(*) from match_runs where state = 'running'")
            self.assertEqual(running, [("1",)])
        finally:
            lock.release()
        self.assertEqual(self.kd.ended_match_run(started.json["id"])["state"], "done")
        after = self.second.request("POST", "/v1/match-runs", json_body={},
                                    token=self.tokens["admin"])
        self.assertEqual(after.status, 202, after.body)
        self.kd.ended_match_run(after.json["id"])

    def listeners(self):
        return self.sql("select pid from pg_stat_activity where datname = current_database()"
                        " and application_name = $1", LISTENER)

    def test_each_daemon_listens_on_one_connection(self):
        self.assertEqual(len(self.listeners()), 2)
        daemons = self.sql("select count(*) from pg_stat_activity"
                           " where datname = current_database() and usename = $1",
                           harness.DAEMON_ROLE)
        self.assertEqual(daemons, [("8",)])   # 4 connections each, serve's default

    def unheard(self, statement, *params):
        """Runs statement with triggers off, so that no NOTIFY is sent: what a
        failover does to a change made just before it."""
        self.sql("set session_replication_role = replica; " + statement, *params)

    def test_a_listener_back_reads_tokens_and_vacancies_again(self):
        token = self.kd.create_token("kiosk")
        key_id = token.split("_")[1]
        for ask in (self.kd.request, self.second.request):
            self.assertEqual(ask("GET", "/v1/vacancies", token=token).status, 200)
        vacancy = self.request("POST", "/v1/vacancies", token=self.tokens["employer"],
                               json_body={"title": "Operator Alat Berat",
                                          "desa_code": self.desa(), "min_education": "SMA",
                                          "required_skills": ["welding"], "openings": 1})
        self.assertEqual(vacancy.status, 201, vacancy.body)
        seeker = self.request("POST", "/v1/seekers", token=self.tokens["kiosk"],
                              json_body=self.person(desa_code=self.desa(), education="SMK",
                                                    skills=["welding"]))
        self.assertEqual(seeker.status, 201, seeker.body)
        path = f"/v1/seekers/{seeker.json['id']}/recommendations"

        def recommended(ask):
            listing = ask("GET", path, token=self.tokens["kiosk"]).json["recommendations"]
            return vacancy.json["id"] in [item["vacancy_id"] for item in listing]
        for ask in (self.kd.request, self.second.request):
            harness.wait_until(lambda: recommended(ask), harness.scaled(5), what="the vacancy")

        self.unheard("update api_tokens set revoked_at = now() where key_id = $1", key_id)
        self.assertEqual(self.sql("select revoked_at is not null from api_tokens"
                                  " where key_id = $1", key_id), [("t",)])
        self.unheard("update vacancies set status = 'closed' where id = $1",
                     str(vacancy.json["id"]))
        # Unheard: both daemons still trust what they cached.
        for ask in (self.kd.request, self.second.request):
            self.assertEqual(ask("GET", "/v1/vacancies", token=token).status, 200)
            self.assertTrue(recommended(ask))

        before = len(self.kd.log_text())
        self.sql("select pg_terminate_backend(pid) from pg_stat_activity"
                 " where datname = current_database() and application_name = $1", LISTENER)
        for ask in (self.kd.request, self.second.request):
            harness.wait_until(lambda: ask("GET", "/v1/vacancies", token=token).status == 401,
                               harness.scaled(10), what="the revoked token to be refused")
            harness.wait_until(lambda: not recommended(ask), harness.scaled(10),
                               what="the closed vacancy to leave the index")
        self.assertEqual(len(self.listeners()), 2)
        # The other connections stayed up all along.
        self.assertNotIn("database down", self.kd.log_text()[before:])

    def desa(self):
        return next(row["code"] for row in harness.load_desa()
                    if row["code"].startswith(TENGGARONG + "."))

    def test_a_housekeeping_round_goes_to_one_caller(self):
        for task in ("idempotency_purge", "placement_expiry"):
            # In one transaction, so that no daemon's tick can claim between.
            claims = self.sql("begin; update housekeeping set due_at = now() where task = $1;"
                              " select housekeeping_claim($1, interval '1 hour');"
                              " select housekeeping_claim($1, interval '1 hour'); commit", task)
            self.assertEqual(claims, [("t",), ("f",)], task)

    def test_purge_rounds_are_bounded_and_done_once_across_daemons(self):
        token = self.sql("select id from api_tokens where revoked_at is null limit 1")[0][0]
        self.sql("insert into idempotency_keys (token_id, key, request_hash, status, response,"
                 " created_at) select $1, 'old-' || i, decode(repeat('00', 32), 'hex'), 201, '{}',"
                 " now() - interval '8 days' from generate_series(1, 25000) i", token)
        self.sql("update housekeeping set due_at = now() where task = 'idempotency_purge'")
        # Both daemons offer the purge every minute, the first a minute after start.
        harness.wait_until(lambda: self.old_keys() == 0, harness.scaled(150), 1.0,
                           "the old keys to be purged")
        counts = [int(line.rsplit("count=", 1)[1])
                  for text in (self.kd.log_text(), self.second_log())
                  for line in text.splitlines() if 'msg="purged idempotency keys"' in line]
        self.assertEqual(sorted(counts), [5000, 10000, 10000])

    def old_keys(self):
        return int(self.sql("select count(*) from idempotency_keys where key like 'old-%'")[0][0])

    def second_log(self):
        with open(self.second.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()

    def test_a_replay_is_a_write(self):
        key = f"replay-{uuid.uuid4().hex}"
        body = self.person()
        first = self.request("POST", "/v1/seekers", json_body=body, token=self.tokens["kiosk"],
                             headers={"Idempotency-Key": key})
        self.assertEqual(first.status, 201, first.body)
        replayed = "select replayed_at is not null from idempotency_keys where key = $1"
        self.assertEqual(self.sql(replayed, key), [("f",)])
        # A write, so that its commit waits for a synchronous standby
        # (the ha suite proves the wait itself).
        again = self.request("POST", "/v1/seekers", json_body=body, token=self.tokens["kiosk"],
                             headers={"Idempotency-Key": key})
        self.assertEqual((again.status, again.body), (first.status, first.body))
        self.assertEqual(self.sql(replayed, key), [("t",)])

if __name__ == "__main__":
    harness.main()
