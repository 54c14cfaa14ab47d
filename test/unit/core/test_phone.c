#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/phone.h"

static void expect(const char *in, const char *normalised)
{
	char out[KD_PHONE_SIZE];
	if (kd_phone_normalise(in, out) != 0)
		fail_msg("rejected: \"%s\"", in);
	assert_string_equal(out, normalised);
}

static void expect_rejected(const char *in)
{
	char out[KD_PHONE_SIZE] = "untouched";
	if (kd_phone_normalise(in, out) != -EINVAL)
		fail_msg("accepted: \"%s\"", in);
}

static void test_mobile_forms(void **state)
{
	(void)state;
	expect("081234567890", "+6281234567890");
	expect("6281234567890", "+6281234567890");
	expect("+6281234567890", "+6281234567890");
	expect("+62 812-3456-7890", "+6281234567890");
	expect("0812.3456.7890", "+6281234567890");
	expect("(0812) 3456 7890", "+6281234567890");
	expect("+62 (812) 345-678", "+62812345678");
	/* Shortest and longest mobile national numbers: 9 and 12 digits. */
	expect("0812345678", "+62812345678");
	expect("0812345678901", "+62812345678901");
}

static void test_landline_forms(void **state)
{
	(void)state;
	expect("(0541) 661234", "+62541661234");
	expect("021-5551234", "+62215551234");
	expect("+62 21 5551 2345", "+622155512345");
	expect("0911234567", "+62911234567");
	expect("0711 1234", "+627111234");
	expect("062712345678", "+6262712345678");
}

static void test_rejected(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "+", "0", "62", "+62", "08", "0812345", "081234567", "08123456789012",
		"+6208123456789", "+0812345678", "+6581234567", "6581234567", "1812345678",
		"0112345678", "081234567a", "0812 3456 789O", "0812/3456/7890", "0812+34567890",
		"++6281234567", "62 +81234567", "021 123", "021 1234 5678 90", "0812345678\n",
		"00628123456789", "0812345678901234567890",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_rejected(bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mobile_forms),
		cmocka_unit_test(test_landline_forms),
		cmocka_unit_test(test_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
