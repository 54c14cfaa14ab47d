#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/nik.h"

/*
 * Synthetic numbers: Kutai Kartanegara (64.02), kecamatan 06, born
 * 17 May 1990; the woman's day is 17 + 40 = 57.
 */
#define MAN "6402061705900001"
#define WOMAN "6402065705900002"

static const kd_date born = { 1990, 5, 17 };

static void expect_structure_error(const char *nik, const char *reason)
{
	const char *why = NULL;
	assert_int_equal(kd_nik_check_structure(nik, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, reason);
	/* The full check reports the same structural reason. */
	why = NULL;
	assert_int_equal(kd_nik_check(nik, born, 'M', &why), -EINVAL);
	assert_string_equal(why, reason);
}

static void test_valid(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(kd_nik_check(MAN, born, 'M', &why), 0);
	assert_int_equal(kd_nik_check(WOMAN, born, 'F', &why), 0);
	assert_null(why);
	/* A 2000s birth: the year is compared modulo 100. */
	assert_int_equal(kd_nik_check("3171012902080123", (kd_date){ 2008, 2, 29 }, 'M', &why), 0);
	/* Every listed province range is accepted at both ends. */
	static const char *const edges[] = { "11", "19", "21", "31", "36", "51", "53", "61",
					     "65", "71", "76", "81", "82", "91", "96" };
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		char nik[] = MAN;
		memcpy(nik, edges[i], 2);
		assert_int_equal(kd_nik_check_structure(nik, &why), 0);
	}
}

static void test_digits(void **state)
{
	(void)state;
	expect_structure_error("640206170590001", "must be 16 digits");
	expect_structure_error("64020617059000011", "must be 16 digits");
	expect_structure_error("64020617059O0001", "must be 16 digits");
	expect_structure_error("6402 61705900001", "must be 16 digits");
	expect_structure_error("", "must be 16 digits");
}

static void test_province(void **state)
{
	(void)state;
	static const char *const bad[] = { "00", "10", "20", "22", "30", "37", "50", "54",
					   "60", "66", "70", "77", "80", "83", "90", "97", "99" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char nik[] = MAN;
		memcpy(nik, bad[i], 2);
		expect_structure_error(nik, "unknown province code");
	}
}

static void test_regency_and_kecamatan(void **state)
{
	(void)state;
	expect_structure_error("6400061705900001", "regency code must not be 00");
	expect_structure_error("6402001705900001", "kecamatan code must not be 00");
}

static void test_birth_digits(void **state)
{
	(void)state;
	expect_structure_error("6402060005900001", "birth date digits are not a date");
	expect_structure_error("6402063205900001", "birth date digits are not a date");
	expect_structure_error("6402064005900001", "birth date digits are not a date");
	expect_structure_error("6402067205900001", "birth date digits are not a date");
	expect_structure_error("6402061700900001", "birth date digits are not a date");
	expect_structure_error("6402061713900001", "birth date digits are not a date");
	expect_structure_error("6402063104900001", "birth date digits are not a date");
	expect_structure_error("6402062902910001", "birth date digits are not a date");
	const char *why;
	/* 29 February needs a year divisible by four (00 included: 2000 was leap). */
	assert_int_equal(kd_nik_check_structure("6402062902920001", &why), 0);
	assert_int_equal(kd_nik_check_structure("6402066902000001", &why), 0);
}

static void test_serial(void **state)
{
	(void)state;
	expect_structure_error("6402061705900000", "serial number must not be 0000");
}

static void test_agreement(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(kd_nik_check(MAN, born, 'F', &why), -EINVAL);
	assert_string_equal(why, "birth day digits do not match gender");
	assert_int_equal(kd_nik_check(WOMAN, born, 'M', &why), -EINVAL);
	assert_string_equal(why, "birth day digits do not match gender");
	static const kd_date others[] = { { 1990, 5, 18 }, { 1990, 6, 17 }, { 1991, 5, 17 },
					  { 2090, 5, 16 } };
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		why = NULL;
		assert_int_equal(kd_nik_check(MAN, others[i], 'M', &why), -EINVAL);
		assert_string_equal(why, "birth date digits do not match birth_date");
	}
	/* The century is not in the NIK: 1990 and 2090 read alike. */
	assert_int_equal(kd_nik_check(MAN, (kd_date){ 2090, 5, 17 }, 'M', &why), 0);
}

static size_t longest_digit_run(const char *s)
{
	size_t longest = 0, run = 0;
	for (; *s; s++) {
		run = *s >= '0' && *s <= '9' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest;
}

static void test_reasons_never_hold_the_number(void **state)
{
	(void)state;
	static const char *const bad[] = { "12345", "0002061705900001", "6400061705900001",
					   "6402061799900001", "6402061705900000",
					   "6402061705900001" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		assert_int_equal(kd_nik_check(bad[i], born, 'F', &why), -EINVAL);
		assert_true(longest_digit_run(why) <= 4);
		assert_null(strstr(why, bad[i]));
	}
}

static void test_mask(void **state)
{
	(void)state;
	char masked[KD_NIK_LEN + 1];
	kd_nik_mask(MAN, masked);
	assert_string_equal(masked, "6402**********01");
	kd_nik_mask(WOMAN, masked);
	assert_string_equal(masked, "6402**********02");
}

static void test_hash(void **state)
{
	(void)state;
	uint8_t key[KD_NIK_KEY_SIZE], out[KD_NIK_HASH_SIZE], other[KD_NIK_HASH_SIZE];
	for (int i = 0; i < KD_NIK_KEY_SIZE; i++)
		key[i] = (uint8_t)i;
	/* Keyed BLAKE2b-256 of the digits, computed independently. */
	static const uint8_t expected[KD_NIK_HASH_SIZE] = {
		0x16, 0x13, 0xe2, 0xa9, 0xa3, 0x59, 0x7b, 0x4e, 0x94, 0xb0, 0xc2,
		0xe6, 0x10, 0xdc, 0x47, 0xf8, 0xc5, 0xc1, 0x51, 0xe2, 0xfb, 0xe1,
		0xe4, 0x7c, 0x15, 0x20, 0x29, 0x39, 0x79, 0x68, 0x28, 0xf0,
	};
	assert_int_equal(kd_nik_hash(key, MAN, out), 0);
	assert_memory_equal(out, expected, sizeof(expected));

	key[0] ^= 1;
	assert_int_equal(kd_nik_hash(key, MAN, other), 0);
	assert_memory_not_equal(out, other, sizeof(other));
	assert_int_equal(kd_nik_hash(key, "64020617059", out), -EINVAL);
	assert_int_equal(kd_nik_hash(key, MAN "7", out), -EINVAL);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_province),
		cmocka_unit_test(test_regency_and_kecamatan),
		cmocka_unit_test(test_birth_digits),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_agreement),
		cmocka_unit_test(test_reasons_never_hold_the_number),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
