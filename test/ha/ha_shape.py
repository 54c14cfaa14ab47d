"""The highly available shape that scripts/cluster brings up, seen from a
test: its env file, psql on each node, the nodes and daemons as processes
to kill or freeze, HAProxy's view of the daemons, and a steady load of
registrations through HAProxy."""

import glob
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid

SOURCE_ROOT = os.environ.get("KD_SOURCE_ROOT") or \
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(SOURCE_ROOT, "test", "integration"))

from harness_env import HarnessError, wait_until  # noqa: E402
from harness_http import Client  # noqa: E402
from harness_people import PersonFactory  # noqa: E402

PSQL = "/usr/lib/postgresql/15/bin/psql"
CLUSTER = os.path.join(SOURCE_ROOT, "scripts", "cluster")


def read_env(path):
    """The NAME=value lines of a shell env file, unquoted."""
    values = {}
    with open(path, encoding="utf-8") as env:
        for line in env:
            name, sep, value = line.strip().partition("=")
            if sep:
                values[name] = value.strip("'\"")
    return values


class Shape:
    """One cluster in a state directory of its own, on ports of its own."""

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "cluster")
        self.environ = dict(os.environ, KD_CLUSTER_DIR=self.dir,
                            KD_CLUSTER_PORT_BASE=str(self.free_base()))
        self.run("start", timeout=600)
        self.read_env()

    @classmethod
    def attach(cls, state_dir):
        """The cluster already running in state_dir."""
        shape = cls.__new__(cls)
        shape.dir = state_dir
        shape.environ = dict(os.environ, KD_CLUSTER_DIR=state_dir)
        shape.read_env()
        return shape

    def read_env(self):
        self.env = read_env(os.path.join(self.dir, "env"))
        self.url = self.env["KD_URL"]
        self.port = int(self.url.rsplit(":", 1)[1])
        self.pg_ports = [int(p) for p in self.env["KD_PG_PORTS"].split()]

    @staticmethod
    def free_base():
        """A base port whose next 40 ports are free now."""
        for _ in range(50):
            base = random.randrange(20000, 30000)
            if all(port_free(base + i) for i in range(40)):
                return base
        raise HarnessError("no free range of ports")

    def run(self, *args, timeout=120):
        proc = subprocess.run([CLUSTER, *args], env=self.environ, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise HarnessError(f"scripts/cluster {' '.join(args)} exited with "
                               f"{proc.returncode}:\n{proc.stderr[-3000:]}")
        return proc.stdout

    def stop(self):
        """Stops the cluster and removes its data, keeping the logs."""
        self.run("stop", timeout=180)
        real = os.path.realpath(self.dir)
        for data in glob.glob(os.path.join(real, "pg-*", "data")) + [os.path.join(real, "etcd")]:
            subprocess.run(["rm", "-rf", data], check=False)

    # -- PostgreSQL

    def psql(self, node, query, superuser=False, timeout=10):
        """Rows of query on node (1-based) as tuples of str, or None when the
        node does not answer."""
        if superuser:
            user, passfile = "postgres", os.path.join(self.dir, "admin.pgpass")
        else:
            user, passfile = self.env["KD_PG_USER"], self.env["PGPASSFILE"]
        args = [PSQL, "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                "-h", self.env["KD_PG_HOST"], "-p", str(self.pg_ports[node - 1]),
                "-U", user, "-d", self.env["KD_PG_DB"], "-c", query]
        try:
            proc = subprocess.run(args, env=dict(os.environ, PGPASSFILE=passfile,
                                                 PGCONNECT_TIMEOUT="2"),
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        if proc.returncode != 0:
            return None
        return [tuple(line.split("\x1f")) for line in proc.stdout.splitlines()]

    def primary(self):
        """The node that is not in recovery, or None."""
        found = [n for n in self.nodes() if self.psql(n, "select pg_is_in_recovery()") == [("f",)]]
        return found[0] if len(found) == 1 else None

    def nodes(self):
        return range(1, len(self.pg_ports) + 1)

    def wait_primary(self, other_than=None, timeout=60):
        def found():
            n = self.primary()
            return n if n is not None and n != other_than else None
        return wait_until(found, timeout, 0.5, "a primary")

    def present(self, node, ids):
        """How many of the seeker ids node has."""
        if not ids:
            return 0
        rows = self.psql(node, "select count(*) from seekers where id = any('{"
                         + ",".join(str(i) for i in ids) + "}'::bigint[])")
        return int(rows[0][0]) if rows else -1

    def wait_present(self, node, ids, timeout=90):
        """Waits until node has every one of ids (a standby catching up)."""
        wait_until(lambda: self.present(node, ids) == len(ids), timeout, 0.5,
                   f"node {node} to have every acknowledged registration")

    # -- processes

    def node_pgid(self, node):
        with open(os.path.join(self.dir, f"pg-{node}.pgid")) as f:
            return int(f.read())

    def signal_node(self, node, sig):
        os.killpg(self.node_pgid(node), sig)

    def node_start(self, node):
        self.run("node-start", str(node), timeout=180)

    def wait_streaming(self, node, timeout=120):
        """Waits until node is a standby that streams from the primary."""
        def streaming():
            primary = self.primary()
            if primary is None or primary == node:
                return False
            rows = self.psql(primary, "select count(*) from pg_stat_replication"
                             f" where state = 'streaming' and application_name = 'pg-{node}'",
                             superuser=True)
            return rows == [("1",)]
        wait_until(streaming, timeout, 0.5, f"node {node} to stream as a standby")

    def daemon_pid(self, n):
        with open(os.path.join(self.dir, f"daemon-{n}.pid")) as f:
            return int(f.read())

    def haproxy(self, command):
        """A command on HAProxy's admin socket: its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(self.env["KD_HAPROXY_SOCKET"])
            s.sendall(command.encode() + b"\n")
            chunks = []
            while True:
                data = s.recv(65536)
                if not data:
                    return b"".join(chunks).decode()
                chunks.append(data)

    def daemon_status(self):
        """HAProxy's status of each daemon server: {name: status}."""
        lines = self.haproxy("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        status = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(",")))
            if row.get("svname") not in (None, "FRONTEND", "BACKEND") and row.get("pxname"):
                status[row["svname"]] = row["status"]
        return status


def port_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Outcome:
    """What happened to one registration: its key, the answers it got, and
    when it was first sent and finally answered 201."""

    def __init__(self, key):
        self.key = key
        self.statuses = []
        self.sent = time.monotonic()
        self.acked = None
        self.seeker_id = None


class Load:
    """Threads registering people through HAProxy, each with its own
    Idempotency-Key, retrying on 503, 502, 504 and lost connections with the
    same key until a 201 (a kiosk's behaviour)."""

    RETRY = (502, 503, 504)

    def __init__(self, shape, token, persons, threads=4, pause=0.02):
        self.shape = shape
        self.token = token
        self.persons = persons
        self.pause = pause
        self.outcomes = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.worker, daemon=True)
                        for _ in range(threads)]
        for t in self.threads:
            t.start()

    def worker(self):
        client = Client(self.shape.port, timeout=30)
        try:
            while not self.stopping.is_set():
                self.register(client)
                time.sleep(self.pause)
        finally:
            client.close()

    def register(self, client):
        outcome = Outcome(f"ha-{uuid.uuid4().hex}")
        body = self.persons.seeker()
        with self.lock:
            self.outcomes.append(outcome)
        # A registration is finished even when the load stops: its person
        # must end up registered exactly once.
        for _ in range(400):
            try:
                answer = client.request("POST", "/v1/seekers", json_body=body, token=self.token,
                                        headers={"Idempotency-Key": outcome.key})
                outcome.statuses.append(answer.status)
            except OSError:
                client.close()
                outcome.statuses.append("lost")
                time.sleep(0.1)
                continue
            if answer.status == 201:
                outcome.acked = time.monotonic()
                outcome.seeker_id = answer.json["id"]
                return
            if answer.status not in self.RETRY:
                return
            time.sleep(0.1)

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(600)

    def acked(self):
        with self.lock:
            return [o for o in self.outcomes if o.acked is not None]

    def acked_ids(self):
        return [o.seeker_id for o in self.acked()]

    def acked_since(self, moment):
        return [o for o in self.acked() if o.acked >= moment]

    def longest_gap(self, start, end=None):
        """The longest time without a 201 between start and end (or now)."""
        times = sorted(o.acked for o in self.acked() if o.acked >= start and
                       (end is None or o.acked <= end))
        edges = [start] + times + ([end] if end is not None else [])
        return max((b - a for a, b in zip(edges, edges[1:])), default=0.0)


def keyed_factory():
    """People of a factory no earlier run of the same cluster used."""
    return PersonFactory(start=random.randrange(1, 10 ** 8))


__all__ = ["Shape", "Load", "HarnessError", "PSQL", "wait_until", "keyed_factory"]
