#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static int validate(const fixture *f, const json_t *body, kd_seeker_input *in, kd_field_error *err)
{
	char *text = fixture_dump(body);
	int rc = kd_validate_seeker(text, strlen(text), &f->ctx, in, err);
	free(text);
	return rc;
}

static void test_valid(void **state)
{
	const fixture *f = *state;
	json_t *body = fixture_seeker_body();
	kd_seeker_input in;
	kd_field_error err;
	assert_int_equal(validate(f, body, &in, &err), 0);
	assert_non_null(in.doc);
	assert_string_equal(in.nik, "6402061705900001");
	assert_string_equal(in.full_name, "Peserta Uji");
	assert_int_equal(kd_date_compare(in.birth_date, (kd_date){ 1990, 5, 17 }), 0);
	assert_int_equal(in.gender, 'M');
	assert_string_equal(in.phone, "+6281234567890");
	assert_string_equal(in.place.desa->code, "64.02.06.2012");
	assert_string_equal(in.place.desa->kecamatan->code, "64.02.06");
	assert_false(in.place.location_given);
	assert_true(in.place.lat == -0.340536 && in.place.lon == 116.953979);
	assert_int_equal(in.education, KD_EDU_SMK);
	/* "las" and "Welding" are one skill. */
	assert_int_equal(in.skill_count, 2);
	assert_int_equal(in.skill_ids[0], SKILL_WELDING);
	assert_int_equal(in.skill_ids[1], SKILL_HEAVY_EQUIPMENT);
	assert_int_equal(in.unknown_skill_count, 1);
	assert_string_equal(in.unknown_skills[0], "merakit drone");
	assert_int_equal(in.experience_years, 5);
	assert_true(in.max_distance_km == 0.0);
	assert_false(in.disability);
	assert_string_equal(in.consent_version, "2024-01");
	assert_false(in.guardian_consent);
	kd_seeker_input_release(&in);
	assert_null(in.doc);
	json_decref(body);
}

static void test_valid_options(void **state)
{
	const fixture *f = *state;
	json_t *body = fixture_seeker_body();
	fixture_set(body, "location", "{\"lat\":-0.35,\"lon\":116.95}");
	fixture_set(body, "max_distance_km", "12.5");
	fixture_set(body, "disability", "true");
	fixture_set(body, "experience_years", "60.0");
	fixture_set(body, "skills", "[\"Merakit-Drone\",\"LISTRIK\",\"merakit  drone\",\"listrik\"]");
	fixture_set(body, "gender", "\"F\"");
	fixture_set(body, "nik", "\"6402065705900002\"");
	kd_seeker_input in;
	kd_field_error err;
	assert_int_equal(validate(f, body, &in, &err), 0);
	assert_true(in.place.location_given);
	assert_true(in.place.lat == -0.35 && in.place.lon == 116.95);
	assert_true(in.max_distance_km == 12.5);
	assert_true(in.disability);
	assert_int_equal(in.experience_years, 60);
	assert_int_equal(in.gender, 'F');
	assert_int_equal(in.skill_count, 1);
	assert_int_equal(in.skill_ids[0], SKILL_ELECTRICAL);
	assert_int_equal(in.unknown_skill_count, 1);
	assert_string_equal(in.unknown_skills[0], "merakit drone");
	kd_seeker_input_release(&in);
	json_decref(body);
}

/*
 * No field of a registration is nullable in the API description, so a null
 * is refused, naming the field, whether the field is required or optional
 * and however deep it sits.
 */
static void test_null_is_refused_everywhere(void **state)
{
	const fixture *f = *state;
	static const struct {
		const char *key, *value, *field;
	} nulls[] = {
		{ "nik", "null", "nik" },
		{ "full_name", "null", "full_name" },
		{ "birth_date", "null", "birth_date" },
		{ "gender", "null", "gender" },
		{ "phone", "null", "phone" },
		{ "desa_code", "null", "desa_code" },
		{ "location", "null", "location" },
		{ "location", "{\"lat\":null,\"lon\":116.95}", "location.lat" },
		{ "location", "{\"lat\":-0.35,\"lon\":null}", "location.lon" },
		{ "education", "null", "education" },
		{ "skills", "null", "skills" },
		{ "experience_years", "null", "experience_years" },
		{ "max_distance_km", "null", "max_distance_km" },
		{ "disability", "null", "disability" },
		{ "consent", "null", "consent" },
		{ "consent", "{\"version\":null,\"accepted\":true}", "consent.version" },
		{ "consent", "{\"version\":\"v1\",\"accepted\":null}", "consent.accepted" },
		{ "guardian_consent", "null", "guardian_consent" },
	};
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++) {
		json_t *body = fixture_seeker_body();
		fixture_set(body, nulls[i].key, nulls[i].value);
		kd_seeker_input in;
		kd_field_error err;
		int rc = validate(f, body, &in, &err);
		if (rc >= 0 || strcmp(err.field, nulls[i].field) != 0 ||
		    strcmp(err.message, "must not be null") != 0)
			fail_msg("%s = %s: expected \"must not be null\" at %s", nulls[i].key,
				 nulls[i].value, nulls[i].field);
		expect_error(rc, &err, 422, "validation_failed", nulls[i].field);
		assert_null(in.doc);
		json_decref(body);
	}
}

