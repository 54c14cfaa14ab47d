"""The pool fails over whichever host of a multi-host conninfo comes first.

Each host is a unix-socket directory: the test cluster's own, or one where
this module plays a server that misbehaves: a read-only server (libpq drops
it under target_session_attrs=read-write and opens the next host's socket,
which usually gets the same descriptor number), a black hole that accepts
and never answers, a directory with nothing listening, and a proxy to the
test cluster that can freeze.  One more host is a loopback TCP port nobody
listens on: a TCP connect is refused only after libpq has waited for the
socket, and it then waits the same way for the next host's socket, under
the same number.  The shared cluster itself is never stopped or frozen, so
this module runs beside the others.
"""

import os
import select
import shutil
import socket
import struct
import tempfile
import threading
import time
import uuid

import harness
from test_faults_support import FaultTestCase, connect_unix, terminate_daemon_backends

UNKNOWN_MESSAGE = "database connection lost; the outcome is unknown, retry"


class SocketDir:
    """A directory that libpq takes as a host; nothing listens in it until a
    subclass does."""

    def __init__(self, port):
        self.dir = tempfile.mkdtemp(prefix="kd-host-")
        self.path = os.path.join(self.dir, f".s.PGSQL.{port}")
        self.accepted = 0
        self._held = []
        self._lock = threading.Lock()
        self._listener = None

    def listen(self):
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.path)
        self._listener.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                self._held.append(client)
            self.serve(client)

    def serve(self, client):
        """What to do with an accepted connection; holding it is the default."""

    def close(self):
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            held, self._held = self._held, []
        for sock in held:
            sock.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class BlackHole(SocketDir):
    """Accepts every connection and never reads or answers."""

    def __init__(self, port):
        super().__init__(port)
        self.listen()


def recv_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


def message(kind, payload):
    return kind + struct.pack("!I", len(payload) + 4) + payload


class ReadOnlyServer(SocketDir):
    """Speaks just enough of the protocol to let any client in and report a
    hot standby, so libpq with target_session_attrs=read-write says goodbye
    and goes on to the next host."""

    SSL_REQUEST = 80877103
    GSSENC_REQUEST = 80877104

    def __init__(self, port):
        super().__init__(port)
        self.listen()

    def serve(self, client):
        threading.Thread(target=self._session, args=(client,), daemon=True).start()

    def _session(self, client):
        try:
            while True:
                size, code = struct.unpack("!II", recv_exactly(client, 8))
                recv_exactly(client, size - 8)
                if code not in (self.SSL_REQUEST, self.GSSENC_REQUEST):
                    break
                client.sendall(b"N")
            reply = message(b"R", struct.pack("!I", 0))
            for name, value in (("server_version", "15.0"), ("in_hot_standby", "on"),
                                ("default_transaction_read_only", "on"),
                                ("client_encoding", "UTF8"),
                                ("standard_conforming_strings", "on")):
                reply += message(b"S", name.encode() + b"\0" + value.encode() + b"\0")
            reply += message(b"K", struct.pack("!II", 4242, 4242))
            reply += message(b"Z", b"I")
            client.sendall(reply)
            while client.recv(4096):
                pass
        except OSError:
            pass
        finally:
            client.close()


class FreezableProxy(SocketDir):
    """Passes each connection through to the real server until freeze();
    from then on nothing more goes either way and new connections are
    accepted and never answered, as a frozen server's would be."""

    def __init__(self, port, server_socket):
        super().__init__(port)
        self.server_socket = server_socket
        self.frozen = threading.Event()
        self.listen()

    def freeze(self):
        self.frozen.set()

    def serve(self, client):
        if self.frozen.is_set():
            return
        server = connect_unix(self.server_socket)
        if server is None:
            client.close()
            return
        with self._lock:
            self._held.append(server)
        threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client, server):
        try:
            while not self.frozen.is_set():
                ready, _, _ = select.select([client, server], [], [], 0.2)
                if self.frozen.is_set():
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        raise OSError("closed")
                    (server if sock is client else client).sendall(data)
        except OSError:
            client.close()
            server.close()


