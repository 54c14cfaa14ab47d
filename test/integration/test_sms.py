"""SMS through the real Gammu SMSD on its dummy phone driver: Gammu's tables
from the SQL file Debian ships, in schema gammu of the module's database; a
gammu-smsd of the module's own; the daemon's SMS timer between them.  What the
dummy phone sends is written as files by scripts/lib/gammu-sent.sh; what it
receives is dropped into its inbox folder in Gammu's SMS backup format.

An offer made by a match run reaches the seeker's phone exactly once with
the right text; TOLAK from the registered number declines once, from another
number changes nothing and gets the help text; a run rolled back sends
nothing; messages queued while gammu-smsd is stopped arrive once it is back;
BERHENTI stops further messages.  Each outcome of an offer (accepted,
rejected, declined, expired) sends its own text once; a reminder goes once a
day before a deadline; erasure takes a person's messages back and blanks
them; a message Gammu gives up on shows as failed to operators and in
/metrics; operators see delivery per kecamatan, never a number or a text."""

import datetime
import glob
import os
import signal
import subprocess

import harness
from harness_cluster import SqlError
from harness_env import require_env, scaled, wait_until

GAMMU_SQL = "/usr/share/doc/gammu-smsd/examples/pgsql.sql"
DESA = "64.02.06.1001"   # Jahab, kecamatan Tenggarong
WAIT = scaled(90)


def national(n):
    """A made-up mobile number, as a kiosk would type it, and its +62 form."""
    return f"0812-0000-{n:04d}", f"+6281200{n:06d}"


