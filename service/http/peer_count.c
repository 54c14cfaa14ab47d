#include "http/peer_count.h"

#include <stdlib.h>

#include "kd.h"

typedef struct peer_slot {
	int64_t peer;
	unsigned connections;   /* 0: the slot is free */
} peer_slot;

struct kd_peer_count {
	unsigned max_peers;
	unsigned peers;
	size_t mask;            /* slots - 1; slots is a power of two */
	peer_slot *slots;
};

kd_peer_count *kd_peer_count_new(unsigned max_peers)
{
	if (max_peers == 0)
		max_peers = 1;
	/* At most half full, so that probe runs stay short. */
	size_t slots = 4;
	while (slots < 2 * (size_t)max_peers)
		slots *= 2;
	kd_peer_count *count = calloc(1, sizeof(*count));
	peer_slot *table = calloc(slots, sizeof(*table));
	if (count == NULL || table == NULL) {
		free(count);
		free(table);
		return NULL;
	}
	count->max_peers = max_peers;
	count->mask = slots - 1;
	count->slots = table;
	return count;
}

void kd_peer_count_free(kd_peer_count *count)
{
	if (count == NULL)
		return;
	free(count->slots);
	free(count);
}

/* Where peer's probe run starts: client numbers are close together, so mix them. */
static size_t home_of(const kd_peer_count *count, int64_t peer)
{
	return (size_t)(((uint64_t)peer * 0x9e3779b97f4a7c15ULL) >> 32) & count->mask;
}

/* The slot holding peer, or the free slot ending its probe run. */
static size_t slot_of(const kd_peer_count *count, int64_t peer)
{
	size_t i = home_of(count, peer);
	while (count->slots[i].connections > 0 && count->slots[i].peer != peer)
		i = (i + 1) & count->mask;
	return i;
}

unsigned kd_peer_count_get(const kd_peer_count *count, int64_t peer)
{
	return count->slots[slot_of(count, peer)].connections;
}

int kd_peer_count_add(kd_peer_count *count, int64_t peer)
{
	peer_slot *slot = &count->slots[slot_of(count, peer)];
	if (slot->connections == 0) {
		if (count->peers >= count->max_peers)
			return kd_error(ENOSPC);
		slot->peer = peer;
		count->peers++;
	}
	slot->connections++;
	return kd_ok();
}

/*
 * Empties slot i without breaking the probe runs that pass over it: later
 * entries of the run move back into the hole unless their run starts after
 * it (linear probing has no tombstones to go stale this way).
 */
static void vacate(kd_peer_count *count, size_t hole)
{
	size_t j = hole;
	for (;;) {
		j = (j + 1) & count->mask;
		peer_slot *next = &count->slots[j];
		if (next->connections == 0)
			break;
		size_t from_home = (j - home_of(count, next->peer)) & count->mask;
		size_t from_hole = (j - hole) & count->mask;
		if (from_home >= from_hole) {
			count->slots[hole] = *next;
			hole = j;
		}
	}
	count->slots[hole].connections = 0;
}

void kd_peer_count_remove(kd_peer_count *count, int64_t peer)
{
	size_t i = slot_of(count, peer);
	if (count->slots[i].connections == 0)
		return;
	if (--count->slots[i].connections > 0)
		return;
	count->peers--;
	vacate(count, i);
}

unsigned kd_peer_count_peers(const kd_peer_count *count)
{
	return count->peers;
}
