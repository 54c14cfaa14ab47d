# Shared helpers for scripts/run, scripts/test and scripts/bench.
# Sourced, never executed.

set -euo pipefail

kd_log()
{
	printf '%s: %s\n' "${KD_PROG:-kerjadekat}" "$*" >&2
}

kd_die()
{
	kd_log "$*"
	exit 1
}

kd_is_root()
{
	[ "$(id -u)" -eq 0 ]
}

# Runs a command as root: directly when we are root, through sudo otherwise.
kd_as_root()
{
	if kd_is_root; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -- "$@"
	else
		kd_die "root is needed for: $*; run as root or install sudo"
	fi
}

# Debian packages each entry script needs, by role; see kd_ensure_packages.
# Each list holds what its role uses directly, so that a script installs the
# lists of the roles it plays and nothing hides behind an earlier run.
#
# Building: the compiler and meson, every library linked in, cmocka (the unit
# tests are built with everything else), python3 (embeds the kiosk page and
# the schema) and the kiosk's QR encoder, which is compiled into the daemon.
# shellcheck disable=SC2034 # used by the scripts that source this file
KD_PACKAGES_BUILD=(meson ninja-build pkg-config gcc libc6-dev libuv1-dev libpq-dev
	libjansson-dev libhttp-parser-dev libsodium-dev libcmocka-dev libcsv-dev
	python3 node-qrcode-generator)
# Serving from a private cluster: PostgreSQL 15 and its client, and Gammu
# SMSD, which sends and receives the SMS (its tables' SQL comes with it).
# shellcheck disable=SC2034
KD_PACKAGES_SERVE=(postgresql-15 postgresql-client-15 gammu-smsd)
# The test suites beyond building and serving: systemd-analyze verifies the
# production unit, jsonschema checks answers against the OpenAPI description,
# gammu-smsd carries the SMS suite's messages.
# shellcheck disable=SC2034
KD_PACKAGES_TEST=(systemd python3-jsonschema gammu-smsd g++ liblemon-dev)
# The highly available shape on one machine (scripts/cluster): PostgreSQL 15
# under Patroni, which keeps its leader lock in etcd (v2 API, through
# python3-etcd), HAProxy in front of the daemons, curl for the script's
# requests and etcdctl to look into etcd.
# shellcheck disable=SC2034
KD_PACKAGES_HA=(postgresql-15 postgresql-client-15 patroni python3-etcd python3-psycopg2
	etcd-server etcd-client haproxy curl)
# Benchmarks: wrk drives HTTP, nginx (started by hand with a config of its
# own, never as a service) is the yardstick for GET /v1/health.
# shellcheck disable=SC2034
KD_PACKAGES_BENCH=(wrk liblemon-dev g++ time nginx python3-matplotlib)
# shellcheck disable=SC2034
KD_PACKAGES_SANITIZE=(clang-14 libclang-rt-14-dev)
# shellcheck disable=SC2034
KD_PACKAGES_VALGRIND=(valgrind)
# shellcheck disable=SC2034 # the browser suite: chromium driven from node
# through playwright-core, which npm fetches (over TLS, hence ca-certificates)
KD_PACKAGES_BROWSER=(chromium nodejs npm ca-certificates)

kd_apt_updated=0

# Packages whose system service a machine with systemd would enable at
# install: kd_ensure_packages disables it again when it installed them, since
# the scripts run these programs by hand, each with a config of its own.
KD_SERVICES_LEFT_OFF=(nginx)

# Written to /usr/sbin/policy-rc.d while packages install, when there is none,
# so that no package starts its service (nginx would take port 80); removed
# afterwards.  The marker lets a later run remove one left by an interrupted run.
KD_POLICY_RC=/usr/sbin/policy-rc.d
KD_POLICY_RC_MARK='# kerjadekat: no service starts while its scripts install packages'

# Installs those of the named packages that are not installed yet.  The
# package index is refreshed at most once per script run, and only when
# something is missing, so a machine that has everything needs no root.
# Installing starts no service and leaves none of KD_SERVICES_LEFT_OFF enabled.
kd_ensure_packages()
{
	local pkg missing=() own_policy=0 status=0

	for pkg in "$@"; do
		if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]; then
			missing+=("$pkg")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	kd_log "installing ${missing[*]}"
	if [ ! -e "$KD_POLICY_RC" ]; then
		kd_as_root sh -c 'printf "#!/bin/sh\n%s\nexit 101\n" "$2" >"$1" && chmod 0755 "$1"' \
			sh "$KD_POLICY_RC" "$KD_POLICY_RC_MARK"
		own_policy=1
	elif grep -qxF "$KD_POLICY_RC_MARK" "$KD_POLICY_RC" 2>/dev/null; then
		own_policy=1
	fi
	if [ "$kd_apt_updated" -eq 0 ]; then
		kd_as_root env DEBIAN_FRONTEND=noninteractive \
			apt-get -o DPkg::Lock::Timeout=300 update -q || status=$?
		kd_apt_updated=1
	fi
	[ $status -ne 0 ] || kd_as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
		"${missing[@]}" || status=$?
	[ $own_policy -eq 0 ] || kd_as_root rm -f "$KD_POLICY_RC"
	[ $status -eq 0 ] || return $status
	for pkg in "${missing[@]}"; do
		if [[ " ${KD_SERVICES_LEFT_OFF[*]} " == *" $pkg "* ]] && [ -d /run/systemd/system ] &&
			command -v systemctl >/dev/null 2>&1; then
			kd_as_root systemctl disable --now --quiet "$pkg.service" 2>/dev/null || true
		fi
	done
}

# kd_build SOURCE_DIR BUILD_DIR [MESON_OPTION...]: configures BUILD_DIR (or
# reconfigures it, so that new options and meson files take effect) and builds
# everything in it.
kd_build()
{
	local src=$1 build=$2 out
	shift 2

	if [ -f "$build/meson-private/coredata.dat" ]; then
		out=$(meson setup --reconfigure "$@" "$build" "$src" 2>&1) ||
			{ printf '%s\n' "$out" >&2; kd_die "meson could not reconfigure $build"; }
	else
		out=$(meson setup "$@" "$build" "$src" 2>&1) ||
			{ printf '%s\n' "$out" >&2; kd_die "meson could not configure $build"; }
	fi
	ninja -C "$build" || kd_die "build failed in $build"
}

# kd_http_wait URL SECONDS [WANT_STATUS]: waits until URL answers (with
# WANT_STATUS when given).  Fails when the time runs out.
kd_http_wait()
{
	python3 - "$@" <<'PY'
import sys, time, urllib.error, urllib.request

url, limit = sys.argv[1], float(sys.argv[2])
want = int(sys.argv[3]) if len(sys.argv) > 3 else None
deadline = time.monotonic() + limit
while time.monotonic() < deadline:
    try:
        status = urllib.request.urlopen(url, timeout=2).status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError:
        status = None
    if status is not None and (want is None or status == want):
        sys.exit(0)
    time.sleep(0.2)
sys.exit(1)
PY
}
