#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/regcode.h"

static void test_format(void **state)
{
	(void)state;
	char code[KD_REGCODE_SIZE];
	kd_regcode_format((const uint8_t[]){ 0, 0, 0, 0, 0 }, code);
	assert_string_equal(code, "0000-0000");
	kd_regcode_format((const uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0xff }, code);
	assert_string_equal(code, "ZZZZ-ZZZZ");
	/* 0x0123456789 read five bits at a time, most significant first. */
	kd_regcode_format((const uint8_t[]){ 0x01, 0x23, 0x45, 0x67, 0x89 }, code);
	assert_string_equal(code, "04HM-ASW9");
	/* The last bit lands in the last symbol. */
	kd_regcode_format((const uint8_t[]){ 0, 0, 0, 0, 1 }, code);
	assert_string_equal(code, "0000-0001");
}

static void test_alphabet(void **state)
{
	(void)state;
	/* Across many inputs only Crockford symbols appear, never I, L, O or U. */
	for (unsigned i = 0; i < 4096; i++) {
		uint8_t bits[KD_REGCODE_BITS_SIZE] = { (uint8_t)(i * 37), (uint8_t)(i >> 4),
						       (uint8_t)(i * 101), (uint8_t)i,
						       (uint8_t)(i * 7) };
		char code[KD_REGCODE_SIZE], back[KD_REGCODE_SIZE];
		kd_regcode_format(bits, code);
		assert_int_equal(strlen(code), 9);
		assert_int_equal(code[4], '-');
		assert_null(strpbrk(code, "ILOU"));
		assert_int_equal(kd_regcode_parse(code, back), 0);
		assert_string_equal(back, code);
	}
}

static void expect(const char *typed, const char *canonical)
{
	char out[KD_REGCODE_SIZE];
	if (kd_regcode_parse(typed, out) != 0)
		fail_msg("rejected: \"%s\"", typed);
	assert_string_equal(out, canonical);
}

static void test_parse_forgiving(void **state)
{
	(void)state;
	expect("04J6-HD39", "04J6-HD39");
	expect("04j6-hd39", "04J6-HD39");
	expect("04J6HD39", "04J6-HD39");
	expect("o4J6-HD39", "04J6-HD39");
	expect("O4J6-HDEI", "04J6-HDE1");
	expect("l1iI-LOoZ", "1111-100Z");
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "04J6-HD3", "04J6-HD399", "04J6--HD39", "04J-6HD39", "-04J6HD39",
		"04J6HD39-", "04J6 HD39", "04U6-HD39", "04J6-HD3!", "04J6-HD39\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[KD_REGCODE_SIZE];
		if (kd_regcode_parse(bad[i], out) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_alphabet),
		cmocka_unit_test(test_parse_forgiving),
		cmocka_unit_test(test_parse_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