class FailoverTest(FaultTestCase):

    def setUp(self):
        super().setUp()
        cluster = self.kd.cluster
        self.port = cluster.port
        self.server_socket = os.path.join(cluster.host, f".s.PGSQL.{cluster.port}")
        self.addCleanup(self.daemon_restart, ())

    def host(self, kind):
        made = kind(self.port)
        self.addCleanup(made.close)
        return made

    def serve_with_hosts(self, dirs, extra_args=(), ports=None):
        """Restarts the daemon on a conninfo listing dirs as its hosts, in
        that order (with ports, one per host, or the cluster's for all), and
        waits until it is ready."""
        port = ",".join(ports or [self.port])
        conninfo = (f"host='{','.join(dirs)}' port='{port}' "
                    f"user='{harness.DAEMON_ROLE}' dbname='{self.kd.dbname}' "
                    "target_session_attrs=read-write")
        # A later --db wins.
        self.daemon_restart(("--db", conninfo, *extra_args))

    def register(self, key=None):
        client = self.kd.client()
        try:
            headers = {"Idempotency-Key": key or f"failover-{uuid.uuid4().hex}"}
            return client.request("POST", "/v1/seekers", json_body=self.person(),
                                  token=self.tokens["kiosk"], headers=headers)
        finally:
            client.close()

    def health(self):
        client = self.kd.client()
        try:
            return client.request("GET", "/v1/health")
        finally:
            client.close()

    def register_until_created(self, timeout):
        deadline = time.monotonic() + harness.scaled(timeout)
        while True:
            response = self.register()
            if response.status == 201 or time.monotonic() > deadline:
                return response
            time.sleep(0.2)

    def test_a_refusing_first_host_hands_over_to_the_next(self):
        # A TCP connect, even on loopback, ends only after libpq has waited
        # for writing; refused, libpq opens the next host's socket in the
        # same step, under the same number (one connection: nothing else
        # takes it meanwhile), and waits for writing again.
        # Bound and never listening: refused, and no other test's daemon
        # can take the port meanwhile.
        refused = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(refused.close)
        refused.bind(("127.0.0.1", 0))
        refused_port = refused.getsockname()[1]
        self.serve_with_hosts(["127.0.0.1", self.kd.cluster.host], ("--db-connections", "1"),
                              ports=[str(refused_port), self.port])
        self.assertEqual(self.register().status, 201)
        for _ in range(3):
            self.assertGreater(terminate_daemon_backends(self.kd), 0)
            response = self.register_until_created(30)
            self.assertEqual(response.status, 201, response.body)

    def test_a_read_only_first_host_hands_over_to_the_primary(self):
        # One connection: libpq opens the primary's socket right after
        # closing the read-only one's, so it gets that descriptor number.
        read_only = self.host(ReadOnlyServer)
        self.serve_with_hosts([read_only.dir, self.kd.cluster.host], ("--db-connections", "1"))
        self.assertEqual(self.register().status, 201)
        # Every reconnect takes the same way.
        for _ in range(3):
            self.assertGreater(terminate_daemon_backends(self.kd), 0)
            response = self.register_until_created(30)
            self.assertEqual(response.status, 201, response.body)
        self.assertGreaterEqual(read_only.accepted, 4)

    def test_a_host_that_never_answers_is_passed_over(self):
        black_hole = self.host(BlackHole)
        nothing = self.host(SocketDir)
        self.serve_with_hosts([black_hole.dir, nothing.dir, self.kd.cluster.host])
        self.assertGreater(black_hole.accepted, 0)
        response = self.register()
        self.assertEqual(response.status, 201, response.body)
        self.assert_daemon_healthy()

    def test_a_frozen_primary_is_left_for_the_next_host(self):
        primary = FreezableProxy(self.port, self.server_socket)
        self.addCleanup(primary.close)
        standby = self.host(SocketDir)
        self.serve_with_hosts([primary.dir, standby.dir])
        self.assertEqual(self.register().status, 201)

        primary.freeze()
        # Every pool connection is on the frozen primary: each request
        # still in flight at its deadline costs its connection, and the
        # reconnects find no host that answers.
        first = self.register()
        self.assertEqual(first.status, 503, first.body)
        self.assertEqual(first.json["error"]["message"], UNKNOWN_MESSAGE)
        deadline = time.monotonic() + harness.scaled(120)
        while True:
            health = self.health()
            if health.status == 503:
                break
            self.assertLess(time.monotonic(), deadline,
                            f"/v1/health still answers {health.status} {health.body!r} with "
                            f"the primary frozen\n{self.daemon_messages()}")
            response = self.register()
            self.assertEqual(response.status, 503, response.body)
        self.assertEqual(health.json, {"status": "degraded", "database": "down"})

        # The standby is promoted: here, its directory now leads to the server.
        os.symlink(self.server_socket, standby.path)
        response = self.register_until_created(60)
        self.assertEqual(response.status, 201, response.body)
        self.assert_daemon_healthy()


if __name__ == "__main__":
    harness.main()