class SmsTestCase(harness.KerjadekatTestCase):

    serve_args = ("--sms-interval", "1", "--placement-expiry-interval", "1")
    next_phone = 1
    next_inbox = 100

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kd = cls.kd
        if kd.sql("SELECT to_regclass('gammu.outbox') IS NULL") == [("t",)]:
            with open(GAMMU_SQL, encoding="utf-8") as f:
                text = "".join(line for line in f
                               if not line.startswith("CREATE LANGUAGE plpgsql;"))
            kd.sql("BEGIN; CREATE SCHEMA gammu; SET search_path = gammu;\n" + text + "\nCOMMIT;")
        cls.gammu_dir = os.path.join(kd.tmpdir, "gammu")
        cls.phone = os.path.join(cls.gammu_dir, "phone")
        cls.sent = os.path.join(cls.gammu_dir, "sent")
        os.makedirs(os.path.join(cls.phone, "sms", "1"), exist_ok=True)
        os.makedirs(cls.sent, exist_ok=True)
        hook = os.path.join(require_env("KD_SOURCE_ROOT"), "scripts", "lib", "gammu-sent.sh")
        with open(os.path.join(cls.gammu_dir, "smsdrc"), "w") as f:
            f.write(f"""[gammu]
model = dummy
connection = none
device = {cls.phone}

[smsd]
service = sql
driver = native_pgsql
host = {kd.cluster.host}:{kd.cluster.port}
user = {kd.cluster.user}
password =
database = {kd.dbname}
commtimeout = 1
receivefrequency = 1
statusfrequency = 0
checksecurity = 0
checkbattery = 0
checksignal = 0
checknetwork = 0
logfile = {cls.gammu_dir}/smsd.log
runonsent = /bin/sh {hook} {cls.sent}
""")
        cls.gammu = None
        cls.start_gammu()

    @classmethod
    def tearDownClass(cls):
        cls.stop_gammu()
        super().tearDownClass()

    @classmethod
    def start_gammu(cls):
        env = dict(os.environ, PGOPTIONS="-c search_path=gammu")
        log = open(os.path.join(cls.gammu_dir, "smsd.out"), "a")
        cls.gammu = subprocess.Popen(["gammu-smsd", "-c", os.path.join(cls.gammu_dir, "smsdrc")],
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
        log.close()

    @classmethod
    def stop_gammu(cls):
        if cls.gammu is not None and cls.gammu.poll() is None:
            cls.gammu.send_signal(signal.SIGTERM)
            cls.gammu.wait(timeout=scaled(30))
        cls.gammu = None

    def setUp(self):
        super().setUp()
        if self.gammu is None or self.gammu.poll() is not None:
            type(self).start_gammu()
        # Every test matches only the people and vacancies it makes itself.
        self.sql("UPDATE seekers SET status = 'inactive' WHERE status = 'active'")
        self.sql("UPDATE vacancies SET status = 'closed' WHERE status = 'open'")

    # -- the phone

    def sent_to(self, number):
        """Texts the dummy phone sent to number, oldest first."""
        found = []
        for path in glob.glob(os.path.join(self.sent, "*.txt")):
            with open(path, encoding="utf-8") as f:
                to, _, text = f.read().partition("\n")
            if to == number:
                found.append((int(os.path.basename(path)[:-4]), text.rstrip("\n")))
        return [text for _, text in sorted(found)]

    def wait_sent(self, number, fragment, count=1):
        """Waits for count messages to number containing fragment."""
        def arrived():
            return len([t for t in self.sent_to(number) if fragment in t]) >= count
        wait_until(arrived, WAIT, interval=0.2, what=f"an SMS with {fragment!r}")
        return [t for t in self.sent_to(number) if fragment in t]

    def receive(self, number, text):
        """Drops an SMS from number into the dummy phone's inbox."""
        location = type(self).next_inbox
        type(self).next_inbox += 1
        sent = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
        body = (f'[SMSBackup000]\nSMSC = "+6281100000000"\nState = UnRead\nPDU = Deliver\n'
                f'Sent = {sent}\nNumber = "{number}"\nCoding = Default\nFolder = 1\n'
                f'Text00 = {text.encode("utf-16-be").hex().upper()}\n')
        path = os.path.join(self.phone, "sms", "1", str(location))
        with open(path + ".new", "w") as f:
            f.write(body)
        os.rename(path + ".new", path)

    def settled(self, seeker_id):
        """Waits until every message to the seeker left the outbox and Gammu."""
        def done():
            return self.sql("SELECT count(*) FROM sms_delivery d JOIN sms_outbox o USING (id)"
                            " WHERE o.seeker_id = $1 AND d.state IN ('queued', 'sending')",
                            str(seeker_id)) == [("0",)]
        wait_until(done, WAIT, interval=0.2, what="the seeker's messages sent")

    # -- the service

    def register(self, first_name="Ayu"):
        n = type(self).next_phone
        type(self).next_phone += 1
        typed, number = national(n)
        body = self.person(desa_code=DESA, skills=["las"], education="SMA",
                           full_name=f"{first_name} Contoh Uji", phone=typed)
        response = self.request("POST", "/v1/seekers", json_body=body, token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        self.bodies[response.json["id"]] = body
        return response.json["id"], response.json["registration_code"], number

    bodies = {}

    def create_vacancy(self, token="employer", title="Juru Las Uji", openings=1):
        body = {"title": title, "desa_code": DESA, "required_skills": ["las"],
                "min_education": "SMA", "openings": openings}
        response = self.request("POST", "/v1/vacancies", json_body=body, token=self.token(token))
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def token(self, name):
        """A harness token by name, or a token given as it is."""
        return self.tokens[name] if name in harness.Tokens.ROLES else name

    def employer_token(self, name, contact_name, contact_phone):
        """A token for a new employer with a contact person."""
        employer = self.kd.create_employer(name=name, contacts={"name": contact_name,
                                                                "phone": contact_phone})
        return self.kd.create_token("employer", f"test-sms-{employer}", employer)

    def run_match(self, state="done", policy=None):
        response = self.request("POST", "/v1/match-runs",
                                json_body={} if policy is None else {"policy": policy},
                                token=self.tokens["admin"])
        self.assertEqual(response.status, 202, response.body)
        run = self.kd.ended_match_run(response.json["id"])
        self.assertEqual(run["state"], state, run)
        return response.json["id"]

    def expected(self, kind, placement, **values):
        """The text of kind as the template in the database renders it for
        placement, from values read here independently of the migration."""
        [(body,)] = self.sql("SELECT body FROM sms_templates WHERE kind = $1", kind)
        [(title, employer, contact_name, contact_phone, desa, kecamatan, deadline)] = self.sql(
            "SELECT v.title, e.name, e.contact_name, e.contact_phone, d.name, k.name,"
            " to_char(p.decide_by, 'DD-MM HH24:MI') FROM placements p"
            " JOIN vacancies v ON v.id = p.vacancy_id JOIN employers e ON e.id = v.employer_id"
            " JOIN desa d ON d.code = v.desa_code JOIN kecamatan k ON k.code = v.kecamatan_code"
            " WHERE p.id = $1", str(placement))
        contact = " ".join(x for x in (contact_name, contact_phone) if x) or employer
        values = dict({"jabatan": title, "perusahaan": employer, "kontak": contact,
                       "desa": desa, "kecamatan": kecamatan, "batas": deadline}, **values)
        for key, value in values.items():
            body = body.replace("{" + key + "}", value)
        return body

    def assert_private(self, seeker, texts):
        """Each text fits one SMS and carries neither the surname nor the NIK."""
        for text in texts:
            self.assertLessEqual(len(text), 160, text)
            self.assertNotIn("Contoh Uji", text)
            self.assertNotIn(self.bodies[seeker]["nik"], text)
            self.assertNotIn(self.bodies[seeker]["nik"][-6:], text)

    def decide(self, placement, decision, token="employer"):
        response = self.request("POST", f"/v1/placements/{placement}/decision",
                                json_body={"decision": decision}, token=self.token(token))
        self.assertEqual(response.status, 200, response.body)

    def metric(self, state):
        response = self.request("GET", "/metrics",
                                headers={"Authorization": f"Bearer {self.kd.metrics_token}"})
        self.assertEqual(response.status, 200)
        for line in response.body.decode().splitlines():
            if line.startswith(f'kerjadekat_sms_messages{{state="{state}"}} '):
                return int(line.split()[-1])
        self.fail(f"no kerjadekat_sms_messages for {state}")

    def round_trip(self, seeker, code, number, times=1):
        """Proves the SMS timer ran since: an answer to STATUS, times times."""
        for _ in range(times):
            before = len(self.sent_to(number))
            self.receive(number, f"STATUS {code}")
            wait_until(lambda: len(self.sent_to(number)) > before, WAIT, interval=0.2,
                       what="the STATUS answer")
        self.settled(seeker)

    def placement(self, seeker_id):
        rows = self.sql("SELECT id, state FROM placements WHERE seeker_id = $1", str(seeker_id))
        self.assertEqual(len(rows), 1, rows)
        return rows[0]

    # -- the tests

    def test_an_offer_reaches_the_phone_exactly_once_with_its_text(self):
        seeker, code, number = self.register("Ayu")
        self.wait_sent(number, f"Kode: {code}")
        vacancy = self.create_vacancy()
        self.run_match()
        placement, state = self.placement(seeker)
        self.assertEqual(state, "pending")
        [(employer, deadline)] = self.sql(
            "SELECT e.name, to_char(p.decide_by, 'DD-MM HH24:MI') FROM placements p"
            " JOIN vacancies v ON v.id = p.vacancy_id JOIN employers e ON e.id = v.employer_id"
            " WHERE p.id = $1 AND v.id = $2", placement, str(vacancy))
        offer = self.wait_sent(number, "ditawari")
        self.settled(seeker)
        self.assertEqual(offer, [
            f"KerjaDekat: Ayu, Anda ditawari Juru Las Uji di {employer[:28] + '..' if len(employer) > 30 else employer},"
            f" Kec. Tenggarong. Tidak berminat? Balas TOLAK {code} sblm {deadline}"])
        self.assertLessEqual(len(offer[0]), 160)
        texts = self.sent_to(number)
        self.assertEqual(len(texts), 2, texts)
        self.assertFalse(any("Contoh" in t for t in texts), texts)
        response = self.request("GET", "/metrics",
                                headers={"Authorization": f"Bearer {self.kd.metrics_token}"})
        self.assertEqual(response.status, 200)
        self.assertRegex(response.body.decode(), r'kerjadekat_sms_messages\{state="sent"\} [1-9]')

    def test_tolak_declines_only_from_the_registered_number_and_only_once(self):
        seeker, code, number = self.register("Budi")
        self.create_vacancy()
        self.run_match()
        placement, _ = self.placement(seeker)
        self.wait_sent(number, "ditawari")
        stranger = "+6281299990001"
        self.receive(stranger, f"TOLAK {code}")
        help_text = self.wait_sent(stranger, "perintah tidak dikenali")
        self.assertEqual(len(help_text), 1)
        self.assertEqual(self.placement(seeker), (placement, "pending"))
        # lower case and without the dash, twice: one decline, then a status
        self.receive(number, f"tolak {code.replace('-', '').lower()}")
        self.receive(number, f"TOLAK {code}")
        self.wait_sent(number, "penolakan Anda")
        self.wait_sent(number, f"KerjaDekat {code}: Anda menolak")
        self.settled(seeker)
        self.assertEqual(self.placement(seeker), (placement, "declined"))
        self.assertEqual(len([t for t in self.sent_to(number) if "penolakan" in t]), 1)
        self.assertEqual(self.sql('SELECT count(*) FROM gammu.inbox WHERE NOT "Processed"'),
                         [("0",)])

    def test_a_run_rolled_back_sends_nothing(self):
        seeker, code, number = self.register("Citra")
        self.create_vacancy()
        self.sql("CREATE FUNCTION test_sms_refuse_run() RETURNS trigger LANGUAGE plpgsql AS"
                 " $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;"
                 " CREATE TRIGGER test_sms_refuse BEFORE UPDATE ON match_runs FOR EACH ROW"
                 " WHEN (NEW.state = 'done') EXECUTE FUNCTION test_sms_refuse_run()")
        try:
            self.run_match(state="failed")
        finally:
            self.sql("DROP TRIGGER test_sms_refuse ON match_runs;"
                     " DROP FUNCTION test_sms_refuse_run()")
        self.assertEqual(self.sql("SELECT count(*) FROM placements WHERE seeker_id = $1",
                                  str(seeker)), [("0",)])
        # An answer that went through after the run proves the timer ran since.
        self.receive(number, f"STATUS {code}")
        self.wait_sent(number, "belum ada tawaran")
        self.settled(seeker)
        self.assertEqual([t for t in self.sent_to(number) if "ditawari" in t], [])
        self.assertEqual(self.sql("SELECT count(*) FROM sms_outbox WHERE seeker_id = $1"
                                  " AND kind = 'offer'", str(seeker)), [("0",)])

    def test_messages_wait_while_gammu_is_stopped_and_none_is_lost(self):
        self.stop_gammu()
        people = [self.register(name) for name in ("Dewi", "Eka", "Fajar")]
        ids = ",".join(str(seeker) for seeker, _, _ in people)

        def handed():
            return self.sql(f"SELECT count(*) FROM sms_outbox WHERE seeker_id IN ({ids})"
                            " AND state = 'handed'") == [("3",)]
        wait_until(handed, WAIT, interval=0.2, what="the messages handed to Gammu")
        for _, _, number in people:
            self.assertEqual(self.sent_to(number), [])
        type(self).start_gammu()
        for seeker, code, number in people:
            self.wait_sent(number, f"Kode: {code}")
            self.settled(seeker)
            self.assertEqual(len(self.sent_to(number)), 1, self.sent_to(number))

    def test_berhenti_stops_further_messages(self):
        seeker, code, number = self.register("Gita")
        self.wait_sent(number, f"Kode: {code}")
        self.receive(number, "berhenti")
        self.wait_sent(number, "tidak akan menerima SMS")
        self.create_vacancy()
        self.run_match()
        self.assertEqual(self.placement(seeker)[1], "pending")
        self.receive(number, f"STATUS {code}")
        self.wait_sent(number, "menunggu")
        self.settled(seeker)
        self.assertEqual([t for t in self.sent_to(number) if "ditawari" in t], [])
        self.assertEqual(len(self.sent_to(number)), 3, self.sent_to(number))


if __name__ == "__main__":
    harness.main()
