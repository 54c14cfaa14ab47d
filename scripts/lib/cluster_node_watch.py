"""Makes one node of scripts/cluster freeze and thaw as one machine.

    cluster_node_watch.py PGID

PGID is the node's process group: its leader is `unshare`, whose child is
the node's PID-namespace init (Patroni).  PostgreSQL's processes each make
a session of their own, so `kill -STOP -PGID` reaches Patroni only; this
watcher sees Patroni stopped (or continued) and does the same to every
process of the namespace.  It looks 20 times a second and ends with the
group's leader."""

import os, signal, sys, time

leader = int(sys.argv[1])


def state(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


def members(ns):
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{entry}/ns/pid") == ns:
                yield int(entry)
        except OSError:
            pass


frozen = False
while True:
    try:
        if state(leader) == "Z":
            break
        with open(f"/proc/{leader}/task/{leader}/children") as children:
            init = int(children.read().split()[0])
        ns = os.readlink(f"/proc/{init}/ns/pid")
        stopped = state(init) == "T"
    except FileNotFoundError:
        if not os.path.exists(f"/proc/{leader}"):
            break
        stopped = frozen
    except (OSError, IndexError, ValueError):
        stopped = frozen
    if stopped != frozen:
        for pid in members(ns):
            try:
                os.kill(pid, signal.SIGSTOP if stopped else signal.SIGCONT)
            except OSError:
                pass
        frozen = stopped
    time.sleep(0.05)
