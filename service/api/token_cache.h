/*
 * Verified API tokens, kept for KD_TOKEN_CACHE_TTL_MS so that most requests
 * need no database round trip.  A revocation reaches the daemon as a
 * notice (see auth.h) and is passed to kd_token_cache_forget().
 *
 * Revocation wins over a lookup in flight: a lookup that read the token
 * before it was revoked may be answered after the notice has come and gone,
 * and caching that answer would keep a revoked token valid for a whole TTL.
 * So every forget moves a generation counter on and is remembered with it;
 * a lookup notes the generation when it starts and hands it to
 * kd_token_cache_put(), which refuses to cache when, since then, that token
 * or every token was forgotten.  Other tokens' revocations do not count:
 * each daemon gets every notice once per pool connection, and those copies
 * must not send innocent lookups round again and again.  The latest
 * revocations are kept, a few dozen; a lookup that began before one no
 * longer kept is refused too, which costs it only a second lookup.
 *
 * Pure: the caller supplies the time; no I/O.  Not thread-safe (the daemon
 * uses it on its loop thread only).
 */
#ifndef KD_TOKEN_CACHE_H
#define KD_TOKEN_CACHE_H

#include <stdint.h>

#include "api/principal.h"
#include "api/token.h"

#define KD_TOKEN_CACHE_TTL_MS (60 * 1000)

typedef struct kd_token_cache kd_token_cache;

/* An empty cache, or NULL on allocation failure. */
kd_token_cache *kd_token_cache_new(void);
void kd_token_cache_free(kd_token_cache *cache);

/*
 * Forgets one key id (a revocation) or, with NULL, every entry (notices
 * may have been missed).  Moves the generation on either way, even when
 * nothing was cached: the lookup that would cache it may be in flight.
 */
void kd_token_cache_forget(kd_token_cache *cache, const char *key_id);

/* The generation now: a lookup reads it before it asks the database. */
uint64_t kd_token_cache_generation(const kd_token_cache *cache);

typedef enum kd_token_cache_result {
	KD_TOKEN_CACHE_MISS,      /* not cached, or expired: ask the database */
	KD_TOKEN_CACHE_VALID,     /* cached, and the secret matches */
	KD_TOKEN_CACHE_INVALID,   /* cached, and the secret does not match */
} kd_token_cache_result;

/*
 * Looks parts up at now_ms (a monotonic clock).  On KD_TOKEN_CACHE_VALID
 * *who is the token's principal.  The secret's hash is compared in
 * constant time.
 */
kd_token_cache_result kd_token_cache_find(const kd_token_cache *cache,
					  const kd_token_parts *parts, uint64_t now_ms,
					  kd_principal *who);

/*
 * Caches who for parts at now_ms, the answer of a lookup that started at
 * generation `since`.  Returns kd_ok(); kd_error(ESTALE) when the token, or
 * every token, was forgotten after the lookup started (nothing is cached:
 * the answer may predate a revocation, so the caller looks again);
 * kd_error(ENOMEM).
 */
int kd_token_cache_put(kd_token_cache *cache, const kd_token_parts *parts,
		       const kd_principal *who, uint64_t since, uint64_t now_ms);

#endif
