#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ratelimit.h"

static void burst_then_refusal_with_wait(void **state)
{
	(void)state;
	kd_ratelimit *limit = kd_ratelimit_new(120, 3);
	assert_non_null(limit);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kd_ratelimit_take(limit, 7, 1000), 0);
	/* 120 a minute is one every 500 ms. */
	assert_int_equal(kd_ratelimit_take(limit, 7, 1000), 500);
	assert_int_equal(kd_ratelimit_take(limit, 7, 1300), 200);
	assert_int_equal(kd_ratelimit_take(limit, 7, 1500), 0);
	assert_int_equal(kd_ratelimit_take(limit, 7, 1500), 500);
	kd_ratelimit_free(limit);
}

static void clients_are_independent(void **state)
{
	(void)state;
	kd_ratelimit *limit = kd_ratelimit_new(60, 1);
	assert_int_equal(kd_ratelimit_take(limit, 1, 0), 0);
	assert_true(kd_ratelimit_take(limit, 1, 0) > 0);
	assert_int_equal(kd_ratelimit_take(limit, 2, 0), 0);
	assert_int_equal(kd_ratelimit_take(limit, -1, 0), 0);
	kd_ratelimit_free(limit);
}

static void refill_never_exceeds_burst(void **state)
{
	(void)state;
	kd_ratelimit *limit = kd_ratelimit_new(600, 2);
	assert_int_equal(kd_ratelimit_take(limit, 1, 0), 0);
	/* An hour idle still gives only the burst back. */
	uint64_t t = 3600 * 1000;
	assert_int_equal(kd_ratelimit_take(limit, 1, t), 0);
	assert_int_equal(kd_ratelimit_take(limit, 1, t), 0);
	assert_int_equal(kd_ratelimit_take(limit, 1, t), 100);
	kd_ratelimit_free(limit);
}

static void many_clients_stay_bounded_and_correct(void **state)
{
	(void)state;
	kd_ratelimit *limit = kd_ratelimit_new(60, 1);
	for (int64_t c = 0; c < 200000; c++)
		assert_int_equal(kd_ratelimit_take(limit, c, (uint64_t)c), 0);
	/* The last client spent its only action just now. */
	assert_true(kd_ratelimit_take(limit, 199999, 199999) > 0);
	kd_ratelimit_free(limit);
}

static void bad_arguments_are_refused(void **state)
{
	(void)state;
	assert_null(kd_ratelimit_new(0, 1));
	assert_null(kd_ratelimit_new(10, 0));
	assert_null(kd_ratelimit_new(-5, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_then_refusal_with_wait),
		cmocka_unit_test(clients_are_independent),
		cmocka_unit_test(refill_never_exceeds_burst),
		cmocka_unit_test(many_clients_stay_bounded_and_correct),
		cmocka_unit_test(bad_arguments_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
