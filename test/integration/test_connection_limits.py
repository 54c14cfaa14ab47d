"""One client cannot hold every connection: connections per client address
are capped (one past the cap is closed at once, without an answer), while
other addresses are still served; near the global cap idle keep-alive
connections are closed early, and at the cap the one idle longest makes
room for a new client.  Connections from a trusted proxy are not capped per
address.  Each client here is a loopback address of its own: Linux routes
all of 127/8 to lo, so a socket bound to 127.0.0.2 before connecting is
another client to the daemon on 127.0.0.1."""

import re

import harness

MAX_CONNECTIONS = 8          # crowded above 6 open
PER_ADDRESS = 3
# The normal idle keep-alive time is 60 s; closed "early" means well before it.
EARLY = 30.0


class ConnectionLimitsCase(harness.KerjadekatTestCase):

    def setUp(self):
        super().setUp()
        # The harness's own keep-alive connection comes from 127.0.0.1 too.
        self.kd.reset_client()
        self._open = []
        self.addCleanup(self._close_all)
        self.wait_until_no_client_connections()

    def _close_all(self):
        for conn in self._open:
            conn.close()

    def connect(self, source):
        conn = harness.RawConnection(self.kd.port, timeout=10.0 * harness.TIMEOUT_SCALE,
                                     source=source)
        self._open.append(conn)
        return conn

    def health_request(self, conn, close=False):
        conn.send(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + (b"Connection: close\r\n" if close else b"") + b"\r\n")

    def idle_connection(self, source):
        """A keep-alive connection from source that has had one answer and now idles."""
        conn = self.connect(source)
        self.health_request(conn)
        response = conn.read_response()
        self.assertEqual(response.status, 200, response.body)
        self.assertNotEqual(response.headers.get("connection"), "close")
        return conn

    def assert_refused(self, source):
        """A new connection from source is closed without an answer."""
        conn = self.connect(source)
        try:
            self.health_request(conn)
        except (BrokenPipeError, ConnectionResetError):
            return
        with self.assertRaises(EOFError, msg=f"a connection from {source} was served"):
            conn.read_response()

    def assert_served(self, source):
        conn = self.connect(source)
        self.health_request(conn, close=True)
        response = conn.read_response()
        self.assertEqual(response.status, 200, response.body)

    def scrape(self):
        """The metrics text, read from an address no test holds connections from."""
        with harness.RawConnection(self.kd.port, source="127.0.0.99") as conn:
            conn.send(f"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      f"Authorization: Bearer {self.kd.metrics_token}\r\n"
                      f"Connection: close\r\n\r\n".encode())
            response = conn.read_response()
        self.assertEqual(response.status, 200, response.body)
        return response.body.decode()

    def sample(self, text, name, labels=""):
        match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.M)
        self.assertIsNotNone(match, f"{name}{labels} not in /metrics")
        return float(match.group(1))

    def wait_until_no_client_connections(self):
        """Connections of earlier tests are closed by the client; wait until
        the daemon has seen that (the scrape itself is the one left)."""
        harness.wait_until(lambda: self.sample(self.scrape(), "kerjadekat_http_connections") <= 1,
                           harness.scaled(10), 0.1, "earlier connections to close")


class PerAddressCapTest(ConnectionLimitsCase):

    serve_args = ("--max-connections", str(MAX_CONNECTIONS),
                  "--max-connections-per-address", str(PER_ADDRESS))

    def test_one_address_is_capped_while_others_are_served(self):
        before = self.scrape()
        held = [self.idle_connection("127.0.0.1") for _ in range(PER_ADDRESS)]
        self.assert_refused("127.0.0.1")
        self.assert_served("127.0.0.2")
        # Its own connections still work; only the one past the cap went.
        self.health_request(held[0])
        self.assertEqual(held[0].read_response().status, 200)
        after = self.scrape()
        refused = '{cap="per_address"}'
        self.assertEqual(self.sample(after, "kerjadekat_http_connections_refused_total", refused)
                         - self.sample(before, "kerjadekat_http_connections_refused_total",
                                       refused), 1)

    def test_a_closed_connection_gives_its_place_back(self):
        held = [self.idle_connection("127.0.0.3") for _ in range(PER_ADDRESS)]
        held[0].close()
        # The daemon notices the close on its own time: wait for the place.
        def served():
            conn = harness.RawConnection(self.kd.port, source="127.0.0.3")
            self._open.append(conn)
            try:
                self.health_request(conn)
                return conn.read_response().status == 200
            except (OSError, EOFError):
                return False
        harness.wait_until(served, harness.scaled(10), 0.1, "a place for 127.0.0.3")

    def test_idle_connections_close_early_near_the_cap(self):
        # Seven of eight open is past 3/4: crowded, though not full.
        sources = ["127.0.0.11"] * 3 + ["127.0.0.12"] * 3 + ["127.0.0.13"]
        held = [self.idle_connection(source) for source in sources]
        self.assertTrue(held[0].closed_within(EARLY),
                        f"an idle connection of a crowded daemon was still open after {EARLY} s")
        self.assertEqual(held[0].received, b"")
        self.assertGreaterEqual(self.sample(self.scrape(),
                                            "kerjadekat_http_idle_connections_shed_total"), 1)

    def test_a_new_client_is_served_when_idle_connections_fill_the_daemon(self):
        sources = ["127.0.0.21"] * 3 + ["127.0.0.22"] * 3 + ["127.0.0.23"] * 2
        held = [self.idle_connection(source) for source in sources]
        self.assertEqual(len(held), MAX_CONNECTIONS)
        self.assert_served("127.0.0.24")
        # The first to idle is the first to go.
        self.assertTrue(held[0].closed_within(EARLY))


class TrustedProxyTest(ConnectionLimitsCase):
    """Every client behind a proxy shares its address: no per-address cap."""

    serve_args = ("--max-connections", str(MAX_CONNECTIONS),
                  "--max-connections-per-address", str(PER_ADDRESS),
                  "--trusted-proxy", "127.0.0.5")

    def test_a_trusted_proxy_is_not_capped_per_address(self):
        # One more than an address's share, and still fewer than would crowd.
        held = [self.idle_connection("127.0.0.5") for _ in range(PER_ADDRESS + 1)]
        self.health_request(held[0])
        self.assertEqual(held[0].read_response().status, 200)


if __name__ == "__main__":
    harness.main()
