#include "handlers/insert_params.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/pgjson.h"

/* Appends s to a PostgreSQL array literal, quoted and escaped. */
static void array_append_quoted(char *buf, size_t size, size_t *len, const char *s)
{
	if (*len + 2 < size)
		buf[(*len)++] = '"';
	for (; *s && *len + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			buf[(*len)++] = '\\';
		buf[(*len)++] = *s;
	}
	if (*len + 1 < size)
		buf[(*len)++] = '"';
	buf[*len] = '\0';
}

void kd_seeker_params_fill(kd_seeker_params *p, const uint8_t secret[KD_SECRET_BYTES],
			   const kd_seeker_input *in, const char *id, const char *code)
{
	uint8_t hash[KD_NIK_HASH_SIZE];
	kd_nik_hash(secret, in->nik, hash);
	memcpy(p->hash_hex, "\\x", 2);
	sodium_bin2hex(p->hash_hex + 2, sizeof(p->hash_hex) - 2, hash, sizeof(hash));
	sodium_memzero(hash, sizeof(hash));
	kd_nik_mask(in->nik, p->masked);
	kd_date_format(in->birth_date, p->birth);
	kd_pgjson_format_real(in->place.lat, p->lat, sizeof(p->lat));
	kd_pgjson_format_real(in->place.lon, p->lon, sizeof(p->lon));
	snprintf(p->experience, sizeof(p->experience), "%d", in->experience_years);
	snprintf(p->max_distance, sizeof(p->max_distance), "%.3f", in->max_distance_km);
	kd_pgjson_format_int_array(in->skill_ids, in->skill_count, p->skill_ids,
				   sizeof(p->skill_ids));
	size_t u = 0;
	p->unknown[u++] = '{';
	for (size_t i = 0; i < in->unknown_skill_count; i++) {
		if (i)
			p->unknown[u++] = ',';
		array_append_quoted(p->unknown, sizeof(p->unknown), &u, in->unknown_skills[i]);
	}
	p->unknown[u++] = '}';
	p->unknown[u] = '\0';
	p->gender[0] = in->gender;
	p->gender[1] = '\0';
	const char *params[KD_SEEKER_INSERT_PARAMS] = {
		id, code, p->hash_hex, p->masked, in->full_name, p->birth, p->gender, in->phone,
		in->place.desa->code, in->place.desa->kecamatan->code, p->lat, p->lon,
		in->place.location_given ? "t" : "f", kd_education_code(in->education),
		p->skill_ids, p->unknown, p->experience,
		in->max_distance_km > 0 ? p->max_distance : NULL, in->disability ? "t" : "f",
		in->guardian_consent ? "t" : "f", in->consent_version,
	};
	memcpy(p->params, params, sizeof(params));
}

void kd_seeker_params_clear(kd_seeker_params *p)
{
	sodium_memzero(p, sizeof(*p));
}

void kd_vacancy_params_fill(kd_vacancy_params *p, const kd_vacancy_input *in,
			    int64_t employer_id)
{
	snprintf(p->employer, sizeof(p->employer), "%lld", (long long)employer_id);
	kd_pgjson_format_real(in->place.lat, p->lat, sizeof(p->lat));
	kd_pgjson_format_real(in->place.lon, p->lon, sizeof(p->lon));
	kd_pgjson_format_int_array(in->required_skill_ids, in->required_skill_count, p->required,
				   sizeof(p->required));
	kd_pgjson_format_int_array(in->optional_skill_ids, in->optional_skill_count, p->optional,
				   sizeof(p->optional));
	snprintf(p->openings, sizeof(p->openings), "%d", in->openings);
	snprintf(p->wage_min, sizeof(p->wage_min), "%lld", (long long)in->wage_min);
	snprintf(p->wage_max, sizeof(p->wage_max), "%lld", (long long)in->wage_max);
	kd_date_format(in->closes_on, p->closes_on);
	const char *params[KD_VACANCY_INSERT_PARAMS] = {
		p->employer, in->title, in->kbji_code, in->place.desa->code,
		in->place.desa->kecamatan->code, p->lat, p->lon, p->required, p->optional,
		kd_education_code(in->min_education), p->openings,
		in->has_wage_min ? p->wage_min : NULL, in->has_wage_max ? p->wage_max : NULL,
		in->has_closes_on ? p->closes_on : NULL, in->disability_friendly ? "t" : "f",
	};
	memcpy(p->params, params, sizeof(params));
}
