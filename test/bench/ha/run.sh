#!/usr/bin/env bash
# The highly available shape's benchmark, run by scripts/bench --ha:
#
#  1. durable registrations per second through HAProxy (two daemons, each
#     commit flushed on the primary and its synchronous standby) against
#     pgbench running the daemon's own seeker INSERT on the same primary,
#     so under the same synchronous replication, at each client count;
#  2. the failover outage, over KILLS kill -9s of the primary's machine
#     (failover.py).
#
#   test/bench/ha/run.sh CLIENTS DURATION KILLS
#
# Starts its own scripts/cluster in a fresh directory under /var/tmp (on
# disk: fsync has to cost what it costs) and stops it at the end.
set -euo pipefail

KD_PROG="scripts/bench --ha"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../../.." && pwd -P)
. "$repo/scripts/lib/common.sh"
. "$repo/scripts/lib/pg.sh"

clients=$1 duration=$2 kills=$3
http=$repo/test/bench/http
work=$(mktemp -d /var/tmp/kerjadekat-bench-ha.XXXXXX)
out=$repo/build/bench/ha
mkdir -p "$out"
export KD_CLUSTER_DIR=$work/cluster
# The load generator is one client firing as fast as it can: a kiosk's rate
# limits would measure the limiter, not the shape.
export KD_CLUSTER_SERVE_ARGS="--rate-limit-registrations 10000000 --rate-limit-requests 10000000"

cleanup()
{
	local status=$?
	trap - EXIT INT TERM
	"$repo/scripts/cluster" stop >/dev/null 2>&1 || true
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

kd_log "starting the cluster in $KD_CLUSTER_DIR"
"$repo/scripts/cluster" start >"$out/cluster-start.log" 2>&1 ||
	{ tail -n 30 "$out/cluster-start.log" >&2; kd_die "scripts/cluster start failed"; }
# shellcheck disable=SC1091
. "$KD_CLUSTER_DIR/env"
bin=$(sed -n 's/^kd_cluster_bin=//p' "$KD_CLUSTER_DIR/cluster.conf")

# super PORT ARGS...: psql as the cluster's superuser on PORT
super()
{
	local port=$1
	shift
	PGPASSFILE=$KD_CLUSTER_DIR/admin.pgpass "$KD_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
		-h "$KD_PG_HOST" -p "$port" -U postgres "$@"
}

primary=
for port in $KD_PG_PORTS; do
	if [ "$(super "$port" -d postgres -Atc 'select pg_is_in_recovery()' 2>/dev/null)" = f ]; then
		primary=$port
	fi
done
[ -n "$primary" ] || kd_die "no primary among $KD_PG_PORTS"
pg_conninfo="host=$KD_PG_HOST port=$primary user=postgres dbname=kd_bench_pg passfile=$KD_CLUSTER_DIR/admin.pgpass"
super "$primary" -d postgres -c 'create database kd_bench_pg'
"$bin" migrate --db "$pg_conninfo" >"$out/migrate.log"
"$bin" token create --role kiosk --name bench-pgbench --db "$pg_conninfo" >/dev/null
registered_by=$(super "$primary" -d kd_bench_pg -Atc 'select max(id) from api_tokens')
cat "$http/seeker_seq.pgbench" "$http/seeker_insert.sql" >"$work/seeker.pgbench"
standbys=$(super "$primary" -d postgres -Atc "select string_agg(application_name || ' ' ||
	sync_state, ', ' order by application_name) from pg_stat_replication")

# field NAME FILE: the number after "NAME" (or "NAME =" / "NAME:") in FILE
field()
{
	sed -n "s|^$1[ =:]*\([0-9.][0-9.]*\).*|\1|p" "$2" | head -n 1
}

rows=()
run=0
for c in $clients; do
	run=$((run + 1))
	super "$primary" -d postgres -c checkpoint
	kd_log "pgbench on the primary, $c clients, $duration s"
	PGPASSFILE=$KD_CLUSTER_DIR/admin.pgpass "$KD_PG_BIN/pgbench" -n -M prepared -c "$c" -j 2 \
		-T "$duration" -D run="$run" -D n=0 -D registered_by="$registered_by" \
		-f "$work/seeker.pgbench" -h "$KD_PG_HOST" -p "$primary" -U postgres kd_bench_pg \
		>"$out/pgbench-$c.log" 2>&1 ||
		{ tail -n 20 "$out/pgbench-$c.log" >&2; kd_die "pgbench failed"; }
	tps=$(field tps "$out/pgbench-$c.log")
	tps=${tps:-0}

	super "$primary" -d postgres -c checkpoint
	kd_log "wrk POST /v1/seekers through HAProxy, $c connections, $duration s"
	wrk -c "$c" -t 2 -d "${duration}s" -s "$http/register.lua" "$KD_URL/v1/seekers" -- \
		"$KD_KIOSK_TOKEN" "$repo/schema/data/kukar/desa.csv" "$run" >"$out/wrk-$c.log" 2>&1 ||
		{ tail -n 20 "$out/wrk-$c.log" >&2; kd_die "wrk failed"; }
	rate=$(field kd_rate "$out/wrk-$c.log")
	rate=${rate:-0}
	not_created=$(field kd_failed "$out/wrk-$c.log")
	ratio=$(awk -v a="$rate" -v b="$tps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	rows+=("$(printf '%7s %12.1f %15s %6s  %s' "$c" "$tps" "$rate" "$ratio" "${not_created:-?}")")
done

printf '\nkerjadekat through HAProxy, two daemons, synchronous replication (standbys: %s), %s s per run\n' \
	"$standbys" "$duration"
printf '%7s %12s %15s %6s  %s\n' clients 'pgbench tps' 'HAProxy 201/s' ratio 'non-201'
printf '%s\n' "${rows[@]}"

if [ "$kills" -gt 0 ]; then
	kd_log "failover: $kills kills of the primary's machine under load"
	printf '\n'
	python3 "$here/failover.py" "$KD_CLUSTER_DIR" "$kills"
fi
