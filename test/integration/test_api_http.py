"""HTTP/1.1 over raw sockets: keep-alive, pipelining in order, request ids,
and the framing limits (411, 413 before the body, 414, 431, 408)."""

import json
import re
import resource
import selectors
import threading
import time

import harness

# Per-token rate limits far above what these tests send, so that no test here
# meets a 429 it did not ask for.
GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
MAX_BODY = 64 * 1024
HEADER_TIMEOUT = 10.0
MAX_CONNECTIONS = 1024


def request_bytes(method, path, headers=(), body=b"", version="HTTP/1.1"):
    lines = [f"{method} {path} {version}", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HttpTestCase(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def assert_error_body(self, response, status):
        self.assertEqual(response.status, status, response.body)
        self.assertTrue(response.headers.get("content-type", "").startswith("application/json"))
        self.assertIsInstance(response.json, dict, response.body)
        self.assertIsInstance(response.json.get("error", {}).get("code"), str, response.body)

    def seeker_request(self, request_id):
        body = json.dumps(self.kd.persons.seeker()).encode()
        return request_bytes("POST", "/v1/seekers", [
            ("Authorization", f"Bearer {self.tokens['kiosk']}"),
            ("Content-Type", "application/json"), ("X-Request-Id", request_id)], body)


class KeepAliveTest(HttpTestCase):

    def test_one_connection_serves_many_requests(self):
        with self.raw() as conn:
            for n, path in enumerate(["/v1/health", "/v1/kecamatan", "/v1/skills?q=las",
                                      "/v1/nope", "/v1/health"] * 4):
                conn.send(request_bytes("GET", path, [("X-Request-Id", f"seq-{n}")]))
                response = conn.read_response()
                self.assertIn(response.status, (200, 404))
                self.assertEqual(response.headers.get("x-request-id"), f"seq-{n}")
                self.assertNotEqual(response.headers.get("connection", "").lower(), "close")

    def pipeline(self):
        """Requests to send back to back and the status each must get:
        database work, memory-served answers and errors mixed, so that a
        quick answer could overtake a slow one."""
        kiosk = [("Authorization", f"Bearer {self.tokens['kiosk']}")]
        return [
            (self.seeker_request("p-0"), 201),
            (request_bytes("GET", "/v1/health", [("X-Request-Id", "p-1")]), 200),
            (request_bytes("GET", "/v1/vacancies", kiosk + [("X-Request-Id", "p-2")]), 200),
            (request_bytes("POST", "/v1/seekers", kiosk + [("Content-Type", "application/json"),
                                                           ("X-Request-Id", "p-3")], b"{"), 400),
            (self.seeker_request("p-4"), 201),
            (request_bytes("GET", "/v1/skills?q=welding", [("X-Request-Id", "p-5")]), 200),
            (request_bytes("GET", "/v1/seekers/1", [("X-Request-Id", "p-6")]), 401),
            (request_bytes("GET", "/v1/kecamatan", [("X-Request-Id", "p-7")]), 200),
            (request_bytes("GET", "/v1/kecamatan/64.02.01/desa", [("X-Request-Id", "p-8")]), 200),
        ]

    def test_pipelined_requests_are_answered_in_order(self):
        for split in ("at once", "in 17 parts", "byte by byte"):
            batch = self.pipeline()
            data = b"".join(request for request, _ in batch)
            pieces = {"at once": 1, "in 17 parts": 17, "byte by byte": len(data)}[split]
            with self.subTest(split), self.raw() as conn:
                conn.send(data, pieces=pieces)
                for n, (_, status) in enumerate(batch):
                    response = conn.read_response()
                    self.assertEqual(response.headers.get("x-request-id"), f"p-{n}")
                    self.assertEqual(response.status, status, response.body)
                self.assertEqual(conn.received, b"")

    def test_connection_close_is_honoured(self):
        with self.raw() as conn:
            conn.send(request_bytes("GET", "/v1/health", [("Connection", "close")]))
            response = conn.read_response()
            self.assertEqual(response.status, 200)
            self.assertEqual(response.headers.get("connection", "").lower(), "close")
            self.assertTrue(conn.closed_within(2))

    def test_http_1_0_closes_after_the_response(self):
        with self.raw() as conn:
            conn.send(b"GET /v1/health HTTP/1.0\r\n\r\n")
            response = conn.read_response()
            self.assertEqual(response.status, 200)
            self.assertTrue(conn.closed_within(2))

    def test_http_1_1_without_host_is_400(self):
        with self.raw() as conn:
            conn.send(b"GET /v1/health HTTP/1.1\r\n\r\n")
            self.assert_error_body(conn.read_response(), 400)


class ConnectionLimitTest(HttpTestCase):

    def test_connections_beyond_1024_are_closed_at_once(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        needed = MAX_CONNECTIONS + 200
        self.assertGreaterEqual(hard, needed, "the test needs more open files than allowed")
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, needed), hard))
        self.addCleanup(resource.setrlimit, resource.RLIMIT_NOFILE, (soft, hard))
        self.kd.reset_client()
        extra = 8
        conns = []
        try:
            # From 16 loopback addresses, each within the per-address cap (128),
            # so that only the daemon-wide cap can refuse them.
            for n in range(MAX_CONNECTIONS + extra):
                conns.append(harness.RawConnection(self.kd.port, timeout=5 * harness.TIMEOUT_SCALE,
                                                   source=f"127.0.1.{1 + n % 16}"))
            time.sleep(0.3)
            with selectors.DefaultSelector() as selector:
                for n, conn in enumerate(conns):
                    selector.register(conn.sock, selectors.EVENT_READ, n)
                readable = sorted(key.data for key, _ in selector.select(0))
            closed = [n for n in readable if conns[n].closed_within(1)]
            self.assertGreaterEqual(len(closed), extra)
            self.assertLessEqual(len(closed), extra + 4)
            self.assertTrue(all(n >= MAX_CONNECTIONS - 4 for n in closed), closed[:10])
            conns[0].send(request_bytes("GET", "/v1/health"))
            self.assertEqual(conns[0].read_response().status, 200,
                             "connections within the limit keep working")
        finally:
            for conn in conns:
                conn.close()
        harness.wait_until(lambda: self.request("GET", "/v1/health").status == 200,
                           harness.scaled(5), what="a new connection after the crowd left")


