#include "core/fairshare.h"

#include <stdlib.h>

/*
 * Holders are few (those with a heavy read in flight, at most a few per
 * pool connection and queued job), so a packed array searched from the
 * start is both the simplest and, at these sizes, the fastest table.
 */
typedef struct holder {
	int64_t caller;
	unsigned units;
} holder;

struct kd_fairshare {
	unsigned per_caller;
	holder *holders;
	size_t count, capacity;
};

kd_fairshare *kd_fairshare_new(unsigned per_caller)
{
	kd_fairshare *share = calloc(1, sizeof(*share));
	if (share)
		share->per_caller = per_caller ? per_caller : 1;
	return share;
}

void kd_fairshare_free(kd_fairshare *share)
{
	if (share) {
		free(share->holders);
		free(share);
	}
}

static holder *find(const kd_fairshare *share, int64_t caller)
{
	for (size_t i = 0; i < share->count; i++)
		if (share->holders[i].caller == caller)
			return &share->holders[i];
	return NULL;
}

bool kd_fairshare_take(kd_fairshare *share, int64_t caller)
{
	holder *h = find(share, caller);
	if (h) {
		if (h->units >= share->per_caller)
			return false;
		h->units++;
		return true;
	}
	if (share->count == share->capacity) {
		size_t grown = share->capacity ? 2 * share->capacity : 16;
		holder *p = realloc(share->holders, grown * sizeof(*p));
		if (p == NULL)
			return false;
		share->holders = p;
		share->capacity = grown;
	}
	share->holders[share->count++] = (holder){ .caller = caller, .units = 1 };
	return true;
}

void kd_fairshare_give(kd_fairshare *share, int64_t caller)
{
	holder *h = find(share, caller);
	if (h == NULL || h->units == 0)
		return;
	if (--h->units == 0)
		*h = share->holders[--share->count];
}

unsigned kd_fairshare_held(const kd_fairshare *share, int64_t caller)
{
	const holder *h = find(share, caller);
	return h ? h->units : 0;
}
