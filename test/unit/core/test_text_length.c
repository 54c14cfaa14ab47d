/*
 * kd_text_utf8_length(): characters, not bytes, are what JSON Schema's
 * minLength and maxLength count, so the API's length limits are counted so.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

static size_t length_of(const char *s)
{
	size_t chars = 12345;
	assert_int_equal(kd_text_utf8_length(s, strlen(s), &chars), 0);
	return chars;
}

static void test_characters_are_counted_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(length_of(""), 0);
	assert_int_equal(length_of("las"), 3);
	/* two, three and four bytes each */
	assert_int_equal(length_of("caf\xc3\xa9"), 4);
	assert_int_equal(length_of("\xe2\x82\xac" "5"), 2);
	assert_int_equal(length_of("\xf0\x9f\x94\xa7"), 1);
	/* Control characters are characters too; judging them is the caller's call. */
	assert_int_equal(length_of("a\tb"), 3);
	/* An embedded NUL counts when the length says it is there. */
	size_t chars = 0;
	assert_int_equal(kd_text_utf8_length("a\0b", 3, &chars), 0);
	assert_int_equal(chars, 3);
}

static void test_what_is_not_utf8_is_refused(void **state)
{
	(void)state;
	static const char *const refused[] = {
		"\xff",			/* begins no character */
		"\x80",			/* a stray continuation byte */
		"caf\xc3",		/* cut short at the end */
		"\xc3(",		/* cut short inside */
		"\xc0\xaf",		/* an overlong '/' */
		"\xe0\x80\xaf",		/* an overlong '/' in three bytes */
		"\xed\xa0\x80",		/* a surrogate */
		"\xf4\x90\x80\x80",	/* above U+10FFFF */
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		size_t chars = 12345;
		assert_int_equal(kd_text_utf8_length(refused[i], strlen(refused[i]), &chars),
				 -EILSEQ);
		assert_int_equal(chars, 12345);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_characters_are_counted_not_bytes),
		cmocka_unit_test(test_what_is_not_utf8_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
