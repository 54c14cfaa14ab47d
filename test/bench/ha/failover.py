"""The failover outage of the highly available shape, for scripts/bench --ha:
under a steady load of registrations through HAProxy, kill -9 the primary's
machine KILLS times, each time measuring the longest stretch without a 201,
then let the old primary rejoin as a standby before the next kill.

    failover.py STATE_DIR KILLS

STATE_DIR is a running scripts/cluster's directory.  Prints one line per
kill, then the figures."""

import os
import signal
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ha"))

from ha_shape import Load, Shape, keyed_factory, wait_until  # noqa: E402


def main():
    state_dir, kills = sys.argv[1], int(sys.argv[2])
    shape = Shape.attach(state_dir)
    persons = keyed_factory()
    outages = []
    for i in range(1, kills + 1):
        old = shape.wait_primary()
        load = Load(shape, shape.env["KD_KIOSK_TOKEN"], persons, threads=4)
        wait_until(lambda: len(load.acked()) >= 20, 30, 0.1, "the load to run")
        killed = time.monotonic()
        shape.signal_node(old, signal.SIGKILL)
        new = shape.wait_primary(other_than=old)
        wait_until(lambda: load.acked_since(killed + 0.5), 60, 0.1, "writes to resume")
        time.sleep(1)
        outage = load.longest_gap(killed - 1.0)
        load.stop()
        lost = [o for o in load.outcomes if o.acked is None]
        ids = load.acked_ids()
        for node in shape.nodes():
            if node != old:
                shape.wait_present(node, ids)
        outages.append(outage)
        print(f"kill {i}: node {old} killed, node {new} primary, no 201 for {outage:.1f} s, "
              f"{len(ids)} acknowledged, all on both survivors, {len(lost)} unfinished",
              flush=True)
        shape.node_start(old)
        shape.wait_streaming(old)
    print(f"failover outage over {kills} kills: median {statistics.median(outages):.1f} s, "
          f"min {min(outages):.1f} s, max {max(outages):.1f} s")


if __name__ == "__main__":
    main()