class RequestIdTest(HttpTestCase):

    def test_sane_request_id_is_echoed(self):
        for request_id in ("kiosk-7.abc_DEF:42", "a", "x" * 64, "seq-1a2b3c"):
            with self.subTest(request_id=request_id):
                offset = self.kd.log_offset()
                response = self.request("GET", "/v1/health", headers={"X-Request-Id": request_id})
                self.assertEqual(response.headers.get("x-request-id"), request_id)
                harness.wait_until(lambda: f"request_id={request_id} " in
                                   self.kd.log_text(offset), 2, what="the request's log line")

    def test_request_id_is_echoed_on_errors(self):
        cases = [("GET", "/v1/nope", None, 404), ("GET", "/v1/vacancies", None, 401),
                 ("DELETE", "/v1/health", None, 405),
                 ("POST", "/v1/seekers", b"{", 401)]
        for method, path, body, status in cases:
            with self.subTest(method=method, path=path):
                response = self.request(method, path, raw_body=body,
                                        headers={"X-Request-Id": "err-1"})
                self.assertEqual(response.status, status)
                self.assertEqual(response.headers.get("x-request-id"), "err-1")

    def test_missing_or_insane_request_id_is_replaced(self):
        seen = set()
        # More than 3 digits in all could smuggle a NIK, a phone number or a
        # birth date into the logs, however they are split, so such ids are
        # replaced too: UUIDs among them.
        for request_id in (None, "", "has space", "x" * 65, "semi;colon", "quote\"d",
                           "\u00fcml\u00e4ut", "a/b", "{json}", "6402061705990001",
                           "kiosk-081234567890", "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
                           "0a1b2c3d-4e5f-6789-abcd-ef01234e5f67", "nik-6402074-7059900-07",
                           "0812-3456-7890", "07.05.99"):
            with self.subTest(request_id=request_id):
                response = self.request("GET", "/v1/health", headers={"X-Request-Id": request_id})
                chosen = response.headers.get("x-request-id", "")
                self.assertRegex(chosen, SANE_REQUEST_ID)
                self.assertNotEqual(chosen, request_id)
                self.assertNotIn(chosen, seen)
                seen.add(chosen)


    def test_a_split_personal_number_reaches_neither_log_nor_audit_log(self):
        registered = self.request("POST", "/v1/seekers", json_body=self.kd.persons.seeker(),
                                  token=self.tokens["kiosk"])
        self.assertEqual(registered.status, 201, registered.body)
        seeker = registered.json["id"]
        for request_id in ("nik-6402074-7059900-07", "hp-0812-3456-7890", "lahir-07.05.99"):
            with self.subTest(request_id=request_id):
                offset = self.kd.log_offset()
                response = self.request("GET", f"/v1/seekers/{seeker}", token=self.tokens["admin"],
                                        headers={"X-Request-Id": request_id})
                self.assertEqual(response.status, 200, response.body)
                chosen = response.headers.get("x-request-id", "")
                self.assertNotEqual(chosen, request_id)
                # the read is audited under the id the daemon chose
                harness.wait_until(lambda: f"request_id={chosen} " in self.kd.log_text(offset),
                                   2, what="the request's log line")
                self.assertNotIn(request_id, self.kd.log_text(offset))
                audited = "SELECT count(*) FROM audit_log WHERE request_id = $1"
                self.assertEqual(self.sql(audited, chosen), [("1",)])
                self.assertEqual(self.sql(audited, request_id), [("0",)])


