#include "core/guesslimit.h"

#include <stdbool.h>
#include <stdlib.h>

/* How many neighbouring entries a key may occupy. */
#define NEIGHBOURS KD_GUESSLIMIT_MIN_SLOTS

/*
 * A key's guesses are kept as the time its last guess would be regained
 * (full_at_ms): at or before now, every guess is left; each guess charged
 * moves it regain_ms later.  One integer, no rounding, and comparing two
 * entries' full_at_ms compares how many guesses they have left.
 */
typedef struct guess_entry {
	uint64_t key;
	uint64_t full_at_ms;
} guess_entry;

struct kd_guesslimit {
	uint64_t regain_ms;
	uint64_t allowance_ms;  /* guesses * regain_ms: the most debt a key may carry */
	size_t slots;
	guess_entry *entries;
};

kd_guesslimit *kd_guesslimit_new(unsigned guesses, uint64_t regain_ms, size_t slots)
{
	if (guesses == 0 || regain_ms == 0 || slots < KD_GUESSLIMIT_MIN_SLOTS ||
	    regain_ms > UINT64_MAX / 4 / guesses)
		return NULL;
	kd_guesslimit *limit = calloc(1, sizeof(*limit));
	if (limit == NULL)
		return NULL;
	/* Zeroed entries are full ones: free for any key. */
	limit->entries = calloc(slots, sizeof(*limit->entries));
	if (limit->entries == NULL) {
		free(limit);
		return NULL;
	}
	limit->regain_ms = regain_ms;
	limit->allowance_ms = (uint64_t)guesses * regain_ms;
	limit->slots = slots;
	return limit;
}

void kd_guesslimit_free(kd_guesslimit *limit)
{
	if (limit == NULL)
		return;
	free(limit->entries);
	free(limit);
}

/* The first of key's neighbours; mixed, so that similar keys spread out. */
static size_t first_neighbour(const kd_guesslimit *limit, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) % limit->slots;
}

static guess_entry *find(kd_guesslimit *limit, uint64_t key)
{
	size_t start = first_neighbour(limit, key);
	for (size_t i = 0; i < NEIGHBOURS; i++) {
		guess_entry *e = &limit->entries[(start + i) % limit->slots];
		if (e->key == key)
			return e;
	}
	return NULL;
}

/*
 * key's entry, or a new full one in place of the neighbour with the most
 * guesses left (a full one when there is any, which forgets nothing).
 */
static guess_entry *find_or_take(kd_guesslimit *limit, uint64_t key, uint64_t now_ms)
{
	guess_entry *found = find(limit, key);
	if (found)
		return found;
	size_t start = first_neighbour(limit, key);
	guess_entry *victim = &limit->entries[start];
	for (size_t i = 1; i < NEIGHBOURS; i++) {
		guess_entry *e = &limit->entries[(start + i) % limit->slots];
		if (e->full_at_ms < victim->full_at_ms)
			victim = e;
	}
	*victim = (guess_entry){ .key = key, .full_at_ms = now_ms };
	return victim;
}

uint64_t kd_guesslimit_charge(kd_guesslimit *limit, uint64_t key, uint64_t now_ms)
{
	guess_entry *e = find_or_take(limit, key, now_ms);
	uint64_t from = e->full_at_ms > now_ms ? e->full_at_ms : now_ms;
	uint64_t debt_ms = from + limit->regain_ms - now_ms;
	if (debt_ms > limit->allowance_ms)
		return debt_ms - limit->allowance_ms;
	e->full_at_ms = from + limit->regain_ms;
	return 0;
}

void kd_guesslimit_refund(kd_guesslimit *limit, uint64_t key, uint64_t now_ms)
{
	guess_entry *e = find(limit, key);
	if (e == NULL || e->full_at_ms <= now_ms)
		return;
	bool still_owing = e->full_at_ms - now_ms > limit->regain_ms;
	e->full_at_ms = still_owing ? e->full_at_ms - limit->regain_ms : now_ms;
}
