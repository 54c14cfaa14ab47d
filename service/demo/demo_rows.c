#include "demo/demo_rows.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/nik.h"
#include "kd.h"

const char kd_demo_employer_columns[] =
	"id, name, kbli_code, desa_code, kecamatan_code, contact_name, contact_phone,"
	" contact_email, created_at";
const char kd_demo_vacancy_columns[] =
	"employer_id, title, kbji_code, desa_code, kecamatan_code, lat, lon,"
	" required_skill_ids, optional_skill_ids, min_education, openings, wage_min, wage_max,"
	" closes_on, disability_friendly, created_at, updated_at";
const char kd_demo_seeker_columns[] =
	"id, registration_code, nik_hash, nik_masked, full_name, birth_date, gender, phone,"
	" desa_code, kecamatan_code, lat, lon, location_given, education, skill_ids,"
	" unknown_skills, experience_years, max_distance_km, disability, guardian_consent,"
	" consent_version, consent_at, registered_at";

/* Room for "YYYY-MM-DD HH:MM:SS+00" and the NUL. */
#define TIMESTAMP_SIZE 32
/* Room for "{" and up to six ids of eleven characters with commas, and "}". */
#define ID_ARRAY_SIZE 96

static void copy_timestamp(kd_copy *copy, int64_t unix_seconds)
{
	time_t t = (time_t)unix_seconds;
	struct tm tm;
	char text[TIMESTAMP_SIZE];
	gmtime_r(&t, &tm);
	strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S+00", &tm);
	kd_copy_text(copy, text);
}

static void copy_date(kd_copy *copy, kd_date date)
{
	char text[KD_DATE_SIZE];
	kd_date_format(date, text);
	kd_copy_text(copy, text);
}

static void copy_ids(kd_copy *copy, const int *ids, size_t count)
{
	char text[ID_ARRAY_SIZE];
	size_t n = 0;
	text[n++] = '{';
	for (size_t i = 0; i < count && n < sizeof(text) - 14; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, i ? ",%d" : "%d", ids[i]);
	text[n++] = '}';
	text[n] = '\0';
	kd_copy_text(copy, text);
}

static void copy_bool(kd_copy *copy, bool value)
{
	kd_copy_text(copy, value ? "t" : "f");
}

void kd_demo_copy_employer(kd_copy *copy, const kd_demo_employer *e, long long id)
{
	kd_copy_format(copy, "%lld", id);
	kd_copy_text(copy, e->name);
	kd_copy_text(copy, e->kbli);
	kd_copy_text(copy, e->desa->code);
	kd_copy_text(copy, e->desa->kecamatan_code);
	kd_copy_text(copy, e->contact_name);
	kd_copy_text(copy, e->contact_phone);
	kd_copy_text(copy, e->contact_email);
	copy_timestamp(copy, e->created_at);
	kd_copy_row_end(copy);
}

void kd_demo_copy_vacancy(kd_copy *copy, const kd_demo_vacancy *v, long long employer_id)
{
	kd_copy_format(copy, "%lld", employer_id);
	kd_copy_text(copy, v->title);
	kd_copy_text(copy, v->kbji);
	kd_copy_text(copy, v->desa->code);
	kd_copy_text(copy, v->desa->kecamatan_code);
	kd_copy_format(copy, "%.6f", v->lat);
	kd_copy_format(copy, "%.6f", v->lon);
	copy_ids(copy, v->required, v->required_count);
	copy_ids(copy, v->optional, v->optional_count);
	kd_copy_text(copy, kd_education_code(v->min_education));
	kd_copy_format(copy, "%d", v->openings);
	if (v->wage_given) {
		kd_copy_format(copy, "%ld", v->wage_min);
		kd_copy_format(copy, "%ld", v->wage_max);
	} else {
		kd_copy_text(copy, NULL);
		kd_copy_text(copy, NULL);
	}
	copy_date(copy, v->closes_on);
	copy_bool(copy, v->disability_friendly);
	copy_timestamp(copy, v->created_at);
	copy_timestamp(copy, v->created_at);
	kd_copy_row_end(copy);
}

int kd_demo_copy_seeker(kd_copy *copy, const kd_demo_seeker *s,
			const uint8_t key[KD_SECRET_BYTES])
{
	uint8_t hash[KD_NIK_HASH_SIZE];
	if (kd_nik_hash(key, s->nik, hash) < 0)
		return kd_error(EINVAL);
	char hash_text[3 + 2 * KD_NIK_HASH_SIZE] = "\\x";
	sodium_bin2hex(hash_text + 2, sizeof(hash_text) - 2, hash, sizeof(hash));
	char masked[KD_NIK_LEN + 1];
	kd_nik_mask(s->nik, masked);

	kd_copy_format(copy, "%llu", (unsigned long long)s->id);
	kd_copy_text(copy, s->registration_code);
	kd_copy_text(copy, hash_text);
	kd_copy_text(copy, masked);
	kd_copy_text(copy, s->full_name);
	copy_date(copy, s->birth_date);
	kd_copy_text(copy, s->gender == 'F' ? "F" : "M");
	kd_copy_text(copy, s->phone);
	kd_copy_text(copy, s->desa->code);
	kd_copy_text(copy, s->desa->kecamatan_code);
	kd_copy_format(copy, "%.6f", s->lat);
	kd_copy_format(copy, "%.6f", s->lon);
	copy_bool(copy, s->location_given);
	kd_copy_text(copy, kd_education_code(s->education));
	copy_ids(copy, s->skills, s->skill_count);
	/* The free-text skills are drawn from a list without quotes or backslashes. */
	if (s->unknown_skill) {
		char unknown[128];
		snprintf(unknown, sizeof(unknown), "{\"%s\"}", s->unknown_skill);
		kd_copy_text(copy, unknown);
	} else {
		kd_copy_text(copy, "{}");
	}
	kd_copy_format(copy, "%d", s->experience_years);
	if (s->max_distance_km > 0)
		kd_copy_format(copy, "%g", s->max_distance_km);
	else
		kd_copy_text(copy, NULL);
	copy_bool(copy, s->disability);
	copy_bool(copy, s->guardian_consent);
	kd_copy_text(copy, s->consent_version);
	copy_timestamp(copy, s->registered_at);
	copy_timestamp(copy, s->registered_at);
	kd_copy_row_end(copy);
	return kd_ok();
}
