"""A token revoked while its lookup is in flight is refused, and stays
refused: the lookup's answer, read before the revocation but arriving after
the revocation notice, is neither cached nor trusted.

The daemon reaches PostgreSQL through a proxy with two pool connections.
The proxy holds back everything the server sends on the connection that
runs the first token lookup once armed, so that lookup's answer (the token
still valid) waits at the proxy.  Meanwhile the token is revoked and the
notice arrives over the other connection, the pool's one listener (which
takes work last, so the lookup is not on it).  Then the answer is let
through: nothing but the order of events can refuse the token."""

import re
import select
import threading

import harness
from test_faults_support import PassThroughProxy

# A Bind of the token lookup's prepared statement to the unnamed portal
# (the Parse that prepares it names the statement without the empty portal).
LOOKUP_BIND = re.compile(rb"B[\x00-\xff]{4}\x00token_lookup\x00")


def split_messages(data):
    """Whole backend messages (type byte, then a length counting itself) at
    the start of data, and the bytes left over."""
    messages = []
    while len(data) >= 5:
        end = 1 + int.from_bytes(data[1:5], "big")
        if len(data) < end:
            break
        messages.append(data[:end])
        data = data[end:]
    return messages, data


class LookupHoldingProxy(PassThroughProxy):
    """Once armed, the first connection that sends a token lookup has all
    server messages held until release()."""

    def __init__(self, server_socket, port):
        self._armed = False
        self._held_client = None
        self._holding = False
        self._held = []
        super().__init__(server_socket, port)

    def pump(self, client, server):
        pending = b""
        while True:
            ready, _, _ = select.select([client, server], [], [], 0.5)
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    raise OSError("closed")
                if sock is client:
                    with self._lock:
                        if self._armed and LOOKUP_BIND.search(data):
                            self._armed = False
                            self._held_client = client
                            self._holding = True
                    server.sendall(data)
                    continue
                messages, pending = split_messages(pending + data)
                with self._lock:
                    self._from_server(client, messages)

    def _from_server(self, client, messages):
        if client is self._held_client and self._holding:
            self._held.extend(messages)
        else:
            client.sendall(b"".join(messages))

    def arm(self):
        with self._lock:
            self._armed = True

    def answer_held(self):
        """True once a held connection has its whole answer waiting here
        (the ReadyForQuery that ends a pipeline segment)."""
        with self._lock:
            return any(message[:1] == b"Z" for message in self._held)

    def release(self):
        with self._lock:
            self._holding = False
            held, self._held = self._held, []
            self._held_client.sendall(b"".join(held))


class RevocationRaceTest(harness.KerjadekatTestCase):

    def metric(self, pattern):
        response = self.request("GET", "/metrics",
                                headers={"Authorization": f"Bearer {self.kd.metrics_token}"})
        self.assertEqual(response.status, 200, response.body)
        match = re.search(pattern, response.body.decode(), re.M)
        return float(match.group(1)) if match else None

    def kiosk_request(self, token):
        client = self.kd.client()
        try:
            return client.request("GET", "/v1/vacancies", token=token)
        finally:
            client.close()

    def test_lookup_answered_after_the_revocation_notice_does_not_let_the_token_in(self):
        proxy = LookupHoldingProxy.to_cluster(self.kd)
        self.addCleanup(proxy.close)
        self.addCleanup(self.daemon_restart, ())
        self.daemon_restart(("--db", proxy.conninfo(self.kd), "--db-connections", "2"))
        # Both connections prepared, the listener among them.
        harness.wait_until(
            lambda: self.metric(r'^kerjadekat_db_connections\{state="ready"\} (\S+)$') == 2,
            harness.scaled(10), 0.1, "both pool connections to be ready")

        token = self.kd.create_token("kiosk", "test-revocation-race")
        key_id = token.split("_")[1]
        proxy.arm()
        first = {}
        asker = threading.Thread(target=lambda: first.update(answer=self.kiosk_request(token)))
        asker.start()
        self.addCleanup(asker.join, harness.scaled(30))
        harness.wait_until(proxy.answer_held, harness.scaled(5), 0.01,
                           "the token lookup's answer to reach the proxy")

        # The answer (the token valid) is read; now the token is revoked.
        self.kd.run("token", "revoke", key_id, "--db", self.kd.conninfo)
        # This lookup runs on the other connection, after its copy of the
        # notice: the daemon has had the notice once this is answered.
        self.assertEqual(self.kiosk_request(token).status, 401)

        proxy.release()
        asker.join(harness.scaled(30))
        self.assertFalse(asker.is_alive(), "the first request was never answered")
        self.assertEqual(first["answer"].status, 401, first["answer"].body)
        # Nor was the stale answer cached: the token stays refused.
        self.assertEqual(self.kiosk_request(token).status, 401)


if __name__ == "__main__":
    harness.main()
