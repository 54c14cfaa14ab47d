/*
 * The host list of a libpq connection (host=a,b,c port=...): how many hosts
 * libpq will try, which one it is on, how long each may take, and a new
 * attempt that starts from a later host.  libpq follows the list by itself
 * but offers no call to leave a host that accepts and never answers; these
 * let the pool do that.  Options are the effective ones PQconninfo() gives
 * (borrowed); no I/O here but PQconnectStartParams().
 */
#ifndef KD_DB_HOSTS_H
#define KD_DB_HOSTS_H

#include <stdbool.h>
#include <libpq-fe.h>

/* How many hosts libpq tries for these options, counted as libpq does. */
int kd_db_hosts_count(const PQconninfoOption *options);

/*
 * Whether a connection whose PQhost() and PQport() are host and port is on
 * host i of n: host names the entry's host or its hostaddr, and port its
 * port (an empty or missing entry matches anything, as libpq puts its
 * default there).
 */
bool kd_db_hosts_on(const PQconninfoOption *options, int i, int n, const char *host,
		    const char *port);

/*
 * How long one host may take to connect: connect_timeout with libpq's floor
 * of 2 s, or fallback_ms when the options set none.  Never unlimited.
 */
unsigned kd_db_hosts_timeout_ms(const PQconninfoOption *options, unsigned fallback_ms);

/*
 * A new connection attempt (PQconnectStartParams) with the same options but
 * only hosts from..n-1 (n = kd_db_hosts_count, 0 < from < n); per-host lists
 * (host, hostaddr, port) are cut alike, a single port stays for all.  NULL
 * when out of memory.  The caller owns the PGconn.
 */
PGconn *kd_db_hosts_start_from(const PQconninfoOption *options, int from);

#endif
