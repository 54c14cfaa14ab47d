#!/bin/sh
# Matcher benchmark: generates synthetic Kukar instances, runs
# `kerjadekat match` in both modes and prints, per size and mode, the time
# of each phase, peak RSS, placements, the share placed in their own
# kecamatan and the mean distance; for optimal mode also the objective
# against LEMON (an independent exact solver run on the same candidate
# graph) and against a greedy baseline.
#
#   test/bench/match/run.sh [--huge]
#
# Sizes (seekers x vacancies): 10^4 x 10^3 and 10^5 x 10^4; --huge adds
# 10^6 x 10^5, where the reference and greedy runs are skipped (the dumped
# candidate graph alone is several gigabytes).  Needs a C and a C++
# compiler, liblemon-dev, python3 and GNU time.  BUILD (default
# build-bench-match in the checkout) and WORK (default
# /tmp/kerjadekat-bench-match) can be overridden.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build-bench-match}
work=${WORK:-/tmp/kerjadekat-bench-match}
sizes="10000:1000 100000:10000"
if [ "${1:-}" = "--huge" ]; then
	sizes="$sizes 1000000:100000"
elif [ $# -gt 0 ]; then
	echo "usage: $0 [--huge]" >&2
	exit 2
fi

mkdir -p "$work"
[ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" service/kerjadekat >/dev/null
cc -O2 -std=c11 -D_GNU_SOURCE -o "$work/gen_kukar" "$here/gen_kukar.c" -lm
cc -O2 -std=c11 -o "$work/edges_tool" "$here/edges_tool.c"
c++ -O2 -std=c++17 -o "$work/lemon_ref" "$here/lemon_ref.cc"
kerjadekat="$build/service/kerjadekat"

# Prints one summary line from a match output and its GNU time report.
summarise() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
out, timing = sys.argv[1], sys.argv[2]
stats = None
with open(out) as f:
    for line in f:
        if line.startswith('"stats":'):
            stats = json.JSONDecoder().raw_decode(line[len('"stats":'):])[0]
        if line.startswith('"total_score":'):
            total = line.split(':')[1].strip().rstrip(',')
text = open(timing).read()
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', text).group(1))
wall = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', text).group(1)
s = stats['seconds']
placed = stats['assigned']
own = stats['assigned_same_kecamatan']
share = 100.0 * own / placed if placed else 0.0
mean = stats['mean_distance_km']
print(f"  read {s['read']:.3f}  prepare {s['prepare']:.3f}  candidates {s['candidates']:.3f}"
      f"  solve {s['solve']:.3f}  result {s['result']:.3f} s (wall {wall}, peak RSS {rss // 1024} MiB)")
print(f"  placed {placed} of {stats['seekers']}, {share:.1f}% in their own kecamatan,"
      f" mean distance {mean} km, total score {total}, candidate pairs {stats['candidate_pairs']}")
PY
}

for size in $sizes; do
	seekers=${size%:*}
	vacancies=${size#*:}
	instance="$work/kukar-$seekers.json"
	meta="$work/kukar-$seekers.meta"
	"$work/gen_kukar" "$root/schema/data/kukar/desa.csv" "$seekers" "$vacancies" 42 "$meta" \
		>"$instance"
	echo "== $seekers seekers x $vacancies vacancies"
	for mode in stable optimal; do
		out="$work/out-$seekers-$mode.json"
		/usr/bin/time -v -o "$work/time-$seekers-$mode.txt" \
			"$kerjadekat" match --input "$instance" --mode "$mode" >"$out"
		echo " $mode:"
		summarise "$out" "$work/time-$seekers-$mode.txt"
	done
	if [ "$seekers" -gt 100000 ]; then
		echo " reference and greedy: skipped at this size"
		continue
	fi
	edges="$work/edges-$seekers.json"
	"$kerjadekat" match --input "$instance" --dump-edges --no-timings >"$edges"
	"$work/edges_tool" "$meta" "$edges" strict "$work/kukar-$seekers.min" \
		>"$work/tool-$seekers.txt"
	"$work/lemon_ref" "$work/kukar-$seekers.min" >"$work/lemon-$seekers.txt"
	rm -f "$edges" "$work/kukar-$seekers.min"
	python3 - "$work/out-$seekers-optimal.json" "$work/tool-$seekers.txt" \
		"$work/lemon-$seekers.txt" <<'PY'
import json, sys
out, tool, lemon = sys.argv[1:4]
for line in open(out):
    if line.startswith('"stats":'):
        stats = json.JSONDecoder().raw_decode(line[len('"stats":'):])[0]
    if line.startswith('"total_score":'):
        score = round(float(line.split(':')[1].strip().rstrip(',')) * 1000)
local = stats['assigned_same_kecamatan']
fields = {l.split()[0]: l.split()[1:] for l in open(tool)}
bonus = int(fields['bonus'][0])
greedy_local, greedy_score = map(int, fields['greedy'])
print(f" optimal objective: {local} same-kecamatan placements, score {score / 1000:.3f}")
for line in open(lemon):
    name, objective, seconds = line.split()
    objective = int(objective)
    ref_local, ref_score = divmod(objective, bonus)
    exact = 'exact' if (ref_local, ref_score) == (local, score) else 'DIFFERENT'
    print(f"  LEMON {name}: {ref_local} same-kecamatan, score {ref_score / 1000:.3f},"
          f" ratio {score / ref_score:.6f} ({exact}), solved in {float(seconds):.3f} s")
print(f"  greedy: {greedy_local} same-kecamatan, score {greedy_score / 1000:.3f},"
      f" optimal / greedy score {score / greedy_score:.4f}")
PY
done
