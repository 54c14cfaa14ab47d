#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/guesslimit.h"

#define MINUTE_MS (60 * 1000)

static void wrong_guesses_then_a_wait_for_every_attempt(void **state)
{
	(void)state;
	kd_guesslimit *limit = kd_guesslimit_new(3, 5 * MINUTE_MS, 64);
	assert_non_null(limit);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kd_guesslimit_charge(limit, 42, 1000), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 42, 1000), 5 * MINUTE_MS);
	/* Refused attempts charge nothing: the wait only runs down. */
	assert_int_equal(kd_guesslimit_charge(limit, 42, 1000 + MINUTE_MS), 4 * MINUTE_MS);
	assert_int_equal(kd_guesslimit_charge(limit, 42, 1000 + 4 * MINUTE_MS), MINUTE_MS);
	/* One guess regained, one guess allowed. */
	assert_int_equal(kd_guesslimit_charge(limit, 42, 1000 + 5 * MINUTE_MS), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 42, 1000 + 5 * MINUTE_MS), 5 * MINUTE_MS);
	kd_guesslimit_free(limit);
}

static void attempts_that_were_no_wrong_guess_cost_nothing(void **state)
{
	(void)state;
	kd_guesslimit *limit = kd_guesslimit_new(2, MINUTE_MS, 64);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(kd_guesslimit_charge(limit, 7, 0), 0);
		kd_guesslimit_refund(limit, 7, 0);
	}
	/* Both guesses are still there. */
	assert_int_equal(kd_guesslimit_charge(limit, 7, 0), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 7, 0), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 7, 0), MINUTE_MS);
	/* A refund gives back what one attempt was charged, no more. */
	kd_guesslimit_refund(limit, 7, 0);
	kd_guesslimit_refund(limit, 7, 0);
	kd_guesslimit_refund(limit, 7, 0);
	assert_int_equal(kd_guesslimit_charge(limit, 7, 0), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 7, 0), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 7, 0), MINUTE_MS);
	kd_guesslimit_free(limit);
}

static void attempts_in_flight_together_are_all_counted(void **state)
{
	(void)state;
	kd_guesslimit *limit = kd_guesslimit_new(4, MINUTE_MS, 64);
	int allowed = 0;
	/* A hundred attempts begin before any outcome is known. */
	for (int i = 0; i < 100; i++)
		allowed += kd_guesslimit_charge(limit, 9, 500) == 0;
	assert_int_equal(allowed, 4);
	kd_guesslimit_free(limit);
}

static void a_locked_key_refuses_even_before_its_outcome(void **state)
{
	(void)state;
	kd_guesslimit *limit = kd_guesslimit_new(1, MINUTE_MS, 64);
	assert_int_equal(kd_guesslimit_charge(limit, 3, 0), 0);
	/* The right answer now would be refused as well: nothing to refund. */
	assert_int_equal(kd_guesslimit_charge(limit, 3, 10), MINUTE_MS - 10);
	assert_int_equal(kd_guesslimit_charge(limit, 3, MINUTE_MS), 0);
	kd_guesslimit_free(limit);
}

static void keys_are_independent(void **state)
{
	(void)state;
	kd_guesslimit *limit = kd_guesslimit_new(1, MINUTE_MS, 64);
	assert_int_equal(kd_guesslimit_charge(limit, 1, 0), 0);
	assert_true(kd_guesslimit_charge(limit, 1, 0) > 0);
	assert_int_equal(kd_guesslimit_charge(limit, 2, 0), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 0, 0), 0);
	assert_int_equal(kd_guesslimit_charge(limit, UINT64_MAX, 0), 0);
	assert_true(kd_guesslimit_charge(limit, 0, 0) > 0);
	kd_guesslimit_free(limit);
}

static void a_key_under_attack_outlives_a_flood_of_other_keys(void **state)
{
	(void)state;
	/* The smallest table: every key shares the one neighbourhood. */
	kd_guesslimit *limit = kd_guesslimit_new(3, MINUTE_MS, KD_GUESSLIMIT_MIN_SLOTS);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kd_guesslimit_charge(limit, 1000, 0), 0);
	/* A million other keys, each guessed wrong once or begun and
	 * refunded: none owes as much as the target, so none displaces it. */
	for (uint64_t k = 2000; k < 2000 + 1000000; k++) {
		assert_int_equal(kd_guesslimit_charge(limit, k, 1), 0);
		if (k % 2)
			kd_guesslimit_refund(limit, k, 1);
	}
	assert_int_equal(kd_guesslimit_charge(limit, 1000, 2), MINUTE_MS - 2);
	kd_guesslimit_free(limit);
}

static void a_refund_for_a_forgotten_key_changes_nothing(void **state)
{
	(void)state;
	kd_guesslimit *limit = kd_guesslimit_new(1, MINUTE_MS, 64);
	kd_guesslimit_refund(limit, 5, 0);
	assert_int_equal(kd_guesslimit_charge(limit, 5, 0), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 5, 0), MINUTE_MS);
	/* A refund after the key regained everything by itself adds nothing. */
	kd_guesslimit_refund(limit, 5, 2 * MINUTE_MS);
	assert_int_equal(kd_guesslimit_charge(limit, 5, 2 * MINUTE_MS), 0);
	assert_int_equal(kd_guesslimit_charge(limit, 5, 2 * MINUTE_MS), MINUTE_MS);
	kd_guesslimit_free(limit);
}

static void bad_arguments_are_refused(void **state)
{
	(void)state;
	assert_null(kd_guesslimit_new(0, MINUTE_MS, 64));
	assert_null(kd_guesslimit_new(5, 0, 64));
	assert_null(kd_guesslimit_new(5, MINUTE_MS, KD_GUESSLIMIT_MIN_SLOTS - 1));
	assert_null(kd_guesslimit_new(5, UINT64_MAX / 4, 64));
	kd_guesslimit_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrong_guesses_then_a_wait_for_every_attempt),
		cmocka_unit_test(attempts_that_were_no_wrong_guess_cost_nothing),
		cmocka_unit_test(attempts_in_flight_together_are_all_counted),
		cmocka_unit_test(a_locked_key_refuses_even_before_its_outcome),
		cmocka_unit_test(keys_are_independent),
		cmocka_unit_test(a_key_under_attack_outlives_a_flood_of_other_keys),
		cmocka_unit_test(a_refund_for_a_forgotten_key_changes_nothing),
		cmocka_unit_test(bad_arguments_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
