# The highly available shape on one machine, for scripts/cluster and for test
# harnesses: one etcd, three PostgreSQL 15 nodes under Patroni, two daemons
# and HAProxy in front of them, all on 127.0.0.1, all state in one directory
# DIR.  Sourced after common.sh and pg.sh.
#
#   DIR/cluster.conf         the port base, the binary and the daemons' extra
#                            options, for later subcommands
#   DIR/etcd/, etcd.log, etcd.pid
#   DIR/pg-N/                node N (1..3): patroni.yml and data/ (mode 0700,
#                            owned by the cluster owner, see kd_pg_owner)
#   DIR/pg-N.log             Patroni's and PostgreSQL's lines of node N
#   DIR/pg-N.pgid            node N's process group (see kd_cluster_node_start)
#   DIR/pg-N.watch.pid       node N's watcher (see kd_cluster_node_watch)
#   DIR/daemon-N.log, daemon-N.pid
#   DIR/haproxy.cfg, haproxy.log, haproxy.pid, haproxy.sock (admin socket)
#   DIR/secret               the daemons' key (both must hash NIKs alike)
#   DIR/admin.pgpass         postgres and kerjadekat_owner, for the scripts
#   DIR/daemon.pgpass        kerjadekat_app, the daemons' login
#   DIR/pgpass               kerjadekat_reader, which reads every table
#   DIR/env                  written last, once the cluster takes writes
#
# Ports, from the base B: HAProxy B, its stats page B+1, etcd B+2 (peers
# B+3), PostgreSQL of node N B+10+N, Patroni's REST API B+20+N, daemon N
# B+30+N.

set -euo pipefail

KD_CLUSTER_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
KD_CLUSTER_NODES=(1 2 3)
KD_CLUSTER_DAEMONS=(1 2)
KD_CLUSTER_SCOPE=kerjadekat
KD_CLUSTER_DB=kerjadekat
# shellcheck disable=SC2034 # used by scripts/cluster
KD_CLUSTER_READER=kerjadekat_reader
# In /usr/sbin, which a user's PATH may lack.
KD_CLUSTER_HAPROXY=/usr/sbin/haproxy
# The requests a minute one address may make to the status routes: the
# daemons' default, given to them and enforced at HAProxy as well.
KD_CLUSTER_STATUS_PER_MINUTE=30

# kd_cluster_ports BASE: sets the kd_cluster_*_port variables and the
# kd_cluster_pg_ports, kd_cluster_patroni_ports and kd_cluster_daemon_ports
# arrays (index N-1 for node or daemon N).
kd_cluster_ports()
{
	local base=$1 n
	kd_cluster_proxy_port=$base
	kd_cluster_stats_port=$((base + 1))
	kd_cluster_etcd_port=$((base + 2))
	kd_cluster_etcd_peer_port=$((base + 3))
	kd_cluster_pg_ports=()
	kd_cluster_patroni_ports=()
	for n in "${KD_CLUSTER_NODES[@]}"; do
		kd_cluster_pg_ports+=($((base + 10 + n)))
		kd_cluster_patroni_ports+=($((base + 20 + n)))
	done
	kd_cluster_daemon_ports=()
	for n in "${KD_CLUSTER_DAEMONS[@]}"; do
		kd_cluster_daemon_ports+=($((base + 30 + n)))
	done
}

# kd_cluster_check_ports BASE: fails, naming the first, when a port of the
# layout is taken.
kd_cluster_check_ports()
{
	local port
	kd_cluster_ports "$1"
	for port in "$kd_cluster_proxy_port" "$kd_cluster_stats_port" "$kd_cluster_etcd_port" \
		"$kd_cluster_etcd_peer_port" "${kd_cluster_pg_ports[@]}" \
		"${kd_cluster_patroni_ports[@]}" "${kd_cluster_daemon_ports[@]}"; do
		kd_pg_port_free "$port" ||
			kd_die "port $port (of $1..$(($1 + 32))) is already in use; set KD_CLUSTER_PORT_BASE to another base, e.g. KD_CLUSTER_PORT_BASE=$(($1 + 100))"
	done
}

