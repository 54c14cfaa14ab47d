#!/usr/bin/env bash
# The nation on one machine: a durable private cluster migrated with every
# region of Indonesia and the service area set to all of it, the demo data
# loaded at national size, then
#   - the load's time and peak memory, and the database's size;
#   - `serve` on that database: its memory once the national reference data
#     and the vacancy index are loaded;
#   - registrations through the daemon (wrk) against pgbench running the
#     daemon's own INSERT on the same database, at each client count;
#   - a kiosk's registration at a fixed 200 a second (test/load/loadgen.py,
#     80 % registrations, 20 % reads): p50 and p99;
#   - with the daemon stopped, `match --db` in stable mode and, on a copy of
#     the database as loaded, in optimal mode, end to end (read, solve,
#     store), with each phase's time and the process's peak memory.
# Recommendations at 10^6 open vacancies are test/bench/recommend/run.sh's.
#
#   test/bench/national/run.sh [--seekers N] [--vacancies M] [--clients "8 64"]
#                              [--duration SECONDS]
#
# Defaults: the nation, 7,300,000 seekers and 1,000,000 vacancies; 15 s per
# registration run, and four times that of fixed-rate load.  BUILD (default build/ in the
# checkout) and WORK (default /var/tmp/kerjadekat-bench-national: on disk,
# fsync must cost what it costs) can be overridden; WORK is deleted at the end.
set -euo pipefail

KD_PROG=test/bench/national/run.sh
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
. "$root/scripts/lib/common.sh"
. "$root/scripts/lib/pg.sh"

seekers=7300000
vacancies=1000000
clients="8 64"
duration=15
while [ $# -gt 0 ]; do
	case $1 in
	--seekers | --vacancies | --clients | --duration)
		[ $# -ge 2 ] || kd_die "$1 needs a value"
		case $1 in
		--seekers) seekers=$2 ;;
		--vacancies) vacancies=$2 ;;
		--clients) clients=$2 ;;
		--duration) duration=$2 ;;
		esac
		shift ;;
	*) kd_die "usage: $KD_PROG [--seekers N] [--vacancies M] [--clients \"8 64\"] [--duration S]" ;;
	esac
	shift
done
load_seconds=$((duration * 4))

build=${BUILD:-$root/build}
work=${WORK:-/var/tmp/kerjadekat-bench-national}
[ -f "$build/build.ninja" ] || meson setup --buildtype=release "$build" "$root" >/dev/null
ninja -C "$build" service/kerjadekat >/dev/null
bin=$build/service/kerjadekat
http=$root/test/bench/http

daemon_pid=
cleanup()
{
	local status=$?
	trap - EXIT INT TERM
	if [ -n "$daemon_pid" ]; then
		kill -TERM "$daemon_pid" 2>/dev/null || true
		wait "$daemon_pid" 2>/dev/null || true
	fi
	kd_pg_stop "$work" || true
	rm -rf "$work"
	exit "$status"
}
rm -rf "$work"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(kd_pg_pick_port 5570)
kd_pg_init "$work" "$port" durable
# The memory settings docs/deploy.md gives a production host like this one:
# at 7.3 million seekers the default 256 MB of shared buffers hold an eighth
# of the seekers table, and a match run's offers, each locking its seeker's
# row, spent minutes evicting and reading back the same pages.  A national
# run writes gigabytes of WAL, so checkpoints are spaced by size, not by
# the 1 GB default.
printf '%s\n' '# docs/deploy.md, "Settings", for the national benchmark' \
	'shared_buffers = 4GB' 'effective_cache_size = 16GB' 'work_mem = 32MB' \
	'maintenance_work_mem = 512MB' 'max_wal_size = 16GB' |
	kd_pg_as_owner tee -a "$work/data/kerjadekat.conf" >/dev/null
kd_pg_start "$work"
db=kd_national
conninfo="host='$work/sock' port=$port user=postgres dbname=$db"
kd_pg_psql "$work" -d postgres -c "create database $db"
secret=$work/secret
(umask 077 && od -An -vtx1 -N32 /dev/urandom | tr -d ' \n' >"$secret")
summary=()

# seconds_of TIMEFILE: the wall clock of a GNU time -v report, in seconds
seconds_of()
{
	sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }'
}
# peak_mib_of TIMEFILE: the peak resident set of a GNU time -v report, in MiB
peak_mib_of()
{
	sed -n 's/.*Maximum resident set size (kbytes): //p' "$1" | awk '{ printf "%d", $1 / 1024 }'
}

