"""Match runs over the database: `kerjadekat match --db` writes a run's
placements, the seekers it left out (counted, and listed for the rarer
reasons) and its figures in one go; the
operators' views agree with those rows; one run writes at a time; and
POST /v1/match-runs and GET /v1/match-runs/{id} start and report the same
runs through the daemon.  POST /v1/match-runs needs no body, and honours an
Idempotency-Key as every POST does: a retry gets the first 202, a twin
still being answered gets 409, and a key another daemon stored first gets
that daemon's answer."""

import hashlib
import json
import struct
import threading

import harness
from harness_cluster import HeldLock

DEMO = ("--seekers", "500", "--employers", "40", "--vacancies", "120")
REASONS = {"incomplete_profile", "no_feasible_vacancy", "outcompeted"}
PHASES = {"load", "prepare", "candidates", "solve", "result", "write"}
NIK_MASKED = r"^[0-9]{4}\*{10}[0-9]{2}$"
LATEST_DONE = "(SELECT max(id) FROM match_runs WHERE state = 'done')"
MATCH_LOCK = "SELECT pg_advisory_lock(hashtext('kerjadekat match'))"

# What the matcher reads: active seekers and the vacancies open today.
ACTIVE_SEEKERS = "SELECT id FROM seekers WHERE status = 'active'"
OPEN_VACANCIES = ("SELECT id FROM vacancies WHERE status = 'open' AND openings > 0"
                  " AND (closes_on IS NULL OR closes_on >= current_date)")


def blocked_on_match_runs(service):
    """True once a backend of the module's database waits for a lock on
    match_runs: a run's INSERT held up by a HeldLock."""
    rows = service.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock' AND query LIKE '%match_runs%'")
    return int(rows[0][0]) > 0


def request_hash(method, path, body):
    """The hash the daemon keeps an Idempotency-Key's request under
    (service/api/idempotency.c): BLAKE2b-256 of the three lengths, as native
    64-bit integers, then method, path and body."""
    method, path = method.encode(), path.encode()
    lengths = struct.pack("=QQQ", len(method), len(path), len(body))
    return hashlib.blake2b(lengths + method + path + body, digest_size=32).hexdigest()


# The summaries of the first runs, made once for the module's database.
_first_runs = {}


