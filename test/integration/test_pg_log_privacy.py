"""PostgreSQL's own log holds no personal data.  serve refuses a database
whose settings would write statement parameters into that log, naming the
setting; and under the settings every cluster of the scripts gets, a
registration whose statements are all logged, for their duration and by
log_statement, leaves no name, phone number, birth date or registration code
there."""

import os
import secrets
import string
import subprocess

import harness

# Per-database settings that would each put parameters in the server log,
# with the setting serve must name.
LEAKY = [
    ("log_parameter_max_length", ["log_parameter_max_length = -1"]),
    # cut short, a parameter is still the start of someone's name
    ("log_parameter_max_length", ["log_parameter_max_length = 64"]),
    ("log_parameter_max_length_on_error", ["log_parameter_max_length_on_error = -1"]),
    ("log_error_verbosity", ["log_error_verbosity = 'default'"]),
    ("debug_print_plan", ["debug_print_plan = on"]),
    ("auto_explain.log_min_duration", ["session_preload_libraries = 'auto_explain'",
                                       "auto_explain.log_min_duration = 0"]),
]


def made_up_word(length=12):
    """Letters nobody is called, to find again in a log."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(length)).capitalize()


class ServerLogTest(harness.KerjadekatTestCase):

    def other_service(self, suffix):
        """A database and daemon of its own, so that its settings touch no
        other test's."""
        service = harness.Service(f"{self.kd.name}-{suffix}")
        self.addCleanup(service.close, check=False)
        return service

    def alter_database(self, service, clause):
        self.kd.cluster.psql("postgres", f'ALTER DATABASE "{service.dbname}" {clause}')

    def expect_refusal(self, service, setting):
        offset = service.log_offset()
        service.start_daemon(wait=None)
        try:
            code = service.process.wait(harness.scaled(20))
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()
            self.fail(f"serve kept running with {setting} logging parameters")
        self.assertNotEqual(code, 0)
        log = service.log_text(offset)
        self.assertIn(f"{setting} is ", log)
        self.assertIn("personal data", log)

    def test_serve_refuses_a_database_whose_settings_would_log_parameters(self):
        service = self.other_service("leaky")
        self.assertEqual(service.stop_daemon(), 0)
        for setting, clauses in LEAKY:
            with self.subTest(setting=setting, clauses=clauses):
                for clause in clauses:
                    self.alter_database(service, f"SET {clause}")
                try:
                    self.expect_refusal(service, setting)
                finally:
                    self.alter_database(service, "RESET ALL")
        # Everything reset, the same database is served again.
        service.start_daemon()
        self.assertEqual(service.request("GET", "/v1/health").status, 200)

    def test_a_registration_logged_in_full_leaves_no_personal_data_in_the_server_log(self):
        service = self.other_service("logged")
        # Every statement of this database logged: for its duration and by
        # log_statement, which both add parameters unless told not to.
        self.alter_database(service, "SET log_min_duration_statement = 0")
        self.alter_database(service, "SET log_statement = 'all'")
        kiosk, admin = service.tokens["kiosk"], service.tokens["admin"]
        service.restart_daemon()
        person = service.persons.seeker(full_name=f"Peserta Log {made_up_word()}")
        pglog = harness.require_env("KD_TEST_PGLOG")
        offset = os.path.getsize(pglog)

        created = service.request("POST", "/v1/seekers", json_body=person, token=kiosk)
        self.assertEqual(created.status, 201, created.body)
        read = service.request("GET", f"/v1/seekers/{created.json['id']}", token=admin)
        self.assertEqual(read.status, 200, read.body)

        def our_lines():
            with open(pglog, encoding="utf-8", errors="replace") as log:
                log.seek(offset)
                lines = [line for line in log if f"@{service.dbname} " in line]
            return lines if any("execute seeker_insert" in line for line in lines) else None

        # The registration's statement was logged; without it the test
        # below would prove nothing.
        lines = harness.wait_until(our_lines, harness.scaled(10), 0.1,
                                   "the registration's statement in the server log")
        with open(pglog, encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            everything = log.read()
        # Failures name what was found, never quote the log.
        for what, value in (("name", person["full_name"].split()[-1]),
                            ("registration code", created.json["registration_code"])):
            self.assertFalse(value.lower() in everything.lower(),
                             f"the server log holds the {what}")
        ours = "".join(lines)
        for what, value in (("birth date", person["birth_date"]),
                            ("phone number", person["phone"].lstrip("+")),
                            ("parameters", "parameters:")):
            self.assertFalse(value in ours, f"the server log holds the {what}")


if __name__ == "__main__":
    harness.main()
