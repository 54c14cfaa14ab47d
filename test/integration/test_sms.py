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
        cls.gammu_dir = os.path.join(kd.tmpdir, "gammu")
        cls.phone = os.path.join(cls.gammu_dir, "phone")
        cls.sent = os.path.join(cls.gammu_dir, "sent")
        # Gammu's tables and config exactly as scripts/run makes them, from
        # the scripts' own functions; the cluster is one scripts/lib/pg.sh made.
        root = require_env("KD_SOURCE_ROOT")
        subprocess.run(
            ["bash", "-c", '. "$1/scripts/lib/common.sh"; . "$1/scripts/lib/pg.sh";'
             ' . "$1/scripts/lib/gammu.sh"; kd_gammu_schema "$2" "$3";'
             ' kd_gammu_config "$4" "$2" "$3"',
             "gammu-setup", root, os.path.dirname(kd.cluster.host), kd.dbname, cls.gammu_dir],
            check=True, stdin=subprocess.DEVNULL, timeout=scaled(120))
        os.makedirs(os.path.join(cls.phone, "sms", "1"), exist_ok=True)
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
        """The count /metrics gives for state, None before the timer's first round."""
        response = self.request("GET", "/metrics",
                                headers={"Authorization": f"Bearer {self.kd.metrics_token}"})
        self.assertEqual(response.status, 200)
        for line in response.body.decode().splitlines():
            if line.startswith(f'kerjadekat_sms_messages{{state="{state}"}} '):
                return int(line.split()[-1])
        return None

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

    def test_each_outcome_of_an_offer_sends_its_own_text_once(self):
        token = self.employer_token("PT Uji Kabar Sms", "Bu Rahma", "0812-0000-9001")
        people = {name: self.register(name) for name in ("Hana", "Indra", "Joko", "Kiki")}
        self.create_vacancy(token=token, openings=4)
        self.run_match()
        offers = {name: self.placement(seeker)[0] for name, (seeker, _, _) in people.items()}
        for _, _, number in people.values():
            self.wait_sent(number, "ditawari")
        self.decide(offers["Hana"], "accepted", token=token)
        self.decide(offers["Indra"], "rejected", token=token)
        seeker, code, _ = people["Joko"]
        [(birth_date,)] = self.sql("SELECT birth_date::text FROM seekers WHERE id = $1",
                                   str(seeker))
        response = self.request("POST", "/v1/status/decline", json_body={
            "registration_code": code, "birth_date": birth_date,
            "placement_id": int(offers["Joko"])})
        self.assertEqual(response.status, 200, response.body)
        self.sql("UPDATE placements SET offered_at = now() - interval '8 days',"
                 " decide_by = now() - interval '1 day' WHERE id = $1", offers["Kiki"])
        outcomes = {"Hana": ("accepted", "Selamat"), "Indra": ("rejected", "maaf"),
                    "Joko": ("declined", "penolakan"), "Kiki": ("expired", "lewat batas")}
        for name, (state, fragment) in outcomes.items():
            seeker, code, number = people[name]
            self.wait_sent(number, fragment)
            self.settled(seeker)
            self.assertEqual(self.placement(seeker), (offers[name], state))
            texts = self.sent_to(number)
            self.assertEqual(len(texts), 3, texts)  # registration, offer, outcome
            self.assertEqual(texts[2], self.expected(state, offers[name], nama=name, kode=code))
            self.assert_private(seeker, texts)
        self.assertIn("Bu Rahma +6281200009001", self.sent_to(people["Hana"][2])[2])

    def test_long_names_shorten_but_never_cut_the_code_deadline_or_contact(self):
        token = self.employer_token("PT Usaha Bersama Kutai Kartanegara Sejahtera Makmur Abadi",
                                    "Ibu Rahmawati Kusumaningrum Sari", "0812-0000-9002")
        seeker, code, number = self.register("Maharani")
        self.create_vacancy(token=token, title="Operator Alat Berat Tambang Batubara Terbuka")
        self.run_match()
        placement, _ = self.placement(seeker)
        [(deadline,)] = self.sql("SELECT to_char(decide_by, 'DD-MM HH24:MI') FROM placements"
                                 " WHERE id = $1", placement)
        [offer] = self.wait_sent(number, "ditawari")
        self.assertTrue(offer.endswith(f"Balas TOLAK {code} sblm {deadline}"), offer)
        self.decide(placement, "accepted", token=token)
        [accepted] = self.wait_sent(number, "Selamat")
        self.assertIn("+6281200009002", accepted)
        self.assertIn("Maharani", accepted)
        self.assert_private(seeker, [offer, accepted])

    def test_a_reminder_goes_once_within_a_day_of_the_deadline(self):
        seeker, code, number = self.register("Lina")
        self.create_vacancy()
        self.run_match()
        placement, _ = self.placement(seeker)
        self.wait_sent(number, "ditawari")
        # as if offered six and a half days ago with the usual week to decide
        self.sql("UPDATE placements SET offered_at = now() - interval '156 hours',"
                 " decide_by = now() + interval '12 hours' WHERE id = $1", placement)
        [reminder] = self.wait_sent(number, "berakhir")
        self.assertEqual(reminder, self.expected("reminder", placement, nama="Lina", kode=code))
        # several rounds later, still the one
        self.round_trip(seeker, code, number, times=3)
        self.assertEqual(len([t for t in self.sent_to(number) if "berakhir" in t]), 1)
        self.assertEqual(self.sql("SELECT count(*) FROM sms_outbox WHERE placement_id = $1"
                                  " AND kind = 'reminder'", placement), [("1",)])
        self.assert_private(seeker, self.sent_to(number))

    def test_an_offer_of_a_day_or_less_gets_no_reminder_on_top(self):
        seeker, code, number = self.register("Mira")
        self.create_vacancy()
        self.run_match(policy={"decision_days": 1})
        self.wait_sent(number, "ditawari")
        self.round_trip(seeker, code, number, times=2)
        self.assertEqual([t for t in self.sent_to(number) if "berakhir" in t], [])

    def test_erasure_takes_back_and_blanks_the_persons_messages(self):
        seeker, code, number = self.register("Nia")
        self.wait_sent(number, f"Kode: {code}")
        self.round_trip(seeker, code, number)          # a row in Gammu's inbox
        self.create_vacancy()
        self.stop_gammu()
        self.run_match()
        placement, _ = self.placement(seeker)
        wait_until(lambda: self.sql("SELECT state FROM sms_outbox WHERE placement_id = $1"
                                    " AND kind = 'offer'", placement) == [("handed",)],
                   WAIT, interval=0.2, what="the offer in Gammu's outbox")
        # The rejection stays queued: every round that would hand it fails.
        self.sql("CREATE FUNCTION test_sms_hold() RETURNS trigger LANGUAGE plpgsql AS"
                 " $$ BEGIN RAISE EXCEPTION 'held by the test'; END $$;"
                 " CREATE TRIGGER test_sms_hold BEFORE UPDATE ON sms_outbox FOR EACH ROW"
                 " WHEN (NEW.state = 'handed' AND NEW.kind = 'rejected')"
                 " EXECUTE FUNCTION test_sms_hold()")
        try:
            self.decide(placement, "rejected")
            self.assertEqual(self.sql("SELECT state FROM sms_outbox WHERE placement_id = $1"
                                      " AND kind = 'rejected'", placement), [("queued",)])
            response = self.request("DELETE", f"/v1/seekers/{seeker}",
                                    token=self.tokens["admin"])
            self.assertEqual(response.status, 204, response.body)
        finally:
            self.sql("DROP TRIGGER test_sms_hold ON sms_outbox; DROP FUNCTION test_sms_hold()")
        type(self).start_gammu()
        # Gammu sends in order: once a later message is out, it passed the offer by.
        other, other_code, other_number = self.register("Oki")
        self.wait_sent(other_number, f"Kode: {other_code}")
        self.settled(other)
        self.assertEqual(sorted(self.sql("SELECT kind, state, phone, body FROM sms_outbox"
                                         " WHERE seeker_id = $1", str(seeker))), [
            ("offer", "cancelled", "", ""), ("registered", "handed", "", ""),
            ("rejected", "cancelled", "", ""), ("status", "handed", "", "")])
        self.assertEqual(sorted(self.sql("SELECT o.kind, d.state FROM sms_delivery d"
                                         " JOIN sms_outbox o USING (id, kind)"
                                         " WHERE o.seeker_id = $1", str(seeker))), [
            ("offer", "cancelled"), ("registered", "sent"), ("rejected", "cancelled"),
            ("status", "sent")])
        self.assertEqual(len(self.sent_to(number)), 2, self.sent_to(number))
        left = self.sql(
            "SELECT 'outbox', count(*) FROM gammu.outbox WHERE \"DestinationNumber\" = $1"
            " OR \"TextDecoded\" LIKE '%' || $2 || '%'"
            " UNION ALL SELECT 'sentitems', count(*) FROM gammu.sentitems"
            " WHERE \"DestinationNumber\" = $1 OR \"TextDecoded\" LIKE '%' || $2 || '%'"
            " OR \"TextDecoded\" LIKE '%Nia%'"
            " UNION ALL SELECT 'inbox', count(*) FROM gammu.inbox"
            " WHERE \"SenderNumber\" = $1 OR \"TextDecoded\" LIKE '%' || $2 || '%'",
            number, code)
        self.assertEqual(left, [("outbox", "0"), ("sentitems", "0"), ("inbox", "0")])

    def test_a_message_gammu_gives_up_on_is_reported_failed(self):
        # The dummy phone accepts every message (any number, any length), so
        # Gammu never fails a send on it.  Two failures Gammu itself
        # produces are used instead: a row it cannot read, which it drops
        # from its outbox with nothing in sentitems, and a second part it
        # cannot read, for which it writes the first part to sentitems as
        # 'Error'.  The third, 'SendingError', is what Gammu writes once a
        # real modem refused a message maxretries times; it is written here
        # as Gammu's own query writes it.
        failed_before = wait_until(lambda: self.metric("failed") is not None and
                                   (self.metric("failed"),), WAIT, what="a first SMS round")[0]
        summary = ("SELECT failed FROM sms_delivery_summary WHERE kecamatan_code = '64.02.06'")
        [(summary_before,)] = self.sql("SET ROLE kerjadekat_operator; " + summary)
        self.stop_gammu()
        people = [self.register(name) for name in ("Putri", "Rudi", "Sari")]
        ids = [seeker for seeker, _, _ in people]

        def gammu_ids():
            rows = self.sql("SELECT seeker_id, gammu_id FROM sms_outbox WHERE state = 'handed'"
                            f" AND seeker_id IN ({','.join(map(str, ids))})")
            return {int(s): g for s, g in rows} if len(rows) == 3 else None
        handed = wait_until(gammu_ids, WAIT, interval=0.2, what="the messages handed")
        unreadable, second_part, refused = (handed[seeker] for seeker in ids)
        self.sql("UPDATE gammu.outbox SET \"Text\" = 'zz' WHERE \"ID\" = $1", unreadable)
        self.sql("UPDATE gammu.outbox SET \"MultiPart\" = true WHERE \"ID\" = $1;"
                 " INSERT INTO gammu.outbox_multipart (\"ID\", \"SequencePosition\", \"Text\","
                 " \"TextDecoded\") VALUES ($1, 2, 'zz', 'x')", second_part)
        self.sql("INSERT INTO gammu.sentitems (\"ID\", \"SequencePosition\", \"Status\", \"TPMR\","
                 " \"DestinationNumber\", \"TextDecoded\", \"Text\", \"UDH\", \"SenderID\","
                 " \"CreatorID\", \"Coding\", \"InsertIntoDB\")"
                 " SELECT \"ID\", 1, 'SendingError', -1, \"DestinationNumber\", \"TextDecoded\","
                 " '', '', '', \"CreatorID\", \"Coding\", \"InsertIntoDB\" FROM gammu.outbox"
                 " WHERE \"ID\" = $1; DELETE FROM gammu.outbox WHERE \"ID\" = $1", refused)
        type(self).start_gammu()
        query = ("SELECT o.seeker_id, d.state, d.gammu_status FROM sms_delivery d"
                 " JOIN sms_outbox o USING (id) WHERE o.seeker_id IN"
                 f" ({','.join(map(str, ids))})")
        wait_until(lambda: all(state != "sending" for _, state, _ in self.sql(query)),
                   WAIT, interval=0.2, what="Gammu done with the messages")
        self.assertEqual({int(s): (state, status) for s, state, status in self.sql(query)},
                         {ids[0]: ("failed", None), ids[1]: ("failed", "Error"),
                          ids[2]: ("failed", "SendingError")})
        for _, _, number in people:
            self.assertEqual(self.sent_to(number), [])
        [(summary_after,)] = self.sql("SET ROLE kerjadekat_operator; " + summary)
        self.assertEqual(int(summary_after), int(summary_before) + 3)
        wait_until(lambda: (self.metric("failed") or 0) >= failed_before + 3, WAIT, interval=0.2,
                   what="/metrics counting the failures")

    def test_operators_see_delivery_per_kecamatan_but_no_number_or_text(self):
        seeker, code, number = self.register("Tari")
        self.wait_sent(number, f"Kode: {code}")
        self.settled(seeker)
        operator = "SET ROLE kerjadekat_operator; "
        columns = self.sql(operator + "SELECT column_name FROM information_schema.columns"
                           " WHERE table_name = 'sms_delivery' ORDER BY ordinal_position")
        self.assertEqual([c for (c,) in columns],
                         ["id", "kind", "kecamatan_code", "state", "gammu_status", "retries",
                          "queued_at", "handed_at", "sent_at"])
        seen = "\n".join(str(r) for r in self.sql(operator + "SELECT d::text FROM sms_delivery d"))
        self.assertNotIn(number[3:], seen)
        self.assertNotIn(code, seen)
        for denied in ("SELECT count(*) FROM sms_outbox", "SELECT count(*) FROM gammu.sentitems",
                       "SELECT sms_enqueue('+6281200009999', 'help', NULL, NULL, NULL, 1, '{}')"):
            with self.assertRaises(SqlError, msg=denied):
                self.sql(operator + denied)
        # one snapshot for both, the operator's view and the count from the tables
        both = self.sql(
            "BEGIN ISOLATION LEVEL REPEATABLE READ; " + operator +
            "SELECT kecamatan_code, queued, sending, sent, failed,"
            " cancelled FROM sms_delivery_summary; RESET ROLE; "
            "SELECT k.code, count(*) FILTER (WHERE d.state = 'queued'),"
            " count(*) FILTER (WHERE d.state = 'sending'), count(*) FILTER (WHERE d.state = 'sent'),"
            " count(*) FILTER (WHERE d.state = 'failed'),"
            " count(*) FILTER (WHERE d.state = 'cancelled')"
            " FROM kecamatan k LEFT JOIN sms_outbox o ON o.kecamatan_code = k.code"
            " LEFT JOIN sms_delivery d ON d.id = o.id"
            # the service area's kecamatan, and any other with a message
            " WHERE k.regency_code IN (SELECT regency_code FROM service_area) OR d.id IS NOT NULL"
            " GROUP BY k.code ORDER BY k.code; COMMIT")
        summary, expected = both[:len(both) // 2], both[len(both) // 2:]
        self.assertEqual(summary, expected)
        tenggarong = [row for row in summary if row[0] == "64.02.06"]
        self.assertGreater(int(tenggarong[0][3]), 0)

    def test_a_recorded_verdict_stands_and_the_totals_follow_the_outbox(self):
        seeker, code, number = self.register("Wati")
        self.wait_sent(number, f"Kode: {code}")
        mine = ("SELECT id, gammu_id, delivery FROM sms_outbox"
                " WHERE seeker_id = $1 AND kind = 'registered'")
        wait_until(lambda: self.sql(mine, str(seeker))[0][2] == "sent", WAIT, interval=0.2,
                   what="the round recording the message sent")
        [(message, gammu_id, _)] = self.sql(mine, str(seeker))
        state = "SELECT state, gammu_status FROM sms_delivery WHERE id = $1"
        self.assertEqual(self.sql(state, message), [("sent", "SendingOKNoReport")])
        # Gammu's own housekeeping may empty sentitems: the verdict stays.
        self.sql("DELETE FROM gammu.sentitems WHERE \"ID\" = $1", gammu_id)
        self.assertEqual(self.sql(state, message), [("sent", None)])

        def totals_match():
            return self.sql("SELECT t.delivery, t.messages = count(o.id)"
                            " FROM sms_delivery_totals t"
                            " LEFT JOIN sms_outbox o ON o.delivery = t.delivery"
                            " GROUP BY t.delivery, t.messages ORDER BY 1") == \
                [("failed", "t"), ("sent", "t")]
        self.assertTrue(totals_match())
        wait_until(lambda: self.metric("sent") == int(self.sql(
            "SELECT count(*) FROM sms_delivery WHERE state = 'sent'")[0][0]),
            WAIT, interval=0.2, what="/metrics counting what sms_delivery lists as sent")
        self.sql("DELETE FROM sms_outbox WHERE id = $1", message)
        self.assertTrue(totals_match())
        with self.assertRaises(SqlError) as refused:
            self.sql("INSERT INTO sms_outbox (kind, phone, body, coding, state, gammu_id,"
                     " delivery) VALUES ('help', '+6281200000000', 'x', 'Default_No_Compression',"
                     " 'handed', 1, 'sent')")
        self.assertIn("queued before it is delivered", str(refused.exception))


if __name__ == "__main__":
    harness.main()