static const struct change {
	const char *key, *value, *field, *code;
} changes[] = {
	{ "nik", NULL, "nik", "validation_failed" },
	{ "nik", "6402061705900001", "nik", "validation_failed" },
	{ "nik", "\"640206170590000\"", "nik", "validation_failed" },
	{ "nik", "\"1002061705900001\"", "nik", "validation_failed" },
	{ "nik", "\"6402061705910001\"", "nik", "validation_failed" },
	{ "gender", "\"F\"", "nik", "validation_failed" },
	{ "birth_date", "\"1990-05-18\"", "nik", "validation_failed" },
	{ "full_name", NULL, "full_name", "validation_failed" },
	{ "full_name", "\"\"", "full_name", "validation_failed" },
	{ "full_name", "\"   \"", "full_name", "validation_failed" },
	{ "full_name", "\"Peserta\\u0007Uji\"", "full_name", "validation_failed" },
	{ "full_name", "[\"Peserta\"]", "full_name", "validation_failed" },
	{ "birth_date", NULL, "birth_date", "validation_failed" },
	{ "birth_date", "\"1990-02-30\"", "birth_date", "validation_failed" },
	{ "birth_date", "\"17-05-1990\"", "birth_date", "validation_failed" },
	{ "birth_date", "19900517", "birth_date", "validation_failed" },
	{ "gender", NULL, "gender", "validation_failed" },
	{ "gender", "\"m\"", "gender", "validation_failed" },
	{ "gender", "\"MF\"", "gender", "validation_failed" },
	{ "gender", "true", "gender", "validation_failed" },
	{ "phone", NULL, "phone", "validation_failed" },
	{ "phone", "\"12345\"", "phone", "validation_failed" },
	{ "phone", "\"+6581234567\"", "phone", "validation_failed" },
	{ "phone", "81234567890", "phone", "validation_failed" },
	{ "desa_code", NULL, "desa_code", "validation_failed" },
	{ "desa_code", "\"64.02.06\"", "desa_code", "validation_failed" },
	{ "desa_code", "\"64.02.99.9999\"", "desa_code", "validation_failed" },
	{ "desa_code", "640206", "desa_code", "validation_failed" },
	{ "location", "[]", "location", "validation_failed" },
	{ "location", "{\"lat\":0,\"lon\":0}", "location", "validation_failed" },
	{ "location", "{\"lat\":-0.35,\"lon\":118.0}", "location", "validation_failed" },
	{ "location", "{\"lat\":\"-0.35\",\"lon\":116.95}", "location.lat", "validation_failed" },
	{ "location", "{\"lat\":91,\"lon\":116.95}", "location.lat", "validation_failed" },
	{ "location", "{\"lat\":-0.35}", "location.lon", "validation_failed" },
	{ "location", "{\"lat\":-0.35,\"lon\":181}", "location.lon", "validation_failed" },
	{ "location", "{\"lat\":-0.35,\"lon\":116.95,\"alt\":3}", "location.alt", "unknown_field" },
	{ "education", NULL, "education", "validation_failed" },
	{ "education", "\"SMA1\"", "education", "validation_failed" },
	{ "education", "\"smk\"", "education", "validation_failed" },
	{ "skills", NULL, "skills", "validation_failed" },
	{ "skills", "[]", "skills", "validation_failed" },
	{ "skills", "\"las\"", "skills", "validation_failed" },
	{ "skills", "[\"las\",\"listrik\",\"sopir\",3]", "skills[3]", "validation_failed" },
	{ "skills", "[\"las\",\" - \"]", "skills[1]", "validation_failed" },
	{ "skills", "[\"las\",\"x\\u0001y\"]", "skills[1]", "validation_failed" },
	{ "skills", "[\"las\",\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]",
	  "skills[1]", "validation_failed" },
	{ "skills", "[null]", "skills[0]", "validation_failed" },
	{ "experience_years", NULL, "experience_years", "validation_failed" },
	{ "experience_years", "-1", "experience_years", "validation_failed" },
	{ "experience_years", "61", "experience_years", "validation_failed" },
	{ "experience_years", "2.5", "experience_years", "validation_failed" },
	{ "experience_years", "\"5\"", "experience_years", "validation_failed" },
	{ "max_distance_km", "0", "max_distance_km", "validation_failed" },
	{ "max_distance_km", "-3", "max_distance_km", "validation_failed" },
	{ "max_distance_km", "1000.5", "max_distance_km", "validation_failed" },
	{ "max_distance_km", "\"10\"", "max_distance_km", "validation_failed" },
	{ "disability", NULL, "disability", "validation_failed" },
	{ "disability", "\"no\"", "disability", "validation_failed" },
	{ "disability", "0", "disability", "validation_failed" },
	{ "consent", NULL, "consent", "validation_failed" },
	{ "consent", "true", "consent", "validation_failed" },
	{ "consent", "{\"version\":\"v1\",\"accepted\":false}", "consent.accepted", "validation_failed" },
	{ "consent", "{\"version\":\"v1\"}", "consent.accepted", "validation_failed" },
	{ "consent", "{\"version\":\"v1\",\"accepted\":\"true\"}", "consent.accepted",
	  "validation_failed" },
	{ "consent", "{\"accepted\":true}", "consent.version", "validation_failed" },
	{ "consent", "{\"version\":\"\",\"accepted\":true}", "consent.version", "validation_failed" },
	{ "consent", "{\"version\":\"v\\u00e9\",\"accepted\":true}", "consent.version",
	  "validation_failed" },
	{ "consent", "{\"version\":\"123456789012345678901234567890123\",\"accepted\":true}",
	  "consent.version", "validation_failed" },
	{ "consent", "{\"version\":\"v1\",\"accepted\":true,\"by\":\"x\"}", "consent.by",
	  "unknown_field" },
	{ "guardian_consent", "\"yes\"", "guardian_consent", "validation_failed" },
	{ "nama", "\"Peserta Uji\"", "nama", "unknown_field" },
	{ "NIK", "\"6402061705900001\"", "NIK", "unknown_field" },
};

