"""One CSV row of test/bench/scaling/run.sh from a `kerjadekat match`
output and its GNU time report."""

import json
import re
import sys

area, seekers, vacancies, mode, out, timing = sys.argv[1:7]
stats = None
with open(out) as f:
    for line in f:
        if line.startswith('"stats":'):
            stats = json.JSONDecoder().raw_decode(line[len('"stats":'):])[0]
if stats is None:
    sys.exit(f"row.py: no stats in {out}")
text = open(timing).read()
rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
wall = sum(float(part) * 60 ** i for i, part in enumerate(reversed(clock.split(":"))))
s = stats["seconds"]
print(",".join(str(v) for v in (
    area, seekers, vacancies, mode, f"{wall:.2f}", f"{s['read']:.3f}", f"{s['prepare']:.3f}",
    f"{s['candidates']:.3f}", f"{s['solve']:.3f}", f"{s['result']:.3f}", rss_kib // 1024,
    stats["assigned"], stats["candidate_pairs"])))
