"""Integration-test harness for kerjadekat (Python 3 standard library only).

Each test module gets a database of its own on the test cluster that
scripts/test starts, migrated by the binary under test, and a daemon of its own
on a free loopback port.  Tests subclass KerjadekatTestCase, talk to the daemon
with request() or raw(), read the database with sql(), and may stop, kill or
pause the cluster or the daemon to see how the daemon copes.  A test module
ends with `if __name__ == "__main__": harness.main()`.  The parts live in
harness_http (Client, RawConnection), harness_cluster (Cluster, SQL),
harness_people (PersonFactory) and harness_env (waits, errors); this module
ties them into one Service per test module and re-exports them.  A test that
needs a second PostgreSQL server makes one with harness_scratch_cluster.

Environment (scripts/test and test/integration/meson.build set it):
  PGHOST, PGPORT, PGUSER  the test cluster: socket directory, port, superuser
  KD_TEST_PGDATA          its data directory (postmaster.pid lives there)
  KD_TEST_PGCTL           command prefix that runs pg_ctl as the cluster owner
  KD_TEST_PGLOG           the server log that pg_ctl start appends to
  KERJADEKAT_BIN          the kerjadekat executable under test
  KD_SOURCE_ROOT          the source tree, for the reference data
  KD_TEST_LOGDIR          where daemon logs are kept (default: a temp dir)
  KD_TEST_WRAP            command prefix for `serve`, e.g. valgrind
  KD_TEST_TIMEOUT_SCALE   factor for every wait (default 10 with a wrap, else 1)
"""

import atexit
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from harness_cluster import Cluster, SqlError
from harness_env import WRAP, TIMEOUT_SCALE, HarnessError, require_env, scaled, tail, wait_until
from harness_http import Client, RawConnection, Response, free_port
from harness_people import PersonFactory, load_desa, make_nik

__all__ = ["Client", "Cluster", "HarnessError", "KerjadekatTestCase", "PersonFactory",
           "RawConnection", "Response", "Service", "SqlError", "free_port", "load_desa",
           "main", "make_nik", "scaled", "wait_until", "DAEMON_ROLE"]


class Tokens:
    """Bearer tokens by name, each made on first use: admin, kiosk, kiosk2
    (a second kiosk), employer and employer2 (each bound to an employer of
    its own, made through POST /v1/employers; see Service.employer_ids)."""

    ROLES = {"admin": "admin", "kiosk": "kiosk", "kiosk2": "kiosk",
             "employer": "employer", "employer2": "employer"}

    def __init__(self, service):
        self._service = service
        self._tokens = {}

    def __getitem__(self, name):
        if name not in self._tokens:
            role = self.ROLES[name]
            employer_id = None
            if role == "employer":
                employer_id = self._service.create_employer(name=f"PT Peserta Uji {name}")
                self._service.employer_ids[name] = employer_id
            self._tokens[name] = self._service.create_token(role, f"test-{name}", employer_id)
        return self._tokens[name]


_services = []

# The login role every test daemon connects as; see Service.
DAEMON_ROLE = "kd_test_daemon"


