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

static void test_formulas_are_neutralised(void **state)
{
	(void)state;
	assert_string_equal(field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
	assert_string_equal(field("+62 812"), "\"'+62 812\"");
	assert_string_equal(field("-2+3+cmd|' /C calc'!A0"), "\"'-2+3+cmd|' /C calc'!A0\"");
	assert_string_equal(field("@SUM(A1:A9)"), "\"'@SUM(A1:A9)\"");
	assert_string_equal(field("\tTab"), "\"'\tTab\"");
	assert_string_equal(field("\rCR"), "\"'\rCR\"");
	assert_string_equal(field("="), "\"'=\"");
	assert_string_equal(field("-"), "\"'-\"");
	assert_string_equal(field("-5."), "\"'-5.\"");
	/* plain numbers stay numbers */
	assert_string_equal(field("-5"), "-5");
	assert_string_equal(field("+2.50"), "+2.50");
	assert_string_equal(field("0"), "0");
	/* only the first byte counts */
	assert_string_equal(field("PT A=B"), "PT A=B");
	assert_false(kd_csv_is_formula("", 0));
	assert_false(kd_csv_is_formula("=x", 0));
	assert_true(kd_csv_is_formula("=x", 2));
}

static void test_worst_formula_fits_the_bound(void **state)
{
	(void)state;
	char in[100];
	memset(in, '"', sizeof(in));
	in[0] = '=';
	char out[KD_CSV_FIELD_MAX(sizeof(in))];
	size_t n = kd_csv_field(in, sizeof(in), out, sizeof(out));
	assert_int_equal(n, 2 * sizeof(in) - 1 + 3);
	assert_true(n < sizeof(out));
	assert_memory_equal(out, "\"'=", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fields_stay_bare),
		cmocka_unit_test(test_special_bytes_are_quoted),
		cmocka_unit_test(test_length_without_room),
		cmocka_unit_test(test_worst_case_fits_the_bound),
		cmocka_unit_test(test_formulas_are_neutralised),
		cmocka_unit_test(test_worst_formula_fits_the_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
