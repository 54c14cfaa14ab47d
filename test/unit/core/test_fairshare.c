#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/fairshare.h"

static void a_caller_gets_its_share_and_no_more(void **state)
{
	(void)state;
	kd_fairshare *share = kd_fairshare_new(2);
	assert_non_null(share);
	assert_true(kd_fairshare_take(share, 7));
	assert_true(kd_fairshare_take(share, 7));
	assert_false(kd_fairshare_take(share, 7));
	assert_int_equal(kd_fairshare_held(share, 7), 2);
	/* a unit given back can be taken again */
	kd_fairshare_give(share, 7);
	assert_true(kd_fairshare_take(share, 7));
	assert_false(kd_fairshare_take(share, 7));
	kd_fairshare_free(share);
}

static void callers_do_not_share_shares(void **state)
{
	(void)state;
	kd_fairshare *share = kd_fairshare_new(1);
	assert_true(kd_fairshare_take(share, 1));
	assert_false(kd_fairshare_take(share, 1));
	assert_true(kd_fairshare_take(share, 2));
	assert_true(kd_fairshare_take(share, -5));
	assert_int_equal(kd_fairshare_held(share, 1), 1);
	assert_int_equal(kd_fairshare_held(share, 3), 0);
	kd_fairshare_free(share);
}

static void many_callers_and_forgetting(void **state)
{
	(void)state;
	kd_fairshare *share = kd_fairshare_new(3);
	for (int64_t c = 0; c < 1000; c++)
		assert_true(kd_fairshare_take(share, c));
	for (int64_t c = 0; c < 1000; c += 2)
		kd_fairshare_give(share, c);
	for (int64_t c = 0; c < 1000; c++)
		assert_int_equal(kd_fairshare_held(share, c), (unsigned)(c % 2));
	/* giving back what was never taken changes nothing */
	kd_fairshare_give(share, 0);
	kd_fairshare_give(share, 5000);
	assert_int_equal(kd_fairshare_held(share, 1), 1);
	assert_true(kd_fairshare_take(share, 1));
	assert_true(kd_fairshare_take(share, 1));
	assert_false(kd_fairshare_take(share, 1));
	kd_fairshare_free(share);
}

static void a_share_of_zero_means_one(void **state)
{
	(void)state;
	kd_fairshare *share = kd_fairshare_new(0);
	assert_true(kd_fairshare_take(share, 9));
	assert_false(kd_fairshare_take(share, 9));
	kd_fairshare_free(share);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_caller_gets_its_share_and_no_more),
		cmocka_unit_test(callers_do_not_share_shares),
		cmocka_unit_test(many_callers_and_forgetting),
		cmocka_unit_test(a_share_of_zero_means_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
