# PostgreSQL 15 clusters for scripts/run, scripts/test and scripts/bench.
# Sourced after common.sh.
#
# A cluster lives in one base directory, owned by the cluster owner, mode 0700:
#   BASE/data          the data directory
#   BASE/sock          the unix socket directory (the only way in: no TCP)
#   BASE/postgres.log  the server log
# initdb refuses to run as root, so when we are root the cluster belongs to the
# `postgres` user; otherwise it belongs to whoever runs the script.  Either way
# the superuser role is called postgres and the socket directory's mode is what
# keeps other users out, which is why local connections may use trust.

set -euo pipefail

KD_PG_BIN=/usr/lib/postgresql/15/bin

kd_pg_owner()
{
	if kd_is_root; then
		echo postgres
	else
		id -un
	fi
}

# Runs a command as the cluster owner, from / so that a working directory the
# owner cannot read does not bother the PostgreSQL tools.
kd_pg_as_owner()
{
	if kd_is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

# Prints the command prefix that runs pg_ctl as the cluster owner.
kd_pg_ctl_prefix()
{
	if kd_is_root; then
		printf 'runuser -u postgres -- %s/pg_ctl\n' "$KD_PG_BIN"
	else
		printf '%s/pg_ctl\n' "$KD_PG_BIN"
	fi
}

# True when the cluster owner can reach DIR, that is search it and every
# directory above it.
kd_pg_owner_can_reach()
{
	kd_pg_as_owner test -x "$1"
}

# True when nothing listens on TCP port PORT, on any address.
kd_pg_port_free()
{
	local hex
	hex=$(printf '%04X' "$1")
	! awk -v port=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == port { found = 1 }
		END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Prints the first free port from FIRST upward.
kd_pg_pick_port()
{
	local port
	for ((port = $1; port < $1 + 500; port++)); do
		if kd_pg_port_free "$port"; then
			echo "$port"
			return 0
		fi
	done
	kd_die "no free port in $1..$(($1 + 499))"
}

# Statement parameters carry names, phone numbers and birth dates.  These keep
# them out of the server log, whether a statement is logged for its duration,
# by log_statement, by sampling or for failing, and keep out the failing rows
# and keys of error details too.  kerjadekat serve refuses a database without
# them; docs/deploy.md gives the same lines for production.
KD_PG_PRIVATE_LOGGING=(
	'log_parameter_max_length = 0'
	'log_parameter_max_length_on_error = 0'
	'log_error_verbosity = terse'
)

# A subscriber can follow the reporting publication only from a server that
# writes logical WAL; without a subscription it costs a little WAL, no more.
KD_PG_LOGICAL_WAL='wal_level = logical'

# kd_pg_init BASE PORT PROFILE: creates a cluster in BASE that listens on the
# unix socket BASE/sock/.s.PGSQL.PORT only.  PROFILE is `durable` (the server
# defaults: every commit reaches the disk) or `throwaway`, which turns off
# fsync, synchronous_commit and full_page_writes; only the test cluster, which
# is deleted afterwards, may use it.  Both keep personal data out of the server
# log (KD_PG_PRIVATE_LOGGING).
kd_pg_init()
{
	local base=$1 port=$2 profile=$3 owner sync_flag=() conf
	owner=$(kd_pg_owner)

	case $profile in
	durable) ;;
	throwaway) sync_flag=(--no-sync) ;;
	*) kd_die "unknown cluster profile $profile" ;;
	esac
	# sun_path holds 107 bytes; leave room for /sock/.s.PGSQL.NNNNN
	[ ${#base} -le 85 ] || kd_die "cluster path too long for a unix socket: $base"

	mkdir -p "$base"
	if kd_is_root; then
		chown "$owner:" "$base"
	fi
	chmod 0700 "$base"
	kd_pg_as_owner mkdir -m 0700 -p "$base/sock"
	kd_pg_as_owner "$KD_PG_BIN/initdb" -D "$base/data" -U postgres -E UTF8 \
		--locale=C.UTF-8 --auth-local=trust --auth-host=reject "${sync_flag[@]}" \
		>"$base/initdb.log" 2>&1 ||
		{ cat "$base/initdb.log" >&2; kd_die "initdb failed in $base/data"; }

	conf=$(cat <<CONF
# Written by scripts/lib/pg.sh for this checkout's $profile cluster.
listen_addresses = ''
port = $port
unix_socket_directories = '$base/sock'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 256MB
log_line_prefix = '%m [%p] %q%u@%d '
# The national reporting copy subscribes by logical replication (docs/reporting.md).
$KD_PG_LOGICAL_WAL
CONF
)
	conf+=$(printf '\n%s' '# Personal data stays out of the server log.' \
		"${KD_PG_PRIVATE_LOGGING[@]}")
	if [ "$profile" = throwaway ]; then
		conf+=$(printf '\n%s' \
			'# Throwaway test cluster: a crash may lose it, and that is fine.' \
			'fsync = off' 'synchronous_commit = off' 'full_page_writes = off')
	fi
	printf '%s\n' "$conf" | kd_pg_as_owner tee "$base/data/kerjadekat.conf" >/dev/null
	printf "include 'kerjadekat.conf'\n" | kd_pg_as_owner tee -a "$base/data/postgresql.conf" >/dev/null
	printf '%s\n' '# Unix socket only; the socket directory (mode 0700) admits the owner alone.' \
		'local all all trust' | kd_pg_as_owner tee "$base/data/pg_hba.conf" >/dev/null
}

# kd_pg_keep_logs_private BASE: adds to the cluster in BASE, made before they
# were part of kd_pg_init, whichever of KD_PG_PRIVATE_LOGGING it lacks, and
# reloads a running server, so that serve accepts it.
kd_pg_keep_logs_private()
{
	local base=$1 line added=0
	for line in "${KD_PG_PRIVATE_LOGGING[@]}"; do
		grep -q "^${line%% *} " "$base/data/kerjadekat.conf" && continue
		printf '%s\n' "$line" | kd_pg_as_owner tee -a "$base/data/kerjadekat.conf" >/dev/null
		added=1
	done
	if [ $added -eq 1 ] && kd_pg_running "$base"; then
		kd_pg_as_owner "$KD_PG_BIN/pg_ctl" -D "$base/data" -s reload
	fi
	return 0
}

# kd_pg_write_logical_wal BASE: adds KD_PG_LOGICAL_WAL to the cluster in BASE,
# made before it was part of kd_pg_init.  wal_level is read at start only: a
# running server gets it when it next starts, which is said.
kd_pg_write_logical_wal()
{
	local base=$1
	grep -q "^${KD_PG_LOGICAL_WAL%% *} " "$base/data/kerjadekat.conf" && return 0
	printf '%s\n' "$KD_PG_LOGICAL_WAL" | kd_pg_as_owner tee -a "$base/data/kerjadekat.conf" >/dev/null
	if kd_pg_running "$base"; then
		kd_log "the cluster in $base writes logical WAL (for a reporting copy) once restarted"
	fi
}

# Prints the port the cluster in BASE was created with.
kd_pg_port()
{
	sed -n 's/^port = \([0-9][0-9]*\)$/\1/p' "$1/data/kerjadekat.conf"
}

kd_pg_running()
{
	kd_pg_as_owner "$KD_PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

kd_pg_start()
{
	kd_pg_as_owner "$KD_PG_BIN/pg_ctl" -D "$1/data" -l "$1/postgres.log" -w -t 120 -s start ||
		{ tail -n 20 "$1/postgres.log" >&2; kd_die "the cluster in $1 did not start"; }
}

# Stops the cluster in BASE if it runs.  A test may have left the server
# stopped with SIGSTOP, so every server process gets SIGCONT first; a server
# that does not stop quickly is stopped harder.
kd_pg_stop()
{
	local base=$1 pid stat rest ppid

	[ -r "$base/data/postmaster.pid" ] || return 0
	read -r pid <"$base/data/postmaster.pid" || return 0
	if kill -0 "$pid" 2>/dev/null; then
		kill -CONT "$pid" 2>/dev/null || true
		for stat in /proc/[0-9]*/stat; do
			{ read -r rest <"$stat"; } 2>/dev/null || continue
			read -r _ ppid _ <<<"${rest##*) }"
			if [ "$ppid" = "$pid" ]; then
				kill -CONT "${stat//[!0-9]/}" 2>/dev/null || true
			fi
		done
	fi
	kd_pg_running "$base" || return 0
	kd_pg_as_owner "$KD_PG_BIN/pg_ctl" -D "$base/data" -m fast -w -t 60 -s stop && return 0
	kd_pg_as_owner "$KD_PG_BIN/pg_ctl" -D "$base/data" -m immediate -w -t 30 -s stop && return 0
	kill -KILL "$pid" 2>/dev/null || true
}

# kd_pg_psql BASE [PSQL ARGUMENT...]: psql as role postgres on the cluster in BASE.
kd_pg_psql()
{
	local base=$1
	shift
	"$KD_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$base/sock" -p "$(kd_pg_port "$base")" \
		-U postgres "$@"
}
