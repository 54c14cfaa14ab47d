#!/bin/sh
# Matcher scaling: `kerjadekat match --input` in both modes on instances
# spread over the whole of Indonesia (gen_national.c: seekers and vacancies
# in proportion to each kecamatan's villages) and, for comparison, inside
# Kukar alone (gen_kukar.c), from 10^4 seekers up; vacancies are one per 7.3
# seekers, the nation's proportion of 7.3 million job seekers to 1 million
# vacancies.  Writes one CSV row per run (wall seconds, each phase, peak
# RSS) to $WORK/scaling.csv, and the plots and table of docs/performance.md
# with plot.py.
#
#   test/bench/scaling/run.sh [--full] [--plots DIR]
#
# --full adds the nation itself (7.3 million seekers, 1 million vacancies);
# without it the largest instance is 10^6 seekers.  Needs python3, GNU time
# and, for the plots, python3-matplotlib.  BUILD (default build-bench-match)
# and WORK (default /tmp/kerjadekat-bench-scaling) can be overridden.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build-bench-match}
work=${WORK:-/tmp/kerjadekat-bench-scaling}
plots=
sizes="national:10000 kukar:10000 national:100000 kukar:100000 national:1000000 kukar:1000000"
while [ $# -gt 0 ]; do
	case $1 in
	--full) sizes="$sizes national:7300000" ;;
	--plots) [ $# -ge 2 ] || { echo "usage: $0 [--full] [--plots DIR]" >&2; exit 2; }
		plots=$2; shift ;;
	*) echo "usage: $0 [--full] [--plots DIR]" >&2; exit 2 ;;
	esac
	shift
done

mkdir -p "$work"
[ -f "$build/build.ninja" ] || meson setup --buildtype=release "$build" "$root" >/dev/null
ninja -C "$build" service/kerjadekat >/dev/null
kerjadekat="$build/service/kerjadekat"
bench=$root/test/bench/match
cc -O2 -std=c11 -D_GNU_SOURCE -o "$work/gen_kukar" "$bench/gen_kukar.c" -lm
cc -O2 -std=c11 -D_GNU_SOURCE -o "$work/gen_national" "$bench/gen_national.c" -lm

csv=$work/scaling.csv
echo "area,seekers,vacancies,mode,wall_s,read_s,prepare_s,candidates_s,solve_s,result_s,peak_rss_mib,placed,candidate_pairs" >"$csv"
for size in $sizes; do
	area=${size%%:*}
	seekers=${size#*:}
	vacancies=$(( (seekers * 10 + 36) / 73 ))
	instance=$work/$area-$seekers.json
	case $area in
	kukar) "$work/gen_kukar" "$root/schema/data/kukar/desa.csv" "$seekers" "$vacancies" 42 \
		"$work/$area-$seekers.meta" >"$instance" ;;
	national) "$work/gen_national" "$root/schema/data/indonesia/kecamatan.csv" \
		"$root/schema/data/indonesia/desa_kelurahan.csv" "$seekers" "$vacancies" 42 \
		"$work/$area-$seekers.meta" >"$instance" ;;
	esac
	# written out before the timed runs: the kernel's writeback of a new
	# 2.3 GB instance slowed the nation's first run by seconds
	sync "$instance"
	for mode in stable optimal; do
		out=$work/out-$area-$seekers-$mode.json
		timing=$work/time-$area-$seekers-$mode.txt
		/usr/bin/time -v -o "$timing" "$kerjadekat" match --input "$instance" \
			--mode "$mode" >"$out"
		python3 "$here/row.py" "$area" "$seekers" "$vacancies" "$mode" "$out" "$timing" \
			| tee -a "$csv"
		rm -f "$out"
	done
	rm -f "$instance"
done
echo "scaling: $csv"
# Debian's python3-matplotlib, whatever other python3 comes first on PATH
[ -z "$plots" ] || /usr/bin/python3 "$here/plot.py" "$csv" "$plots"