# kd_cluster_load DIR: reads what start recorded in DIR/cluster.conf into
# KD_CLUSTER_PORT_BASE, kd_cluster_bin, kd_cluster_serve_args and the port
# variables.
kd_cluster_load()
{
	[ -r "$1/cluster.conf" ] || kd_die "no cluster in $1 (scripts/cluster start makes one)"
	# shellcheck disable=SC1091 # written by scripts/cluster start
	. "$1/cluster.conf"
	kd_cluster_ports "$KD_CLUSTER_PORT_BASE"
}

# A random password or token: 16 bytes as hex, safe in YAML, conninfo and
# pgpass without quoting.
kd_cluster_random()
{
	od -An -vtx1 -N16 /dev/urandom | tr -d ' \n'
}

# kd_cluster_alive PID: true while PID is a live process (a zombie is dead).
kd_cluster_alive()
{
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# kd_cluster_wait_gone SECONDS PID...: waits until none of the PIDs is alive;
# fails when the time runs out.
kd_cluster_wait_gone()
{
	local ticks=$(($1 * 10)) pid
	shift
	for pid in "$@"; do
		while kd_cluster_alive "$pid"; do
			((ticks-- > 0)) || return 1
			sleep 0.1
		done
	done
}

# kd_cluster_pid FILE: prints the pid in FILE when that process is alive.
kd_cluster_pid()
{
	local pid
	{ read -r pid <"$1"; } 2>/dev/null || return 1
	kd_cluster_alive "$pid" && echo "$pid"
}

# kd_cluster_http URL: prints the HTTP status URL answers within 2 s (000
# when nothing answers).
kd_cluster_http()
{
	curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
}

# Patroni keeps its leader lock through etcd's v2 API (--enable-v2), not v3:
# Patroni 3.0.2, Debian's, renews an expired v3 lease by writing the leader
# key unconditionally (fixed in 3.0.3), so a primary frozen past the ttl
# takes the lock back from the standby promoted meanwhile, which throws
# away commits already answered.  The v2 lock is renewed only while it still
# names this node.
kd_cluster_etcd_start()
{
	local dir=$1 peer=http://127.0.0.1:$kd_cluster_etcd_peer_port
	local client=http://127.0.0.1:$kd_cluster_etcd_port
	setsid etcd --name "$KD_CLUSTER_SCOPE" --data-dir "$dir/etcd" --logger zap --enable-v2=true \
		--listen-client-urls "$client" --advertise-client-urls "$client" \
		--listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
		--initial-cluster "$KD_CLUSTER_SCOPE=$peer" --initial-cluster-state new \
		</dev/null >>"$dir/etcd.log" 2>&1 &
	echo $! >"$dir/etcd.pid"
	kd_http_wait "$client/health" 30 200 ||
		{ tail -n 20 "$dir/etcd.log" >&2; kd_die "etcd did not start (see $dir/etcd.log)"; }
}

# kd_cluster_patroni_config DIR N SUPERUSER_PW REPLICATION_PW REWIND_PW API_PW:
# makes node N's directory, the cluster owner's alone, and writes its Patroni
# configuration there.
#
# ttl 10 s is how long a dead primary keeps the leader lock, and so most of
# a failover's time; loop_wait + 2 * retry_timeout must not exceed it.
# Synchronous mode, strict: a commit waits for a standby's flush, and with
# no standby left writes wait rather than run unprotected; only the
# synchronous standby may take over, so no answered commit is lost.  A
# former primary comes back through pg_rewind, which data checksums allow.
# After a failover the new primary takes writes only once a standby follows
# it: a standby's WAL receiver retries every 1 s, not PostgreSQL's 5 s.
kd_cluster_patroni_config()
{
	local dir=$1 n=$2 node=$1/pg-$2 line private=
	for line in "${KD_PG_PRIVATE_LOGGING[@]}"; do
		private+=$(printf '\n        %s' "${line/ = /: }")
	done
	mkdir -m 0700 "$node"
	(umask 077 && cat >"$node/patroni.yml") <<YAML
# Written by scripts/cluster: node $n of the cluster in $dir.
scope: $KD_CLUSTER_SCOPE
name: pg-$n
restapi:
  listen: 127.0.0.1:${kd_cluster_patroni_ports[n - 1]}
  connect_address: 127.0.0.1:${kd_cluster_patroni_ports[n - 1]}
  authentication:
    username: patroni
    password: $6
etcd:
  host: 127.0.0.1:$kd_cluster_etcd_port
watchdog:
  mode: off
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_retrieve_retry_interval: 1s
        # the national reporting copy subscribes to the primary (docs/reporting.md)
        wal_level: logical
        log_line_prefix: '%m [%p] %q%u@%d '
        # Personal data stays out of the server log (kerjadekat serve checks).$private
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
postgresql:
  listen: 127.0.0.1:${kd_cluster_pg_ports[n - 1]}
  connect_address: 127.0.0.1:${kd_cluster_pg_ports[n - 1]}
  data_dir: $node/data
  bin_dir: $KD_PG_BIN
  pgpass: $node/pgpass
  authentication:
    superuser:
      username: postgres
      password: $3
    replication:
      username: replicator
      password: $4
    rewind:
      username: rewinder
      password: $5
  parameters:
    # TCP on 127.0.0.1 only, password-checked like everything else
    unix_socket_directories: ''
  pg_hba:
    - host all all 127.0.0.1/32 scram-sha-256
    - host replication replicator 127.0.0.1/32 scram-sha-256
YAML
	if kd_is_root; then
		chown -R "$(kd_pg_owner):" "$node"
	fi
}

# kd_cluster_node_pgid DIR N: prints node N's process group while it runs.
kd_cluster_node_pgid()
{
	kd_cluster_pid "$1/pg-$2.pgid"
}

# kd_cluster_node_init DIR N: prints the pid of node N's namespace init (its
# Patroni), the one child of the group's leader, unshare.
kd_cluster_node_init()
{
	local pgid children
	pgid=$(kd_cluster_node_pgid "$1" "$2") || return 1
	children=$(cat "/proc/$pgid/task/$pgid/children" 2>/dev/null) || return 1
	[ -n "$children" ] && echo "${children%% *}"
}

# kd_cluster_node_start DIR N: starts node N as a machine of its own.
#
# Patroni starts the postmaster in a new session, and every PostgreSQL
# process makes one of its own again, so no process group can hold a node.
# A PID namespace does: Patroni is its init (Patroni acts as one, reaping,
# when it is PID 1), and when the init dies the kernel kills everything in
# the namespace.  DIR/pg-N.pgid names the group of the namespace's launcher
# (unshare) and its init, so `kill -KILL -PGID` is the machine's power cut
# (--kill-child takes the namespace down with unshare too), and the node's
# watcher extends `kill -STOP -PGID` and `kill -CONT -PGID` to PostgreSQL.
# unshare needs root (sudo when we are not); Patroni and PostgreSQL run as
# the cluster owner.  /proc is the namespace's own, since Patroni checks the
# postmaster by the pid PostgreSQL writes, a namespace pid.
kd_cluster_node_start()
{
	local dir n=$2 owner i
	dir=$(readlink -f "$1") # the owner may not pass through a link's directory
	[ -r "$dir/pg-$n/patroni.yml" ] || kd_die "no node $n in $dir"
	! kd_cluster_node_pgid "$dir" "$n" >/dev/null || kd_die "node $n is running already"
	owner=$(kd_pg_owner)
	rm -f "$dir/pg-$n.pgid" "$dir/pg-$n.pgid.new"
	# setsid --fork returns at once, leaving nothing of ours (or sudo's)
	# behind.  The new session's leader writes its pid, the group's id,
	# before it becomes unshare.  It works in the node's directory: the
	# owner may not enter ours (a checkout under /root), and Patroni's
	# workers change into the directory they were started in.
	# shellcheck disable=SC2016 # expanded by that sh
	kd_as_root setsid --fork sh -c 'echo $$ >"$1" && cd "$2" && shift 2 && exec "$@"' sh \
		"$dir/pg-$n.pgid.new" "$dir/pg-$n" \
		unshare --pid --fork --kill-child --mount-proc \
		setpriv --reuid="$(id -u "$owner")" --regid="$(id -g "$owner")" --init-groups \
		env HOME="$dir/pg-$n" patroni "$dir/pg-$n/patroni.yml" \
		</dev/null >>"$dir/pg-$n.log" 2>&1
	for ((i = 0; i < 50; i++)); do
		[ -s "$dir/pg-$n.pgid.new" ] && break
		sleep 0.1
	done
	mv "$dir/pg-$n.pgid.new" "$dir/pg-$n.pgid" 2>/dev/null ||
		kd_die "node $n did not start (see $dir/pg-$n.log)"
	kd_cluster_node_watch "$dir" "$n"
}

# kd_cluster_node_watch DIR N: starts node N's watcher, which lives as long as
# the node's group does and makes the node freeze and thaw as one machine:
# when the group's Patroni is stopped (SIGSTOP, whoever sent it) it stops
# every process in the node's PID namespace, and continues them when Patroni
# continues.  It looks 20 times a second; DIR/pg-N.watch.pid is its pid.
kd_cluster_node_watch()
{
	local dir=$1 n=$2
	setsid python3 "$KD_CLUSTER_LIB/cluster_node_watch.py" "$(cat "$dir/pg-$n.pgid")" \
		</dev/null >>"$dir/pg-$n.log" 2>&1 &
	echo $! >"$dir/pg-$n.watch.pid"
}

# kd_cluster_wait_node N SECONDS: waits until node N's Patroni reports its
# PostgreSQL running (a former primary has been rewound by then).
kd_cluster_wait_node()
{
	kd_http_wait "http://127.0.0.1:${kd_cluster_patroni_ports[$1 - 1]}/health" "$2" 200
}

# kd_cluster_nodes_stop DIR N...: stops nodes as an operator would, all at
# once: SIGTERM to Patroni (the init passes it on), which stops PostgreSQL
# and gives up the leader lock; what is left after 60 s is killed.  A frozen
# node is thawed first (its watcher thaws PostgreSQL).
kd_cluster_nodes_stop()
{
	local dir=$1 n pgid init pgids=() watchers=()
	shift
	for n in "$@"; do
		watchers+=("$dir/pg-$n.watch.pid")
		pgid=$(kd_cluster_node_pgid "$dir" "$n") || continue
		pgids+=("$pgid")
		kill -CONT -- "-$pgid" 2>/dev/null || true
		if init=$(kd_cluster_node_init "$dir" "$n"); then
			kill -TERM "$init" 2>/dev/null || true
		fi
	done
	if [ ${#pgids[@]} -gt 0 ] && ! kd_cluster_wait_gone 60 "${pgids[@]}"; then
		kd_log "killing what is left of node(s) $*"
		for pgid in "${pgids[@]}"; do
			kd_as_root kill -KILL -- "-$pgid" 2>/dev/null || true
		done
		kd_cluster_wait_gone 10 "${pgids[@]}" || true
	fi
	# The watchers end with their groups.
	kd_cluster_stop_pids 1 "${watchers[@]}"
	for n in "$@"; do
		rm -f "$dir/pg-$n.pgid"
	done
}

# kd_cluster_primary: prints the number of the node that Patroni says is the
# primary, or fails.
kd_cluster_primary()
{
	local n
	for n in "${KD_CLUSTER_NODES[@]}"; do
		if [ "$(kd_cluster_http "http://127.0.0.1:${kd_cluster_patroni_ports[n - 1]}/primary")" = 200 ]; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

# kd_cluster_psql DIR N ROLE [PSQL ARGUMENT...]: psql on node N as ROLE
# (postgres or kerjadekat_owner), its password from DIR/admin.pgpass.
kd_cluster_psql()
{
	local dir=$1 n=$2 role=$3
	shift 3
	PGPASSFILE=$dir/admin.pgpass PGCONNECT_TIMEOUT=2 "$KD_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
		-h 127.0.0.1 -p "${kd_cluster_pg_ports[n - 1]}" -U "$role" "$@"
}

# kd_cluster_wait_standbys DIR SECONDS STREAMING: waits until Patroni names
# a primary and that primary lists STREAMING standbys in pg_stat_replication,
# one of them synchronous; prints the primary's number.
kd_cluster_wait_standbys()
{
	local dir=$1 limit=$(($2 * 2)) want=$3 n
	for ((; limit > 0; limit--)); do
		if n=$(kd_cluster_primary) &&
			[ "$(kd_cluster_psql "$dir" "$n" postgres -d postgres -Atc \
				"select count(*) filter (where sync_state = 'sync') = 1
					and count(*) filter (where state = 'streaming') >= $want
				from pg_stat_replication" 2>/dev/null)" = t ]; then
			echo "$n"
			return 0
		fi
		sleep 0.5
	done
	return 1
}

# The daemons' connection: every node, libpq takes the first that accepts
# writes; a dead or silent node is given up within seconds.
kd_cluster_daemon_conninfo()
{
	local hosts ports
	hosts=$(printf '127.0.0.1,%.0s' "${KD_CLUSTER_NODES[@]}")
	ports=$(printf '%s,' "${kd_cluster_pg_ports[@]}")
	printf '%s' "host=${hosts%,} port=${ports%,} dbname=$KD_CLUSTER_DB user=kerjadekat_app" \
		" passfile=$1/daemon.pgpass target_session_attrs=read-write connect_timeout=2" \
		" keepalives=1 keepalives_idle=2 keepalives_interval=1 keepalives_count=2" \
		" tcp_user_timeout=3000"
}

# kd_cluster_daemon_start DIR N: starts daemon N, in a session of its own,
# and waits until it answers (a 503 too: the database is HAProxy's concern).
# The limits per token are lifted: in tests and benchmarks one token stands
# for many kiosks, and those limits would measure the limiter.  The limit
# per address stays, and HAProxy keeps it for the cluster.
kd_cluster_daemon_start()
{
	local dir=$1 n=$2 url=http://127.0.0.1:${kd_cluster_daemon_ports[$2 - 1]}
	! kd_cluster_pid "$dir/daemon-$n.pid" >/dev/null || kd_die "daemon $n is running already"
	setsid "$kd_cluster_bin" serve --listen "127.0.0.1:${kd_cluster_daemon_ports[n - 1]}" \
		--db "$(kd_cluster_daemon_conninfo "$dir")" --secret-file "$dir/secret" \
		--trusted-proxy 127.0.0.1 --rate-limit-status "$KD_CLUSTER_STATUS_PER_MINUTE" \
		--rate-limit-registrations 10000000 --rate-limit-requests 10000000 \
		"${kd_cluster_serve_args[@]}" \
		</dev/null >>"$dir/daemon-$n.log" 2>&1 &
	echo $! >"$dir/daemon-$n.pid"
	kd_http_wait "$url/v1/health" 30 ||
		{ tail -n 20 "$dir/daemon-$n.log" >&2; kd_die "daemon $n did not start (see $dir/daemon-$n.log)"; }
}

# kd_cluster_stop_pids SECONDS FILE...: SIGTERM to the processes named in
# the FILEs, SIGKILL to those still there after SECONDS; removes the FILEs.
kd_cluster_stop_pids()
{
	local limit=$1 file pid pids=()
	shift
	for file in "$@"; do
		pid=$(kd_cluster_pid "$file") || continue
		pids+=("$pid")
		kill -CONT "$pid" 2>/dev/null || true
		kill -TERM "$pid" 2>/dev/null || true
	done
	if [ ${#pids[@]} -gt 0 ] && ! kd_cluster_wait_gone "$limit" "${pids[@]}"; then
		kill -KILL "${pids[@]}" 2>/dev/null || true
		kd_cluster_wait_gone 5 "${pids[@]}" || true
	fi
	rm -f "$@"
}

# kd_cluster_daemons_stop DIR N...: the daemons drain their requests for at
# most 10 s.
kd_cluster_daemons_stop()
{
	local dir=$1 n files=()
	shift
	for n in "$@"; do
		files+=("$dir/daemon-$n.pid")
	done
	kd_cluster_stop_pids 15 "${files[@]}"
}

# kd_cluster_haproxy_config DIR: writes DIR/haproxy.cfg.
#
# Only a request that never reached a daemon is sent again (retry-on
# conn-failure, to the other daemon at once: redispatch); a POST that a
# daemon may have acted on is never resent.  A daemon failing two health
# checks 500 ms apart is out; the check fails while its database is down.
#
# The status routes' per-address limit is kept here: each daemon counts only
# what reaches it, and round robin would give an address the limit of every
# daemon at once.  The daemon's bucket (N a minute, bursts of N/4) becomes
# N/4 requests a quarter minute; refused requests do not count, and the 429
# is in the daemon's shape (JSON error, Retry-After).
kd_cluster_haproxy_config()
{
	local dir=$1 n servers='' quarter=$((KD_CLUSTER_STATUS_PER_MINUTE / 4))
	for n in "${KD_CLUSTER_DAEMONS[@]}"; do
		servers+=$(printf '\n\tserver daemon-%s 127.0.0.1:%s check' "$n" "${kd_cluster_daemon_ports[n - 1]}")
	done
	cat >"$dir/haproxy.cfg" <<CFG
# Written by scripts/cluster for the cluster in $dir.
global
	log stdout format raw local0 info
	stats socket $dir/haproxy.sock mode 600 level admin

defaults
	mode http
	log global
	option httplog
	timeout connect 1s
	timeout client 30s
	timeout server 30s
	timeout http-request 10s
	retries 2
	retry-on conn-failure
	option redispatch 1
	# HAProxy's own answers in the daemon's error shape, not HTML pages:
	# no daemon up (503), a daemon gone mid-answer (502), none in time (504).
	http-error status 503 content-type application/json hdr Retry-After 2 string '{"error":{"code":"unavailable","message":"no server available, retry later"}}'
	http-error status 502 content-type application/json string '{"error":{"code":"bad_gateway","message":"the server closed the connection; the outcome is unknown, retry with the same Idempotency-Key"}}'
	http-error status 504 content-type application/json string '{"error":{"code":"gateway_timeout","message":"no answer in time; the outcome is unknown, retry with the same Idempotency-Key"}}'

frontend api
	bind 127.0.0.1:$kd_cluster_proxy_port
	option forwardfor
	# Metrics are one daemon's each: scraped at each daemon's own address,
	# never through here, where each scrape would reach another daemon.
	http-request deny deny_status 404 if { path /metrics }
	stick-table type ip size 100k expire 60s store gpc0,gpc0_rate(15s)
	acl status_route path /v1/status /v1/status/decline
	http-request track-sc0 src if METH_POST status_route
	http-request return status 429 content-type application/json string '{"error":{"code":"rate_limited","message":"too many status requests from this address"}}' hdr Retry-After 15 if METH_POST status_route { sc_gpc0_rate(0) ge $quarter }
	http-request sc-inc-gpc0(0) if METH_POST status_route
	default_backend daemons

backend daemons
	balance roundrobin
	option httpchk GET /v1/health
	http-check expect status 200
	default-server inter 500ms fall 2 rise 2$servers

listen stats
	bind 127.0.0.1:$kd_cluster_stats_port
	stats enable
	stats uri /
	stats refresh 2s
CFG
	"$KD_CLUSTER_HAPROXY" -c -q -f "$dir/haproxy.cfg" || kd_die "HAProxy refuses $dir/haproxy.cfg"
}

# kd_cluster_haproxy_cli DIR COMMAND: HAProxy's answer to COMMAND on its
# admin socket.
kd_cluster_haproxy_cli()
{
	python3 - "$1/haproxy.sock" "$2" <<'PY'
import socket, sys

with socket.socket(socket.AF_UNIX) as cli:
    cli.connect(sys.argv[1])
    cli.sendall(sys.argv[2].encode() + b"\n")
    while data := cli.recv(65536):
        sys.stdout.buffer.write(data)
PY
}

# kd_cluster_wait_proxied DIR N STATUS SECONDS: waits until HAProxy reports
# daemon N as STATUS: UP (it gets requests), DOWN (its checks fail) or ZERO,
# which is no request in flight to it.
kd_cluster_wait_proxied()
{
	local dir=$1 server=daemon-$2 want=$3 limit=$(($4 * 10)) stat
	for ((; limit > 0; limit--)); do
		# show stat is CSV: pxname, svname, ..., scur (5th), ..., status (18th)
		stat=$(kd_cluster_haproxy_cli "$dir" "show stat" 2>/dev/null |
			awk -F, -v server="$server" '$1 == "daemons" && $2 == server { print $18, $5 }') || true
		case $want in
		ZERO) [ "${stat#* }" = 0 ] && return 0 ;;
		*) [ "${stat% *}" = "$want" ] && return 0 ;;
		esac
		sleep 0.1
	done
	return 1
}

# kd_cluster_rolling_restart DIR: restarts the daemons one after the other
# without failing a request: HAProxy drains one (no new requests, those in
# flight finish), it is restarted, and once it is ready (its database up)
# HAProxy sends it requests again, before the next one's turn.
kd_cluster_rolling_restart()
{
	local dir=$1 n
	for n in "${KD_CLUSTER_DAEMONS[@]}"; do
		kd_cluster_haproxy_cli "$dir" "set server daemons/daemon-$n state drain" >/dev/null
		kd_cluster_wait_proxied "$dir" "$n" ZERO 30 || kd_die "daemon $n still has requests after 30 s"
		kd_cluster_daemons_stop "$dir" "$n"
		kd_cluster_daemon_start "$dir" "$n"
		kd_http_wait "http://127.0.0.1:${kd_cluster_daemon_ports[n - 1]}/v1/health" 30 200 ||
			kd_die "daemon $n is not ready after 30 s (see $dir/daemon-$n.log)"
		kd_cluster_haproxy_cli "$dir" "set server daemons/daemon-$n state ready" >/dev/null
		kd_cluster_wait_proxied "$dir" "$n" UP 10 || kd_die "HAProxy does not take daemon $n back"
		kd_log "daemon $n restarted"
	done
}

kd_cluster_haproxy_start()
{
	local dir=$1
	setsid "$KD_CLUSTER_HAPROXY" -db -f "$dir/haproxy.cfg" </dev/null >>"$dir/haproxy.log" 2>&1 &
	echo $! >"$dir/haproxy.pid"
	kd_http_wait "http://127.0.0.1:$kd_cluster_proxy_port/v1/health" 30 200 ||
		{ tail -n 20 "$dir/haproxy.log" >&2; kd_die "HAProxy does not reach a ready daemon (see $dir/haproxy.log)"; }
}

# kd_cluster_running DIR: true when any process recorded in DIR is alive.
kd_cluster_running()
{
	local file
	for file in "$1"/*.pid "$1"/*.pgid; do
		kd_cluster_pid "$file" >/dev/null && return 0
	done
	return 1
}

# kd_cluster_stop DIR: stops everything recorded in DIR, front to back:
# HAProxy, the daemons, the nodes, etcd.  DIR/env goes first: it is there
# only while the cluster is.
kd_cluster_stop()
{
	local dir=$1
	rm -f "$dir/env"
	kd_cluster_stop_pids 5 "$dir/haproxy.pid"
	kd_cluster_daemons_stop "$dir" "${KD_CLUSTER_DAEMONS[@]}"
	kd_cluster_nodes_stop "$dir" "${KD_CLUSTER_NODES[@]}"
	kd_cluster_stop_pids 10 "$dir/etcd.pid"
}