class Service:
    """One test module's database kd_test_<random>, secret file, tokens and
    daemon.  Made by KerjadekatTestCase; close() ends it all."""

    def __init__(self, name, serve_args=()):
        self.name = name
        self.bin = require_env("KERJADEKAT_BIN")
        self.cluster = Cluster()
        self.dbname = "kd_test_" + secrets.token_hex(4)
        self.conninfo = self.cluster.conninfo(self.dbname)
        # The daemon connects as a login role with only kerjadekat_daemon's
        # grants, as in production, so every test also proves those suffice.
        self.daemon_conninfo = self.cluster.conninfo(self.dbname, user=DAEMON_ROLE)
        self.tmpdir = tempfile.mkdtemp(prefix="kd-it-")
        self.log_path = os.path.join(os.environ.get("KD_TEST_LOGDIR") or self.tmpdir,
                                     f"{name}.daemon.log")
        self.secret_file = os.path.join(self.tmpdir, "secret")
        # What Prometheus would send to /metrics (--metrics-token-file).
        self.metrics_token = "kd-test-metrics-" + secrets.token_urlsafe(24)
        self.metrics_token_file = os.path.join(self.tmpdir, "metrics-token")
        self.persons = PersonFactory()
        self.tokens = Tokens(self)
        self.employer_ids = {}
        self.serve_args = tuple(serve_args)
        self._durability = None
        self.process = None
        self.port = None
        self.deaths = []
        self._stopping = False
        self._client = None
        self._closed = False
        _services.append(self)
        try:
            self.cluster.psql("postgres", f'create database "{self.dbname}"')
            self.run("migrate", "--db", self.conninfo)
            self.cluster.ensure_login_role(DAEMON_ROLE, "kerjadekat_daemon")
            fd = os.open(self.secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as secret:
                secret.write(secrets.token_hex(32))
            fd = os.open(self.metrics_token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as token:
                token.write(self.metrics_token + "\n")
            open(self.log_path, "w").close()
            self.start_daemon()
        except BaseException:
            self.close(check=False)
            raise

    # -- commands

    def run(self, *args, check=True, timeout=None):
        """Runs `kerjadekat ARGS...` (never wrapped) and returns the
        CompletedProcess, text captured; raises HarnessError on a non-zero
        exit when check is true."""
        proc = subprocess.run([self.bin, *args], stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout or scaled(120))
        if check and proc.returncode != 0:
            raise HarnessError(f"kerjadekat {' '.join(args[:2])} exited with {proc.returncode}: "
                               f"{proc.stderr.strip()[-2000:]}")
        return proc

    def create_token(self, role, name=None, employer_id=None):
        """A new token from `kerjadekat token create` (its last output line)."""
        args = ["token", "create", "--role", role,
                "--name", name or f"test-{role}-{secrets.token_hex(3)}"]
        if employer_id is not None:
            args += ["--employer", str(employer_id)]
        lines = self.run(*args, "--db", self.conninfo).stdout.strip().splitlines()
        if not lines:
            raise HarnessError("kerjadekat token create printed no token")
        return lines[-1].strip()

    def create_employer(self, **fields):
        """Creates an employer through the API as admin and returns its id."""
        body = {"name": f"PT Peserta Uji {secrets.token_hex(3)}",
                "desa_code": self.persons.desa_codes[0]}
        body.update(fields)
        response = self.request("POST", "/v1/employers", json_body=body,
                                token=self.tokens["admin"])
        if response.status != 201 or not isinstance(response.json, dict):
            raise HarnessError(f"POST /v1/employers answered {response.status}: "
                               f"{response.body[:300]!r}")
        return response.json["id"]

    def sql(self, query, *params, user=None):
        """Rows of query on this module's database; see Cluster.psql."""
        return self.cluster.psql(self.dbname, query, params, user=user)

    # -- the daemon

    def durability_args(self):
        """serve refuses a database that may lose commits unless told it is a
        test; the throwaway cluster is such a database.  Asked of the cluster
        once, so a daemon can later be started while the cluster is down."""
        if self._durability is None:
            fsync_on = self.cluster.psql("postgres", "show fsync") == [("on",)]
            self._durability = [] if fsync_on else ["--unsafe-no-durability"]
        return list(self._durability)

    # Tests send far more than a kiosk would; the rate limits' own test sets
    # them low again in its serve_args (a later option wins).
    UNLIMITED = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

    def daemon_command(self, port, serve_args=None):
        """The command line of a daemon of this module's database on port
        (wrapped by KD_TEST_WRAP), with serve_args or the module's own."""
        extra = self.serve_args if serve_args is None else tuple(serve_args)
        return WRAP + [self.bin, "serve", "--listen", f"127.0.0.1:{port}",
                       "--db", self.daemon_conninfo, "--secret-file", self.secret_file,
                       "--metrics-token-file", self.metrics_token_file,
                       *self.durability_args(), *self.UNLIMITED, *extra]

    def start_daemon(self, serve_args=None, wait="ready"):
        """Starts `serve` on a free port (wrapped by KD_TEST_WRAP), its output
        appended to log_path.  wait="ready" returns once /v1/health answers
        200, wait="up" once it answers at all, wait=None at once."""
        if self.process is not None and self.process.poll() is None:
            raise HarnessError("the daemon is already running")
        if self.process is not None and not self._stopping:
            self.deaths.append(self.process.returncode)
        if serve_args is not None:
            self.serve_args = tuple(serve_args)
        for attempt in range(3):
            self.port = free_port()
            command = self.daemon_command(self.port)
            with open(self.log_path, "a") as log:
                log.write(f"--- harness: starting {' '.join(command)}\n")
                log.flush()
                self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                                stdout=log, stderr=log)
            self._stopping = False
            self.reset_client()
            if wait is None:
                return
            try:
                self.wait_health(200 if wait == "ready" else None, timeout=scaled(30))
                return
            except HarnessError:
                # another test may have taken the port between our probe and the bind
                if attempt == 2 or "in use" not in tail(self.log_path, 5).lower():
                    raise

    def wait_health(self, status=200, timeout=None):
        """Polls GET /v1/health until it answers with status (any status when
        None) and returns that Response."""
        deadline = time.monotonic() + (timeout or scaled(10))
        client = Client(self.port, timeout=2 * TIMEOUT_SCALE)
        last = None
        try:
            while True:
                if self.process.poll() is not None:
                    raise HarnessError(f"the daemon exited with {self.process.returncode}; "
                                       f"its log ends:\n{tail(self.log_path, 30)}")
                try:
                    last = client.request("GET", "/v1/health")
                    if status is None or last.status == status:
                        return last
                except OSError:
                    client.close()
                if time.monotonic() >= deadline:
                    raise HarnessError(f"GET /v1/health did not answer {status or 'at all'} in "
                                       f"time; last answer: {last and (last.status, last.body)}")
                time.sleep(0.1)
        finally:
            client.close()

    def stop_daemon(self, sig=signal.SIGTERM, timeout=None):
        """Sends sig and returns the exit code (negative: killed by a signal),
        or None when there was no daemon.  Fails the test when it does not
        exit within timeout (default 20 s, scaled); it is killed then."""
        if self.process is None:
            return None
        self.reset_client()
        if self.process.poll() is None:
            self._stopping = True
            self.process.send_signal(sig)
            timeout = timeout or scaled(20)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"the daemon did not exit within {timeout:.0f} s "
                                     f"of signal {signal.Signals(sig).name}")
        return self.process.returncode

    def restart_daemon(self, serve_args=None, wait="ready"):
        """stop_daemon() then start_daemon(); returns the old daemon's exit code."""
        code = self.stop_daemon()
        self.start_daemon(serve_args, wait)
        return code

    def log_offset(self):
        """Where the daemon log ends now, for log_text(since=...)."""
        return os.path.getsize(self.log_path)

    def log_text(self, since=0):
        """The daemon log (stdout and stderr of every daemon of this module)."""
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            log.seek(since)
            return log.read()

    # -- HTTP

    def client(self, timeout=30.0):
        """A new keep-alive Client of the running daemon."""
        return Client(self.port, timeout=timeout * TIMEOUT_SCALE)

    def reset_client(self):
        if self._client is not None:
            self._client.close()
            self._client = None

    def request(self, method, path, json_body=None, token=None, headers=None,
                raw_body=None, timeout=None):
        """Client.request on this service's shared connection."""
        if self._client is None:
            self._client = self.client()
        return self._client.request(method, path, json_body, token, headers, raw_body, timeout)

    def ended_match_run(self, run_id):
        """GET /v1/match-runs/{run_id} as admin once the run is no longer
        running: its body."""
        def ended():
            run = self.request("GET", f"/v1/match-runs/{run_id}", token=self.tokens["admin"])
            if run.status != 200:
                raise HarnessError(f"GET /v1/match-runs/{run_id} answered {run.status}")
            return run.json if run.json["state"] != "running" else None
        return wait_until(ended, scaled(30), 0.1, f"match run {run_id} to end")

    def raw(self, timeout=10.0):
        """A new RawConnection to the running daemon."""
        return RawConnection(self.port, timeout=timeout * TIMEOUT_SCALE)

    # -- the end

    def recover(self):
        """Undoes what an earlier test may have left broken: a frozen or
        stopped cluster, a dead daemon."""
        self.cluster.ensure_running()
        if self.process is None or self.process.poll() is not None:
            self.start_daemon()

    def close(self, check=True):
        """Stops the daemon, drops the database, removes the temporary files.
        With check, fails when the daemon died on its own at any time or did
        not exit 0 on SIGTERM (how sanitizer and valgrind errors surface)."""
        if self._closed:
            return
        self._closed = True
        problems = []
        if self.process is not None and self.process.poll() is None:
            try:
                code = self.stop_daemon()
                if code != 0:
                    problems.append(f"the daemon exited with {code} on SIGTERM")
            except AssertionError as error:
                problems.append(str(error))
        elif self.process is not None and not self._stopping:
            self.deaths.append(self.process.returncode)
        problems += [f"the daemon died on its own with exit code {code}" for code in self.deaths]
        try:
            self.cluster.ensure_running()
            self.cluster.psql("postgres", f'drop database if exists "{self.dbname}" with (force)')
        except (HarnessError, SqlError, AssertionError) as error:
            problems.append(f"could not drop {self.dbname}: {error}")
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        if check and problems:
            raise HarnessError("; ".join(problems) + f" (daemon log: {self.log_path})")


