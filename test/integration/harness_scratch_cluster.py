"""A second throwaway PostgreSQL server of a test's own, beside the test
cluster that scripts/test starts: for tests that need two servers, such as a
subscriber of the test cluster's publication.  It runs as the test cluster's
owner (KD_TEST_PGCTL's prefix), listens on a unix socket only and is deleted
by close()."""

import os
import pwd
import shlex
import shutil
import subprocess
import tempfile

from harness_cluster import Cluster
from harness_env import HarnessError, require_env, scaled, tail


class ScratchCluster(Cluster):
    """A new cluster in a temporary directory, started; psql() and
    conninfo() work on it as on the test cluster.  Only what Cluster offers
    through host, port and user is meant to be used: stopping or freezing
    goes through close()."""

    PORT = 5432

    def __init__(self, settings=()):
        self.dir = tempfile.mkdtemp(prefix="kd-pg2-", dir="/tmp")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "postgres.log")
        self.host = os.path.join(self.dir, "sock")
        self.port = str(self.PORT)
        self.user = "postgres"
        self._stopped = []
        self._pg_ctl_prefix = shlex.split(require_env("KD_TEST_PGCTL"))
        try:
            self._give_to_owner(self.dir)
            os.mkdir(self.host, 0o700)
            self._give_to_owner(self.host)
            self._pg_ctl("initdb", "-D", self.data, "-o",
                         "-U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust "
                         "--auth-host=reject --no-sync")
            lines = ["listen_addresses = ''", f"port = {self.PORT}",
                     f"unix_socket_directories = '{self.host}'", "unix_socket_permissions = 0700",
                     "fsync = off", "synchronous_commit = off", "full_page_writes = off",
                     "log_parameter_max_length = 0", "log_parameter_max_length_on_error = 0",
                     "log_error_verbosity = terse", *settings]
            with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
                conf.write("\n# harness_scratch_cluster.py\n" + "\n".join(lines) + "\n")
            self._pg_ctl("start", "-D", self.data, "-l", self.log, "-w", "-t", str(int(scaled(60))))
        except BaseException:
            self.close()
            raise

    def _give_to_owner(self, path):
        """The server runs as the test cluster's owner: postgres for root
        (initdb refuses root; scripts/lib/pg.sh), else whoever runs the test."""
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def _pg_ctl(self, *args):
        proc = subprocess.run(self._pg_ctl_prefix + list(args), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, cwd="/", timeout=scaled(120))
        if proc.returncode != 0:
            raise HarnessError(f"pg_ctl {args[0]} failed: {proc.stdout}{proc.stderr}"
                               f"{tail(self.log, 20)}")

    def log_tail(self, lines=30):
        """The end of this server's log."""
        return tail(self.log, lines)

    def close(self):
        """Stops the server (immediately: nothing in it is kept) and removes
        its directory."""
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            try:
                self._pg_ctl("stop", "-D", self.data, "-m", "immediate", "-w", "-t", "60")
            except (HarnessError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)