static void test_each_field_named(void **state)
{
	const fixture *f = *state;
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		const struct change *c = &changes[i];
		json_t *body = fixture_seeker_body();
		fixture_set(body, c->key, c->value);
		kd_seeker_input in;
		kd_field_error err;
		int rc = validate(f, body, &in, &err);
		if (rc >= 0 || strcmp(err.field, c->field) != 0)
			fail_msg("%s = %s: expected an error at \"%s\"", c->key,
				 c->value ? c->value : "(absent)", c->field);
		expect_error(rc, &err, 422, c->code, c->field);
		assert_null(in.doc);
		/* Messages never repeat the NIK. */
		assert_null(strstr(err.message, "640206"));
		json_decref(body);
	}
}

static void expect_age(const fixture *f, kd_date birth, const char *guardian, const char *field)
{
	char nik[KD_NIK_LEN + 1], date[KD_DATE_SIZE];
	json_t *body = fixture_seeker_body();
	fixture_nik(birth, 'M', nik);
	kd_date_format(birth, date);
	json_object_set_new(body, "nik", json_string(nik));
	json_object_set_new(body, "birth_date", json_string(date));
	fixture_set(body, "guardian_consent", guardian);
	kd_seeker_input in;
	kd_field_error err;
	int rc = validate(f, body, &in, &err);
	if (field) {
		expect_error(rc, &err, 422, "validation_failed", field);
	} else {
		if (rc != 0)
			fail_msg("born %s: %s %s", date, err.field, err.message);
		assert_int_equal(in.guardian_consent, guardian && strcmp(guardian, "true") == 0);
		kd_seeker_input_release(&in);
	}
	json_decref(body);
}

static void test_age_rules(void **state)
{
	const fixture *f = *state;
	/* today is 2024-06-01 */
	expect_age(f, (kd_date){ 2009, 6, 2 }, "true", "birth_date");
	expect_age(f, (kd_date){ 2009, 6, 1 }, "true", NULL);
	expect_age(f, (kd_date){ 2009, 6, 1 }, NULL, "guardian_consent");
	expect_age(f, (kd_date){ 2007, 1, 1 }, "false", "guardian_consent");
	expect_age(f, (kd_date){ 2006, 6, 2 }, NULL, "guardian_consent");
	expect_age(f, (kd_date){ 2006, 6, 1 }, NULL, NULL);
	expect_age(f, (kd_date){ 2006, 6, 1 }, "false", NULL);
	expect_age(f, (kd_date){ 2030, 1, 1 }, "true", "birth_date");
	expect_age(f, (kd_date){ 1900, 1, 1 }, NULL, "birth_date");
}

static void test_thirty_skills(void **state)
{
	const fixture *f = *state;
	json_t *body = fixture_seeker_body();
	json_t *list = json_array();
	char label[32];
	for (int i = 0; i < 30; i++) {
		snprintf(label, sizeof(label), "keahlian nomor %d", i);
		json_array_append_new(list, json_string(label));
	}
	json_object_set(body, "skills", list);
	kd_seeker_input in;
	kd_field_error err;
	assert_int_equal(validate(f, body, &in, &err), 0);
	assert_int_equal(in.unknown_skill_count, 30);
	assert_string_equal(in.unknown_skills[29], "keahlian nomor 29");
	kd_seeker_input_release(&in);

	json_array_append_new(list, json_string("las"));
	expect_error(validate(f, body, &in, &err), &err, 422, "validation_failed", "skills");
	json_decref(list);
	json_decref(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_valid_options),
		cmocka_unit_test(test_null_is_refused_everywhere),
		cmocka_unit_test(test_each_field_named),
		cmocka_unit_test(test_age_rules),
		cmocka_unit_test(test_thirty_skills),
	};
	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
