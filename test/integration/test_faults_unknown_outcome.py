"""A registration whose commit outcome the daemon cannot know is answered
503 at its deadline, never 201, and the kiosk's retry with the same
Idempotency-Key then gets the original 201 when the transaction did commit,
or creates the row exactly once when it did not.  The first case puts a
proxy between the daemon and PostgreSQL that swallows the server's replies,
so the COMMIT happens and its answer is lost; the second freezes the server
and kills its backends before they run what was sent.  Crashes the shared
test cluster: runs alone."""

import os
import select
import signal
import threading
import time
import uuid

import harness
from test_faults_support import (DB_DEADLINE, DEADLINE_SLACK, FaultTestCase, PassThroughProxy,
                                 masked)

UNKNOWN_MESSAGE = "database connection lost; the outcome is unknown, retry"


class ReplySwallowingProxy(PassThroughProxy):
    """Once armed with a marker, the first client message holding it (a
    prepared statement's name in a Bind) goes through and from then on
    whatever the server sends is dropped: the transaction commits and its
    answer never arrives.  drop_all() then closes every connection, as a
    broken network would."""

    def __init__(self, server_socket, port):
        self.swallow = threading.Event()
        self.marker = None
        super().__init__(server_socket, port)

    def pump(self, client, server):
        while True:
            ready, _, _ = select.select([client, server], [], [], 0.5)
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    raise OSError("closed")
                if sock is client:
                    if self.marker and self.marker in data:
                        self.swallow.set()
                    server.sendall(data)
                elif not self.swallow.is_set():
                    client.sendall(data)


class UnknownOutcomeTest(FaultTestCase):

    def setUp(self):
        super().setUp()
        self.addCleanup(self.db_sigcont)
        self.make_commits_survive_a_server_crash()
        self.assert_daemon_healthy()

    def daemon_backends(self):
        rows = self.sql("select pid from pg_stat_activity where datname = current_database() "
                        "and pid <> pg_backend_pid() and backend_type = 'client backend' "
                        "and application_name is distinct from 'psql'")
        return [int(row[0]) for row in rows]

    def register(self, body, key, timeout=None):
        client = harness.Client(self.kd.port, timeout=timeout or harness.scaled(30))
        try:
            return client.request("POST", "/v1/seekers", json_body=body,
                                  token=self.tokens["kiosk"], headers={"Idempotency-Key": key})
        finally:
            client.close()

    def register_while_frozen(self, body, key):
        """Sends the registration to a frozen database and checks the answer
        is the 'outcome unknown' 503, in time."""
        self.db_sigstop(backends=True)
        sent = time.monotonic()
        response = self.register(body, key)
        took = time.monotonic() - sent
        self.assertEqual(response.status, 503, response.body)
        self.assertTrue((response.headers.get("retry-after") or "").isdigit(), response.headers)
        self.assertEqual(response.json["error"]["message"], UNKNOWN_MESSAGE)
        self.assertLess(took, harness.scaled(DB_DEADLINE + DEADLINE_SLACK + 2))
        return response

    def retry_until_answered(self, body, key):
        """Retries with the same key while the database comes back (503)."""
        deadline = time.monotonic() + harness.scaled(30)
        while True:
            response = self.register(body, key)
            if response.status != 503 or time.monotonic() > deadline:
                return response
            time.sleep(0.2)

    def stored(self, body):
        return self.sql("select id, registration_code, nik_masked from seekers "
                        "where full_name = $1", body["full_name"])

    def keys_stored(self, key):
        return self.sql("select count(*) from idempotency_keys where key = $1", key)[0][0]

    def assert_created_once(self, response, body, key):
        self.assertEqual(response.status, 201, response.body)
        rows = self.stored(body)
        self.assertEqual(rows, [(str(response.json["id"]), response.json["registration_code"],
                                 masked(body["nik"]))])
        self.assertEqual(self.keys_stored(key), "1")
        again = self.register(body, key)
        self.assertEqual((again.status, again.body), (response.status, response.body))
        location = f"/v1/seekers/{response.json['id']}"
        self.assertEqual((response.headers.get("location"), again.headers.get("location")),
                         (location, location))

    def test_retry_returns_the_commit_whose_reply_was_lost(self):
        proxy = ReplySwallowingProxy.to_cluster(self.kd)
        self.addCleanup(proxy.close)
        # A later --db wins: the daemon reaches the database through the proxy.
        self.addCleanup(self.daemon_restart, ())
        self.daemon_restart(("--db", proxy.conninfo(self.kd)))
        self.assert_daemon_healthy()

        body = self.kd.persons.seeker()
        key = f"unknown-{uuid.uuid4().hex}"
        proxy.marker = b"seeker_insert\0"
        sent = time.monotonic()
        lost = self.register(body, key)
        took = time.monotonic() - sent
        self.assertEqual(lost.status, 503, lost.body)
        self.assertEqual(lost.json["error"]["message"], UNKNOWN_MESSAGE)
        self.assertTrue((lost.headers.get("retry-after") or "").isdigit(), lost.headers)
        self.assertLess(took, harness.scaled(DB_DEADLINE + DEADLINE_SLACK + 2))
        # The server did commit; only its answer was lost.
        committed = self.stored(body)
        self.assertEqual(len(committed), 1, committed)

        self.assertTrue(proxy.swallow.is_set())
        proxy.marker = None
        proxy.drop_all()
        proxy.swallow.clear()
        response = self.retry_until_answered(body, key)
        self.assert_created_once(response, body, key)
        self.assertEqual(str(response.json["id"]), committed[0][0])
        self.assertEqual(response.json["registration_code"], committed[0][1])

    def test_retry_creates_the_row_once_when_nothing_committed(self):
        body = self.kd.persons.seeker()
        key = f"unknown-{uuid.uuid4().hex}"
        backends = self.daemon_backends()
        self.assertTrue(backends, "the daemon holds no database connection")
        self.register_while_frozen(body, key)
        # The backends die before they could run what was sent: the server
        # restarts after a crash and nothing of the request committed.
        for pid in backends:
            self.kill_process(pid)
        self.db_sigcont()
        self.kd.cluster.wait_ready(harness.scaled(30))
        self.assertEqual(self.stored(body), [])
        response = self.retry_until_answered(body, key)
        self.assert_created_once(response, body, key)
        self.assert_daemon_healthy()

    @staticmethod
    def kill_process(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    harness.main()
