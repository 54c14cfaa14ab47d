#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/date.h"

static kd_date date(int y, int m, int d)
{
	return (kd_date){ y, m, d };
}

static void test_parse_valid(void **state)
{
	(void)state;
	kd_date d;
	assert_int_equal(kd_date_parse("2024-02-29", &d), 0);
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);
	assert_int_equal(kd_date_parse("2000-02-29", &d), 0);
	assert_int_equal(kd_date_parse("0001-01-01", &d), 0);
	assert_int_equal(kd_date_parse("9999-12-31", &d), 0);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "2024", "2024-01", "2024-1-01", "2024-01-1", "24-01-01", "2024-01-01 ",
		" 2024-01-01", "2024/01/01", "2024-13-01", "2024-00-10", "2024-01-00",
		"2024-01-32", "2023-02-29", "1900-02-29", "2024-04-31", "0000-01-01",
		"+024-01-01", "2024-0a-01", "20240101", "2024-01-011",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kd_date d = date(7, 7, 7);
		assert_int_equal(kd_date_parse(bad[i], &d), -EINVAL);
		assert_int_equal(d.year, 7);
	}
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(kd_date_is_leap_year(2024));
	assert_true(kd_date_is_leap_year(2000));
	assert_false(kd_date_is_leap_year(1900));
	assert_false(kd_date_is_leap_year(2023));
	assert_int_equal(kd_date_days_in_month(2023, 2), 28);
	assert_int_equal(kd_date_days_in_month(2024, 2), 29);
	assert_int_equal(kd_date_days_in_month(2024, 4), 30);
	assert_int_equal(kd_date_days_in_month(2024, 13), 0);
}

static void test_days(void **state)
{
	(void)state;
	assert_int_equal(kd_date_to_days(date(1970, 1, 1)), 0);
	assert_int_equal(kd_date_to_days(date(1970, 1, 2)), 1);
	assert_int_equal(kd_date_to_days(date(1969, 12, 31)), -1);
	assert_int_equal(kd_date_to_days(date(2000, 3, 1)), 11017);
	assert_int_equal(kd_date_to_days(date(2024, 6, 1)), 19875);
	assert_int_equal(kd_date_to_days(date(1, 1, 1)), -719162);
	/* Every day over four centuries survives the round trip and follows its predecessor. */
	long previous = kd_date_to_days(date(1899, 12, 31));
	for (long day = previous + 1; day < previous + 146097 + 1; day++) {
		kd_date d = kd_date_from_days(day);
		assert_true(kd_date_valid(d));
		assert_int_equal(kd_date_to_days(d), day);
	}
}

static void test_format(void **state)
{
	(void)state;
	char buf[KD_DATE_SIZE];
	kd_date_format(date(987, 3, 4), buf);
	assert_string_equal(buf, "0987-03-04");
	kd_date back;
	assert_int_equal(kd_date_parse(buf, &back), 0);
	assert_int_equal(kd_date_compare(back, date(987, 3, 4)), 0);
}

static void test_compare(void **state)
{
	(void)state;
	assert_true(kd_date_compare(date(2024, 1, 1), date(2024, 1, 2)) < 0);
	assert_true(kd_date_compare(date(2024, 2, 1), date(2024, 1, 31)) > 0);
	assert_true(kd_date_compare(date(2023, 12, 31), date(2024, 1, 1)) < 0);
	assert_int_equal(kd_date_compare(date(2024, 5, 5), date(2024, 5, 5)), 0);
}

static void test_age(void **state)
{
	(void)state;
	kd_date birth = date(2009, 6, 1);
	assert_int_equal(kd_date_age(birth, date(2024, 5, 31)), 14);
	assert_int_equal(kd_date_age(birth, date(2024, 6, 1)), 15);
	assert_int_equal(kd_date_age(birth, date(2024, 12, 31)), 15);
	/* A leap-day birthday counts from 1 March in common years. */
	kd_date leap = date(2008, 2, 29);
	assert_int_equal(kd_date_age(leap, date(2023, 2, 28)), 14);
	assert_int_equal(kd_date_age(leap, date(2023, 3, 1)), 15);
	assert_int_equal(kd_date_age(leap, date(2024, 2, 29)), 16);
	assert_true(kd_date_age(date(2030, 1, 1), date(2024, 1, 1)) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_age),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
