/*
 * --area as LIKE patterns over desa codes: each level of region code, lists,
 * "all", and every malformed form refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "demo/area.h"

static void assert_patterns(const char *area, const char *expected)
{
	char patterns[KD_DEMO_AREA_PATTERNS_SIZE];
	const char *why = NULL;
	assert_int_equal(kd_demo_area_patterns(area, patterns, &why), 0);
	assert_string_equal(patterns, expected);
}

static void assert_refused(const char *area)
{
	char patterns[KD_DEMO_AREA_PATTERNS_SIZE];
	const char *why = NULL;
	if (kd_demo_area_patterns(area, patterns, &why) != -EINVAL)
		fail_msg("area \"%s\" was accepted", area);
	assert_non_null(why);
}

static void test_levels(void **state)
{
	(void)state;
	assert_patterns("64", "{64.%}");
	assert_patterns("64.02", "{64.02.%}");
	assert_patterns("64.02.01", "{64.02.01.%}");
	assert_patterns("64.02.01.2001", "{64.02.01.2001}");
	assert_patterns("all", "{%}");
}

static void test_lists(void **state)
{
	(void)state;
	assert_patterns("64.02,64.72", "{64.02.%,64.72.%}");
	assert_patterns("11,64.02.01.2001,91.01.03", "{11.%,64.02.01.2001,91.01.03.%}");
}

static void test_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "6", "640", "64.2", "64.02.", "64..02", ".64", "64,", ",64", "64,,65",
		"64.02.01.201", "64.02.01.20011", "64.02.01.2001.1", "64 ", " 64", "6a",
		"64.02;64.72", "ALL", "all,64", "64,all", "%", "64.%",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(bad[i]);
}

static void test_too_long(void **state)
{
	(void)state;
	char area[KD_DEMO_AREA_MAX_LEN + 8] = "";
	/* 85 regencies of six characters with their commas: 509 characters. */
	while (strlen(area) + 6 <= KD_DEMO_AREA_MAX_LEN)
		strcat(area, strlen(area) ? ",64.02" : "64.02");
	assert_true(strlen(area) <= KD_DEMO_AREA_MAX_LEN);
	char patterns[KD_DEMO_AREA_PATTERNS_SIZE];
	const char *why = NULL;
	assert_int_equal(kd_demo_area_patterns(area, patterns, &why), 0);
	strcat(area, ",64.72");
	assert_refused(area);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
