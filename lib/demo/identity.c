#include "demo/identity.h"

#include <stdio.h>

#include "demo/rng.h"
#include "kd.h"

#define NIK_FEMALE_DAY_OFFSET 40
#define REGCODE_SPACE (UINT64_C(1) << 40)

void kd_demo_seeker_name(uint64_t number, char out[KD_DEMO_NAME_SIZE])
{
	snprintf(out, KD_DEMO_NAME_SIZE, "Peserta Demo %05llu", (unsigned long long)number);
}

static void phone(const char *block, uint64_t number, char out[KD_PHONE_SIZE])
{
	snprintf(out, KD_PHONE_SIZE, "%s%09u", block,
		 (unsigned)(number % (KD_DEMO_MAX_NUMBER + 1)));
}

void kd_demo_seeker_phone(uint64_t number, char out[KD_PHONE_SIZE])
{
	phone("+62812", number, out);
}

void kd_demo_employer_phone(uint64_t number, char out[KD_PHONE_SIZE])
{
	phone("+62811", number, out);
}

static int code_pair(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int kd_demo_nik(const char *kecamatan_code, kd_date birth_date, char gender, unsigned serial,
		char out[KD_NIK_LEN + 1])
{
	int province = code_pair(kecamatan_code);
	int regency = province < 0 || kecamatan_code[2] != '.' ? -1 : code_pair(kecamatan_code + 3);
	int kecamatan = regency < 0 || kecamatan_code[5] != '.' ? -1 : code_pair(kecamatan_code + 6);
	if (kecamatan < 0 || kecamatan_code[8] != '\0' || serial < 1 || serial > 9999 ||
	    (gender != 'M' && gender != 'F') || !kd_date_valid(birth_date))
		return kd_error(EINVAL);
	int day = birth_date.day + (gender == 'F' ? NIK_FEMALE_DAY_OFFSET : 0);
	const int pairs[] = { province, regency, kecamatan, day, birth_date.month,
			      birth_date.year % 100, (int)serial / 100, (int)serial % 100 };
	for (size_t i = 0; i < KD_ARRAY_LEN(pairs); i++) {
		out[2 * i] = (char)('0' + pairs[i] / 10);
		out[2 * i + 1] = (char)('0' + pairs[i] % 10);
	}
	out[KD_NIK_LEN] = '\0';
	const char *why;
	return kd_nik_check(out, birth_date, gender, &why);
}

uint64_t kd_demo_seeker_id(uint64_t number, uint64_t key)
{
	return kd_rng_permute((number - 1) % (KD_DEMO_ID_LIMIT - 1), KD_DEMO_ID_LIMIT - 1, key) + 1;
}

void kd_demo_registration_code(uint64_t number, uint64_t key, char out[KD_REGCODE_SIZE])
{
	uint64_t v = kd_rng_permute(number % REGCODE_SPACE, REGCODE_SPACE, key);
	uint8_t bits[KD_REGCODE_BITS_SIZE];
	for (int i = KD_REGCODE_BITS_SIZE - 1; i >= 0; i--, v >>= 8)
		bits[i] = (uint8_t)v;
	kd_regcode_format(bits, out);
}