def _close_service(module):
    module._kd_service.close()


class KerjadekatTestCase(unittest.TestCase):
    """Base class of the integration tests.  The first class of a module to
    be set up makes the module's Service (self.kd); later classes of that
    module share it, restarting the daemon when their serve_args differ.  The
    Service closes when the module's tests are done.  Before each test the
    cluster and the daemon are brought back up if an earlier test left them
    down."""

    serve_args = ()
    kd = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = sys.modules[cls.__module__]
        service = getattr(module, "_kd_service", None)
        if service is None:
            name = os.path.splitext(os.path.basename(getattr(module, "__file__", cls.__module__)))[0]
            service = Service(name, cls.serve_args)
            module._kd_service = service
            unittest.addModuleCleanup(_close_service, module)
        elif tuple(cls.serve_args) != service.serve_args:
            service.restart_daemon(cls.serve_args)
        cls.kd = service

    def setUp(self):
        super().setUp()
        self.kd.recover()

    @property
    def tokens(self):
        return self.kd.tokens

    def request(self, method, path, json_body=None, token=None, headers=None,
                raw_body=None, timeout=None):
        return self.kd.request(method, path, json_body, token, headers, raw_body, timeout)

    def raw(self, timeout=10.0):
        return self.kd.raw(timeout)

    def sql(self, query, *params, user=None):
        return self.kd.sql(query, *params, user=user)

    def person(self, **overrides):
        return self.kd.persons.seeker(**overrides)

    def db_stop(self):
        self.kd.cluster.stop()

    def db_start(self):
        self.kd.cluster.start()

    def db_kill9(self):
        self.kd.cluster.kill9()

    def db_sigstop(self, backends=False):
        self.kd.cluster.sigstop(backends)

    def db_sigcont(self):
        self.kd.cluster.sigcont()

    def daemon_stop(self, sig=signal.SIGTERM, timeout=None):
        return self.kd.stop_daemon(sig, timeout)

    def daemon_restart(self, serve_args=None, wait="ready"):
        return self.kd.restart_daemon(serve_args, wait)


