"""Many kiosks at once: registrations that arrive together (and are
committed together by the daemon) each get their own answer, every 201 is
committed when it is sent, and a NIK sent by several kiosks at the same
moment is registered once."""

import concurrent.futures
import threading

import harness

# Per-token rate limits far above what these tests send, so that no test here
# meets a 429 it did not ask for.
GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")

THREADS = 16
REGISTRATIONS = 200
DUPLICATE_ROUNDS = 5


class ConcurrentRegistrationTest(harness.KerjadekatTestCase):

    serve_args = GENEROUS_LIMITS

    def run_threads(self, count, work):
        """Runs work(index, client) in count threads, each with a keep-alive
        Client of its own; returns the results in index order.  Tokens are
        made first: making one is not thread-safe."""
        for name in ("kiosk", "kiosk2", "employer"):
            self.tokens[name]
        barrier = threading.Barrier(count)

        def run(index):
            client = self.kd.client()
            try:
                barrier.wait(timeout=harness.scaled(30))
                return work(index, client)
            finally:
                client.close()

        with concurrent.futures.ThreadPoolExecutor(count) as pool:
            return list(pool.map(run, range(count)))

    def test_concurrent_registrations_are_each_committed_exactly_once(self):
        people = [self.person() for _ in range(REGISTRATIONS)]
        kiosks = [self.tokens["kiosk"], self.tokens["kiosk2"]]

        def register_share(index, client):
            outcomes = []
            token = kiosks[index % 2]
            for body in people[index::THREADS]:
                response = client.request("POST", "/v1/seekers", json_body=body, token=token)
                visible = None
                if response.status == 201:
                    # a 201 promises a committed row: it must be readable at once
                    visible = client.request("GET", response.headers["location"],
                                             token=token).status
                outcomes.append((body["full_name"], response.status, response.json, visible))
            return outcomes

        outcomes = [item for share in self.run_threads(THREADS, register_share) for item in share]
        self.assertEqual(len(outcomes), REGISTRATIONS)
        for name, status, body, visible in outcomes:
            self.assertEqual(status, 201, f"{name}: {body}")
            self.assertEqual(visible, 200, f"{name} was acknowledged but could not be read")
        ids = {body["id"] for _, _, body, _ in outcomes}
        codes = {body["registration_code"] for _, _, body, _ in outcomes}
        self.assertEqual(len(ids), REGISTRATIONS)
        self.assertEqual(len(codes), REGISTRATIONS)

        names = [body["full_name"] for body in people]
        rows = self.sql("select id, full_name, registration_code from seekers "
                        "where full_name = any($1::text[])", "{" + ",".join(
                            f'"{name}"' for name in names) + "}")
        self.assertEqual(len(rows), REGISTRATIONS)
        self.assertEqual({int(row[0]) for row in rows}, ids)
        self.assertEqual({row[2] for row in rows}, codes)
        by_name = {name: body for name, _, body, _ in outcomes}
        for seeker_id, name, code in rows:
            self.assertEqual((int(seeker_id), code),
                             (by_name[name]["id"], by_name[name]["registration_code"]))

    def test_same_nik_from_many_kiosks_at_once_is_registered_once(self):
        for round_number in range(DUPLICATE_ROUNDS):
            with self.subTest(round=round_number):
                contested = self.person()
                others = [self.person() for _ in range(THREADS // 2)]

                def register(index, client):
                    if index % 2:
                        body = dict(contested, full_name=f"{contested['full_name']} versi {index}")
                    else:
                        body = others[index // 2]
                    token = self.tokens["kiosk" if index % 4 < 2 else "kiosk2"]
                    response = client.request("POST", "/v1/seekers", json_body=body, token=token)
                    return index, response.status, response.json

                results = self.run_threads(THREADS, register)
                contested_statuses = sorted(status for index, status, _ in results if index % 2)
                self.assertEqual(contested_statuses, [201] + [409] * (THREADS // 2 - 1),
                                 results)
                for index, status, body in results:
                    if index % 2 == 0:
                        self.assertEqual(status, 201, f"an unrelated registration got {body}")
                    elif status == 409:
                        self.assertEqual(body["error"], {
                            "code": "duplicate", "field": "nik",
                            "message": body["error"]["message"]})
                stored = self.sql("select count(*) from seekers where full_name like $1",
                                  contested["full_name"] + " versi %")
                self.assertEqual(stored, [("1",)])
                for body in others:
                    self.assertEqual(self.sql("select count(*) from seekers where full_name = $1",
                                              body["full_name"]), [("1",)])

    def test_keyed_registrations_at_once_are_each_remembered(self):
        """Registrations under Idempotency-Keys that arrive together (and go
        to the database as one batch): each key keeps its own answer, 201
        with its Location or 409 for the NIK that another took first, and a
        retry replays exactly that answer."""
        for round_number in range(DUPLICATE_ROUNDS):
            with self.subTest(round=round_number):
                contested = self.person()
                others = [self.person() for _ in range(THREADS // 2)]
                keys = [f"batch-{round_number}-{index}-{self.id()[-12:]}"
                        for index in range(THREADS)]

                def body_of(index):
                    if index % 2:
                        return dict(contested, full_name=f"{contested['full_name']} versi {index}")
                    return others[index // 2]

                def register(index, client):
                    response = client.request("POST", "/v1/seekers", json_body=body_of(index),
                                              token=self.tokens["kiosk"],
                                              headers={"Idempotency-Key": keys[index]})
                    return index, response

                results = self.run_threads(THREADS, register)
                statuses = sorted(response.status for index, response in results if index % 2)
                self.assertEqual(statuses, [201] + [409] * (THREADS // 2 - 1))
                client = self.kd.client()
                try:
                    for index, first in results:
                        if index % 2 == 0:
                            self.assertEqual(first.status, 201, first.json)
                        retry = client.request("POST", "/v1/seekers", json_body=body_of(index),
                                               token=self.tokens["kiosk"],
                                               headers={"Idempotency-Key": keys[index]})
                        self.assertEqual((retry.status, retry.body), (first.status, first.body))
                        self.assertEqual(retry.headers.get("idempotent-replayed"), "true")
                        self.assertEqual(retry.headers.get("location"),
                                         first.headers.get("location"))
                        if first.status == 201:
                            self.assertEqual(first.headers["location"],
                                             f"/v1/seekers/{first.json['id']}")
                finally:
                    client.close()
                stored = self.sql("select count(*) from idempotency_keys where key = any($1::text[])",
                                  "{" + ",".join(keys) + "}")
                self.assertEqual(stored, [(str(THREADS),)])

    def test_registrations_sent_together_are_stored_as_one_sent_alone(self):
        """Registrations that arrive together go to the database as one batch
        statement; every column must be what the one-registration statement
        stores for the same input, awkward text included."""
        names = ['Sri "Ani" Rahayu', "Back\\slash, {braces}", "NULL", "Ñoño Émile 日本"]
        unknown = [["menjahit \"karung\" goni"], ["a\\b", "x,y}"], ["{z}", "NULL"], []]
        pairs = []
        for index in range(THREADS):
            together = self.person(full_name=names[index % len(names)],
                                   skills=["las"] + unknown[index % len(unknown)],
                                   disability=index % 3 == 0)
            if index % 2:
                together["max_distance_km"] = 7.5 + index
            nik = together["nik"]
            alone = dict(together, nik=nik[:12] + f"{9000 + index:04d}")
            pairs.append((together, alone))

        def register(index, client):
            return client.request("POST", "/v1/seekers", json_body=pairs[index][0],
                                  token=self.tokens["kiosk"])

        firsts = self.run_threads(THREADS, register)
        columns = ("full_name, birth_date, gender, phone, desa_code, kecamatan_code, lat, lon,"
                   " location_given, education, skill_ids, unknown_skills, experience_years,"
                   " max_distance_km, disability, guardian_consent, consent_version,"
                   " registered_by, status, length(nik_hash), left(nik_masked, 4),"
                   " right(nik_masked, 2)")
        for (together, alone), first in zip(pairs, firsts):
            self.assertEqual(first.status, 201, first.json)
            second = self.request("POST", "/v1/seekers", json_body=alone,
                                  token=self.tokens["kiosk"])
            self.assertEqual(second.status, 201, second.json)
            rows = [self.sql(f"select {columns} from seekers where id = $1", str(created.json["id"]))
                    for created in (first, second)]
            self.assertEqual(len(rows[0]), 1)
            self.assertEqual(rows[0][0][:-1], rows[1][0][:-1])
            self.assertEqual(rows[0][0][0], together["full_name"])
            self.assertEqual(first.json["unknown_skills"], second.json["unknown_skills"])
            self.assertEqual(len(first.json["unknown_skills"]), len(together["skills"]) - 1)
            for created in (first, second):
                self.assertEqual(self.sql("select count(*) from sms_outbox where seeker_id = $1",
                                          str(created.json["id"])), [("1",)])

    def test_registration_messages_sent_together_are_the_template_filled(self):
        """A group of registrations queues its messages in one statement
        (schema/migrations/0014_sms_registered_once.sql); each must be what
        sms_render makes of the template for that seeker alone: first name
        and code filled in, a placeholder typed in a name left as typed, a
        message past one SMS clipped, Unicode sent as such, and nothing to a
        number that answered BERHENTI."""
        opted_out = "+6281299990001"
        self.sql("insert into sms_opt_out (phone) values ($1) on conflict do nothing", opted_out)
        names = ["{kode} Rahmat", "{nama}", "Ñoño Émile", "日本 Taro", "Siti " + "Nurhaliza" * 9,
                 "Budi\\ \"Santoso\"", "Andi" * 20]
        bodies = []
        for index in range(THREADS):
            phone = "0812-9999-0001" if index % 5 == 4 else f"0812-7{index:03d}-0{index:03d}"
            bodies.append(self.person(full_name=names[index % len(names)], phone=phone))

        def register(index, client):
            return client.request("POST", "/v1/seekers", json_body=bodies[index],
                                  token=self.tokens["kiosk"])

        created = self.run_threads(THREADS, register)
        for body, answer in zip(bodies, created):
            self.assertEqual(answer.status, 201, answer.json)
            rows = self.sql(
                "select o.kind, o.phone, o.kecamatan_code = s.kecamatan_code,"
                " o.body = sms_render('registered', jsonb_build_object("
                "   'nama', sms_first_name(s.full_name), 'kode', s.registration_code)),"
                " o.coding, strpos(o.body, s.registration_code) > 0, length(o.body)"
                " from sms_outbox o join seekers s on s.id = o.seeker_id where s.id = $1",
                str(answer.json["id"]))
            if body["phone"] == "0812-9999-0001":
                self.assertEqual(rows, [])
                continue
            self.assertEqual(len(rows), 1, rows)
            kind, phone, same_kecamatan, rendered, coding, has_code, length = rows[0]
            self.assertEqual((kind, same_kecamatan, rendered), ("registered", "t", "t"))
            self.assertTrue(phone.startswith("+62"), phone)
            # braces and backslashes are outside GSM 7-bit's basic alphabet, Ñ is in it
            unicode = body["full_name"].startswith(("日本", "{", "Budi\\"))
            self.assertEqual(coding, "Unicode_No_Compression" if unicode
                             else "Default_No_Compression", body["full_name"])
            self.assertLessEqual(int(length), 70 if unicode else 160)
            if body["full_name"].startswith("{kode}"):
                self.assertEqual(has_code, "t")
        literal = self.sql("select count(*) from sms_outbox o join seekers s on s.id = o.seeker_id"
                           " where s.full_name = '{kode} Rahmat' and o.body like '%{kode}%'")
        self.assertNotEqual(literal, [("0",)])

    def test_reads_and_writes_interleave_without_errors(self):
        employer = self.tokens["employer"]

        def mixed(index, client):
            statuses = []
            for step in range(20):
                kind = (index + step) % 4
                if kind == 0:
                    response = client.request("POST", "/v1/seekers", json_body=self.person(),
                                              token=self.tokens["kiosk"])
                elif kind == 1:
                    response = client.request("POST", "/v1/vacancies", token=employer, json_body={
                        "title": f"Lowongan Uji {index}-{step}", "desa_code": "64.02.06.1001",
                        "required_skills": ["las"], "min_education": "SMA", "openings": 2})
                elif kind == 2:
                    response = client.request("GET", "/v1/vacancies?limit=5",
                                              token=self.tokens["kiosk"])
                else:
                    response = client.request("GET", "/v1/skills?q=operator")
                statuses.append((kind, response.status))
            return statuses

        results = [item for share in self.run_threads(THREADS, mixed) for item in share]
        expected = {0: 201, 1: 201, 2: 200, 3: 200}
        for kind, status in results:
            self.assertEqual(status, expected[kind], f"request kind {kind}")
        made = sum(1 for kind, _ in results if kind == 1)
        stored = self.sql("select count(*) from vacancies where title like 'Lowongan Uji %'")
        self.assertEqual(stored, [(str(made),)])


if __name__ == "__main__":
    harness.main()