echo "== migrate (every region of Indonesia) and the service area: the nation"
/usr/bin/time -v -o "$work/time-migrate" "$bin" migrate --db "$conninfo" >"$work/migrate.log"
"$bin" area set --all --db "$conninfo" >/dev/null
echo "  migrate $(seconds_of "$work/time-migrate") s"

echo "== demo data: $seekers seekers, $vacancies vacancies over every village"
/usr/bin/time -v -o "$work/time-demo" "$bin" demo --db "$conninfo" --secret-file "$secret" \
	--area all --seekers "$seekers" --vacancies "$vacancies" \
	>"$work/demo.log" 2>&1 || { tail -n 5 "$work/demo.log" >&2; kd_die "the demo load failed"; }
kd_pg_psql "$work" -d "$db" -c "analyze"
load=$(seconds_of "$work/time-demo")
echo "  load $load s, peak RSS of kerjadekat demo $(peak_mib_of "$work/time-demo") MiB"
kd_pg_psql "$work" -d "$db" -Atc "
select format('  database %s', pg_size_pretty(pg_database_size(current_database())));
select format('  %-10s table %8s  indexes %8s  (%s rows)', relname,
	pg_size_pretty(pg_table_size(oid)), pg_size_pretty(pg_indexes_size(oid)), reltuples::bigint)
	from pg_class where relname in ('seekers', 'vacancies', 'employers', 'desa', 'kecamatan')
	order by relname;"
summary+=("demo load, $seekers seekers and $vacancies vacancies|$load s")

# A run's offers keep their seekers out of the next run, and the daemon's
# benchmarks add registrations: optimal mode gets a copy of the database as
# loaded.
kd_pg_psql "$work" -d postgres -c "create database ${db}_optimal template $db"


echo "== serve with the national reference data and vacancy index"
"$bin" token create --role kiosk --name bench-pgbench --db "$conninfo" >/dev/null
registered_by=$(kd_pg_psql "$work" -d "$db" -Atc 'select max(id) from api_tokens')
token=$("$bin" token create --role kiosk --name bench-wrk --db "$conninfo" | tail -n 1)
admin=$("$bin" token create --role admin --name bench-admin --db "$conninfo" | tail -n 1)
metrics=$(od -An -vtx1 -N24 /dev/urandom | tr -d ' \n')
(umask 077 && printf '%s\n' "$metrics" >"$work/metrics-token" &&
	printf 'KD_KIOSK_TOKEN=%s\nKD_ADMIN_TOKEN=%s\nKD_METRICS_TOKEN=%s\n' \
		"$token" "$admin" "$metrics" >"$work/tokens.env")
http_port=$(kd_pg_pick_port 18280)
setsid "$bin" serve --listen "127.0.0.1:$http_port" --db "$conninfo" --secret-file "$secret" \
	--rate-limit-registrations 10000000 --rate-limit-requests 10000000 \
	--rate-limit-status 10000000 --metrics-token-file "$work/metrics-token" \
	>"$work/daemon.log" 2>&1 &
daemon_pid=$!
kd_http_wait "http://127.0.0.1:$http_port/v1/health" 120 200 ||
	{ tail -n 20 "$work/daemon.log" >&2; kd_die "the daemon did not become ready"; }
# The vacancy index loads after readiness, in the background: wait for the
# resident size to hold still for five seconds.
last=0 still=0
for _ in $(seq 300); do
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$daemon_pid/status")
	if [ "$rss" -eq "$last" ]; then still=$((still + 1)); else still=0; fi
	last=$rss
	[ $still -lt 5 ] || break
	sleep 1
done
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$daemon_pid/status")
echo "  serve: RSS $((last / 1024)) MiB, peak $((hwm / 1024)) MiB"
summary+=("serve, national reference data and vacancy index: RSS|$((last / 1024)) MiB")

