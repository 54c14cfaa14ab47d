#!/usr/bin/env bash
# The operators' views at national size: starts a private PostgreSQL,
# migrates it with the built `kerjadekat migrate`, fills it with synthetic
# seekers, vacancies and two match runs' results (SQL generate_series: no
# real person, names "Peserta Bench N"), then runs each view of
# docs/operators.md with an operator's usual filter under
# EXPLAIN (ANALYZE, BUFFERS) and prints its execution time.
#
#   test/bench/views/run.sh [--seekers N] [--keep]
#
# --seekers: how many (default 1000000; national is 7300000).  Kecamatan
# are made at one per thousand seekers (national: about 7,300 kecamatan of
# about 1,000 seekers), vacancies at one per 20 seekers with 1 to 3
# openings.  The plans go to WORK/plans.txt.  --keep leaves the cluster
# running (and says how to reach it).  BUILD (default build in the
# checkout, where `kerjadekat` must be built) and WORK (default
# /tmp/kerjadekat-bench-views) can be overridden.
set -euo pipefail

KD_PROG=test/bench/views/run.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../../.." && pwd -P)
. "$repo/scripts/lib/common.sh"
. "$repo/scripts/lib/pg.sh"

seekers=1000000
keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--seekers) [ $# -ge 2 ] || kd_die "--seekers needs a number"; seekers=$2; shift ;;
	--keep) keep=1 ;;
	*) kd_die "usage: $KD_PROG [--seekers N] [--keep]" ;;
	esac
	shift
done
case $seekers in '' | *[!0-9]*) kd_die "--seekers needs a number" ;; esac

build=${BUILD:-$repo/build}
work=${WORK:-/tmp/kerjadekat-bench-views}
kd=$build/service/kerjadekat
[ -x "$kd" ] || kd_die "$kd is not built (ninja -C $build)"

base=$work/pg
cleanup()
{
	local status=$?
	trap - EXIT INT TERM
	if [ $keep -eq 0 ]; then
		kd_pg_stop "$base" || true
	fi
	exit "$status"
}
trap cleanup EXIT INT TERM

if kd_pg_running "$base" 2>/dev/null; then
	kd_pg_stop "$base"
fi
rm -rf "$base"
mkdir -p "$work"
port=$(kd_pg_pick_port 25432)
kd_pg_init "$base" "$port" throwaway
kd_pg_start "$base"
kd_pg_psql "$base" -d postgres -c "CREATE DATABASE kerjadekat"
conninfo="host=$base/sock port=$port user=postgres dbname=kerjadekat"
"$kd" migrate --db "$conninfo" >/dev/null

psql_kd() { kd_pg_psql "$base" -d kerjadekat "$@"; }

echo "== filling: $seekers seekers"
start=$(date +%s)
psql_kd -v seekers="$seekers" -f "$here/fill.sql"
echo "filled in $(( $(date +%s) - start )) s"
psql_kd -At -c "SELECT 'database size ' || pg_size_pretty(pg_database_size(current_database()))"
psql_kd -At -c "SELECT 'per run: ' || string_agg(relname || ' ' ||
	pg_size_pretty(pg_total_relation_size(oid)), ', ' ORDER BY relname)
	FROM pg_class WHERE relname ~ '^(matches|unplaced_listed)_run_[0-9]+$'"

# One seeker, kecamatan and vacancy an operator would ask about.
placed=$(psql_kd -At -c "SELECT seeker_id FROM match_latest ORDER BY seeker_id LIMIT 1")
kecamatan=$(psql_kd -At -c "SELECT kecamatan_code FROM seekers WHERE id = $placed")
seeker=$(psql_kd -At -c "SELECT seeker_id FROM unplaced_listed ORDER BY seeker_id LIMIT 1")
unlisted=$(psql_kd -At -c "SELECT s.id FROM seekers s WHERE s.status = 'active'
	AND NOT EXISTS (SELECT 1 FROM unplaced_listed u WHERE u.seeker_id = s.id)
	AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.seeker_id = s.id) ORDER BY id LIMIT 1")

queries=(
	"match_latest, one kecamatan|SELECT * FROM match_latest WHERE seeker_kecamatan = '$kecamatan'"
	"match_latest, one seeker|SELECT * FROM match_latest WHERE seeker_id = $placed"
	"match_latest, count|SELECT count(*) FROM match_latest"
	"unmatched_seekers, one kecamatan|SELECT * FROM unmatched_seekers WHERE kecamatan_code = '$kecamatan'"
	"unmatched_seekers, one listed seeker|SELECT reason FROM unmatched_seekers WHERE seeker_id = $seeker"
	"unmatched_seekers, one unlisted seeker|SELECT reason FROM unmatched_seekers WHERE seeker_id = $unlisted"
	"unmatched_seekers, reasons of all|SELECT reason, count(*) FROM unmatched_seekers GROUP BY reason"
	"unmatched_counts, reasons of all|SELECT reason, sum(seekers) FROM unmatched_counts GROUP BY reason"
	"unmatched_counts, one kecamatan|SELECT * FROM unmatched_counts WHERE kecamatan_code = '$kecamatan'"
	"vacancy_fill, one kecamatan|SELECT * FROM vacancy_fill WHERE kecamatan_code = '$kecamatan'"
	"vacancy_fill, unfilled of all|SELECT count(*), sum(unfilled) FROM vacancy_fill WHERE unfilled > 0"
	"kecamatan_summary, all|SELECT * FROM kecamatan_summary"
	"kecamatan_summary, one kecamatan|SELECT * FROM kecamatan_summary WHERE code = '$kecamatan'"
	"skill_gaps, one kecamatan|SELECT * FROM skill_gaps WHERE kecamatan_code = '$kecamatan'"
	"filled_vacancy_report, one kecamatan|SELECT * FROM filled_vacancy_report WHERE kecamatan_code = '$kecamatan'"
	"filled_vacancy_report_between, a month|SELECT count(*) FROM filled_vacancy_report_between(current_date - 30, current_date)"
	"disability_inclusion, all|SELECT count(*) FROM disability_inclusion"
)

plans=$work/plans.txt
: >"$plans"
echo "== views ($seekers seekers; the second of two runs, warm cache)"
for entry in "${queries[@]}"; do
	name=${entry%%|*} sql=${entry#*|}
	psql_kd -At -c "EXPLAIN (ANALYZE, BUFFERS) $sql" >/dev/null
	plan=$(psql_kd -At -c "EXPLAIN (ANALYZE, BUFFERS) $sql")
	printf '\n== %s\n%s\n%s\n' "$name" "$sql" "$plan" >>"$plans"
	ms=$(sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p' <<<"$plan")
	printf '%-42s %10s ms\n' "$name" "$ms"
done
echo "plans: $plans"
if [ $keep -eq 1 ]; then
	echo "cluster left running: psql -h $base/sock -p $port -U postgres kerjadekat"
fi
