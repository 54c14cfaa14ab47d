#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "demo/rng.h"
#include "kd.h"

static void test_same_seed_same_sequence(void **state)
{
	(void)state;
	kd_rng a, b;
	kd_rng_seed(&a, 42, 3, 7);
	kd_rng_seed(&b, 42, 3, 7);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(kd_rng_next(&a), kd_rng_next(&b));
}

static void test_streams_and_records_differ(void **state)
{
	(void)state;
	kd_rng base, other_seed, other_stream, other_index;
	kd_rng_seed(&base, 42, 3, 7);
	kd_rng_seed(&other_seed, 43, 3, 7);
	kd_rng_seed(&other_stream, 42, 4, 7);
	kd_rng_seed(&other_index, 42, 3, 8);
	uint64_t first = kd_rng_next(&base);
	assert_int_not_equal(first, kd_rng_next(&other_seed));
	assert_int_not_equal(first, kd_rng_next(&other_stream));
	assert_int_not_equal(first, kd_rng_next(&other_index));
}

static void test_below_is_in_range_and_even(void **state)
{
	(void)state;
	kd_rng rng;
	kd_rng_seed(&rng, 1, 1, 1);
	int buckets[10] = { 0 };
	const int draws = 200000;
	for (int i = 0; i < draws; i++) {
		uint64_t v = kd_rng_below(&rng, 10);
		assert_true(v < 10);
		buckets[v]++;
	}
	for (int b = 0; b < 10; b++) {
		assert_true(buckets[b] > draws / 10 * 95 / 100);
		assert_true(buckets[b] < draws / 10 * 105 / 100);
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(kd_rng_below(&rng, 1), 0);
}

static void test_between_and_unit(void **state)
{
	(void)state;
	kd_rng rng;
	kd_rng_seed(&rng, 9, 9, 9);
	bool seen_low = false, seen_high = false;
	for (int i = 0; i < 10000; i++) {
		int v = kd_rng_between(&rng, -3, 3);
		assert_in_range(v + 3, 0, 6);
		seen_low |= v == -3;
		seen_high |= v == 3;
		double u = kd_rng_unit(&rng);
		assert_true(u >= 0.0 && u < 1.0);
	}
	assert_true(seen_low && seen_high);
}

static void test_pick_follows_weights(void **state)
{
	(void)state;
	double weights[] = { 1, 0, 3, 0, 6 };
	assert_true(kd_rng_cumulate(weights, KD_ARRAY_LEN(weights)) == 10.0);
	kd_rng rng;
	kd_rng_seed(&rng, 5, 5, 5);
	int counts[5] = { 0 };
	const int draws = 100000;
	for (int i = 0; i < draws; i++)
		counts[kd_rng_pick(&rng, weights, KD_ARRAY_LEN(weights))]++;
	assert_int_equal(counts[1], 0);
	assert_int_equal(counts[3], 0);
	assert_in_range(counts[0], 9000, 11000);
	assert_in_range(counts[2], 28500, 31500);
	assert_in_range(counts[4], 58500, 61500);
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void test_permute_is_a_bijection(void **state)
{
	(void)state;
	const uint64_t bounds[] = { 1, 2, 7, 1000, 4096 };
	for (size_t b = 0; b < KD_ARRAY_LEN(bounds); b++) {
		uint64_t n = bounds[b];
		uint64_t *seen = calloc(n, sizeof(*seen));
		assert_non_null(seen);
		for (uint64_t x = 0; x < n; x++) {
			uint64_t y = kd_rng_permute(x, n, 0x1234);
			assert_true(y < n);
			seen[y]++;
		}
		for (uint64_t y = 0; y < n; y++)
			assert_int_equal(seen[y], 1);
		free(seen);
	}
}

static void test_permute_large_domain(void **state)
{
	(void)state;
	const uint64_t bound = (UINT64_C(1) << 53) - 1;
	enum { COUNT = 20000 };
	uint64_t *out = malloc(COUNT * sizeof(*out));
	assert_non_null(out);
	uint64_t near_start = 0;
	for (uint64_t x = 0; x < COUNT; x++) {
		out[x] = kd_rng_permute(x, bound, 99);
		assert_true(out[x] < bound);
		near_start += out[x] < COUNT;
		/* Same input, same key: same output. */
		assert_int_equal(out[x], kd_rng_permute(x, bound, 99));
	}
	/* Consecutive inputs land all over the range, not next to each other. */
	assert_true(near_start < 3);
	qsort(out, COUNT, sizeof(*out), compare_u64);
	for (size_t i = 1; i < COUNT; i++)
		assert_true(out[i] != out[i - 1]);
	assert_int_not_equal(kd_rng_permute(5, bound, 99), kd_rng_permute(5, bound, 100));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_sequence),
		cmocka_unit_test(test_streams_and_records_differ),
		cmocka_unit_test(test_below_is_in_range_and_even),
		cmocka_unit_test(test_between_and_unit),
		cmocka_unit_test(test_pick_follows_weights),
		cmocka_unit_test(test_permute_is_a_bijection),
		cmocka_unit_test(test_permute_large_domain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
