#!/bin/sh
# Matcher benchmark: generates synthetic Kukar instances, runs
# `kerjadekat match` in both modes and prints, per instance and mode, the
# time of each phase, peak RSS, placements, the share placed in their own
# kecamatan and the mean distance; for optimal mode also the objective
# against LEMON (an independent exact solver run on the same candidate
# graph) and a greedy baseline, and the whole `match --mode optimal` process
# against LEMON's cost scaling solve alone, as a ratio.
#
#   test/bench/match/run.sh [--huge] [--national] [--national-full]
#
# Instances (seekers x vacancies): Kukar-like ones of 10^4 x 10^3 and
# 10^5 x 10^4, and dense ones of the same sizes, where every seeker has a
# full list of candidates (gen_kukar.c, "dense"); --huge adds a Kukar-like
# 10^6 x 10^5, and --national one of 10^6 x 10^5 spread over all of
# Indonesia's kecamatan in proportion to their villages (gen_national.c),
# --national-full the nation at full size, 7.3 million seekers x 1 million
# vacancies (a 2.3 GB input; it needs about 5 GiB of memory for stable
# mode and more for optimal), printed against its goals: stable at most
# 60 s and 8 GiB, optimal at most 15 minutes.  From 10^6 seekers on the
# reference and greedy runs are skipped (the dumped candidate graph alone
# is several gigabytes).  Needs a C and a C++
# compiler, liblemon-dev, python3 and GNU time.  BUILD (default
# build-bench-match in the checkout) and WORK (default
# /tmp/kerjadekat-bench-match) can be overridden, and so can MEMORY_KB,
# the address space each match run may take (default 12 GiB), which keeps
# a run that would not fit from taking a shared machine's memory.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build-bench-match}
work=${WORK:-/tmp/kerjadekat-bench-match}
memory_kb=${MEMORY_KB:-12582912}
sizes="kukar:10000:1000 dense:10000:1000 kukar:100000:10000 dense:100000:10000"
for arg in "$@"; do
	case $arg in
	--huge) sizes="$sizes kukar:1000000:100000" ;;
	--national) sizes="$sizes national:1000000:100000" ;;
	--national-full) sizes="$sizes national:7300000:1000000" ;;
	*) echo "usage: $0 [--huge] [--national] [--national-full]" >&2; exit 2 ;;
	esac
done

mkdir -p "$work"
[ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" service/kerjadekat >/dev/null
cc -O2 -std=c11 -D_GNU_SOURCE -o "$work/gen_kukar" "$here/gen_kukar.c" -lm
cc -O2 -std=c11 -D_GNU_SOURCE -o "$work/gen_national" "$here/gen_national.c" -lm
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
	kind=${size%%:*}
	size=${size#*:}
	seekers=${size%:*}
	vacancies=${size#*:}
	name=$kind-$seekers
	instance="$work/$name.json"
	meta="$work/$name.meta"
	case $kind in
	kukar) "$work/gen_kukar" "$root/schema/data/kukar/desa.csv" "$seekers" "$vacancies" 42 \
		"$meta" >"$instance" ;;
	dense) "$work/gen_kukar" "$root/schema/data/kukar/desa.csv" "$seekers" "$vacancies" 42 \
		"$meta" dense >"$instance" ;;
	national) "$work/gen_national" "$root/schema/data/indonesia/kecamatan.csv" \
		"$root/schema/data/indonesia/desa_kelurahan.csv" "$seekers" "$vacancies" 42 \
		"$meta" >"$instance" ;;
	esac
	# written out before the timed runs, which the writeback would slow
	sync "$instance"
	echo "== $kind: $seekers seekers x $vacancies vacancies"
	for mode in stable optimal; do
		out="$work/out-$name-$mode.json"
		# At the full national size optimal mode may run out of memory: say so, go on.
		if (ulimit -v "$memory_kb" && exec /usr/bin/time -v -o "$work/time-$name-$mode.txt" \
			"$kerjadekat" match --input "$instance" --mode "$mode" >"$out"); then
			echo " $mode:"
			summarise "$out" "$work/time-$name-$mode.txt"
		else
			echo " $mode: failed"
		fi
	done
	if [ "$seekers" -gt 100000 ]; then
		echo " reference and greedy: skipped at this size"
		python3 - "$work/time-$name-optimal.txt" "$work/time-$name-stable.txt" "$seekers" <<'PY'
import re, sys
def wall(path):
    text = open(path).read()
    clock = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', text).group(1)
    return sum(float(part) * 60 ** i for i, part in enumerate(reversed(clock.split(':'))))
def rss_gib(path):
    text = open(path).read()
    return int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', text).group(1)) / 2**20
optimal, stable = wall(sys.argv[1]), wall(sys.argv[2])
if int(sys.argv[3]) < 7000000:
    print(f"  whole match --mode optimal {optimal:.2f} s (goal at most 60 s: ratio {optimal / 60:.2f});"
          f" stable {stable:.2f} s, optimal / stable {optimal / stable:.2f}")
else:
    rss = rss_gib(sys.argv[2])
    print(f"  national stable whole run {stable:.2f} s (goal at most 60 s: ratio {stable / 60:.2f}),"
          f" peak RSS {rss:.2f} GiB (goal at most 8 GiB: ratio {rss / 8:.2f})")
    if 'Exit status: 0' in open(sys.argv[1]).read():
        print(f"  national optimal whole run {optimal:.2f} s (goal at most 900 s: ratio {optimal / 900:.2f}),"
              f" peak RSS {rss_gib(sys.argv[1]):.2f} GiB")
    else:
        print(f"  national optimal failed after {optimal:.2f} s at {rss_gib(sys.argv[1]):.2f} GiB"
              f" (goal at most 900 s)")
PY
		continue
	fi
	edges="$work/edges-$name.json"
	"$kerjadekat" match --input "$instance" --dump-edges --no-timings >"$edges"
	"$work/edges_tool" "$meta" "$edges" strict "$work/$name.min" >"$work/tool-$name.txt"
	"$work/lemon_ref" "$work/$name.min" >"$work/lemon-$name.txt"
	rm -f "$edges" "$work/$name.min"
	python3 - "$work/out-$name-optimal.json" "$work/tool-$name.txt" \
		"$work/lemon-$name.txt" "$work/time-$name-optimal.txt" <<'PY'
import json, re, sys
out, tool, lemon, timing = sys.argv[1:5]
wall = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', open(timing).read()).group(1)
whole = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(':'))))
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
    if name == 'cost_scaling':
        cost_scaling = float(seconds)
print(f"  whole match --mode optimal {whole:.2f} s against LEMON cost scaling's solve alone"
      f" {cost_scaling:.2f} s: ratio {whole / cost_scaling:.2f}")
print(f"  greedy: {greedy_local} same-kecamatan, score {greedy_score / 1000:.3f},"
      f" optimal / greedy score {score / greedy_score:.4f}")
PY
done
