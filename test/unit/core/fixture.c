#include "fixture.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const struct {
	const char *code;
	double lat, lon;
} kecamatan[] = {
	{ "64.02.06", -0.419389, 116.932328 },
	{ "64.02.07", -0.266865, 116.942790 },
};

static const struct {
	const char *code, *name;
	kd_desa_kind kind;
	double lat, lon;
} desa[] = {
	{ "64.02.06.1001", "Kelurahan Uji Satu", KD_DESA_URBAN, -0.489690, 116.938339 },
	{ "64.02.06.2012", "Desa Uji Dua", KD_DESA_RURAL, -0.340536, 116.953979 },
	{ "64.02.07.2001", "Desa Uji Tiga", KD_DESA_RURAL, -0.346395, 116.788357 },
	{ "64.02.07.2014", "Desa Uji Empat", KD_DESA_RURAL, -0.148478, 116.977256 },
};

static const struct {
	int id;
	const char *code, *label_id, *label_en, *synonym;
} skills[] = {
	{ SKILL_WELDING, "welding", "Pengelasan", "Welding", "las" },
	{ SKILL_HEAVY_EQUIPMENT, "heavy_equipment", "Operator Alat Berat", "Heavy Equipment Operator",
	  "alat berat" },
	{ SKILL_ELECTRICAL, "electrical", "Instalasi Listrik", "Electrical Installation", "listrik" },
	{ SKILL_DRIVING, "driving", "Mengemudi", "Driving", "sopir" },
};

int fixture_setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->regions = kd_regions_new();
	f->skills = kd_skills_new();
	if (!f->regions || !f->skills)
		return -1;
	for (size_t i = 0; i < sizeof(kecamatan) / sizeof(kecamatan[0]); i++)
		if (kd_regions_add_kecamatan(f->regions, kecamatan[i].code, "Kecamatan Uji",
					     kecamatan[i].lat, kecamatan[i].lon) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(desa) / sizeof(desa[0]); i++)
		if (kd_regions_add_desa(f->regions, desa[i].code, desa[i].name, desa[i].kind,
					desa[i].lat, desa[i].lon) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(skills) / sizeof(skills[0]); i++)
		if (kd_skills_add(f->skills, skills[i].id, skills[i].code, skills[i].label_id,
				  skills[i].label_en) < 0 ||
		    kd_skills_add_synonym(f->skills, skills[i].id, skills[i].synonym) < 0)
			return -1;
	if (kd_regions_freeze(f->regions) < 0 || kd_skills_freeze(f->skills) < 0)
		return -1;
	f->ctx = (kd_validate_ctx){ f->regions, f->skills, { 2024, 6, 1 } };
	*state = f;
	return 0;
}

int fixture_teardown(void **state)
{
	fixture *f = *state;
	kd_regions_free(f->regions);
	kd_skills_free(f->skills);
	free(f);
	return 0;
}

static json_t *parse(const char *text)
{
	json_error_t error;
	json_t *value = json_loads(text, JSON_DECODE_ANY, &error);
	if (!value)
		fail_msg("fixture json: %s", error.text);
	return value;
}

json_t *fixture_seeker_body(void)
{
	return parse("{\"nik\":\"6402061705900001\",\"full_name\":\"Peserta Uji\","
		     "\"birth_date\":\"1990-05-17\",\"gender\":\"M\",\"phone\":\"0812-3456-7890\","
		     "\"desa_code\":\"64.02.06.2012\",\"education\":\"SMK\","
		     "\"skills\":[\"las\",\"Welding\",\"Operator Alat Berat\",\"merakit drone\"],"
		     "\"experience_years\":5,\"disability\":false,"
		     "\"consent\":{\"version\":\"2024-01\",\"accepted\":true}}");
}

json_t *fixture_employer_body(void)
{
	return parse("{\"name\":\"PT Uji Coba\",\"kbli_code\":\"05100\","
		     "\"desa_code\":\"64.02.07.2001\",\"contacts\":{\"name\":\"Kontak Uji\","
		     "\"phone\":\"+62 541 661234\",\"email\":\"hrd@uji.example\"}}");
}

json_t *fixture_vacancy_body(void)
{
	return parse("{\"title\":\"Juru Las\",\"kbji_code\":\"7212\",\"desa_code\":\"64.02.06.1001\","
		     "\"required_skills\":[\"las\"],\"optional_skills\":[\"sopir\"],"
		     "\"min_education\":\"SMK\",\"openings\":3}");
}

void fixture_nik(kd_date birth, char gender, char out[KD_NIK_LEN + 1])
{
	unsigned day = (unsigned)birth.day + (gender == 'F' ? 40u : 0u);
	snprintf(out, KD_NIK_LEN + 1, "640206%02u%02u%02u0001", day % 100u,
		 (unsigned)birth.month % 100u, (unsigned)birth.year % 100u);
}

char *fixture_dump(const json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	assert_non_null(text);
	return text;
}

void fixture_set(json_t *body, const char *key, const char *value)
{
	if (value)
		assert_int_equal(json_object_set_new(body, key, parse(value)), 0);
	else
		json_object_del(body, key);
}

void expect_error(int rc, const kd_field_error *err, int status, const char *code,
		  const char *field)
{
	if (rc >= 0)
		fail_msg("accepted, expected %d %s at \"%s\"", status, code, field);
	if (err->status != status || strcmp(err->code, code) != 0 || strcmp(err->field, field) != 0)
		fail_msg("got %d %s at \"%s\" (%s), expected %d %s at \"%s\"", err->status,
			 err->code, err->field, err->message, status, code, field);
	assert_int_equal(rc, -EINVAL);
	assert_true(err->message[0] != '\0');
}
