"""The test cluster that scripts/test starts: SQL through psql, and stopping,
killing or freezing the server under the daemon."""

import datetime
import os
import re
import shlex
import shutil
import signal
import subprocess
import time

from harness_env import HarnessError, require_env, scaled, tail, wait_until

PG_BIN = "/usr/lib/postgresql/15/bin"
PSQL = os.path.join(PG_BIN, "psql") if os.path.exists(os.path.join(PG_BIN, "psql")) \
    else shutil.which("psql") or "psql"


class SqlError(Exception):
    """psql failed; stderr holds its message."""

    def __init__(self, stderr):
        super().__init__(stderr.strip())
        self.stderr = stderr


_PLACEHOLDER = re.compile(r"(?<![\w$])\$(\d+)\b")


def _conninfo(**fields):
    def quote(value):
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
    return " ".join(f"{key}={quote(value)}" for key, value in fields.items())


def _sql_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray)):
        return "\\x" + value.hex()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _children(pid):
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return children


def _gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


class Cluster:
    """The test cluster named by the environment, and ways to hurt it.
    harness_scratch_cluster makes other servers of this kind."""

    def __init__(self):
        self.host = require_env("PGHOST")
        self.port = require_env("PGPORT")
        self.user = os.environ.get("PGUSER") or "postgres"
        self._stopped = []

    @property
    def data_dir(self):
        """The data directory (postmaster.pid lives there)."""
        return require_env("KD_TEST_PGDATA")

    @property
    def log_path(self):
        """The server log that pg_ctl start appends to."""
        return require_env("KD_TEST_PGLOG")

    def conninfo(self, dbname, user=None):
        return _conninfo(host=self.host, port=self.port, user=user or self.user,
                         dbname=dbname)

    def psql(self, dbname, query, params=(), user=None, timeout=None):
        """Runs query (one or more statements) through psql and returns the
        rows of every result as tuples of str, None for NULL.  $1, $2 ... in
        query take params, quoted by psql; raises SqlError on any error."""
        args = [PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-F", "\x1f", "-0", "-P", "null=\x1a"]

        def substitute(match):
            index = int(match.group(1))
            if not 1 <= index <= len(params):
                raise ValueError(f"${index} has no parameter")
            if params[index - 1] is None:
                return "NULL"
            args.extend(["-v", f"p{index}={_sql_text(params[index - 1])}"])
            return f":'p{index}'"

        text = _PLACEHOLDER.sub(substitute, query)
        args += ["-d", self.conninfo(dbname, user) + " connect_timeout=5", "-f", "-"]
        proc = subprocess.run(args, input=text.encode("utf-8"), capture_output=True,
                              timeout=timeout or scaled(120))
        if proc.returncode != 0:
            raise SqlError(proc.stderr.decode("utf-8", "replace"))
        records = proc.stdout.decode("utf-8").split("\0")[:-1]
        return [tuple(None if field == "\x1a" else field for field in record.split("\x1f"))
                for record in records]

    def ensure_login_role(self, name, member_of):
        """Makes the login role name, a member of member_of, unless it
        exists.  Roles are cluster-wide and modules start side by side, so
        losing the race to create it is fine."""
        self.psql("postgres", f"""do $$ begin create role "{name}" login in role "{member_of}";
            exception when duplicate_object or unique_violation then null; end $$""")

    def is_ready(self):
        try:
            return self.psql("postgres", "select 1", timeout=10) == [("1",)]
        except (SqlError, subprocess.TimeoutExpired):
            return False

    def wait_ready(self, timeout=None):
        wait_until(self.is_ready, timeout or scaled(60), 0.2, "the test cluster accepting connections")

    def postmaster_pid(self):
        """The postmaster's pid, or None when no postmaster.pid is there."""
        try:
            with open(os.path.join(self.data_dir, "postmaster.pid")) as pidfile:
                return int(pidfile.readline())
        except (OSError, ValueError):
            return None

    def _pg_ctl(self, *args):
        command = shlex.split(require_env("KD_TEST_PGCTL")) + ["-D", self.data_dir, *args]
        return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, cwd="/")

    def stop(self):
        """Fast shutdown (pg_ctl -m fast): sessions are ended, the server exits."""
        proc = self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")
        if proc.returncode != 0:
            raise HarnessError(f"pg_ctl stop failed: {proc.stdout}{proc.stderr}")

    def start(self, timeout=None):
        """Starts the server and waits until it accepts connections.  Right
        after a kill -9 the old backends may still hold shared memory for a
        moment, so a refused start is tried again until timeout."""
        pid = self.postmaster_pid()
        if pid is not None and not _gone(pid):
            raise HarnessError("the test cluster is already running")
        deadline = time.monotonic() + (timeout or scaled(60))
        while True:
            proc = self._pg_ctl("-l", self.log_path, "-w", "-t", "60", "start")
            if proc.returncode == 0:
                return
            if time.monotonic() >= deadline:
                raise HarnessError(f"pg_ctl start failed: {proc.stdout}{proc.stderr}"
                                   f"{tail(self.log_path, 10)}")
            time.sleep(0.5)

    def kill9(self):
        """SIGKILL to the postmaster; returns once it is gone."""
        pid = self.postmaster_pid()
        if pid is None:
            raise HarnessError("the test cluster is not running")
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: _gone(pid), scaled(10), 0.05, "the postmaster's death")

    def sigstop(self, backends=False):
        """Freezes the postmaster with SIGSTOP (and every other server process
        too with backends=True): the server hangs without closing anything."""
        pid = self.postmaster_pid()
        if pid is None:
            raise HarnessError("the test cluster is not running")
        os.kill(pid, signal.SIGSTOP)
        self._stopped.append(pid)
        for target in _children(pid) if backends else []:
            try:
                os.kill(target, signal.SIGSTOP)
            except ProcessLookupError:
                # a session that ended after it was listed: nothing to freeze
                continue
            self._stopped.append(target)

    def sigcont(self):
        """Lets everything sigstop() froze run again."""
        while self._stopped:
            try:
                os.kill(self._stopped.pop(), signal.SIGCONT)
            except ProcessLookupError:
                pass

    def ensure_running(self):
        """Brings the cluster back to health after whatever a test did to it."""
        self.sigcont()
        if self.is_ready():
            return
        pid = self.postmaster_pid()
        if pid is None or _gone(pid):
            self.start()
        self.wait_ready()


class HeldLock:
    """A psql session that runs statement inside a transaction and keeps
    what it locked until release()."""

    def __init__(self, service, statement):
        self.proc = subprocess.Popen(
            [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null",
             "-d", service.conninfo],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.proc.stdin.write(f"BEGIN;\n{statement};\n\\echo locked\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if line.strip() != "locked":
            self.release()
            raise HarnessError(f"could not take the lock: {self.proc.stderr.read()}")

    def release(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("COMMIT;\n")
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.proc.wait(timeout=scaled(20))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()
