#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/text.h"
#include "core/text_clean.h"

static void char_lengths_follow_the_lead_byte(void **state)
{
	(void)state;
	assert_int_equal(kd_text_char_length('a'), 1);
	assert_int_equal(kd_text_char_length(0x00), 1);
	assert_int_equal(kd_text_char_length(0xc3), 2);
	assert_int_equal(kd_text_char_length(0xe2), 3);
	assert_int_equal(kd_text_char_length(0xf0), 4);
	assert_int_equal(kd_text_char_length(0x80), 0);
	assert_int_equal(kd_text_char_length(0xbf), 0);
	assert_int_equal(kd_text_char_length(0xf8), 0);
	assert_int_equal(kd_text_char_length(0xff), 0);
}

static void clean_text_is_copied_as_it_is(void **state)
{
	(void)state;
	char out[32];
	const char *text = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
	assert_int_equal(kd_text_clean_copy(text, strlen(text), out, sizeof(out)), strlen(text));
	assert_string_equal(out, text);
	assert_int_equal(kd_text_clean_copy("", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void bytes_that_are_not_text_become_question_marks(void **state)
{
	(void)state;
	char out[32];
	const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{"\xff", "?"},
		{"a\xc3", "a?"},		/* a character cut short at the end */
		{"\xc3(", "?("},		/* a lead byte without its continuation */
		{"\xe2\x82", "??"},
		{"\x80x", "?x"},		/* a continuation byte alone */
		{"\xc0\xaf", "??"},		/* an overlong '/' */
		{"\xed\xa0\x80", "???"},	/* a surrogate */
		{"a\tb\x7f", "a?b?"},		/* control characters */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = kd_text_clean_copy(cases[i].in, strlen(cases[i].in), out, sizeof(out));
		assert_string_equal(out, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		assert_true(kd_text_is_clean(out, n));
	}
}

static void the_copy_ends_between_characters(void **state)
{
	(void)state;
	char out[5];
	/* "ab" and a two-byte character fill four bytes; the euro sign does not fit. */
	const char *text = "ab\xc3\xa9\xe2\x82\xac";
	assert_int_equal(kd_text_clean_copy(text, strlen(text), out, sizeof(out)), 4);
	assert_string_equal(out, "ab\xc3\xa9");
	assert_int_equal(kd_text_clean_copy("a\xe2\x82\xac", 4, out, 4), 1);
	assert_string_equal(out, "a");
	assert_int_equal(kd_text_clean_copy("abc", 3, out, 1), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(char_lengths_follow_the_lead_byte),
		cmocka_unit_test(clean_text_is_copied_as_it_is),
		cmocka_unit_test(bytes_that_are_not_text_become_question_marks),
		cmocka_unit_test(the_copy_ends_between_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
