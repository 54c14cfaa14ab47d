#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "api/query.h"

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
	char name[KD_QUERY_NAME_SIZE];
	assert_int_equal(kd_query_check_names("q=a&limit=2", allowed, name), 0);
	assert_int_equal(kd_query_check_names(NULL, allowed, name), 0);
	assert_int_equal(kd_query_check_names("q=a&access_token=x", allowed, name), 1);
	assert_string_equal(name, "access_token");
	assert_int_equal(kd_query_check_names("lim=1", allowed, name), 1);
	assert_string_equal(name, "lim");
	/* Named as compared: decoded. */
	assert_int_equal(kd_query_check_names("caf%C3%A9=1", allowed, name), 1);
	assert_string_equal(name, "caf\xc3\xa9");
	assert_int_equal(kd_query_check_names("caf\xc3\xa9=1", allowed, name), 1);
	assert_string_equal(name, "caf\xc3\xa9");
	assert_int_equal(kd_query_check_names("a+b=1", allowed, name), 1);
	assert_string_equal(name, "a b");
}

static void long_names_are_cut_between_characters(void **state)
{
	(void)state;
	static const char *const allowed[] = { "q", NULL };
	char name[KD_QUERY_NAME_SIZE], query[256], expect[KD_QUERY_NAME_SIZE];
	/* 62 bytes and a two-byte character: 64 bytes do not fit in 63. */
	memset(expect, 'a', 62);
	expect[62] = '\0';
	snprintf(query, sizeof(query), "%s%%C3%%A9=1", expect);
	assert_int_equal(kd_query_check_names(query, allowed, name), 1);
	assert_string_equal(name, expect);
	snprintf(query, sizeof(query), "%s\xc3\xa9", expect);
	assert_int_equal(kd_query_check_names(query, allowed, name), 1);
	assert_string_equal(name, expect);
	/* 61 bytes and a three-byte character: 64 bytes again. */
	expect[61] = '\0';
	snprintf(query, sizeof(query), "%s\xe2\x82\xac", expect);
	assert_int_equal(kd_query_check_names(query, allowed, name), 1);
	assert_string_equal(name, expect);
	/* Exactly 63 bytes fit. */
	memset(expect, 'b', 63);
	expect[63] = '\0';
	assert_int_equal(kd_query_check_names(expect, allowed, name), 1);
	assert_string_equal(name, expect);
	/* Beyond the cut the name is still judged whole. */
	snprintf(query, sizeof(query), "%s%s%%FF=1", expect, expect);
	assert_int_equal(kd_query_check_names(query, allowed, name), -EILSEQ);
}

static void names_that_are_not_text_are_refused(void **state)
{
	(void)state;
	static const char *const allowed[] = { "q", NULL };
	static const char *const refused[] = {
		"%FF=1",		/* begins no character */
		"%C3=1",		/* a character cut short */
		"x%E2%82",		/* the same, at the end */
		"\xff=1", "\xc3", "\xc3(=1",	/* sent raw */
		"%C0%AF=1",		/* an overlong '/' */
		"%ED%A0%80=1",		/* a surrogate */
		"%zz=1", "%4=1", "%",	/* broken escapes */
		"%00=1", "%0A=1", "a%7F", /* control characters */
		"q=1&%FF=2",		/* after a known name */
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char name[KD_QUERY_NAME_SIZE] = "untouched";
		assert_int_equal(kd_query_check_names(refused[i], allowed, name), -EILSEQ);
	}
	/* The first name that is not allowed decides. */
	char name[KD_QUERY_NAME_SIZE];
	assert_int_equal(kd_query_check_names("x=1&%FF=2", allowed, name), 1);
	assert_string_equal(name, "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_and_decodes_values),
		cmocka_unit_test(absent_names_are_not_prefixes),
		cmocka_unit_test(bad_escapes_and_overflow_are_errors),
		cmocka_unit_test(unknown_names_are_reported),
		cmocka_unit_test(long_names_are_cut_between_characters),
		cmocka_unit_test(names_that_are_not_text_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
