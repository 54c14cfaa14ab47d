#!/usr/bin/env bash
# Demo data at national size: loads `kerjadekat demo --area all` into a
# private, durable PostgreSQL cluster and prints, per size, the load's wall
# time and peak memory and the resulting database and table sizes.
#
#   test/bench/national/load.sh [SEEKERS:VACANCIES ...]
#
# Default sizes: 100000:13700 and 1000000:137000 (Indonesia's 7.3 million
# seekers to 1 million vacancies, scaled down); give 7300000:1000000 for the
# full national size.  Each size is loaded into a fresh database copied from
# one that is migrated (every region of schema/data/indonesia/) with the
# whole country as its service area.  Employers follow the demo
# command's default of 3 for every 8 vacancies.  BUILD (default build/ in
# the checkout) and WORK (default /tmp/kerjadekat-bench-national) can be
# overridden; WORK is deleted at the end.
set -euo pipefail

KD_PROG=test/bench/national/load.sh
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
. "$root/scripts/lib/common.sh"
. "$root/scripts/lib/pg.sh"

build=${BUILD:-$root/build}
work=${WORK:-/tmp/kerjadekat-bench-national}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000:13700 1000000:137000)
for size in "${sizes[@]}"; do
	[[ $size =~ ^[0-9]+:[0-9]+$ ]] || kd_die "a size is SEEKERS:VACANCIES, not $size"
done

[ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" service/kerjadekat >/dev/null
bin=$build/service/kerjadekat

cleanup()
{
	local status=$?
	trap - EXIT INT TERM
	kd_pg_stop "$work" || true
	rm -rf "$work"
	exit "$status"
}
rm -rf "$work"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(kd_pg_pick_port 5560)
kd_pg_init "$work" "$port" durable
kd_pg_start "$work"
kd_log "durable cluster in $work, port $port"
secret=$work/secret
(umask 077 && od -An -vtx1 -N32 /dev/urandom | tr -d ' \n' >"$secret")
conninfo()
{
	printf "host='%s' port=%s user=postgres dbname=%s" "$work/sock" "$port" "$1"
}
psql_in()
{
	local db=$1
	shift
	kd_pg_psql "$work" -d "$db" "$@"
}

template=kd_national_template
psql_in postgres -c "create database $template"
"$bin" migrate --db "$(conninfo $template)" >/dev/null

# The migrations hold every region of the country; the service area, and
# with it the demo's "all", becomes the whole of it.
"$bin" area set --all --db "$(conninfo $template)" >/dev/null
psql_in $template -Atc "select count(*) || ' kecamatan' from kecamatan
	union all select count(*) || ' villages' from desa"
psql_in $template -c "checkpoint"

report()
{
	psql_in "$1" -Atc "
select format('  database %s', pg_size_pretty(pg_database_size(current_database())));
select format('  %-10s table %8s  indexes %8s  total %8s  (%s rows)', relname,
	      pg_size_pretty(pg_table_size(oid)), pg_size_pretty(pg_indexes_size(oid)),
	      pg_size_pretty(pg_total_relation_size(oid)), reltuples::bigint)
	from pg_class where relname in ('seekers', 'vacancies', 'employers') order by relname;"
}

for size in "${sizes[@]}"; do
	seekers=${size%:*}
	vacancies=${size#*:}
	db=kd_national_$seekers
	psql_in postgres -c "create database $db template $template"
	echo "== $seekers seekers, $vacancies vacancies, every village"
	/usr/bin/time -f '  wall %e s, peak RSS of kerjadekat demo %M KiB' \
		"$bin" demo --db "$(conninfo "$db")" --secret-file "$secret" --area all \
		--seekers "$seekers" --vacancies "$vacancies" --today 2025-11-28 2>&1 | sed 's/^/  /'
	psql_in "$db" -c "analyze seekers; analyze vacancies; analyze employers"
	report "$db"
	psql_in postgres -c "drop database $db"
done
