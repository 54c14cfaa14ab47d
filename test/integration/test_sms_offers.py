"""Offer messages of a whole match run queued by set
(schema/migrations/0019_sms_offered_once.sql), by the SMS rounds after the
run (0022): a run stores its offers as one INSERT, which records their range,
and each offer's text must be the one sms_render makes for that placement
alone, as the row trigger did before, whatever its values hold: placeholders
typed into titles, names and contacts, backslashes, Unicode, values long
enough to be shortened, an employer without a contact.  Nothing goes to a
number that answered BERHENTI, to an erased seeker or to one without a
phone, nor for an offer decided or past its deadline by the round; rounds
take the offers in order, a batch at a time, each message once."""

import harness

DESA = "64.02.06.1001"   # Jahab, kecamatan Tenggarong

# name, title, employer, contact name, contact phone: made-up values chosen
# for what the text does with them.
PEOPLE = [
    # jsonb's key order fills {kode} before {nama}: a name's "{kode}" stays
    # as typed, so the text goes as UCS-2 (braces are outside GSM 7-bit)
    ("{kode} Uji", "Juru Las", "UD Uji", "{kode} Contoh", "0541-000001"),
    # {perusahaan} comes after {jabatan}: a title naming it is filled in;
    # a backslash is outside GSM 7-bit too
    ("{nama}", "Tukang\\Kayu {perusahaan}", "CV Uji\\Coba", None, None),
    # long free text in GSM 7-bit: past 160 characters, shortened
    ("Ñoño Uji", "Pengemudi Truk Tambang Batubara Hulu", "PT Sentosa Abadi Makmur Jaya Uji",
     "Kepala Personalia Contoh", "0541-000002"),
    ("日本 Uji", "溶接工 Juru Las", "PT Uji Nusantara", "Contoh", "0541-000003"),
    # {batas} and {kecamatan} come after {nama} and {jabatan}: filled in,
    # leaving texts within one SMS as they are
    ("Uji{batas}", "Juru Las", "UD Uji", "", ""),
    ("Peserta Uji", "Juru Ketik {kecamatan}", "UD Uji", "Contoh Saja", "0541-000004"),
    ("Peserta Uji", "Juru {nama} Las {desa}", "PT {desa} Uji", "{desa}", "0541-000005"),
    ("Peserta Uji", "Operator {kode}{kecamatan}", "Koperasi {jabatan}", "", ""),
]
OPTED_OUT, ERASED, NO_PHONE = "opted out", "erased", "no phone"