def _abandon_services():
    """On an abnormal exit, leave no daemon or database behind."""
    for service in _services:
        if not service._closed:
            if service.process is not None and service.process.poll() is None:
                service.process.kill()
            service.close(check=False)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    """Runs the calling module's tests; exits non-zero when any failed, was
    skipped (integration tests never skip), or none ran."""
    missing = [name for name in ("PGHOST", "PGPORT", "KERJADEKAT_BIN") if not os.environ.get(name)]
    if missing:
        print(f"{', '.join(missing)} not set: integration tests need the test cluster and the "
              "binary; run them through scripts/test (e.g. scripts/test --suite integration)",
              file=sys.stderr)
        sys.exit(1)
    atexit.register(_abandon_services)
    signal.signal(signal.SIGTERM, _interrupt)
    result = unittest.main(module="__main__", exit=False, verbosity=2).result
    passed = result.wasSuccessful() and result.testsRun > 0 and not result.skipped
    if result.skipped:
        print("integration tests must not skip; these did:", file=sys.stderr)
        for test, reason in result.skipped:
            print(f"  {test}: {reason}", file=sys.stderr)
    if not passed:
        for service in _services:
            print(f"\n--- {service.log_path} ends:\n{tail(service.log_path, 80)}", file=sys.stderr)
    sys.exit(0 if passed else 1)
