#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/nik.h"
#include "core/phone.h"
#include "core/regcode.h"
#include "demo/identity.h"
#include "kd.h"

static void test_name(void **state)
{
	(void)state;
	char name[KD_DEMO_NAME_SIZE];
	kd_demo_seeker_name(1, name);
	assert_string_equal(name, "Peserta Demo 00001");
	kd_demo_seeker_name(123456, name);
	assert_string_equal(name, "Peserta Demo 123456");
}

static void test_phones_are_valid_and_in_the_demo_block(void **state)
{
	(void)state;
	char phone[KD_PHONE_SIZE], normalised[KD_PHONE_SIZE];
	kd_demo_seeker_phone(42, phone);
	assert_string_equal(phone, "+62812000000042");
	assert_int_equal(kd_phone_normalise(phone, normalised), 0);
	assert_string_equal(normalised, phone);
	kd_demo_seeker_phone(KD_DEMO_MAX_NUMBER, phone);
	assert_int_equal(kd_phone_normalise(phone, normalised), 0);
	kd_demo_employer_phone(7, phone);
	assert_string_equal(phone, "+62811000000007");
	assert_int_equal(kd_phone_normalise(phone, normalised), 0);
}

static void test_nik_structure(void **state)
{
	(void)state;
	char nik[KD_NIK_LEN + 1];
	const char *why = NULL;
	kd_date born = { 1998, 3, 9 };
	assert_int_equal(kd_demo_nik("64.02.16", born, 'M', 5042, nik), 0);
	assert_string_equal(nik, "6402160903985042");
	assert_int_equal(kd_nik_check(nik, born, 'M', &why), 0);
	/* Women add 40 to the day. */
	assert_int_equal(kd_demo_nik("64.02.16", born, 'F', 9999, nik), 0);
	assert_string_equal(nik, "6402164903989999");
	assert_int_equal(kd_nik_check(nik, born, 'F', &why), 0);
	/* A century boundary and the last day of a leap February. */
	kd_date leap = { 2000, 2, 29 };
	assert_int_equal(kd_demo_nik("64.02.01", leap, 'F', 1, nik), 0);
	assert_string_equal(nik, "6402016902000001");
}

static void test_nik_refuses_bad_input(void **state)
{
	(void)state;
	char nik[KD_NIK_LEN + 1];
	kd_date born = { 1998, 3, 9 };
	assert_int_equal(kd_demo_nik("64.02", born, 'M', 1, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("64.02.1x", born, 'M', 1, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("64.02.16.2001", born, 'M', 1, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("64.02.00", born, 'M', 1, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("00.02.16", born, 'M', 1, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("64.02.16", born, 'M', 0, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("64.02.16", born, 'M', 10000, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("64.02.16", born, 'X', 1, nik), -EINVAL);
	assert_int_equal(kd_demo_nik("64.02.16", (kd_date){ 1998, 2, 30 }, 'M', 1, nik), -EINVAL);
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void test_ids_are_unique_and_json_safe(void **state)
{
	(void)state;
	enum { COUNT = 50000 };
	uint64_t *ids = malloc(COUNT * sizeof(*ids));
	assert_non_null(ids);
	for (uint64_t n = 1; n <= COUNT; n++) {
		ids[n - 1] = kd_demo_seeker_id(n, 7);
		assert_true(ids[n - 1] >= 1 && ids[n - 1] < KD_DEMO_ID_LIMIT);
	}
	/* Not the counter in disguise. */
	assert_true(ids[1] != ids[0] + 1);
	qsort(ids, COUNT, sizeof(*ids), compare_u64);
	for (size_t i = 1; i < COUNT; i++)
		assert_true(ids[i] != ids[i - 1]);
	free(ids);
}

static int compare_code(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_registration_codes(void **state)
{
	(void)state;
	enum { COUNT = 50000 };
	char (*codes)[KD_REGCODE_SIZE] = malloc(COUNT * sizeof(*codes));
	assert_non_null(codes);
	for (uint64_t n = 1; n <= COUNT; n++) {
		char canonical[KD_REGCODE_SIZE];
		kd_demo_registration_code(n, 11, codes[n - 1]);
		assert_int_equal(strlen(codes[n - 1]), 9);
		assert_int_equal(codes[n - 1][4], '-');
		assert_null(strpbrk(codes[n - 1], "ILOU"));
		assert_int_equal(kd_regcode_parse(codes[n - 1], canonical), 0);
		assert_string_equal(canonical, codes[n - 1]);
	}
	qsort(codes, COUNT, sizeof(*codes), compare_code);
	for (size_t i = 1; i < COUNT; i++)
		assert_true(strcmp(codes[i], codes[i - 1]) != 0);
	free(codes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_phones_are_valid_and_in_the_demo_block),
		cmocka_unit_test(test_nik_structure),
		cmocka_unit_test(test_nik_refuses_bad_input),
		cmocka_unit_test(test_ids_are_unique_and_json_safe),
		cmocka_unit_test(test_registration_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