cat "$http/seeker_seq.pgbench" "$http/seeker_insert.sql" >"$work/seeker.pgbench"
run=0
for c in $clients; do
	run=$((run + 1))
	kd_pg_psql "$work" -d postgres -c checkpoint
	"$KD_PG_BIN/pgbench" -n -M prepared -c "$c" -j 2 -T "$duration" \
		-D run="$run" -D n=0 -D registered_by="$registered_by" -f "$work/seeker.pgbench" \
		-h "$work/sock" -p "$port" -U postgres "$db" >"$work/pgbench-$c.log" 2>&1 ||
		{ tail -n 20 "$work/pgbench-$c.log" >&2; kd_die "pgbench failed"; }
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench-$c.log" | head -n 1)
	kd_pg_psql "$work" -d postgres -c checkpoint
	wrk -c "$c" -t 2 -d "${duration}s" -s "$http/register.lua" \
		"http://127.0.0.1:$http_port/v1/seekers" -- "$token" \
		"$root/schema/data/indonesia/desa_kelurahan.csv" "$run" >"$work/wrk-$c.log" 2>&1 ||
		{ tail -n 20 "$work/wrk-$c.log" >&2; kd_die "wrk failed"; }
	rate=$(sed -n 's/^kd_rate \([0-9.]*\).*/\1/p' "$work/wrk-$c.log" | head -n 1)
	failed=$(sed -n 's/^kd_failed \([0-9]*\).*/\1/p' "$work/wrk-$c.log" | head -n 1)
	ratio=$(awk -v a="${rate:-0}" -v b="${tps:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	echo "== registrations, $c clients: pgbench ${tps:-0} tps, daemon ${rate:-0} 201/s" \
		"(${failed:-?} not 201), ratio $ratio"
	summary+=("registrations with the nation loaded, $c clients: daemon / pgbench|$ratio")
done

echo "== a kiosk's registration at 200 a second, $load_seconds s"
python3 "$root/test/load/loadgen.py" --url "http://127.0.0.1:$http_port" --rate 200 \
	--duration "$load_seconds" --token-file "$work/tokens.env" --pid "$daemon_pid" \
	>"$work/loadgen.log" 2>&1 || true
sed 's/^/  /' "$work/loadgen.log"
p99=$(sed -n 's/^ *register .* p99 *\([0-9.]*\).*/\1/p' "$work/loadgen.log" | head -n 1)
summary+=("kiosk registration at 200/s, p99|${p99:-?} ms")

# The matcher last, with the daemon stopped: nothing else competes for the
# two cores.
kill -TERM "$daemon_pid" 2>/dev/null || true
wait "$daemon_pid" 2>/dev/null || true
daemon_pid=

for mode in stable optimal; do
	echo "== match --db --mode $mode"
	target=$conninfo
	[ "$mode" = stable ] || target="host='$work/sock' port=$port user=postgres dbname=${db}_optimal"
	# 12 GiB of address space at most: the machine is shared.  A run that
	# fails is reported, and the benchmark goes on.
	if ! (ulimit -v 12582912 && /usr/bin/time -v -o "$work/time-match-$mode" \
		"$bin" match --db "$target" --mode "$mode" \
		>"$work/match-$mode.json" 2>"$work/match-$mode.err"); then
		echo "  failed after $(seconds_of "$work/time-match-$mode") s, peak RSS" \
			"$(peak_mib_of "$work/time-match-$mode") MiB: $(tail -n 1 "$work/match-$mode.err")"
		summary+=("match --db $mode, end to end|failed")
		continue
	fi
	wall=$(seconds_of "$work/time-match-$mode")
	python3 - "$work/match-$mode.json" "$wall" "$(peak_mib_of "$work/time-match-$mode")" <<'PY'
import json, sys
run = json.loads(open(sys.argv[1]).read())
phases = "  ".join(f"{k} {float(v):.1f}" for k, v in run.get("seconds", {}).items())
print(f"  wall {sys.argv[2]} s, peak RSS {sys.argv[3]} MiB; phases (s): {phases}")
print(f"  placed {run['assigned']} of {run['seekers']} seekers into {run['vacancies']}"
      f" vacancies, {run['same_kecamatan']} in their own kecamatan")
PY
	case $mode in
	stable) summary+=("match --db stable, end to end / 180 s goal|$(awk -v w="$wall" 'BEGIN { printf "%.2f", w / 180 }')") ;;
	optimal) summary+=("match --db optimal, end to end|$wall s") ;;
	esac
done

kd_pg_psql "$work" -d postgres -c "drop database ${db}_optimal"

printf '\nThe nation on this machine (%s seekers, %s vacancies)\n' "$seekers" "$vacancies"
for line in "${summary[@]}"; do
	printf '  %-80s %s\n' "${line%%|*}" "${line#*|}"
done
