#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

/* The field as kd_csv_field() writes it into a roomy buffer. */
static const char *field(const char *in)
{
	static char out[256];
	size_t n = kd_csv_field(in, strlen(in), out, sizeof(out));
	assert_true(n < sizeof(out));
	assert_int_equal(strlen(out), n);
	return out;
}

static void test_plain_fields_stay_bare(void **state)
{
	(void)state;
	assert_string_equal(field(""), "");
	assert_string_equal(field("PT Mahakam Uji"), "PT Mahakam Uji");
	assert_string_equal(field("  spaced  "), "  spaced  ");
	assert_string_equal(field("64.02.06"), "64.02.06");
	assert_string_equal(field("Juru Las; Tukang"), "Juru Las; Tukang");
	/* UTF-8 is copied byte for byte. */
	assert_string_equal(field("Caf\xc3\xa9 Tenggarong"), "Caf\xc3\xa9 Tenggarong");
	assert_false(kd_csv_needs_quotes("a b", 3));
}

static void test_special_bytes_are_quoted(void **state)
{
	(void)state;
	assert_string_equal(field("PT Uji, Tbk"), "\"PT Uji, Tbk\"");
	assert_string_equal(field("CV \"Maju\""), "\"CV \"\"Maju\"\"\"");
	assert_string_equal(field("\""), "\"\"\"\"");
	assert_string_equal(field("two\nlines"), "\"two\nlines\"");
	assert_string_equal(field("cr\rhere"), "\"cr\rhere\"");
	assert_string_equal(field(","), "\",\"");
	assert_true(kd_csv_needs_quotes("x,", 2));
	/* Only the bytes given count: the comma past len is not part of it. */
	assert_false(kd_csv_needs_quotes("ab,", 2));
}

static void test_length_without_room(void **state)
{
	(void)state;
	const char *in = "PT \"A\", B";
	size_t want = strlen("\"PT \"\"A\"\", B\"");
	char small[4] = "xyz";
	assert_int_equal(kd_csv_field(in, strlen(in), small, sizeof(small)), want);
	assert_string_equal(small, "");
	/* Exactly the length is still too small: the NUL needs its byte. */
	char exact[32];
	assert_int_equal(kd_csv_field(in, strlen(in), exact, want), want);
	assert_string_equal(exact, "");
	assert_int_equal(kd_csv_field(in, strlen(in), exact, want + 1), want);
	assert_string_equal(exact, "\"PT \"\"A\"\", B\"");
	assert_int_equal(kd_csv_field(in, strlen(in), NULL, 0), want);
}

static void test_worst_case_fits_the_bound(void **state)
{
	(void)state;
	char in[100];
	memset(in, '"', sizeof(in));
	char out[KD_CSV_FIELD_MAX(sizeof(in))];
	size_t n = kd_csv_field(in, sizeof(in), out, sizeof(out));
	assert_int_equal(n, 2 * sizeof(in) + 2);
	assert_true(n < sizeof(out));
	assert_int_equal(out[0], '"');
	assert_int_equal(out[n - 1], '"');
	assert_int_equal(out[n], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fields_stay_bare),
		cmocka_unit_test(test_special_bytes_are_quoted),
		cmocka_unit_test(test_length_without_room),
		cmocka_unit_test(test_worst_case_fits_the_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