class OffersTogetherTestCase(harness.KerjadekatTestCase):

    def seeker(self, full_name, phone):
        body = self.person(desa_code=DESA, full_name=full_name, phone=phone)
        response = self.request("POST", "/v1/seekers", json_body=body, token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def vacancy(self, title, employer, contact_name, contact_phone):
        [(vacancy,)] = self.sql(
            "WITH e AS (INSERT INTO employers (name, desa_code, kecamatan_code, contact_name,"
            "  contact_phone) SELECT $2, code, kecamatan_code, $3, $4 FROM desa WHERE code = $5"
            "  RETURNING id)"
            " INSERT INTO vacancies (employer_id, title, desa_code, kecamatan_code, lat, lon,"
            "  required_skill_ids, min_education, openings, status)"
            " SELECT e.id, $1, d.code, d.kecamatan_code, d.lat, d.lon,"
            "  ARRAY[(SELECT min(id) FROM skills)], 'SMA', 1, 'closed'"
            " FROM e, desa d WHERE d.code = $5 RETURNING id",
            title, employer, contact_name, contact_phone, DESA)
        return vacancy

    def test_offers_stored_together_are_each_the_template_filled(self):
        pairs = []   # (seeker, vacancy, what keeps its message back or None)
        for n, (name, title, employer, contact, contact_phone) in enumerate(PEOPLE):
            pairs.append((self.seeker(name, f"0812-6{n:03d}-0{n:03d}"),
                          self.vacancy(title, employer, contact, contact_phone), None))
        plain = ("Juru Las Uji", "PT Uji", "Contoh", "0541-000009")
        opted_out = self.seeker("Berhenti Uji", "0812-6999-0999")
        self.sql("INSERT INTO sms_opt_out (phone) VALUES ('+6281269990999')")
        pairs.append((opted_out, self.vacancy(*plain), OPTED_OUT))
        erased = self.seeker("Dihapus Uji", "0812-6998-0998")
        response = self.request("DELETE", f"/v1/seekers/{erased}", token=self.tokens["admin"])
        self.assertEqual(response.status, 204, response.body)
        pairs.append((erased, self.vacancy(*plain), ERASED))
        no_phone = self.seeker("Tanpa Uji", "0812-6997-0997")
        self.sql("UPDATE seekers SET phone = '' WHERE id = $1", no_phone)
        pairs.append((no_phone, self.vacancy(*plain), NO_PHONE))

        run, placed = self.offer(pairs)
        self.assertEqual(len(placed), len(pairs))
        # nothing is queued with the offers, only their range
        self.assertEqual(self.offer_messages(run), [])
        self.assertEqual(self.sql("SELECT first_id, last_id FROM sms_offers_due"),
                         [(str(min(map(int, placed.values()))),
                           str(max(map(int, placed.values()))))])
        self.assertEqual(self.sql("SELECT sms_queue_offers(1000)"), [(str(len(PEOPLE)),)])
        self.assertEqual(self.sql("SELECT count(*) FROM sms_offers_due"), [("0",)])

        for n, (seeker, vacancy, held) in enumerate(pairs):
            placement = placed[str(seeker)]
            # what sms_queue and sms_render made of this placement alone
            rows = self.sql(
                "WITH x AS (SELECT sms_render('offer', sms_placement_vars(p.id)"
                "   || jsonb_build_object('nama', sms_first_name(s.full_name),"
                "                         'kode', coalesce(s.registration_code, ''))) AS body,"
                "   s.phone, s.kecamatan_code, p.seeker_id"
                "  FROM placements p JOIN seekers s ON s.id = p.seeker_id WHERE p.id = $1)"
                " SELECT o.body = x.body, o.coding = CASE WHEN sms_is_gsm7(x.body)"
                "   THEN 'Default_No_Compression' ELSE 'Unicode_No_Compression' END,"
                "  o.phone = x.phone, o.kecamatan_code = x.kecamatan_code,"
                "  o.seeker_id = x.seeker_id, o.state, o.inbox_id IS NULL, o.body, o.coding"
                " FROM sms_outbox o, x WHERE o.placement_id = $1 AND o.kind = 'offer'",
                placement)
            if held is not None:
                self.assertEqual(rows, [], held)
                continue
            self.assertEqual(len(rows), 1, PEOPLE[n])
            same, coding, phone, kecamatan, seeker_same, state, no_inbox, body, sent_as = rows[0]
            self.assertEqual((same, coding, phone, kecamatan, seeker_same, state, no_inbox),
                             ("t", "t", "t", "t", "t", "queued", "t"), (PEOPLE[n], body))
            self.assertLessEqual(len(body), 160 if sent_as == "Default_No_Compression" else 70)
            self.assertNotEqual(body, "")

        bodies = {n: self.sql("SELECT body, coding FROM sms_outbox WHERE placement_id = $1"
                              " AND kind = 'offer'", placed[str(pairs[n][0])])[0]
                  for n in range(len(PEOPLE))}
        # the cases the values were chosen for did happen
        self.assertTrue(bodies[0][0].startswith("KerjaDekat: {kode}, "), bodies[0])
        self.assertTrue(bodies[1][0].startswith("KerjaDekat: {nama}, "), bodies[1])
        self.assertEqual([coding for _, coding in bodies.values()],
                         ["Unicode_No_Compression"] * 2 + ["Default_No_Compression"]
                         + ["Unicode_No_Compression"] + ["Default_No_Compression"] * 2
                         + ["Unicode_No_Compression", "Default_No_Compression"])
        # within one SMS only once the longest values were cut further
        self.assertIn("Pengemudi", bodies[2][0])
        self.assertNotIn("Pengemudi Truk Tambang Batub..", bodies[2][0])
        self.assertIn("Tidak berminat? Balas TOLAK", bodies[2][0])
        # a placeholder typed into a value is filled when its key comes later
        self.assertRegex(bodies[4][0], r"^KerjaDekat: Uji[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}, ")
        self.assertIn("Juru Ketik Tenggarong di UD Uji", bodies[5][0])
        # queued in the order of the offers
        order = self.offer_messages(run)
        self.assertEqual(order, sorted(order))
        # and once: a later round finds nothing more to queue
        self.assertEqual(self.sql("SELECT sms_queue_offers(1000)"), [("0",)])
        self.assertEqual(len(self.offer_messages(run)), len(PEOPLE))

    def offer(self, pairs, sms="on"):
        """Offers pairs' (seeker, vacancy, _) in one statement, as
        kerjadekat match --db writes a run's offers, in a session with
        kerjadekat.sms set to sms: the run and the placement of each
        seeker."""
        [(run,)] = self.sql("INSERT INTO match_runs (mode, policy) VALUES ('stable', '{}')"
                            " RETURNING id")
        placed = dict(self.sql(
            f"SET kerjadekat.sms = '{sms}';"
            " INSERT INTO placements (run_id, seeker_id, vacancy_id, decide_by, score,"
            " distance_km, same_kecamatan, matched_skills)"
            " SELECT $1, s, v, now() + interval '7 days', 1, 0, true, '{las}'"
            " FROM unnest($2::bigint[], $3::bigint[]) AS u(s, v) RETURNING seeker_id, id",
            run, "{" + ",".join(str(s) for s, _, _ in pairs) + "}",
            "{" + ",".join(str(v) for _, v, _ in pairs) + "}"))
        self.sql("UPDATE match_runs SET state = 'done', finished_at = now() WHERE id = $1", run)
        return run, placed

    def offer_messages(self, run):
        """The placements of run that have an offer message, in queue order."""
        return [int(p) for (p,) in self.sql(
            "SELECT placement_id FROM sms_outbox WHERE kind = 'offer'"
            " AND placement_id IN (SELECT id FROM placements WHERE run_id = $1)"
            " ORDER BY id", run)]

    def test_rounds_take_the_offers_in_order_and_skip_the_decided(self):
        plain = ("Juru Las Uji", "PT Uji", "Contoh", "0541-000010")
        pairs = [(self.seeker(f"Urut Uji{n}", f"0812-6500-0{n:03d}"), self.vacancy(*plain), None)
                 for n in range(7)]
        run, placed = self.offer(pairs)
        ids = sorted(int(p) for p in placed.values())
        # decided, and past its deadline, before any round came by
        self.sql("UPDATE placements SET state = 'declined', decided_at = now(),"
                 " reason_code = 'personal' WHERE id = $1", ids[1])
        self.sql("UPDATE placements SET offered_at = now() - interval '8 days',"
                 " decide_by = now() - interval '1 day' WHERE id = $1", ids[4])

        # three offers a round: the first and third of them get messages
        self.assertEqual(self.sql("SELECT sms_queue_offers(3)"), [("2",)])
        self.assertEqual(self.offer_messages(run), [ids[0], ids[2]])
        self.assertEqual(self.sql("SELECT first_id, last_id FROM sms_offers_due"),
                         [(str(ids[3]), str(ids[6]))])
        self.assertEqual(self.sql("SELECT sms_queue_offers(3)"), [("2",)])
        self.assertEqual(self.offer_messages(run), [ids[0], ids[2], ids[3], ids[5]])
        self.assertEqual(self.sql("SELECT sms_queue_offers(3)"), [("1",)])
        self.assertEqual(self.offer_messages(run), [ids[0], ids[2], ids[3], ids[5], ids[6]])
        self.assertEqual(self.sql("SELECT count(*) FROM sms_offers_due"), [("0",)])

    def test_offers_stored_with_messages_off_leave_nothing_due(self):
        plain = ("Juru Las Uji", "PT Uji", "Contoh", "0541-000011")
        pairs = [(self.seeker("Senyap Uji", "0812-6400-0001"), self.vacancy(*plain), None)]
        run, placed = self.offer(pairs, sms="off")
        self.assertEqual(len(placed), 1)
        self.assertEqual(self.sql("SELECT count(*) FROM sms_offers_due"), [("0",)])
        self.assertEqual(self.sql("SELECT sms_queue_offers(1000)"), [("0",)])
        self.assertEqual(self.offer_messages(run), [])


if __name__ == "__main__":
    harness.main()
