"""Group commit (serve --db-batch-wait): registrations that arrive while a
batch of them is in flight wait for it and then go out together, in one
transaction; sixteen waiting go at once; reads never wait behind them; and
a batch stuck past the wait does not hold the next ones up."""

import concurrent.futures
import re
import subprocess

import harness
from harness_cluster import HeldLock

GENEROUS_LIMITS = ("--rate-limit-registrations", "10000000", "--rate-limit-requests", "10000000")
FULL_BATCH = 16                 # KD_DB_BATCH_FULL in service/db/db_internal.h
DESA_HELD = "64.02.06.1001"     # both in kecamatan Tenggarong
DESA_FREE = "64.02.06.1002"


class GroupCommitCase(harness.KerjadekatTestCase):

    def setUp(self):
        super().setUp()
        self.threads = concurrent.futures.ThreadPoolExecutor(FULL_BATCH + 4)
        self.addCleanup(self.threads.shutdown)

    def pool_figure(self, name):
        response = self.request("GET", "/metrics",
                                headers={"Authorization": f"Bearer {self.kd.metrics_token}"})
        self.assertEqual(response.status, 200)
        match = re.search(rf"^{name} (\d+)$", response.body.decode(), re.MULTILINE)
        self.assertIsNotNone(match, name)
        return int(match.group(1))

    def wait_pool(self, queued, in_flight):
        harness.wait_until(
            lambda: (self.pool_figure("kerjadekat_db_jobs_queued"),
                     self.pool_figure("kerjadekat_db_jobs_in_flight")) == (queued, in_flight),
            harness.scaled(3), 0.02, f"{queued} jobs queued and {in_flight} in flight")

    def register(self, body):
        """Registers body from a thread of its own, on a connection of its own."""
        token = self.tokens["kiosk"]

        def post():
            client = self.kd.client()
            try:
                return client.request("POST", "/v1/seekers", json_body=body, token=token)
            finally:
                client.close()
        return self.threads.submit(post)

    def commit_of(self, responses):
        """The transaction ids that wrote the seekers of these 201 answers."""
        ids = []
        for response in responses:
            self.assertEqual(response.status, 201, response.json)
            ids.append(str(response.json["id"]))
        rows = self.sql("select distinct xmin::text from seekers where id = any($1::bigint[])",
                        "{" + ",".join(ids) + "}")
        return {xmin for (xmin,) in rows}


class WaitingForTheBatchInFlightTest(GroupCommitCase):

    serve_args = GENEROUS_LIMITS + ("--db-batch-wait", "4000")

    def test_registrations_wait_for_the_batch_in_flight_and_then_commit_together(self):
        seen = self.request("POST", "/v1/seekers", json_body=self.person(),
                            token=self.tokens["kiosk"])
        self.assertEqual(seen.status, 201, seen.json)
        self.wait_pool(0, 0)
        lock = HeldLock(self.kd, "LOCK TABLE seekers IN SHARE MODE")
        try:
            first = self.register(self.person())
            self.wait_pool(0, 1)
            # One at a time, while three connections are free: each waits.
            waiting = []
            for count in range(1, 4):
                waiting.append(self.register(self.person()))
                self.wait_pool(count, 1)
            read = self.request("GET", seen.headers["location"], token=self.tokens["kiosk"])
            self.assertEqual(read.status, 200, read.json)
            self.assertEqual(self.pool_figure("kerjadekat_db_jobs_queued"), 3)
            # A full batch's worth goes at once, beside the one in flight.
            waiting += [self.register(self.person()) for _ in range(FULL_BATCH - 3)]
            self.wait_pool(0, 1 + FULL_BATCH)
            # ...and the next one waits again.
            last = self.register(self.person())
            self.wait_pool(1, 1 + FULL_BATCH)
            self.assertFalse(any(f.done() for f in [first, last] + waiting))
        finally:
            lock.release()
        first, last = first.result(), last.result()
        waiting = [f.result() for f in waiting]
        together = self.commit_of(waiting)
        self.assertEqual(len(together), 1, "the sixteen that waited committed apart")
        self.assertEqual(len(self.commit_of([first, last]) | together), 3)


class StuckBatchTest(GroupCommitCase):

    serve_args = GENEROUS_LIMITS

    def test_a_batch_stuck_past_the_wait_does_not_hold_the_next_ones(self):
        lock = HeldLock(self.kd, f"SELECT 1 FROM desa WHERE code = '{DESA_HELD}' FOR UPDATE")
        try:
            stuck = self.register(self.person(desa_code=DESA_HELD))
            self.wait_pool(0, 1)
            later = [self.register(self.person(desa_code=DESA_FREE)) for _ in range(4)]
            answers = [f.result(timeout=harness.scaled(4)) for f in later]
            self.assertFalse(stuck.done(), "the stuck registration was answered first")
            self.assertEqual([a.status for a in answers], [201] * 4)
        finally:
            lock.release()
        self.assertEqual(stuck.result().status, 201)


class BatchWaitOptionTest(GroupCommitCase):

    def test_out_of_range_waits_are_refused(self):
        for value in ("-1", "4001", "10ms", ""):
            with self.subTest(value=value):
                proc = subprocess.run(
                    [self.kd.bin, "serve", "--listen", f"127.0.0.1:{harness.free_port()}",
                     "--db", self.kd.conninfo, "--db-batch-wait", value],
                    stdin=subprocess.DEVNULL, capture_output=True, text=True,
                    timeout=harness.scaled(20))
                self.assertEqual(proc.returncode, 2)
                self.assertEqual(proc.stderr,
                                 "kerjadekat serve: --db-batch-wait must be 0..4000 milliseconds\n")


if __name__ == "__main__":
    harness.main()
