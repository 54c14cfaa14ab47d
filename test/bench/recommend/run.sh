#!/bin/sh
# Recommendation latency benchmark: generates Kukar instances with
# test/bench/match/gen_kukar.c (10^4 seekers, and 10^5 then 10^6
# vacancies), and for each runs bench_recommend.c, which builds the
# daemon's in-memory vacancy index and times one seeker's recommendations
# for every seeker with a complete profile: p50, p99 and max of
# kd_match_recommend (the library call) and of kd_recommender_for (what the
# daemon's loop thread runs for GET /v1/seekers/{id}/recommendations and
# the registration receipt, JSON answer included), each against the goal of
# 2 ms (issue 16) and against a scan of every vacancy timed in the same run.
# The network and the database read of the seeker are not included.
#
#   test/bench/recommend/run.sh [--quick] [--limit N]
#
# --quick: 10^5 vacancies only and one timed pass.  --limit: recommendations
# per seeker (default 10, the route's default; the receipt shows 5, the
# route allows 50).  BUILD (default build-bench-recommend in the checkout)
# and WORK (default /tmp/kerjadekat-bench-recommend) can be overridden.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build-bench-recommend}
work=${WORK:-/tmp/kerjadekat-bench-recommend}
sizes="100000 1000000"
passes=3
limit=10
while [ $# -gt 0 ]; do
	case $1 in
	--quick) sizes=100000; passes=1 ;;
	--limit) [ $# -ge 2 ] || { echo "usage: $0 [--quick] [--limit N]" >&2; exit 2; }
		limit=$2; shift ;;
	*) echo "usage: $0 [--quick] [--limit N]" >&2; exit 2 ;;
	esac
	shift
done

mkdir -p "$work"
[ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" test/bench/recommend/bench_recommend >/dev/null
cc -O2 -std=c11 -D_GNU_SOURCE -o "$work/gen_kukar" "$root/test/bench/match/gen_kukar.c" -lm

for vacancies in $sizes; do
	instance="$work/kukar-rec-$vacancies.json"
	"$work/gen_kukar" "$root/schema/data/kukar/desa.csv" 10000 "$vacancies" 42 \
		"$work/kukar-rec-$vacancies.meta" >"$instance"
	echo "== 10000 seekers x $vacancies vacancies"
	"$build/test/bench/recommend/bench_recommend" "$instance" --seekers 10000 \
		--limit "$limit" --passes "$passes"
	rm -f "$instance" "$work/kukar-rec-$vacancies.meta"
done
