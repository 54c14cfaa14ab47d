"""A second throwaway PostgreSQL server of a test's own, beside the test
cluster that scripts/test starts: for tests that need two servers, such as a
subscriber of the test cluster's publication.  It runs as the test cluster's
owner (KD_TEST_PGCTL's prefix), listens on a unix socket only and is deleted
by close()."""

import os
import pwd
import shutil
import tempfile

from harness_cluster import Cluster
from harness_env import HarnessError, tail

# Settings on top of initdb's: a socket of its own, nothing kept safe (the
# server is deleted afterwards), and no statement parameters in its log, as
# on every cluster of ours (scripts/lib/pg.sh).
SETTINGS = ("listen_addresses = ''", "unix_socket_permissions = 0700", "fsync = off",
            "synchronous_commit = off", "full_page_writes = off",
            "log_parameter_max_length = 0", "log_parameter_max_length_on_error = 0",
            "log_error_verbosity = terse")


class ScratchCluster(Cluster):
    """A new cluster in a temporary directory, started.  Everything Cluster
    does (psql, stop, start, kill9 ...) acts on this server."""

    PORT = "5432"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kd-pg2-", dir="/tmp")
        self.host = os.path.join(self.dir, "sock")
        self.port = self.PORT
        self.user = "postgres"
        self._stopped = []
        try:
            self._give_to_owner(self.dir)
            os.mkdir(self.host, 0o700)
            self._give_to_owner(self.host)
            self._checked("initdb", "-s", "-o", "-U postgres -E UTF8 --locale=C.UTF-8 "
                          "--auth-local=trust --auth-host=reject --no-sync")
            with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as conf:
                conf.write("\n".join(("# harness_scratch_cluster.py", f"port = {self.PORT}",
                                      f"unix_socket_directories = '{self.host}'", *SETTINGS))
                           + "\n")
            self.start()
        except BaseException:
            self.close()
            raise

    @property
    def data_dir(self):
        return os.path.join(self.dir, "data")

    @property
    def log_path(self):
        return os.path.join(self.dir, "postgres.log")

    @staticmethod
    def _give_to_owner(path):
        """The server runs as the test cluster's owner: postgres for root
        (initdb refuses root; scripts/lib/pg.sh), else whoever runs the test."""
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def _checked(self, *args):
        proc = self._pg_ctl(*args)
        if proc.returncode != 0:
            raise HarnessError(f"pg_ctl {args[0]} failed: {proc.stdout}{proc.stderr}")

    def log_tail(self, lines=30):
        """The end of this server's log."""
        return tail(self.log_path, lines)

    def close(self):
        """Stops the server (immediately: nothing in it is kept) and removes
        its directory."""
        self.sigcont()
        if self.postmaster_pid() is not None:
            self._pg_ctl("-m", "immediate", "-w", "-t", "60", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
