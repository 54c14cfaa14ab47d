#include "core/nik.h"

#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "kd.h"

/* Province codes of Kemendagri, as inclusive ranges. */
static const struct {
	int first, last;
} provinces[] = {
	{ 11, 19 }, { 21, 21 }, { 31, 36 }, { 51, 53 }, { 61, 65 },
	{ 71, 76 }, { 81, 82 }, { 91, 96 },
};

/* The NIK spells the day with 40 added for women. */
#define NIK_FEMALE_DAY_OFFSET 40

static bool all_digits(const char *nik)
{
	for (int i = 0; i < KD_NIK_LEN; i++)
		if (nik[i] < '0' || nik[i] > '9')
			return false;
	return nik[KD_NIK_LEN] == '\0';
}

static int pair(const char *nik, int at)
{
	return (nik[at] - '0') * 10 + (nik[at + 1] - '0');
}

static bool known_province(int code)
{
	for (size_t i = 0; i < KD_ARRAY_LEN(provinces); i++)
		if (code >= provinces[i].first && code <= provinces[i].last)
			return true;
	return false;
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return kd_error(EINVAL);
}

int kd_nik_check_structure(const char *nik, const char **why)
{
	if (!all_digits(nik))
		return fail(why, "must be 16 digits");
	if (!known_province(pair(nik, 0)))
		return fail(why, "unknown province code");
	if (pair(nik, 2) == 0)
		return fail(why, "regency code must not be 00");
	if (pair(nik, 4) == 0)
		return fail(why, "kecamatan code must not be 00");

	int day = pair(nik, 6), month = pair(nik, 8), yy = pair(nik, 10);
	if (day > NIK_FEMALE_DAY_OFFSET)
		day -= NIK_FEMALE_DAY_OFFSET;
	/*
	 * The century is unknown here, and 00 is a leap year in one of the two
	 * candidates (2000), so any year divisible by four allows 29 February.
	 */
	int longest = month == 2 && yy % 4 == 0 ? 29 : kd_date_days_in_month(2001, month);
	if (month < 1 || month > 12 || day < 1 || day > longest)
		return fail(why, "birth date digits are not a date");
	if (strcmp(nik + 12, "0000") == 0)
		return fail(why, "serial number must not be 0000");
	return kd_ok();
}

int kd_nik_check(const char *nik, kd_date birth_date, char gender, const char **why)
{
	int rc = kd_nik_check_structure(nik, why);
	if (rc < 0)
		return rc;
	int day = pair(nik, 6);
	bool female = day > NIK_FEMALE_DAY_OFFSET;
	if (female != (gender == 'F'))
		return fail(why, "birth day digits do not match gender");
	if (female)
		day -= NIK_FEMALE_DAY_OFFSET;
	if (day != birth_date.day || pair(nik, 8) != birth_date.month ||
	    pair(nik, 10) != birth_date.year % 100)
		return fail(why, "birth date digits do not match birth_date");
	return kd_ok();
}

void kd_nik_mask(const char *nik, char out[KD_NIK_LEN + 1])
{
	memcpy(out, nik, 4);
	memset(out + 4, '*', KD_NIK_LEN - 6);
	memcpy(out + KD_NIK_LEN - 2, nik + KD_NIK_LEN - 2, 2);
	out[KD_NIK_LEN] = '\0';
}

int kd_nik_hash(const uint8_t key[KD_NIK_KEY_SIZE], const char *nik,
		uint8_t out[KD_NIK_HASH_SIZE])
{
	if (!all_digits(nik))
		return kd_error(EINVAL);
	crypto_generichash(out, KD_NIK_HASH_SIZE, (const unsigned char *)nik, KD_NIK_LEN,
			   key, KD_NIK_KEY_SIZE);
	return kd_ok();
}
