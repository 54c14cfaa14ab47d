/*
 * Open connections per client address, for the per-address connection cap:
 * a small open-addressing hash table from a client number (what
 * kd_ipaddr_client() gives for the peer, so an IPv4-mapped IPv6 peer counts
 * as its IPv4 address and an IPv6 host as its /64) to how many connections
 * it holds open now.  An address leaves the table with its last connection,
 * so the table never holds more addresses than there are connections, and
 * its size is fixed when it is made: counting never allocates.  Pure: no
 * I/O; not thread-safe (the server uses it on its loop thread only).
 */
#ifndef KD_HTTP_PEER_COUNT_H
#define KD_HTTP_PEER_COUNT_H

#include <stdint.h>

typedef struct kd_peer_count kd_peer_count;

/*
 * An empty table with room for max_peers addresses at once (at least 1),
 * or NULL on allocation failure.
 */
kd_peer_count *kd_peer_count_new(unsigned max_peers);
void kd_peer_count_free(kd_peer_count *count);

/* Connections peer holds open now; 0 for an address not in the table. */
unsigned kd_peer_count_get(const kd_peer_count *count, int64_t peer);

/*
 * Counts one more connection of peer.  Returns kd_ok(), or
 * kd_error(ENOSPC) when peer is new and max_peers addresses are held
 * already (nothing counted then).
 */
int kd_peer_count_add(kd_peer_count *count, int64_t peer);

/*
 * Counts one connection of peer fewer; its last one takes the address out
 * of the table.  An address not in the table is left alone.
 */
void kd_peer_count_remove(kd_peer_count *count, int64_t peer);

/* Addresses in the table: those holding at least one connection. */
unsigned kd_peer_count_peers(const kd_peer_count *count);

#endif
