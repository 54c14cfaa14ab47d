"""The production unit scripts/systemd/kerjadekat.service with the settings of
scripts/systemd/kerjadekat.env.example: its ExecStart, expanded the way
systemd expands it, is a command line `kerjadekat serve` accepts and serves
with; only what must point at the test cluster is replaced (the conninfo,
the port, the credential files).  Every option it passes is one that
`serve --help` describes, it never passes --unsafe-no-durability, every
variable it uses is set in the example, the hardening asked for is there,
and `systemd-analyze verify` finds nothing to say about it."""

import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile

import harness
from harness_env import WRAP, tail

SOURCE_ROOT = os.environ.get("KD_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
UNIT = os.path.join(SOURCE_ROOT, "scripts", "systemd", "kerjadekat.service")
ENV_EXAMPLE = os.path.join(SOURCE_ROOT, "scripts", "systemd", "kerjadekat.env.example")
INSTALLED_BIN = "/usr/local/bin/kerjadekat"

# Set by systemd itself, not by the environment file.
SYSTEMD_VARIABLES = {"CREDENTIALS_DIRECTORY"}
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def read_unit(path):
    """{section: [(key, value), ...]} of a unit file: comments and blank
    lines dropped, a line ending in a backslash joined with the next."""
    sections, current, pending = {}, None, ""
    with open(path, encoding="utf-8") as unit:
        for number, raw in enumerate(unit, 1):
            line = pending + raw.rstrip("\n")
            pending = ""
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            stripped = line.strip()
            if not stripped or stripped[0] in "#;":
                continue
            if stripped.startswith("[") and stripped.endswith("]"):
                current = sections.setdefault(stripped[1:-1], [])
            elif "=" in stripped and current is not None:
                key, _, value = stripped.partition("=")
                current.append((key.strip(), value.strip()))
            else:
                raise AssertionError(f"{path}:{number}: cannot read {stripped!r}")
    if pending:
        raise AssertionError(f"{path}: ends in a continuation line")
    return sections


def unit_values(sections, section, key):
    return [value for k, value in sections.get(section, []) if k == key]


def read_env_file(path):
    """The assignments of an EnvironmentFile: KEY=VALUE, the value bare or in
    double quotes (backslash escapes) or single quotes."""
    values = {}
    with open(path, encoding="utf-8") as env:
        for number, raw in enumerate(env, 1):
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            match = ENV_LINE.match(line)
            if match is None:
                raise AssertionError(f"{path}:{number}: not KEY=VALUE: {line!r}")
            key, value = match.groups()
            if value[:1] == '"':
                if len(value) < 2 or not value.endswith('"'):
                    raise AssertionError(f"{path}:{number}: unterminated double quote")
                value = re.sub(r'\\(.)', r'\1', value[1:-1])
            elif value[:1] == "'":
                if len(value) < 2 or not value.endswith("'"):
                    raise AssertionError(f"{path}:{number}: unterminated single quote")
                value = value[1:-1]
            values[key] = value
    return values


def expand(words, env):
    """systemd's expansion of ExecStart words: "$NAME" alone is the value
    split at whitespace (zero or more words), "${NAME}" anywhere in a word is
    the value as it is; "$$" is a dollar sign."""
    out = []
    for word in words:
        whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if whole:
            out.extend(env[whole.group(1)].split())
            continue
        pieces = re.split(r"(\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*\})", word)
        out.append("".join("$" if p == "$$" else env[p[2:-1]] if p.startswith("${") else p
                           for p in pieces))
    return out


def used_variables(text):
    return {a or b for a, b in VARIABLE.findall(text.replace("$$", ""))}


class DeployUnitTest(harness.KerjadekatTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = read_unit(UNIT)
        cls.env = read_env_file(ENV_EXAMPLE)
        starts = unit_values(cls.unit, "Service", "ExecStart")
        if len(starts) != 1:
            raise AssertionError(f"the unit has {len(starts)} ExecStart lines, not one")
        cls.exec_start = starts[0]
        cls.words = shlex.split(cls.exec_start)

    def setUp(self):
        super().setUp()
        self.workdir = tempfile.mkdtemp(prefix="kd-deploy-")
        self.addCleanup(shutil.rmtree, self.workdir, True)
        self.process = None

    def tearDown(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        super().tearDown()

    # -- what the unit says

    def test_exec_start_runs_serve_of_the_installed_binary(self):
        self.assertEqual(self.words[:2], [INSTALLED_BIN, "serve"])

    def test_every_option_is_one_serve_describes(self):
        help_text = self.kd.run("serve", "--help").stdout
        described = set(re.findall(r"--[a-z][a-z-]*", help_text))
        passed = [w for w in self.words if w.startswith("--")]
        self.assertGreater(len(passed), 0)
        self.assertEqual([w for w in passed if w not in described], [],
                         "options in ExecStart that serve --help does not describe")
        self.assertNotIn("--unsafe-no-durability", passed)
        for needed in ("--listen", "--db", "--db-connections", "--secret-file",
                       "--placement-expiry-interval"):
            self.assertIn(needed, passed)

    def test_every_variable_is_set_in_the_env_example(self):
        used = used_variables(self.exec_start) - SYSTEMD_VARIABLES
        self.assertGreater(len(used), 0)
        self.assertEqual(sorted(used - set(self.env)), [],
                         "variables of ExecStart missing from kerjadekat.env.example")
        self.assertEqual(sorted(k for k in used if self.env[k] == ""), [],
                         "variables set empty: each becomes an empty option value")
        self.assertEqual(unit_values(self.unit, "Service", "EnvironmentFile"),
                         ["/etc/kerjadekat/kerjadekat.env"])

    def test_every_credential_used_is_loaded(self):
        loaded = {spec.partition(":")[0] for spec in
                  unit_values(self.unit, "Service", "LoadCredential")}
        used = set(re.findall(r"\$\{CREDENTIALS_DIRECTORY\}/([A-Za-z0-9_.-]+)", self.exec_start))
        self.assertIn("secret", used)
        self.assertEqual(sorted(used - loaded), [], "credentials used but not loaded")

    def test_hardening(self):
        def one(key):
            values = unit_values(self.unit, "Service", key)
            self.assertEqual(len(values), 1, f"{key}= appears {len(values)} times")
            return values[0]

        self.assertEqual(one("NoNewPrivileges"), "yes")
        self.assertIn(one("ProtectHome"), ("yes", "read-only"))
        self.assertEqual(one("PrivateTmp"), "yes")
        self.assertEqual(one("ProtectSystem"), "strict")
        self.assertEqual(one("CapabilityBoundingSet"), "")
        self.assertEqual(one("User"), "kerjadekat")
        self.assertEqual(one("Restart"), "on-failure")
        self.assertEqual(one("KillSignal"), "SIGTERM")
        # above the daemon's 10 s drain
        stop = re.fullmatch(r"(\d+)s?", one("TimeoutStopSec"))
        self.assertIsNotNone(stop)
        self.assertGreater(int(stop.group(1)), 10)
        self.assertGreater(int(one("LimitNOFILE")), 1024)

    # -- systemd-analyze

    def analyze_verify(self, unit_text):
        """The output lines of systemd-analyze verify that name the unit, and
        its exit status."""
        analyze = shutil.which("systemd-analyze")
        self.assertIsNotNone(analyze, "systemd-analyze is missing (package systemd)")
        copy_dir = os.path.join(self.workdir, "unit")
        os.makedirs(copy_dir, exist_ok=True)
        copy = os.path.join(copy_dir, "kerjadekat.service")
        with open(copy, "w", encoding="utf-8") as out:
            out.write(unit_text)
        proc = subprocess.run([analyze, "verify", copy], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=harness.scaled(60))
        lines = (proc.stdout + proc.stderr).splitlines()
        return [line for line in lines if "kerjadekat.service" in line], proc.returncode

    def unit_text_with_test_binary(self):
        with open(UNIT, encoding="utf-8") as unit:
            text = unit.read()
        self.assertEqual(text.count("ExecStart=" + INSTALLED_BIN + " "), 1)
        return text.replace("ExecStart=" + INSTALLED_BIN + " ", "ExecStart=" + self.kd.bin + " ")

    def test_systemd_analyze_verify_is_clean(self):
        complaints, status = self.analyze_verify(self.unit_text_with_test_binary())
        self.assertEqual(complaints, [])
        self.assertEqual(status, 0)

    def test_systemd_analyze_verify_would_see_a_mistake(self):
        # The check above can fail: a misspelt directive is reported.
        text = self.unit_text_with_test_binary().replace("\nPrivateTmp=yes\n",
                                                         "\nPrivateTmpp=yes\n")
        complaints, _ = self.analyze_verify(text)
        self.assertTrue(any("PrivateTmpp" in line for line in complaints), complaints)

    # -- running it

    def credentials(self):
        """A stand-in for systemd's credentials directory: each LoadCredential
        source replaced by the harness's file of the same purpose."""
        stand_ins = {"/etc/kerjadekat/secret": self.kd.secret_file,
                     "/etc/kerjadekat/metrics-token": self.kd.metrics_token_file}
        directory = os.path.join(self.workdir, "credentials")
        os.mkdir(directory, 0o700)
        for spec in unit_values(self.unit, "Service", "LoadCredential"):
            name, _, source = spec.partition(":")
            self.assertIn(source, stand_ins, f"no test stand-in for credential {name}")
            shutil.copyfile(stand_ins[source], os.path.join(directory, name))
            os.chmod(os.path.join(directory, name), 0o400)
        return directory

    def unit_command(self, port):
        """ExecStart expanded with the env example, pointed at the test
        cluster, and the environment systemd would give it."""
        env = dict(self.env)
        env["KERJADEKAT_DB"] = self.kd.daemon_conninfo
        env["KERJADEKAT_LISTEN"] = f"127.0.0.1:{port}"
        env["CREDENTIALS_DIRECTORY"] = self.credentials()
        words = expand(self.words, env)
        words[0] = self.kd.bin
        process_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", **env}
        process_env.update({k: v for k, v in os.environ.items()
                            if k.startswith(("ASAN_", "UBSAN_", "LSAN_"))})
        return words, process_env

    def start(self, extra=()):
        """Starts the unit's command line (plus extra) on a free port; returns
        (port, log path)."""
        log_path = os.path.join(os.environ.get("KD_TEST_LOGDIR") or self.workdir,
                                f"test_deploy_unit.{self._testMethodName}.log")
        port = harness.free_port()
        words, env = self.unit_command(port)
        command = WRAP + words + list(extra)
        with open(log_path, "w") as log:
            log.write(f"--- test: starting {' '.join(command)}\n")
            log.flush()
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=log, env=env, cwd="/")
        return port, log_path

    def wait_health(self, port, log_path):
        client = harness.Client(port, timeout=harness.scaled(2))
        self.addCleanup(client.close)

        def answered():
            if self.process.poll() is not None:
                raise AssertionError(f"the daemon exited with {self.process.returncode}:\n"
                                     f"{tail(log_path, 30)}")
            try:
                response = client.request("GET", "/v1/health")
            except OSError:
                client.close()
                return None
            return response if response.status == 200 else None

        return harness.wait_until(answered, harness.scaled(30), 0.1, "GET /v1/health 200")

    def test_exact_command_line_checks_the_cluster_durability(self):
        # Nothing added: on the throwaway cluster (fsync off) the daemon must
        # refuse to serve, which also shows the unit does not pass
        # --unsafe-no-durability; on a durable one it serves.
        port, log_path = self.start()
        if self.kd.durability_args():
            code = self.process.wait(harness.scaled(30))
            self.assertEqual(code, 1, tail(log_path, 30))
            self.assertRegex(tail(log_path, 30),
                             r"database has (fsync|synchronous_commit|full_page_writes) off")
        else:
            self.wait_health(port, log_path)

    def test_unit_command_line_serves(self):
        # The throwaway cluster needs --unsafe-no-durability added to get
        # that far; a durable one needs nothing.
        port, log_path = self.start(self.kd.durability_args())
        health = self.wait_health(port, log_path)
        self.assertEqual(health.json, {"status": "ok", "database": "up"})
        client = harness.Client(port, timeout=harness.scaled(10))
        self.addCleanup(client.close)
        # the metrics token reached the daemon through the credentials path
        metrics = client.request("GET", "/metrics",
                                 headers={"Authorization": f"Bearer {self.kd.metrics_token}"})
        self.assertEqual(metrics.status, 200, metrics.body[:200])
        client.close()
        self.process.send_signal(signal.SIGTERM)
        self.assertEqual(self.process.wait(harness.scaled(20)), 0, tail(log_path, 30))


if __name__ == "__main__":
    harness.main()
