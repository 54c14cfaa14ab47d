"""The daemon's life: SIGTERM and SIGINT with requests in flight (every
acknowledged registration is committed, exit 0), refusing to start on a
schema that is behind or ahead of the binary or without a secret, and
migrate run twice."""

import glob
import os
import shutil
import signal
import subprocess
import threading
import time

import harness

# Per-token rate limits far above what these tests send, so that no test here
# meets a 429 it did not ask for.
GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

SHUTDOWN_LIMIT = 10.0
LOAD_THREADS = 16
HELD_REGISTRATIONS = 12
PSQL = "/usr/lib/postgresql/15/bin/psql" if os.path.exists("/usr/lib/postgresql/15/bin/psql") \
    else shutil.which("psql") or "psql"


def migration_files():
    root = os.environ.get("KD_SOURCE_ROOT") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    return sorted(glob.glob(os.path.join(root, "schema", "migrations", "[0-9]*.sql")))


def id_array(ids):
    return "{" + ",".join(str(seeker_id) for seeker_id in ids) + "}"


class RegistrationLoad:
    """Threads that register seekers back to back, each on a keep-alive
    connection of its own, until stopped or the daemon goes away."""

    def __init__(self, case, threads):
        self.case = case
        self.acknowledged = []
        self.statuses = []
        self.failures = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        # made here: making a token is not thread-safe
        self._tokens = [case.tokens["kiosk"], case.tokens["kiosk2"]]
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(threads)]

    def _run(self, n):
        client = self.case.kd.client(timeout=15)
        token = self._tokens[n % 2]
        try:
            while not self._stop.is_set():
                try:
                    response = client.request("POST", "/v1/seekers", json_body=self.case.person(),
                                              token=token)
                except OSError as error:
                    with self._lock:
                        self.failures.append(repr(error))
                    return
                with self._lock:
                    self.statuses.append(response.status)
                    if response.status == 201:
                        self.acknowledged.append(response.json["id"])
        finally:
            client.close()

    def start(self):
        for thread in self._threads:
            thread.start()

    def wait_for(self, count, timeout):
        harness.wait_until(lambda: len(self.acknowledged) >= count, timeout, 0.02,
                           f"{count} acknowledged registrations")

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(harness.scaled(30))