class FramingTest(HttpTestCase):

    def test_transfer_encoding_is_411(self):
        body = b'{"name":"PT Peserta Uji"}'
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        for headers, payload in ((("Transfer-Encoding", "chunked"),), chunked), \
                                ((("Transfer-Encoding", "identity"),), b""), \
                                ((("Transfer-Encoding", "chunked"),
                                  ("Content-Length", str(len(chunked)))), chunked):
            with self.subTest(headers=headers), self.raw() as conn:
                head = request_bytes("POST", "/v1/employers", [
                    ("Authorization", f"Bearer {self.tokens['admin']}"),
                    ("Content-Type", "application/json"), *headers])
                conn.send(head + payload)
                self.assert_error_body(conn.read_response(), 411)
        self.assertEqual(self.sql("select count(*) from employers where name = 'PT Peserta Uji'"),
                         [("0",)])

    def test_body_over_64_kib_is_413_before_it_is_sent(self):
        for length in (MAX_BODY + 1, 10 * MAX_BODY, 2 ** 62):
            with self.subTest(length=length), self.raw() as conn:
                conn.send(request_bytes("POST", "/v1/seekers", [
                    ("Authorization", f"Bearer {self.tokens['kiosk']}"),
                    ("Content-Type", "application/json"), ("Content-Length", str(length))]))
                self.assert_error_body(conn.read_response(timeout=5), 413)

    def test_body_of_exactly_64_kib_is_read(self):
        padding = MAX_BODY - len(b'{"name":"","desa_code":"64.02.06.1001"}')
        body = b'{"name":"%s","desa_code":"64.02.06.1001"}' % (b"P" * padding)
        self.assertEqual(len(body), MAX_BODY)
        response = self.request("POST", "/v1/employers", raw_body=body, token=self.tokens["admin"])
        self.assertEqual(response.status, 422, response.body)
        self.assertEqual(response.json["error"]["field"], "name")

    def test_expect_100_continue_is_answered_before_the_body(self):
        body = json.dumps(self.kd.persons.seeker()).encode()
        headers = [("Authorization", f"Bearer {self.tokens['kiosk']}"),
                   ("Content-Type", "application/json"), ("Expect", "100-continue")]
        with self.raw() as conn:
            conn.send(request_bytes("POST", "/v1/seekers",
                                    headers + [("Content-Length", str(len(body)))]))
            self.assertEqual(conn.read_response(timeout=5).status, 100)
            conn.send(body)
            self.assertEqual(conn.read_response().status, 201)
        with self.raw() as conn:
            conn.send(request_bytes("POST", "/v1/seekers",
                                    headers + [("Content-Length", str(MAX_BODY + 1))]))
            self.assert_error_body(conn.read_response(timeout=5), 413)
        with self.raw() as conn:
            conn.send(request_bytes("POST", "/v1/seekers", [("Expect", "magic")], b"{}"))
            self.assert_error_body(conn.read_response(timeout=5), 417)

    def test_long_request_line_is_414(self):
        with self.raw() as conn:
            conn.send(request_bytes("GET", "/v1/skills?q=" + "a" * 9000))
            self.assert_error_body(conn.read_response(), 414)

    def test_oversized_headers_are_431(self):
        cases = {
            "one 9 KiB field": [("X-Padding", "a" * 9000)],
            "17 KiB in all": [(f"X-Padding-{n}", "a" * 6000) for n in range(3)],
            "80 fields": [(f"X-Field-{n}", "v") for n in range(80)],
        }
        for description, headers in cases.items():
            with self.subTest(description), self.raw() as conn:
                conn.send(request_bytes("GET", "/v1/health", headers))
                self.assert_error_body(conn.read_response(), 431)

    def test_headers_just_under_the_limits_are_accepted(self):
        headers = [(f"X-Padding-{n}", "a" * 4000) for n in range(3)]
        with self.raw() as conn:
            conn.send(request_bytes("GET", "/v1/health", headers))
            self.assertEqual(conn.read_response().status, 200)

    def test_garbage_gets_a_client_error_never_a_server_error(self):
        cases = [b"HELLO\r\n\r\n", b"GET\r\n\r\n", b"GET /v1/health HTTP/9.9\r\nHost: x\r\n\r\n",
                 b"GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                 b"GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                 b"Content-Length: 2\r\n\r\nab",
                 b"GET /v1/health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
                 b"GET /v1/health HTTP/1.1\r\nNo colon here\r\n\r\n",
                 b"GET /v1/he\x00alth HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
                 b"GET http://evil.example/v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"GET /v1/skills?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"GET /v1/skills?q=%00 HTTP/1.1\r\nHost: x\r\n\r\n"]
        for data in cases:
            with self.subTest(data=data[:40]), self.raw() as conn:
                conn.send(data)
                try:
                    response = conn.read_response(timeout=5)
                except EOFError:
                    continue
                self.assertTrue(response.status < 500 or response.status == 505, response.body)
        self.assertEqual(self.request("GET", "/v1/health").status, 200)

    def test_slow_headers_and_slow_bodies_are_cut_off_after_ten_seconds(self):
        """The idle keep-alive connection next to them stays open."""
        slow_head = self.raw(timeout=30)
        slow_body = self.raw(timeout=30)
        idle = self.raw(timeout=30)
        try:
            idle.send(request_bytes("GET", "/v1/health"))
            self.assertEqual(idle.read_response().status, 200)
            started = time.monotonic()
            slow_head.send(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
            slow_body.send(request_bytes("POST", "/v1/employers", [
                ("Authorization", f"Bearer {self.tokens['admin']}"),
                ("Content-Type", "application/json"), ("Content-Length", "100")]) + b'{"name"')
            answers = {}

            def read(name, conn):
                try:
                    answers[name] = (conn.read_response(timeout=harness.scaled(20)),
                                     time.monotonic() - started)
                except (EOFError, TimeoutError) as error:
                    answers[name] = (error, time.monotonic() - started)

            readers = [threading.Thread(target=read, args=item)
                       for item in (("head", slow_head), ("body", slow_body))]
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join()
            for name in ("head", "body"):
                response, elapsed = answers[name]
                with self.subTest(name):
                    self.assertIsInstance(response, harness.Response, response)
                    self.assert_error_body(response, 408)
                    self.assertGreater(elapsed, HEADER_TIMEOUT - 1)
                    self.assertLess(elapsed, harness.scaled(HEADER_TIMEOUT + 3))
            self.assertTrue(slow_head.closed_within(2))
            self.assertTrue(slow_body.closed_within(2))
            idle.send(request_bytes("GET", "/v1/health"))
            self.assertEqual(idle.read_response().status, 200,
                             "an idle keep-alive connection must outlive the header timeout")
        finally:
            for conn in (slow_head, slow_body, idle):
                conn.close()


if __name__ == "__main__":
    harness.main()
