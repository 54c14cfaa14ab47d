"""The recommendation index loads in pages (serve --vacancy-page-rows): every
page reaches it, the old index answers until the new one is complete, and
vacancies that change while a load is running are current once it ends, and
a load cut off by a lost connection is made again in full."""

import re
import signal

import harness
from test_faults_support import terminate_daemon_backends

TENGGARONG = "64.02.06"
LOA_JANAN = "64.02.03"
ABANDONED = re.compile(r'msg="vacancy index load abandoned: ')
LOADED = re.compile(r'msg="vacancy index loaded" vacancies=(\d+) pages=(\d+) ms=\d+')


def first_desa(kecamatan_code):
    return next(row["code"] for row in harness.load_desa()
                if row["code"].startswith(kecamatan_code + "."))


class VacancyLoadTest(harness.KerjadekatTestCase):

    def add_vacancies(self, employer, count, skill, tenggarong_at):
        """count open vacancies of employer needing skill, in id order: those
        at the positions in tenggarong_at are in Tenggarong, the others in
        Loa Janan.  Returns their ids, lowest first."""
        rows = self.sql(
            "INSERT INTO vacancies (employer_id, title, desa_code, kecamatan_code, lat, lon,"
            " required_skill_ids, min_education, openings)"
            " SELECT $1::bigint, 'Lowongan Uji ' || g, d.code, d.kecamatan_code, d.lat, d.lon,"
            " ARRAY[(SELECT id FROM skills WHERE code = $2)], 'SMA', 1"
            " FROM generate_series(0, $3::int - 1) g CROSS JOIN LATERAL"
            " (SELECT * FROM desa WHERE kecamatan_code = CASE WHEN g = ANY($4::int[])"
            "  THEN $5 ELSE $6 END ORDER BY code LIMIT 1) d"
            " ORDER BY g RETURNING id",
            employer, skill, count, "{" + ",".join(map(str, tenggarong_at)) + "}",
            TENGGARONG, LOA_JANAN)
        return sorted(int(row[0]) for row in rows)

    def open_count(self):
        return int(self.sql(
            "SELECT count(*) FROM vacancies v WHERE v.status = 'open' AND v.openings > 0"
            " AND (v.closes_on IS NULL OR v.closes_on >= current_date)"
            " AND desa_in_service_area(v.desa_code)")[0][0])

    def seeker_with(self, skill):
        person = self.person(desa_code=first_desa(TENGGARONG), education="SMK",
                             skills=[skill])
        response = self.request("POST", "/v1/seekers", json_body=person,
                                token=self.tokens["kiosk"])
        self.assertEqual(response.status, 201, response.body)
        return response.json["id"]

    def recommended(self, seeker):
        response = self.request("GET", f"/v1/seekers/{seeker}/recommendations?limit=50",
                                token=self.tokens["kiosk"])
        self.assertEqual(response.status, 200, response.body)
        return {item["vacancy_id"] for item in response.json["recommendations"]}

    def wait_loaded(self, since):
        """The figures of the first full load logged after since."""
        found = []

        def loaded():
            found[:] = LOADED.findall(self.kd.log_text(since))
            return bool(found)
        harness.wait_until(loaded, harness.scaled(60), what="a full vacancy load")
        return tuple(int(n) for n in found[0])

    def stop_during_a_load(self):
        """Restarts the daemon with pages of one row, so that a load takes
        hundreds of round trips, and stops it (SIGSTOP) during its first full
        load; returns the log offset of the restart.  The caller sends
        SIGCONT."""
        for attempt in range(3):
            since = self.kd.log_offset()
            self.daemon_restart(["--vacancy-page-rows", "1"], wait=None)
            harness.wait_until(lambda: 'msg="ready"' in self.kd.log_text(since),
                               harness.scaled(30), interval=0.005,
                               what="the daemon to be ready")
            self.kd.process.send_signal(signal.SIGSTOP)
            if not LOADED.search(self.kd.log_text(since)):
                return since
            self.kd.process.send_signal(signal.SIGCONT)
        self.fail("every load ended before the daemon could be stopped during it")

    def test_every_page_reaches_the_index(self):
        count = 300
        ids = self.add_vacancies(self.kd.create_employer(), count, "welding",
                                 [0, count // 2, count - 1])
        first, middle, last = ids[0], ids[count // 2], ids[-1]
        since = self.kd.log_offset()
        self.daemon_restart(["--vacancy-page-rows", "7"])
        vacancies, pages = self.wait_loaded(since)
        open_now = self.open_count()
        self.assertEqual(vacancies, open_now)
        # Full pages of 7, then the short one that ends the load.
        self.assertEqual(pages, open_now // 7 + 1)
        seeker = self.seeker_with("las")
        # Same kecamatan first: the three in Tenggarong lead the list.
        self.assertLessEqual({first, middle, last}, self.recommended(seeker))

    def test_changes_during_a_load_are_kept(self):
        count = 3000
        employer = self.kd.create_employer()
        ids = self.add_vacancies(employer, count, "excavator_operator", [0, count - 1])
        first, last = ids[0], ids[-1]
        seeker = self.seeker_with("operator excavator")
        # The vacancies change while the daemon is stopped during a load.
        since = self.stop_during_a_load()
        try:
            self.sql("UPDATE vacancies SET status = 'closed' WHERE id = $1", first)
            posted = self.add_vacancies(employer, 1, "excavator_operator", [0])[0]
        finally:
            self.kd.process.send_signal(signal.SIGCONT)
        self.kd.wait_health()
        self.wait_loaded(since)
        harness.wait_until(lambda: (lambda ids: posted in ids and last in ids
                                    and first not in ids)(self.recommended(seeker)),
                           harness.scaled(10),
                           what="the vacancy posted during the load to be recommended"
                                " and the one closed during it to be gone")
        vacancies, pages = self.wait_loaded(since)
        # Pages of one row, then the empty one that ends the load.
        self.assertEqual(pages, vacancies + 1)

    def test_a_load_cut_off_by_a_lost_connection_is_made_again(self):
        count = 300
        ids = self.add_vacancies(self.kd.create_employer(), count, "welding", [0, count - 1])
        # Pages of one row make every later load of this module longer.
        self.addCleanup(self.sql, "UPDATE vacancies SET status = 'closed' WHERE id = ANY($1)",
                        "{" + ",".join(map(str, ids)) + "}")
        seeker = self.seeker_with("las")
        # Its connections are ended while the daemon is stopped during a
        # load, so that a page is cut off.
        for attempt in range(3):
            since = self.stop_during_a_load()
            try:
                terminate_daemon_backends(self.kd)
            finally:
                self.kd.process.send_signal(signal.SIGCONT)
            harness.wait_until(lambda: ABANDONED.search(self.kd.log_text(since)) or
                               LOADED.search(self.kd.log_text(since)),
                               harness.scaled(60), what="the load to end either way")
            if ABANDONED.search(self.kd.log_text(since)):
                break
        else:
            self.fail("every load ended before its connection could be ended")
        log = self.kd.log_text(since)
        after_abandon = since + len(log[:log.index("load abandoned")].encode())
        vacancies, pages = self.wait_loaded(after_abandon)
        self.assertEqual((vacancies, pages), (self.open_count(), vacancies + 1))
        self.kd.wait_health()
        self.assertLessEqual({ids[0], ids[-1]}, self.recommended(seeker))


if __name__ == "__main__":
    harness.main()
