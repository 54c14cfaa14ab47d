#include "api/token_cache.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "kd.h"

#define CACHE_BUCKETS 1024
#define CACHE_MAX_ENTRIES 20000
/*
 * Revocations remembered for lookups in flight.  A lookup lasts seconds at
 * most; past this many revocations within one, it is taken as overtaken.
 */
#define REVOCATIONS_KEPT 64

typedef struct cache_entry {
	struct cache_entry *next;
	char key_id[KD_TOKEN_KEY_ID_LEN + 1];
	uint8_t hash[KD_TOKEN_HASH_BYTES];
	kd_principal who;
	uint64_t expires;
} cache_entry;

typedef struct revocation {
	char key_id[KD_TOKEN_KEY_ID_LEN + 1];
	uint64_t generation;    /* 0: the slot was never used */
} revocation;

struct kd_token_cache {
	cache_entry *buckets[CACHE_BUCKETS];
	unsigned entries;
	uint64_t generation;          /* moved on by every forget */
	uint64_t forgot_all;          /* the generation of the last forget of every entry */
	uint64_t forgot_unrecorded;   /* the newest generation whose record was overwritten */
	revocation revoked[REVOCATIONS_KEPT]; /* the latest revocations, a ring */
	unsigned revoked_next;
};

static unsigned bucket_of(const char *key_id)
{
	/* key ids are random hex: their first characters spread well. */
	return (unsigned)strtoul((char[]){ key_id[0], key_id[1], key_id[2], 0 }, NULL, 16) %
	       CACHE_BUCKETS;
}

kd_token_cache *kd_token_cache_new(void)
{
	return calloc(1, sizeof(kd_token_cache));
}

/* Removes the entry of key_id, or every entry for NULL; the generation stays. */
static void drop(kd_token_cache *cache, const char *key_id)
{
	for (unsigned b = 0; b < CACHE_BUCKETS; b++) {
		if (key_id && b != bucket_of(key_id))
			continue;
		cache_entry **link = &cache->buckets[b];
		while (*link) {
			cache_entry *e = *link;
			if (key_id == NULL || strcmp(e->key_id, key_id) == 0) {
				*link = e->next;
				sodium_memzero(e, sizeof(*e));
				free(e);
				cache->entries--;
			} else {
				link = &e->next;
			}
		}
	}
}

void kd_token_cache_forget(kd_token_cache *cache, const char *key_id)
{
	cache->generation++;
	drop(cache, key_id);
	if (key_id == NULL) {
		cache->forgot_all = cache->generation;
		return;
	}
	revocation *r = &cache->revoked[cache->revoked_next++ % REVOCATIONS_KEPT];
	if (r->generation)
		cache->forgot_unrecorded = r->generation;
	/* A longer payload is no key id; cut, it can only make a lookup ask again. */
	snprintf(r->key_id, sizeof(r->key_id), "%s", key_id);
	r->generation = cache->generation;
}

/* Whether key_id may have been revoked after generation since. */
static bool forgotten_since(const kd_token_cache *cache, const char *key_id, uint64_t since)
{
	if (cache->forgot_all > since || cache->forgot_unrecorded > since)
		return true;
	for (size_t i = 0; i < REVOCATIONS_KEPT; i++) {
		const revocation *r = &cache->revoked[i];
		if (r->generation > since && strcmp(r->key_id, key_id) == 0)
			return true;
	}
	return false;
}

uint64_t kd_token_cache_generation(const kd_token_cache *cache)
{
	return cache->generation;
}

void kd_token_cache_free(kd_token_cache *cache)
{
	if (cache) {
		drop(cache, NULL);
		free(cache);
	}
}

kd_token_cache_result kd_token_cache_find(const kd_token_cache *cache,
					  const kd_token_parts *parts, uint64_t now_ms,
					  kd_principal *who)
{
	for (cache_entry *e = cache->buckets[bucket_of(parts->key_id)]; e; e = e->next) {
		if (strcmp(e->key_id, parts->key_id) != 0)
			continue;
		if (e->expires <= now_ms)
			return KD_TOKEN_CACHE_MISS;
		if (sodium_memcmp(e->hash, parts->hash, sizeof(e->hash)) != 0)
			return KD_TOKEN_CACHE_INVALID;
		*who = e->who;
		return KD_TOKEN_CACHE_VALID;
	}
	return KD_TOKEN_CACHE_MISS;
}

int kd_token_cache_put(kd_token_cache *cache, const kd_token_parts *parts,
		       const kd_principal *who, uint64_t since, uint64_t now_ms)
{
	if (forgotten_since(cache, parts->key_id, since))
		return kd_error(ESTALE);
	drop(cache, parts->key_id);
	/* A full cache starts over: every entry is one lookup away from coming back. */
	if (cache->entries >= CACHE_MAX_ENTRIES)
		drop(cache, NULL);
	cache_entry *e = calloc(1, sizeof(*e));
	if (e == NULL)
		return kd_error(ENOMEM);
	memcpy(e->key_id, parts->key_id, sizeof(e->key_id));
	memcpy(e->hash, parts->hash, sizeof(e->hash));
	e->who = *who;
	e->expires = now_ms + KD_TOKEN_CACHE_TTL_MS;
	unsigned b = bucket_of(parts->key_id);
	e->next = cache->buckets[b];
	cache->buckets[b] = e;
	cache->entries++;
	return kd_ok();
}
