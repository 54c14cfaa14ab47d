"""Faults in the highly available shape (docs/ha.md).  First, the operators'
connection string reaches a standby.  Then, under a steady load of
registrations through HAProxy, each with its own Idempotency-Key and
retried on 503 or a lost connection:

1. kill -9 of the primary's machine: every registration that got a 201 is
   on every surviving node, and on the old primary once it has rejoined as
   a standby; writes resume within 20 s (Patroni's ttl is 10 s);
2. the primary's machine frozen (SIGSTOP) for 30 s, then thawed: the same,
   and no split brain: nothing acknowledged by the old primary after the
   promotion is missing from the new one;
3. one daemon killed: HAProxy takes it out of rotation, no registration
   fails, and each retried one exists exactly once;
4. both standbys down: no 201 at all, also not for a replay of a row the
   primary committed locally when its wait for the standby was cut off;
   writes resume once one standby is back;
5. a rolling restart of both daemons: not one registration fails.

The measured outages are printed; scripts/bench --ha measures five kills."""

import os
import signal
import subprocess
import tempfile
import time
import unittest
import uuid

from ha_shape import PSQL, Load, Shape, keyed_factory, wait_until
from harness_http import Client

RESUME_WITHIN = 20.0


class HaFaultsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="kd-ha-",
                                       dir=os.environ.get("KD_TEST_LOGDIR") or None)
        started = time.monotonic()
        cls.shape = Shape(cls.workdir)
        print(f"cluster ready in {time.monotonic() - started:.1f} s", flush=True)
        cls.persons = keyed_factory()

    @classmethod
    def tearDownClass(cls):
        cls.shape.stop()

    def setUp(self):
        self.load = None

    def tearDown(self):
        if self.load is not None:
            self.load.stop()

    def start_load(self, threads=4):
        self.load = Load(self.shape, self.shape.env["KD_KIOSK_TOKEN"], self.persons, threads)
        wait_until(lambda: len(self.load.acked()) >= 20, 30, 0.1, "the load to run")
        return self.load

    def finish_load(self):
        """Stops the load; every registration it began must have ended 201,
        and exactly one seeker exists for each."""
        self.load.stop()
        outcomes, self.load = self.load.outcomes, None
        unfinished = [o.statuses for o in outcomes if o.acked is None]
        self.assertEqual(unfinished, [], "registrations that never got their 201")
        ids = [o.seeker_id for o in outcomes]
        self.assertEqual(len(set(ids)), len(ids), "two keys answered with one seeker")
        primary = self.shape.wait_primary()
        self.assertEqual(self.shape.present(primary, ids), len(ids))
        return outcomes

    def assert_everywhere(self, ids, nodes):
        for node in nodes:
            self.shape.wait_present(node, ids)

    def test_0_operators_read_from_a_standby(self):
        # The connection string docs/ha.md gives operators, as the cluster names it.
        proc = subprocess.run(
            [PSQL, "-X", "-A", "-t", "-d", self.shape.env["KD_PG_READER_CONNINFO"],
             "-c", "select pg_is_in_recovery(), count(*) > 0 from kecamatan"],
            env=dict(os.environ, PGPASSFILE=self.shape.env["PGPASSFILE"]),
            capture_output=True, text=True, timeout=30)
        self.assertEqual((proc.returncode, proc.stdout.strip()), (0, "t|t"), proc.stderr)

    # A killed daemon and the rolling restart first: they leave every node
    # where it was.

    def test_1_a_killed_daemon_leaves_rotation_and_loses_nothing(self):
        self.start_load()
        killed = time.monotonic()
        os.kill(self.shape.daemon_pid(1), signal.SIGKILL)
        wait_until(lambda: "DOWN" in self.shape.daemon_status().get("daemon-1", ""), 30, 0.05,
                   "HAProxy to mark daemon 1 down")
        took = time.monotonic() - killed
        print(f"daemon killed: HAProxy marked it down after {took:.2f} s", flush=True)
        time.sleep(2)
        outcomes = self.finish_load()
        retried = [o for o in outcomes if len(o.statuses) > 1]
        print(f"daemon killed: {len(outcomes)} registrations, {len(retried)} retried",
              flush=True)
        self.shape.run("daemon-start", "1")
        wait_until(lambda: self.shape.daemon_status().get("daemon-1", "").startswith("UP"), 30, 0.1,
                   "daemon 1 back in rotation")

    def test_1b_with_no_daemon_up_the_proxy_answers_json(self):
        for n in (1, 2):
            self.shape.run("daemon-stop", str(n))
        try:
            client = Client(self.shape.port, timeout=10)
            answer = client.request("GET", "/v1/health")
            client.close()
            self.assertEqual(answer.status, 503)
            self.assertEqual(answer.headers.get("content-type"), "application/json")
            self.assertEqual(answer.json["error"]["code"], "unavailable")
        finally:
            for n in (1, 2):
                self.shape.run("daemon-start", str(n))

    def test_2_a_rolling_restart_fails_no_registration(self):
        load = self.start_load()
        before = len(load.acked())
        self.shape.run("rolling-restart", timeout=300)
        wait_until(lambda: len(load.acked()) > before + 20, 30, 0.1, "the load to go on")
        outcomes = self.finish_load()
        failed = [o.statuses for o in outcomes if o.statuses != [201]]
        self.assertEqual(failed, [], "registrations that needed a retry")
        print(f"rolling restart: {len(outcomes)} registrations, none retried", flush=True)

    def test_3_kill9_of_the_primary_loses_no_acknowledged_registration(self):
        old = self.shape.wait_primary()
        load = self.start_load()
        killed = time.monotonic()
        self.shape.signal_node(old, signal.SIGKILL)
        new = self.shape.wait_primary(other_than=old)
        wait_until(lambda: load.acked_since(killed + 0.5), 60, 0.1, "writes to resume")
        print(f"primary killed: node {new} promoted", flush=True)
        outage = load.longest_gap(killed - 1.0)
        print(f"primary killed: writes resumed, longest gap without a 201 {outage:.1f} s",
              flush=True)
        self.assertLess(outage, RESUME_WITHIN)
        time.sleep(1)
        self.finish_load()
        ids = load.acked_ids()
        survivors = [n for n in self.shape.nodes() if n != old]
        self.assert_everywhere(ids, survivors)
        self.shape.node_start(old)
        self.shape.wait_streaming(old)
        self.assert_everywhere(ids, [old])
        self.assertEqual(self.shape.primary(), new)

    def test_4_a_frozen_primary_makes_no_split_brain(self):
        old = self.shape.wait_primary()
        load = self.start_load()
        frozen = time.monotonic()
        self.shape.signal_node(old, signal.SIGSTOP)
        try:
            new = self.shape.wait_primary(other_than=old)
            promoted = time.monotonic()
            wait_until(lambda: load.acked_since(promoted), 60, 0.1, "writes to resume")
            outage = load.longest_gap(frozen - 1.0)
            print(f"primary frozen: writes resumed, longest gap without a 201 {outage:.1f} s",
                  flush=True)
            self.assertLess(outage, RESUME_WITHIN)
            time.sleep(max(0.0, 30 - (time.monotonic() - frozen)))
        finally:
            self.shape.signal_node(old, signal.SIGCONT)
        thawed = time.monotonic()
        # The thawed node must not take a write: it is demoted and rejoins.
        self.shape.wait_streaming(old)
        ids = [o.seeker_id for o in self.finish_load()]
        self.assertEqual(self.shape.primary(), new)
        # Every 201, including any given while the old primary was thawing,
        # is on the new primary's timeline: nothing was acknowledged that
        # only the old primary had.
        self.assert_everywhere(ids, self.shape.nodes())
        print(f"primary thawed: rejoined as a standby after {time.monotonic() - thawed:.1f} s",
              flush=True)

    def test_5_without_standbys_no_write_is_acknowledged(self):
        primary = self.shape.wait_primary()
        standbys = [n for n in self.shape.nodes() if n != primary]
        load = self.start_load(threads=2)
        for n in standbys:
            self.shape.signal_node(n, signal.SIGKILL)
        wait_until(lambda: self.shape.psql(primary, "select count(*) from pg_stat_replication",
                                           superuser=True) == [("0",)],
                   30, 0.05, "the primary to lose both standbys")
        down = time.monotonic()
        # A registration cut off while its commit waits for a standby: the
        # primary has the row, and ends the wait when its session goes.
        key = f"ha-cut-{uuid.uuid4().hex}"
        body = self.persons.seeker()
        client = Client(self.shape.port, timeout=30)
        first = client.request("POST", "/v1/seekers", json_body=body,
                               token=self.shape.env["KD_KIOSK_TOKEN"],
                               headers={"Idempotency-Key": key})
        self.assertIn(first.status, (503, 504), first.body)
        cut = self.shape.psql(primary, "select count(pg_terminate_backend(pid))"
                              " from pg_stat_activity where wait_event = 'SyncRep'",
                              superuser=True)
        self.assertIsNotNone(cut)
        self.assertGreater(int(cut[0][0]), 0)
        # The row is now visible on the primary alone; its replay must wait
        # for a standby like the write did.
        replay = client.request("POST", "/v1/seekers", json_body=body,
                                token=self.shape.env["KD_KIOSK_TOKEN"],
                                headers={"Idempotency-Key": key})
        self.assertNotEqual(replay.status, 201, "a replay acknowledged without a standby")
        time.sleep(3)
        self.assertEqual(load.acked_since(down + 1.0), [],
                         "a 201 while no standby had the row")
        back = time.monotonic()
        self.shape.node_start(standbys[0])
        wait_until(lambda: load.acked_since(back), 120, 0.2, "writes to resume")
        print(f"standbys down: none acknowledged for {back - down:.1f} s; resumed"
              f" {load.acked_since(back)[0].acked - back:.1f} s after one returned", flush=True)
        again = wait_until(lambda: self.replayed(client, body, key), 60, 0.5, "the replay")
        self.assertEqual(again.status, 201, again.body)
        client.close()
        ids = [o.seeker_id for o in self.finish_load()] + [again.json["id"]]
        self.assert_everywhere(ids, [primary, standbys[0]])
        self.shape.node_start(standbys[1])
        self.shape.wait_streaming(standbys[1])
        self.assert_everywhere(ids, [standbys[1]])

    def replayed(self, client, body, key):
        answer = client.request("POST", "/v1/seekers", json_body=body,
                                token=self.shape.env["KD_KIOSK_TOKEN"],
                                headers={"Idempotency-Key": key})
        return answer if answer.status == 201 else None


if __name__ == "__main__":
    unittest.main(verbosity=2)