class MatchDbTestCase(harness.KerjadekatTestCase):
    """The demo data set, matched once in each mode from the command line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not _first_runs:
            cls.kd.run("demo", "--db", cls.kd.conninfo, "--secret-file", cls.kd.secret_file,
                       *DEMO)
            _first_runs.update((mode, cls.cli_run(mode)) for mode in ("stable", "optimal"))
        cls.summaries = _first_runs

    @classmethod
    def cli_run(cls, mode, *extra, expect=0):
        cls.forget_offers()
        proc = cls.kd.run("match", "--db", cls.kd.conninfo, "--mode", mode, *extra, check=False)
        if proc.returncode != expect:
            raise AssertionError(f"kerjadekat match --mode {mode} exited with "
                                 f"{proc.returncode}: {proc.stderr}")
        lines = proc.stdout.splitlines()
        if len(lines) != 1:
            raise AssertionError(f"expected one line of JSON, got {proc.stdout!r}")
        return json.loads(lines[0])

    @classmethod
    def forget_offers(cls):
        """A run skips people holding an offer and never repeats a pair
        turned down: the runs compared here all start from no offer at all."""
        cls.kd.sql("DELETE FROM placements")

    def scalar(self, query, *params):
        rows = self.sql(query, *params)
        self.assertEqual(len(rows), 1, query)
        return rows[0][0]

    def count(self, query, *params):
        return int(self.scalar(f"SELECT count(*) FROM ({query}) AS q", *params))

    def run_ids(self):
        return [summary["run_id"] for summary in self.summaries.values()]

    def latest_done(self):
        return int(self.scalar(LATEST_DONE))


class CommandLineRunTest(MatchDbTestCase):

    def test_each_run_is_recorded_with_its_figures(self):
        seekers = self.count(ACTIVE_SEEKERS)
        vacancies = self.count(OPEN_VACANCIES)
        self.assertEqual(seekers, 500)
        self.assertGreater(vacancies, 0)
        for mode, summary in self.summaries.items():
            with self.subTest(mode=mode):
                run = summary["run_id"]
                row = self.sql("SELECT mode, policy::text, state, requested_by, finished_at,"
                               " finished_at >= started_at, seekers, vacancies, assigned,"
                               " same_kecamatan, total_score, stats::text, error"
                               " FROM match_runs WHERE id = $1", run)[0]
                (row_mode, policy, state, requested_by, finished_at, ordered, row_seekers,
                 row_vacancies, assigned, same, total, stats, error) = row
                self.assertEqual((row_mode, policy, state), (mode, "{}", "done"))
                self.assertIsNone(requested_by)
                self.assertIsNone(error)
                self.assertIsNotNone(finished_at)
                self.assertEqual(ordered, "t")
                self.assertEqual((int(row_seekers), int(row_vacancies)), (seekers, vacancies))
                matches = self.count("SELECT 1 FROM matches WHERE run_id = $1", run)
                self.assertGreater(matches, 0)
                self.assertEqual(int(assigned), matches)
                self.assertEqual(int(same), self.count(
                    "SELECT 1 FROM matches WHERE run_id = $1 AND same_kecamatan", run))
                score_sum = float(self.scalar(
                    "SELECT sum(score) FROM matches WHERE run_id = $1", run))
                self.assertAlmostEqual(float(total), score_sum, places=6)
                stats = json.loads(stats)
                self.assertEqual(set(stats["seconds"]), PHASES)
                self.assertEqual(stats["assigned"], matches)
                by_reason = dict(self.sql("SELECT reason, sum(seekers) FROM unplaced_counts"
                                          " WHERE run_id = $1 GROUP BY reason", run))
                for reason in REASONS:
                    self.assertEqual(stats["unassigned"][reason], int(by_reason.get(reason, 0)))
                self.assertEqual(summary["state"], "done")
                self.assertEqual(summary["mode"], mode)
                self.assertEqual((summary["seekers"], summary["vacancies"], summary["assigned"],
                                  summary["same_kecamatan"]),
                                 (seekers, vacancies, matches, int(same)))
                self.assertAlmostEqual(summary["total_score"], float(total), places=6)

    def test_no_vacancy_gets_more_seekers_than_openings(self):
        for run in self.run_ids():
            over = self.sql("SELECT m.vacancy_id FROM matches m"
                            " JOIN vacancies v ON v.id = m.vacancy_id WHERE m.run_id = $1"
                            " GROUP BY m.vacancy_id, v.openings HAVING count(*) > v.openings", run)
            self.assertEqual(over, [], f"run {run}")
            closed = self.count(f"SELECT 1 FROM matches WHERE run_id = $1 AND vacancy_id NOT IN"
                                f" ({OPEN_VACANCIES})", run)
            self.assertEqual(closed, 0, f"run {run}")

    def test_a_run_offers_its_placements_and_the_next_skips_them(self):
        run = self.cli_run("stable")["run_id"]
        columns = "seeker_id, vacancy_id, score, distance_km, same_kecamatan, matched_skills"
        offers = f"SELECT {columns} FROM placements WHERE run_id = $1"
        matches = f"SELECT {columns} FROM matches WHERE run_id = $1"
        self.assertGreater(self.count(matches, run), 0)
        self.assertEqual(self.count(f"{offers} EXCEPT ALL {matches}", run), 0)
        self.assertEqual(self.count(f"{matches} EXCEPT ALL {offers}", run), 0)
        self.assertEqual(self.count("SELECT 1 FROM placements WHERE run_id = $1 AND (state <> 'pending'"
                                    " OR decide_by <> offered_at + interval '7 days')", run), 0)
        # Without forgetting them, the next run offers none of those people anything.
        proc = self.kd.run("match", "--db", self.kd.conninfo, "--mode", "stable")
        again = json.loads(proc.stdout)["run_id"]
        self.assertEqual(self.count("SELECT 1 FROM placements a JOIN placements b"
                                    " ON a.seeker_id = b.seeker_id"
                                    " WHERE a.run_id = $1 AND b.run_id = $2", run, again), 0)
        self.assertEqual(self.count("SELECT 1 FROM matches a JOIN matches b"
                                    " ON a.seeker_id = b.seeker_id"
                                    " WHERE a.run_id = $1 AND b.run_id = $2", run, again), 0)

    def test_every_active_seeker_is_placed_or_left_out_once(self):
        # A run of its own, so that it is the latest, which the view shows.
        run = self.cli_run("stable")["run_id"]
        self.assertEqual(self.latest_done(), run)
        wrong = self.count(
            "SELECT s.id FROM seekers s WHERE s.status = 'active' AND"
            " (SELECT count(*) FROM matches m WHERE m.run_id = $1 AND m.seeker_id = s.id) +"
            " (SELECT count(*) FROM unmatched_seekers u WHERE u.seeker_id = s.id)"
            " <> 1", run)
        self.assertEqual(wrong, 0, f"run {run}")
        inactive = self.count(
            "SELECT seeker_id FROM matches WHERE run_id = $1 UNION ALL"
            " SELECT seeker_id FROM unmatched_seekers"
            f" EXCEPT ALL {ACTIVE_SEEKERS}", run)
        self.assertEqual(inactive, 0, f"run {run}")

    def test_same_kecamatan_agrees_with_the_kecamatan_codes(self):
        for run in self.run_ids():
            wrong = self.count(
                "SELECT 1 FROM matches m JOIN seekers s ON s.id = m.seeker_id"
                " JOIN vacancies v ON v.id = m.vacancy_id WHERE m.run_id = $1"
                " AND m.same_kecamatan <> (s.kecamatan_code = v.kecamatan_code)", run)
            self.assertEqual(wrong, 0, f"run {run}")

    def test_explanations_name_skills_by_code(self):
        for run in self.run_ids():
            # Every required skill is matched (full coverage by default), and
            # nothing the seeker lacks or the vacancy does not ask for is.
            wrong = self.count(
                "SELECT 1 FROM matches m JOIN seekers s ON s.id = m.seeker_id"
                " JOIN vacancies v ON v.id = m.vacancy_id,"
                " LATERAL (SELECT array_agg(code) AS codes FROM skills"
                "          WHERE id = ANY (v.required_skill_ids)) r,"
                " LATERAL (SELECT array_agg(code) AS codes FROM skills"
                "          WHERE id = ANY (v.optional_skill_ids)"
                "          AND id <> ALL (v.required_skill_ids)) o,"
                " LATERAL (SELECT array_agg(code) AS codes FROM skills"
                "          WHERE id = ANY (s.skill_ids)) h"
                " WHERE m.run_id = $1 AND NOT ("
                "   m.matched_skills @> r.codes"
                "   AND m.matched_skills <@ (r.codes || coalesce(o.codes, '{}'))"
                "   AND m.matched_skills <@ h.codes"
                "   AND m.missing_optional_skills <@ coalesce(o.codes, '{}')"
                "   AND NOT m.missing_optional_skills && h.codes"
                "   AND cardinality(m.matched_skills) + cardinality(m.missing_optional_skills)"
                "       = cardinality(r.codes) + coalesce(cardinality(o.codes), 0))", run)
            self.assertEqual(wrong, 0, f"run {run}")

    def test_optimal_keeps_at_least_as_many_local_placements(self):
        # Strict local priority: optimal first maximises same-kecamatan placements.
        self.assertGreaterEqual(self.summaries["optimal"]["same_kecamatan"],
                                self.summaries["stable"]["same_kecamatan"])

    def test_the_same_data_gives_the_same_rows(self):
        first = self.summaries["stable"]["run_id"]
        again = self.cli_run("stable")["run_id"]
        placements = ("SELECT seeker_id, vacancy_id, score, distance_km, same_kecamatan,"
                      " matched_skills, missing_optional_skills FROM matches WHERE run_id = ")
        listed = "SELECT seeker_id, reason FROM unplaced_listed WHERE run_id = "
        counted = "SELECT kecamatan_code, reason, seekers FROM unplaced_counts WHERE run_id = "
        for rows in (placements, listed, counted):
            for a, b in ((first, again), (again, first)):
                self.assertEqual(self.count(f"{rows}$1 EXCEPT {rows}$2", a, b), 0, rows)
        self.assertEqual(self.count(placements + "$1", again),
                         self.summaries["stable"]["assigned"])

    def test_policy_overrides_are_applied_and_recorded(self):
        path = self.kd.tmpdir + "/policy.json"
        with open(path, "w") as policy:
            json.dump({"max_distance_km": 5}, policy)
        summary = self.cli_run("stable", "--policy", path)
        run = summary["run_id"]
        self.assertEqual(self.scalar("SELECT policy->>'max_distance_km' FROM match_runs"
                                     " WHERE id = $1", run), "5")
        # Beyond 5 km only same-kecamatan placements remain possible.
        far = self.count("SELECT 1 FROM matches WHERE run_id = $1 AND distance_km > 5"
                         " AND NOT same_kecamatan", run)
        self.assertEqual(far, 0)

    def test_a_second_run_while_one_writes_fails_at_once(self):
        lock = HeldLock(self.kd, MATCH_LOCK)
        try:
            summary = self.cli_run("stable", expect=1)
        finally:
            lock.release()
        run = summary["run_id"]
        self.assertEqual(summary["state"], "failed")
        self.assertIn("another match run is in progress", summary["error"])
        state, error, finished = self.sql("SELECT state, error, finished_at IS NOT NULL"
                                          " FROM match_runs WHERE id = $1", run)[0]
        self.assertEqual((state, finished), ("failed", "t"))
        self.assertEqual(error, summary["error"])
        self.assertEqual(self.count("SELECT 1 FROM matches WHERE run_id = $1 UNION ALL"
                                    " SELECT 1 FROM unplaced_listed WHERE run_id = $1 UNION ALL"
                                    " SELECT 1 FROM unplaced_counts WHERE run_id = $1", run), 0)
        self.assertEqual(self.count("SELECT 1 FROM pg_class WHERE relname IN ($1, $2)",
                                    f"matches_run_{run}", f"unplaced_listed_run_{run}"), 0)

    def test_input_and_db_exclude_each_other(self):
        runs = self.count("SELECT 1 FROM match_runs")
        proc = self.kd.run("match", "--db", self.kd.conninfo, "--input", "-", check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--input and --db", proc.stderr)
        self.assertEqual(self.count("SELECT 1 FROM match_runs"), runs)


class OperatorViewTest(MatchDbTestCase):
    """The views read the latest done run, whichever test made it."""

    def test_match_latest_lists_the_latest_run(self):
        latest = self.latest_done()
        rows = self.count("SELECT 1 FROM match_latest")
        self.assertEqual(rows, self.count("SELECT 1 FROM matches WHERE run_id = $1", latest))
        self.assertEqual(self.count("SELECT 1 FROM match_latest WHERE run_id <> $1", latest), 0)
        self.assertEqual(self.count("SELECT 1 FROM match_latest WHERE nik_masked !~ $1",
                                    NIK_MASKED), 0)
        self.assertEqual(self.count(
            "SELECT 1 FROM match_latest WHERE same_kecamatan"
            " <> (seeker_kecamatan = vacancy_kecamatan)"), 0)

    def test_unmatched_seekers_lists_the_latest_run(self):
        latest = self.latest_done()
        self.assertEqual(self.count("SELECT 1 FROM unmatched_seekers"),
                         int(self.scalar("SELECT sum(seekers) FROM unplaced_counts"
                                         " WHERE run_id = $1", latest)))
        self.assertEqual(self.count("SELECT 1 FROM unmatched_seekers WHERE run_id <> $1",
                                    latest), 0)
        reasons = {row[0] for row in self.sql("SELECT DISTINCT reason FROM unmatched_seekers")}
        self.assertLessEqual(reasons, REASONS)
        self.assertEqual(self.count("SELECT 1 FROM unmatched_seekers WHERE nik_masked !~ $1",
                                    NIK_MASKED), 0)

    def test_vacancy_fill_never_exceeds_openings(self):
        latest = self.latest_done()
        self.assertEqual(self.count("SELECT 1 FROM vacancy_fill WHERE placed > openings"), 0)
        self.assertEqual(int(self.scalar("SELECT sum(placed) FROM vacancy_fill")),
                         self.count("SELECT 1 FROM matches WHERE run_id = $1", latest))
        self.assertEqual(self.count("SELECT 1 FROM vacancy_fill"),
                         self.count("SELECT 1 FROM vacancies"))

    def test_kecamatan_summary_adds_up(self):
        latest = self.latest_done()
        rows = self.sql("SELECT count(*), sum(seekers), sum(placed), sum(placed_own_kecamatan),"
                        " sum(openings) FROM kecamatan_summary")[0]
        kecamatan, seekers, placed, own, openings = (int(value) for value in rows)
        self.assertEqual(kecamatan, 20)
        self.assertEqual(seekers, self.count(ACTIVE_SEEKERS))
        self.assertEqual(placed, self.count("SELECT 1 FROM matches WHERE run_id = $1", latest))
        self.assertEqual(own, self.count("SELECT 1 FROM matches WHERE run_id = $1"
                                         " AND same_kecamatan", latest))
        self.assertEqual(openings, int(self.scalar(
            "SELECT sum(openings) FROM vacancies WHERE status = 'open'")))
        self.assertEqual(self.count("SELECT 1 FROM kecamatan_summary WHERE placed > 0"
                                    " AND mean_distance_km IS NULL"), 0)
        # Each kecamatan's placed seekers, counted one by one.
        self.assertEqual(
            dict(self.sql("SELECT code, placed FROM kecamatan_summary WHERE placed > 0")),
            dict(self.sql("SELECT seeker_kecamatan, count(*) FROM match_latest GROUP BY 1")))

    def test_skill_gaps_lists_exactly_the_skills_without_a_local_counterpart(self):
        # Every kecamatan and skill, counted directly: local seekers who have
        # it and openings of local vacancies that require it.
        expected = (
            "SELECT kecamatan_code, skill, gap, seekers, openings FROM ("
            " SELECT k.code AS kecamatan_code, sk.code AS skill,"
            "  CASE WHEN d.openings = 0 THEN 'no_local_demand' ELSE 'no_local_supply' END AS gap,"
            "  h.seekers, d.openings"
            " FROM kecamatan k CROSS JOIN skills sk,"
            " LATERAL (SELECT count(*) AS seekers FROM seekers s WHERE s.status = 'active'"
            "          AND s.kecamatan_code = k.code AND sk.id = ANY (s.skill_ids)) h,"
            " LATERAL (SELECT coalesce(sum(v.openings), 0) AS openings FROM vacancies v"
            "          WHERE v.status = 'open' AND v.kecamatan_code = k.code"
            "          AND sk.id = ANY (v.required_skill_ids)) d"
            " WHERE (h.seekers > 0) <> (d.openings > 0)) AS counted")
        listed = "SELECT kecamatan_code, skill, gap, seekers, openings FROM skill_gaps"
        self.assertGreater(self.count(listed), 0)
        self.assertEqual(self.count(f"{listed} EXCEPT ALL {expected}"), 0)
        self.assertEqual(self.count(f"{expected} EXCEPT ALL {listed}"), 0)


class MatchRunApiTest(MatchDbTestCase):

    def post_run(self, body, token="admin"):
        return self.request("POST", "/v1/match-runs", json_body=body, token=self.tokens[token])

    def get_run(self, run_id):
        response = self.request("GET", f"/v1/match-runs/{run_id}", token=self.tokens["admin"])
        self.assertEqual(response.status, 200, response.body)
        return response.json

    def assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response.body)
        error = (response.json or {}).get("error")
        self.assertIsInstance(error, dict, response.body)
        self.assertEqual(error.get("code"), code, response.body)
        self.assertEqual(error.get("field"), field, response.body)

    def start(self, body):
        self.forget_offers()

        def answered():
            response = self.post_run(body)
            return response if response.status != 409 else None
        # The daemon lets a run go a moment after its row says done.
        response = harness.wait_until(answered, harness.scaled(10), 0.1,
                                      "the daemon letting an earlier run go")
        self.assertEqual(response.status, 202, response.body)
        self.assertEqual(set(response.json), {"id", "state"})
        self.assertEqual(response.json["state"], "running")
        self.assertIsInstance(response.json["id"], int)
        return response.json["id"]

    def test_a_run_started_over_http_ends_with_the_same_figures(self):
        run_id = self.start({"mode": "stable"})
        run = self.kd.ended_match_run(run_id)
        self.assertEqual(run["state"], "done", run)
        cli = self.summaries["stable"]
        for key in ("seekers", "vacancies", "assigned", "same_kecamatan"):
            self.assertEqual(run[key], cli[key], key)
        self.assertAlmostEqual(run["total_score"], cli["total_score"], places=6)
        self.assertEqual(run["mode"], "stable")
        self.assertEqual(run["policy"], {})
        self.assertEqual(set(run["stats"]["seconds"]), PHASES)
        self.assertIsNone(run["error"])
        self.assertEqual(self.count("SELECT 1 FROM matches WHERE run_id = $1", run_id),
                         cli["assigned"])
        self.assertIsNotNone(self.scalar("SELECT requested_by FROM match_runs WHERE id = $1",
                                         run_id))

    def test_a_run_left_by_a_dead_process_is_marked_failed(self):
        stale = self.scalar("INSERT INTO match_runs (mode, policy, started_at)"
                            " VALUES ('stable', '{}', now() - interval '2 minutes') RETURNING id")
        run_id = self.start({"mode": "stable"})
        self.assertEqual(self.kd.ended_match_run(run_id)["state"], "done")
        self.assertEqual(self.get_run(stale)["state"], "failed")
        self.assertIn("interrupted", self.get_run(stale)["error"])
        # A run inserted a moment ago may be about to take the lock: spared,
        # and it holds off the next run.
        recent = self.scalar("INSERT INTO match_runs (mode, policy) VALUES ('stable', '{}')"
                             " RETURNING id")
        self.assert_error(self.post_run({"mode": "stable"}), 409, "run_in_progress")
        self.assertEqual(self.get_run(recent)["state"], "running")
        self.sql("DELETE FROM match_runs WHERE id = $1", recent)

    def test_a_second_run_while_one_runs_is_refused(self):
        # The run blocks on its COPY into matches until the lock goes, so the
        # second request surely meets the first one running.
        lock = HeldLock(self.kd, "LOCK TABLE matches IN ACCESS EXCLUSIVE MODE")
        try:
            run_id = self.start({"mode": "optimal"})
            self.assert_error(self.post_run({"mode": "stable"}), 409, "run_in_progress")
            self.assertEqual(self.get_run(run_id)["state"], "running")
        finally:
            lock.release()
        self.assertEqual(self.kd.ended_match_run(run_id)["state"], "done")
        # Once it is over, the next one may start.
        self.assertEqual(self.kd.ended_match_run(self.start({"mode": "stable"}))["state"], "done")

    def post_run_keyed(self, body, key):
        """POST /v1/match-runs with body (bytes) under key, once the daemon
        has let earlier runs go."""
        def answered():
            response = self.request("POST", "/v1/match-runs", raw_body=body,
                                    token=self.tokens["admin"], headers={"Idempotency-Key": key})
            run_in_progress = response.status == 409 and \
                (response.json or {}).get("error", {}).get("code") == "run_in_progress"
            return None if run_in_progress else response
        return harness.wait_until(answered, harness.scaled(10), 0.1,
                                  "the daemon letting an earlier run go")

    def test_an_idempotency_key_replays_the_first_run_and_starts_no_other(self):
        self.forget_offers()
        body = b'{"mode":"stable"}'
        first = self.post_run_keyed(body, "match-run-uji-replay")
        self.assertEqual(first.status, 202, first.body)
        self.assertIsNone(first.headers.get("idempotent-replayed"))
        run_id = first.json["id"]
        self.assertEqual(first.headers["location"], f"/v1/match-runs/{run_id}")
        self.assertEqual(self.kd.ended_match_run(run_id)["state"], "done")
        runs = self.count("SELECT 1 FROM match_runs")

        again = self.post_run_keyed(body, "match-run-uji-replay")
        self.assertEqual(again.status, 202, again.body)
        self.assertEqual(again.headers.get("idempotent-replayed"), "true")
        self.assertEqual((again.body, again.headers["location"]),
                         (first.body, first.headers["location"]))
        self.assertEqual(self.count("SELECT 1 FROM match_runs"), runs, "a second run started")
        other = self.post_run_keyed(b'{"mode":"optimal"}', "match-run-uji-replay")
        self.assert_error(other, 422, "idempotency_key_reused", "Idempotency-Key")
        self.assertEqual(self.count("SELECT 1 FROM match_runs"), runs)

    def test_a_twin_of_a_keyed_run_still_being_answered_is_in_progress(self):
        self.forget_offers()
        body, key = b'{"mode":"stable"}', "match-run-uji-twin"
        answers = []
        client = self.kd.client()
        first = threading.Thread(target=lambda: answers.append(client.request(
            "POST", "/v1/match-runs", raw_body=body, token=self.tokens["admin"],
            headers={"Idempotency-Key": key})))
        # The run's INSERT waits for the lock, so its 202 is surely not sent
        # when the twin comes.
        lock = HeldLock(self.kd, "LOCK TABLE match_runs IN ACCESS EXCLUSIVE MODE")
        try:
            first.start()
            harness.wait_until(lambda: blocked_on_match_runs(self.kd), harness.scaled(10), 0.01,
                               "the run's INSERT to wait for the lock")
            twin = self.request("POST", "/v1/match-runs", raw_body=body,
                                token=self.tokens["admin"], headers={"Idempotency-Key": key})
        finally:
            lock.release()
            first.join()
            client.close()
        self.assert_error(twin, 409, "in_progress", "Idempotency-Key")
        self.assertEqual(answers[0].status, 202, answers[0].body)
        run_id = answers[0].json["id"]
        self.assertEqual(self.kd.ended_match_run(run_id)["state"], "done")
        again = self.post_run_keyed(body, key)
        self.assertEqual((again.status, again.body), (202, answers[0].body))
        self.assertEqual(self.count("SELECT 1 FROM match_runs WHERE id > $1", run_id), 0)

    def test_a_key_another_daemon_stored_first_gets_that_answer(self):
        self.forget_offers()
        body, key = b'{"mode":"stable"}', "match-run-uji-elsewhere"
        admin = self.tokens["admin"]
        token_id = self.scalar("SELECT id FROM api_tokens WHERE key_id = $1", admin.split("_")[1])
        elsewhere = '{"id":9007199254740990,"state":"running"}'
        runs = self.count("SELECT 1 FROM match_runs")
        answers = []
        client = self.kd.client()
        first = threading.Thread(target=lambda: answers.append(client.request(
            "POST", "/v1/match-runs", raw_body=body, token=admin,
            headers={"Idempotency-Key": key})))
        lock = HeldLock(self.kd, "LOCK TABLE match_runs IN ACCESS EXCLUSIVE MODE")
        try:
            first.start()
            harness.wait_until(lambda: blocked_on_match_runs(self.kd), harness.scaled(10), 0.01,
                               "the run's INSERT to wait for the lock")
            # What another daemon's twin request would have committed meanwhile.
            self.sql("INSERT INTO idempotency_keys (token_id, key, request_hash, status,"
                     " response, location) VALUES ($1, $2, decode($3, 'hex'), 202, $4,"
                     " '/v1/match-runs/9007199254740990')", token_id, key,
                     request_hash("POST", "/v1/match-runs", body), elsewhere)
        finally:
            lock.release()
            first.join()
            client.close()
        answer = answers[0]
        self.assertEqual((answer.status, answer.body.decode()), (202, elsewhere))
        self.assertEqual(answer.headers.get("idempotent-replayed"), "true")
        self.assertEqual(answer.headers["location"], "/v1/match-runs/9007199254740990")
        self.assertEqual(self.count("SELECT 1 FROM match_runs"), runs,
                         "the run of a request answered by another daemon was kept")
        # And the daemon did not stay busy with a run that never started.
        self.assertEqual(self.kd.ended_match_run(self.start({"mode": "stable"}))["state"], "done")

    def test_a_run_needs_no_body(self):
        admin = self.tokens["admin"]
        for headers in ({}, {"Content-Length": "0"}):
            self.forget_offers()

            def answered():
                response = self.request("POST", "/v1/match-runs", token=admin, headers=headers)
                return response if response.status != 409 else None
            response = harness.wait_until(answered, harness.scaled(10), 0.1,
                                          "the daemon letting an earlier run go")
            self.assertEqual(response.status, 202, f"{headers}: {response.body!r}")
            run = self.kd.ended_match_run(response.json["id"])
            self.assertEqual((run["state"], run["mode"], run["policy"]), ("done", "stable", {}))
        # A body that is there must still be JSON, and say so.
        for headers, body in (({"Content-Type": "text/plain"}, b""),
                              ({"Content-Type": "text/plain"}, b"{}"),
                              ({"Content-Type": None}, b"{}")):
            response = self.request("POST", "/v1/match-runs", token=admin, raw_body=body,
                                    headers=headers)
            self.assert_error(response, 415, "unsupported_media_type")

    def test_only_admins_start_runs(self):
        runs = self.count("SELECT 1 FROM match_runs")
        self.assertEqual(self.post_run({"mode": "stable"}, token="kiosk").status, 403)
        self.assertEqual(self.count("SELECT 1 FROM match_runs"), runs)

    def test_a_bad_mode_is_named(self):
        self.assert_error(self.post_run({"mode": "fastest"}), 422, "validation_failed", "mode")

    def test_an_unknown_policy_key_is_refused(self):
        response = self.post_run({"mode": "stable", "policy": {"bonus": 1}})
        self.assert_error(response, 422, "validation_failed", "policy")

    def test_an_unknown_run_is_not_found(self):
        response = self.request("GET", "/v1/match-runs/999999", token=self.tokens["admin"])
        self.assertEqual(response.status, 404, response.body)


if __name__ == "__main__":
    harness.main()
