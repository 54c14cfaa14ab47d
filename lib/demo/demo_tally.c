/*
 * A counting hash table with open addressing and linear probing: keys are
 * packed NIK parts, values how often each was handed out.  It grows by
 * doubling at half load, so probes stay short.
 */
#include "demo/demo_internal.h"

#include <stdlib.h>

#include "kd.h"

#define INITIAL_CAPACITY 1024

static size_t slot_of(uint64_t key, size_t capacity)
{
	key ^= key >> 33;
	key *= UINT64_C(0xff51afd7ed558ccd);
	key ^= key >> 33;
	return (size_t)key & (capacity - 1);
}

static int grow(struct demo_tally *t)
{
	size_t capacity = t->capacity ? t->capacity * 2 : INITIAL_CAPACITY;
	uint64_t *keys = calloc(capacity, sizeof(*keys));
	unsigned *counts = calloc(capacity, sizeof(*counts));
	if (!keys || !counts) {
		free(keys);
		free(counts);
		return kd_error(ENOMEM);
	}
	for (size_t i = 0; i < t->capacity; i++) {
		if (t->keys[i] == 0)
			continue;
		size_t at = slot_of(t->keys[i], capacity);
		while (keys[at] != 0)
			at = (at + 1) & (capacity - 1);
		keys[at] = t->keys[i];
		counts[at] = t->counts[i];
	}
	free(t->keys);
	free(t->counts);
	t->keys = keys;
	t->counts = counts;
	t->capacity = capacity;
	return kd_ok();
}

long demo_tally_bump(struct demo_tally *t, uint64_t key)
{
	if (2 * (t->used + 1) > t->capacity) {
		int rc = grow(t);
		if (rc < 0)
			return rc;
	}
	size_t at = slot_of(key, t->capacity);
	while (t->keys[at] != 0 && t->keys[at] != key)
		at = (at + 1) & (t->capacity - 1);
	if (t->keys[at] == 0) {
		t->keys[at] = key;
		t->used++;
	}
	return (long)t->counts[at]++;
}

void demo_tally_free(struct demo_tally *t)
{
	free(t->keys);
	free(t->counts);
	*t = (struct demo_tally){ 0 };
}
