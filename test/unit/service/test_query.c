#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "query.h"

static void finds_and_decodes_values(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(kd_query_get("q=operator+alat%20berat&limit=5", "q", out, sizeof(out)), 1);
	assert_string_equal(out, "operator alat berat");
	assert_int_equal(kd_query_get("q=a&limit=5", "limit", out, sizeof(out)), 1);
	assert_string_equal(out, "5");
	assert_int_equal(kd_query_get("q=%C3%A9", "q", out, sizeof(out)), 1);
	assert_string_equal(out, "\xc3\xa9");
	/* A name alone has the empty value; the first occurrence wins. */
	assert_int_equal(kd_query_get("flag&q=1&q=2", "flag", out, sizeof(out)), 1);
	assert_string_equal(out, "");
	assert_int_equal(kd_query_get("flag&q=1&q=2", "q", out, sizeof(out)), 1);
	assert_string_equal(out, "1");
	/* Names are compared decoded. */
	assert_int_equal(kd_query_get("access%5Ftoken=x", "access_token", out, sizeof(out)), 1);
	assert_string_equal(out, "x");
}

static void absent_names_are_not_prefixes(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(kd_query_get(NULL, "q", out, sizeof(out)), 0);
	assert_int_equal(kd_query_get("", "q", out, sizeof(out)), 0);
	assert_int_equal(kd_query_get("qq=1&xq=2", "q", out, sizeof(out)), 0);
}

static void bad_escapes_and_overflow_are_errors(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(kd_query_get("q=%4", "q", out, sizeof(out)), -EINVAL);
	assert_int_equal(kd_query_get("q=%zz", "q", out, sizeof(out)), -EINVAL);
	assert_int_equal(kd_query_get("q=%00", "q", out, sizeof(out)), -EINVAL);
	assert_int_equal(kd_query_get("q=12345678", "q", out, sizeof(out)), -ENOSPC);
	assert_int_equal(kd_query_get("q=1234567", "q", out, sizeof(out)), 1);
}

static void unknown_names_are_reported(void **state)
{
	(void)state;
	static const char *const allowed[] = { "q", "limit", NULL };
	assert_null(kd_query_unknown("q=a&limit=2", allowed));
	assert_null(kd_query_unknown(NULL, allowed));
	assert_string_equal(kd_query_unknown("q=a&access_token=x", allowed), "access_token");
	assert_string_equal(kd_query_unknown("lim=1", allowed), "lim");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_and_decodes_values),
		cmocka_unit_test(absent_names_are_not_prefixes),
		cmocka_unit_test(bad_escapes_and_overflow_are_errors),
		cmocka_unit_test(unknown_names_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
