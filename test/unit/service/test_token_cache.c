/*
 * The token cache's rules: a verified token is kept for the TTL and only
 * with its own secret; a forget drops it; and a lookup that a revocation
 * notice for its token (or for all) overtook is not cached.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "api/token_cache.h"
#include "kd.h"

static kd_token_parts new_token(void)
{
	char text[KD_TOKEN_MAX_LEN];
	kd_token_parts parts;
	kd_token_generate(text, &parts);
	return parts;
}

static const kd_principal kiosk = { .role = KD_ROLE_KIOSK, .token_id = 7 };

static void test_verified_token_is_kept_for_the_ttl(void **state)
{
	(void)state;
	kd_token_cache *cache = kd_token_cache_new();
	assert_non_null(cache);
	kd_token_parts token = new_token();
	kd_principal who = { 0 };
	assert_int_equal(kd_token_cache_find(cache, &token, 1000, &who), KD_TOKEN_CACHE_MISS);

	uint64_t since = kd_token_cache_generation(cache);
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, since, 1000), kd_ok());
	assert_int_equal(kd_token_cache_find(cache, &token, 1000 + KD_TOKEN_CACHE_TTL_MS - 1, &who),
			 KD_TOKEN_CACHE_VALID);
	assert_int_equal(who.role, KD_ROLE_KIOSK);
	assert_int_equal(who.token_id, 7);
	assert_int_equal(kd_token_cache_find(cache, &token, 1000 + KD_TOKEN_CACHE_TTL_MS, &who),
			 KD_TOKEN_CACHE_MISS);

	/* The same key id with another secret is refused from the cache. */
	kd_token_parts forged = token;
	forged.hash[0] ^= 1;
	assert_int_equal(kd_token_cache_find(cache, &forged, 1000, &who), KD_TOKEN_CACHE_INVALID);
	kd_token_cache_free(cache);
}

static void test_forget_drops_the_token(void **state)
{
	(void)state;
	kd_token_cache *cache = kd_token_cache_new();
	assert_non_null(cache);
	kd_token_parts revoked = new_token(), other = new_token();
	kd_principal who;
	assert_int_equal(kd_token_cache_put(cache, &revoked, &kiosk,
					    kd_token_cache_generation(cache), 0), kd_ok());
	assert_int_equal(kd_token_cache_put(cache, &other, &kiosk,
					    kd_token_cache_generation(cache), 0), kd_ok());
	kd_token_cache_forget(cache, revoked.key_id);
	assert_int_equal(kd_token_cache_find(cache, &revoked, 1, &who), KD_TOKEN_CACHE_MISS);
	assert_int_equal(kd_token_cache_find(cache, &other, 1, &who), KD_TOKEN_CACHE_VALID);
	kd_token_cache_forget(cache, NULL);
	assert_int_equal(kd_token_cache_find(cache, &other, 1, &who), KD_TOKEN_CACHE_MISS);
	kd_token_cache_free(cache);
}

/*
 * The race: a lookup starts, the token is revoked and the notice arrives
 * (nothing is cached yet, so there is nothing to drop), then the lookup's
 * answer, read before the revocation, comes back.  It must not be cached.
 */
static void test_answer_overtaken_by_a_revocation_is_not_cached(void **state)
{
	(void)state;
	kd_token_cache *cache = kd_token_cache_new();
	assert_non_null(cache);
	kd_token_parts token = new_token();
	kd_principal who;

	uint64_t lookup_started = kd_token_cache_generation(cache);
	kd_token_cache_forget(cache, token.key_id);
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, lookup_started, 10),
			 kd_error(ESTALE));
	assert_int_equal(kd_token_cache_find(cache, &token, 10, &who), KD_TOKEN_CACHE_MISS);

	/* A lookup sent after the notice is current, and cached. */
	uint64_t asked_again = kd_token_cache_generation(cache);
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, asked_again, 20), kd_ok());
	assert_int_equal(kd_token_cache_find(cache, &token, 20, &who), KD_TOKEN_CACHE_VALID);
	kd_token_cache_free(cache);
}

/*
 * A lookup asks again when its own token, or every token, was forgotten
 * meanwhile; another token's revocation (each notice comes once per pool
 * connection) leaves it alone.
 */
static void test_only_its_token_or_all_make_a_lookup_stale(void **state)
{
	(void)state;
	kd_token_cache *cache = kd_token_cache_new();
	assert_non_null(cache);
	kd_token_parts token = new_token(), other = new_token();

	uint64_t started = kd_token_cache_generation(cache);
	kd_token_cache_forget(cache, other.key_id);
	kd_token_cache_forget(cache, other.key_id);
	assert_true(kd_token_cache_generation(cache) > started);
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, started, 0), kd_ok());

	started = kd_token_cache_generation(cache);
	kd_token_cache_forget(cache, NULL);
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, started, 0), kd_error(ESTALE));

	/* Two lookups in flight across one notice: neither is cached. */
	uint64_t first = kd_token_cache_generation(cache);
	uint64_t second = kd_token_cache_generation(cache);
	kd_token_cache_forget(cache, token.key_id);
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, first, 0), kd_error(ESTALE));
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, second, 0), kd_error(ESTALE));
	kd_token_cache_free(cache);
}

/* So many revocations that the token's own is no longer remembered: still stale. */
static void test_forgotten_revocations_still_count(void **state)
{
	(void)state;
	kd_token_cache *cache = kd_token_cache_new();
	assert_non_null(cache);
	kd_token_parts token = new_token();

	uint64_t started = kd_token_cache_generation(cache);
	kd_token_cache_forget(cache, token.key_id);
	for (int i = 0; i < 1000; i++) {
		kd_token_parts other = new_token();
		kd_token_cache_forget(cache, other.key_id);
	}
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, started, 0), kd_error(ESTALE));
	/* A payload too long to be a key id is taken without harm. */
	kd_token_cache_forget(cache, "0123456789abcdef0123456789abcdef");

	uint64_t later = kd_token_cache_generation(cache);
	assert_int_equal(kd_token_cache_put(cache, &token, &kiosk, later, 0), kd_ok());
	kd_principal who;
	assert_int_equal(kd_token_cache_find(cache, &token, 0, &who), KD_TOKEN_CACHE_VALID);
	kd_token_cache_free(cache);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verified_token_is_kept_for_the_ttl),
		cmocka_unit_test(test_forget_drops_the_token),
		cmocka_unit_test(test_answer_overtaken_by_a_revocation_is_not_cached),
		cmocka_unit_test(test_only_its_token_or_all_make_a_lookup_stale),
		cmocka_unit_test(test_forgotten_revocations_still_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
