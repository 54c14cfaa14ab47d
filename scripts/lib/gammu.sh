# Gammu SMSD beside the daemon (scripts/run): its tables in schema gammu of
# the service's database, and an instance of its own with the dummy phone
# driver, a phone emulated in a directory.  Sourced after pg.sh.

# The table definitions Debian's gammu-smsd package ships; loaded as they
# are, never copied into this repository.
KD_GAMMU_SQL=/usr/share/doc/gammu-smsd/examples/pgsql.sql

# kd_gammu_schema BASE DB: creates Gammu's tables in schema gammu of DB, once.
# The file's "CREATE LANGUAGE plpgsql" predates plpgsql being built in and
# is left out, since it fails on PostgreSQL 9.0 and later.
kd_gammu_schema()
{
	local base=$1 db=$2
	[ -r "$KD_GAMMU_SQL" ] || kd_die "$KD_GAMMU_SQL is missing; install gammu-smsd"
	if [ "$(kd_pg_psql "$base" -d "$db" -Atc "select to_regclass('gammu.outbox') is null")" = t ]; then
		kd_log "loading Gammu SMSD's tables into schema gammu"
		{
			printf 'CREATE SCHEMA IF NOT EXISTS gammu;\nSET search_path = gammu;\n'
			grep -v '^CREATE LANGUAGE plpgsql;' "$KD_GAMMU_SQL"
		} | kd_pg_psql "$base" -d "$db" -1 >/dev/null
	fi
}

# kd_gammu_config DIR BASE DB: writes DIR/smsdrc for an instance on the dummy
# phone in DIR/phone, sent messages copied as files into DIR/sent.  Gammu
# finds its tables through search_path (PGOPTIONS, see kd_gammu_start).
kd_gammu_config()
{
	local dir=$1 base=$2 db=$3
	mkdir -p "$dir/phone" "$dir/sent"
	cat >"$dir/smsdrc" <<EOC
# Written by scripts/run on every start; see docs/deploy.md for a real modem.
[gammu]
model = dummy
connection = none
device = $dir/phone

[smsd]
service = sql
driver = native_pgsql
host = $base/sock:$(kd_pg_port "$base")
user = postgres
password =
database = $db
commtimeout = 1
receivefrequency = 1
statusfrequency = 0
checksecurity = 0
checkbattery = 0
checksignal = 0
checknetwork = 0
maxretries = 3
retrytimeout = 10
logfile = $dir/smsd.log
runonsent = /bin/sh $KD_GAMMU_HOOK $dir/sent
EOC
}

# The RunOnSent hook, next to this file.
KD_GAMMU_HOOK=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/gammu-sent.sh

# kd_gammu_start DIR: starts gammu-smsd on DIR/smsdrc in the background, not
# the system's service (Debian's package installs one; it is never used
# here), in a session of its own so that Ctrl-C reaches it only as the
# caller's SIGTERM.  Sets kd_gammu_pid.
kd_gammu_start()
{
	local dir=$1
	PGOPTIONS='-c search_path=gammu' setsid gammu-smsd -c "$dir/smsdrc" \
		</dev/null >>"$dir/smsd.log" 2>&1 &
	kd_gammu_pid=$!
}