class ShutdownTest(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def assert_all_stored(self, ids):
        rows = self.sql("select count(*) from seekers where id = any($1::bigint[])", id_array(ids))
        self.assertEqual(rows, [(str(len(set(ids))),)], "an acknowledged registration is missing")

    def test_sigterm_under_load_keeps_every_acknowledged_registration(self):
        load = RegistrationLoad(self, LOAD_THREADS)
        load.start()
        try:
            load.wait_for(100, harness.scaled(30))
            started = time.monotonic()
            code = self.daemon_stop(signal.SIGTERM)
            elapsed = time.monotonic() - started
        finally:
            load.stop()
        self.assertEqual(code, 0)
        self.assertLess(elapsed, harness.scaled(SHUTDOWN_LIMIT + 1))
        self.assertTrue(set(load.statuses) <= {201, 503}, sorted(set(load.statuses)))
        self.assertGreaterEqual(len(load.acknowledged), 100)
        self.assert_all_stored(load.acknowledged)

    def test_sigterm_finishes_registrations_waiting_on_the_database(self):
        """A lock on seekers holds the INSERTs in the database while SIGTERM
        arrives; the daemon must answer each of them before it exits."""
        kiosk = self.tokens["kiosk"]
        holder = threading.Thread(target=self.sql, args=(
            "begin; lock table seekers in exclusive mode; "
            "select pg_sleep(3); commit;",))
        holder.start()
        try:
            harness.wait_until(lambda: self.sql(
                "select count(*) from pg_locks l join pg_class c on c.oid = l.relation "
                "where c.relname = 'seekers' and l.mode = 'ExclusiveLock' and l.granted")
                != [("0",)], harness.scaled(5), 0.05, "the lock on seekers")
            results = [None] * HELD_REGISTRATIONS

            def register(n):
                client = self.kd.client(timeout=20)
                try:
                    results[n] = client.request("POST", "/v1/seekers", json_body=self.person(),
                                                token=kiosk)
                except OSError as error:
                    results[n] = error
                finally:
                    client.close()

            senders = [threading.Thread(target=register, args=(n,))
                       for n in range(HELD_REGISTRATIONS)]
            for sender in senders:
                sender.start()
            harness.wait_until(lambda: self.sql(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                "and datname = current_database()") != [("0",)], harness.scaled(5), 0.05,
                "registrations waiting on the lock")
            time.sleep(0.3)
            started = time.monotonic()
            code = self.daemon_stop(signal.SIGTERM)
            elapsed = time.monotonic() - started
            for sender in senders:
                sender.join(harness.scaled(20))
        finally:
            holder.join(harness.scaled(20))
        self.assertEqual(code, 0)
        self.assertLess(elapsed, harness.scaled(SHUTDOWN_LIMIT + 1))
        for result in results:
            self.assertIsInstance(result, harness.Response, f"in-flight request lost: {result!r}")
            self.assertEqual(result.status, 201, result.body)
        self.assert_all_stored([result.json["id"] for result in results])

    def test_sigint_stops_the_daemon_cleanly(self):
        self.assertEqual(self.request("GET", "/v1/health").status, 200)
        self.assertEqual(self.daemon_stop(signal.SIGINT), 0)

    def test_idle_connections_do_not_hold_up_shutdown(self):
        idle = [self.kd.client() for _ in range(5)]
        for client in idle:
            self.assertEqual(client.request("GET", "/v1/health").status, 200)
        started = time.monotonic()
        code = self.daemon_stop(signal.SIGTERM)
        elapsed = time.monotonic() - started
        for client in idle:
            client.close()
        self.assertEqual(code, 0)
        self.assertLess(elapsed, harness.scaled(3), "an idle keep-alive connection is not "
                                                    "a request in flight")

    def test_half_sent_request_holds_shutdown_at_most_ten_seconds(self):
        with self.raw(timeout=30) as conn:
            conn.send(b"POST /v1/seekers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                      b"\r\nContent-Length: 500\r\n\r\n{\"nik\":")
            time.sleep(0.2)
            started = time.monotonic()
            code = self.daemon_stop(signal.SIGTERM)
            elapsed = time.monotonic() - started
        self.assertEqual(code, 0)
        self.assertLess(elapsed, harness.scaled(SHUTDOWN_LIMIT + 1))

    def test_no_new_connections_after_shutdown(self):
        port = self.kd.port
        self.assertEqual(self.daemon_stop(signal.SIGTERM), 0)
        with self.assertRaises(OSError):
            harness.RawConnection(port, timeout=2)


class StartupTest(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def other_service(self):
        """A second database and daemon, so that breaking its schema leaves
        this module's own alone."""
        service = harness.Service(f"{self.kd.name}-schema")
        self.addCleanup(service.close, check=False)
        return service

    def expect_refusal(self, service, words):
        offset = service.log_offset()
        service.start_daemon(wait=None)
        try:
            code = service.process.wait(harness.scaled(20))
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()
            self.fail(f"serve kept running on a schema that is {words}")
        self.assertNotEqual(code, 0)
        self.assertIn(words, service.log_text(offset))

    def test_serve_refuses_a_schema_behind_or_ahead_of_the_binary(self):
        service = self.other_service()
        self.assertEqual(service.stop_daemon(), 0)
        (version, name), = service.sql("delete from schema_migrations where version = "
                                       "(select max(version) from schema_migrations) "
                                       "returning version, name")
        self.expect_refusal(service, "behind")

        service.sql("insert into schema_migrations (version, name) values ($1, $2)", version, name)
        service.start_daemon()
        self.assertEqual(service.request("GET", "/v1/health").status, 200)
        self.assertEqual(service.stop_daemon(), 0)

        service.sql("insert into schema_migrations (version, name) values ($1, 'from_the_future')",
                    int(version) + 1)
        self.expect_refusal(service, "ahead")
        migrate = service.run("migrate", "--db", service.conninfo, check=False)
        self.assertNotEqual(migrate.returncode, 0)
        self.assertIn("ahead", migrate.stderr)

    def scratch_database(self, suffix):
        dbname = f"{self.kd.dbname}_{suffix}"
        self.kd.cluster.psql("postgres", f'create database "{dbname}"')
        self.addCleanup(self.kd.cluster.psql, "postgres",
                        f'drop database if exists "{dbname}" with (force)')
        return dbname

    def start_serve(self, dbname):
        """serve on dbname, as the harness would start it there."""
        port = harness.free_port()
        proc = subprocess.Popen(
            [self.kd.bin, "serve", "--listen", f"127.0.0.1:{port}",
             "--db", self.kd.cluster.conninfo(dbname), "--secret-file", self.kd.secret_file,
             *self.kd.durability_args()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True)
        return proc, port

    def stop_serve(self, proc):
        """SIGTERM (the daemon may buffer its log), then SIGKILL; the log."""
        proc.terminate()
        try:
            return proc.communicate(timeout=harness.scaled(15))[1]
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.communicate()[1]

    def expect_serve_refuses(self, dbname, words):
        proc, _ = self.start_serve(dbname)
        try:
            stderr = proc.communicate(timeout=harness.scaled(10))[1]
        except subprocess.TimeoutExpired:
            self.fail(f"serve kept running on {dbname}; its log began:\n"
                      + self.stop_serve(proc)[:600])
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(words, stderr)

    def test_serve_refuses_a_database_without_schema(self):
        self.expect_serve_refuses(self.scratch_database("empty"), "migrate")

    def test_serve_refuses_a_database_an_older_binary_migrated_until_migrated(self):
        """All migrations but the last, applied as migrate applies them."""
        dbname = self.scratch_database("older")
        self.kd.cluster.psql(dbname, "create table schema_migrations (version integer primary "
                                     "key, name text not null, applied_at timestamptz not null "
                                     "default now())")
        for path in migration_files()[:-1]:
            version, name = os.path.basename(path)[:-4].split("_", 1)
            # a migration's \copy names its file relative to schema/data
            subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", path,
                            "-d", self.kd.cluster.conninfo(dbname)],
                           check=True, capture_output=True, timeout=harness.scaled(60),
                           cwd=os.path.join(os.path.dirname(os.path.dirname(path)), "data"))
            self.kd.cluster.psql(dbname, "insert into schema_migrations (version, name) "
                                         "values ($1, $2)", (int(version), name))
        self.expect_serve_refuses(dbname, "behind")

        migrate = self.kd.run("migrate", "--db", self.kd.cluster.conninfo(dbname))
        last = os.path.basename(migration_files()[-1])[:-4]
        self.assertIn(last, migrate.stdout)
        proc, port = self.start_serve(dbname)
        client = harness.Client(port, timeout=2)
        try:
            def healthy():
                try:
                    return client.request("GET", "/v1/health").status == 200
                except OSError:
                    client.close()
                    return proc.poll() is not None
            harness.wait_until(healthy, harness.scaled(10), what="the migrated daemon ready")
            self.assertIsNone(proc.poll(), "serve exited on a migrated database")
        finally:
            client.close()
            self.stop_serve(proc)
        self.assertEqual(proc.returncode, 0)

    def test_serve_refuses_to_start_without_a_usable_secret(self):
        env = {key: value for key, value in os.environ.items()
               if key != "KERJADEKAT_SECRET_FILE"}
        short = os.path.join(self.kd.tmpdir, "short-secret")
        with open(short, "w") as secret:
            secret.write("abcd")
        for secret_args in ([], ["--secret-file", short],
                            ["--secret-file", os.path.join(self.kd.tmpdir, "absent")]):
            with self.subTest(secret_args=secret_args):
                proc = subprocess.run(
                    [self.kd.bin, "serve", "--listen", f"127.0.0.1:{harness.free_port()}",
                     "--db", self.kd.conninfo, *secret_args], env=env,
                    stdin=subprocess.DEVNULL, capture_output=True, text=True,
                    timeout=harness.scaled(20))
                self.assertNotEqual(proc.returncode, 0)
                self.assertIn("secret", proc.stderr)
                self.assertIn("head -c 32 /dev/urandom", proc.stderr,
                              "the message must say how to make a secret")

    def test_migrate_twice_changes_nothing(self):
        migrations = migration_files()
        before = self.sql("select version, name, applied_at from schema_migrations "
                          "order by version")
        self.assertEqual(len(before), len(migrations))
        self.assertEqual([int(row[0]) for row in before],
                         [int(os.path.basename(path)[:4]) for path in migrations])
        self.kd.run("migrate", "--db", self.kd.conninfo)
        self.assertEqual(self.sql("select version, name, applied_at from schema_migrations "
                                  "order by version"), before)
        self.assertEqual(self.request("GET", "/v1/health").status, 200)


if __name__ == "__main__":
    harness.main()
