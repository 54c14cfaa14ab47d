/*
 * Employers, vacancies and vacancy changes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

struct change {
	const char *key, *value, *field, *code;
};

static int employer(const fixture *f, const json_t *body, kd_employer_input *in,
		    kd_field_error *err)
{
	char *text = fixture_dump(body);
	int rc = kd_validate_employer(text, strlen(text), &f->ctx, in, err);
	free(text);
	return rc;
}

static int vacancy(const fixture *f, const json_t *body, kd_vacancy_input *in, kd_field_error *err)
{
	char *text = fixture_dump(body);
	int rc = kd_validate_vacancy(text, strlen(text), &f->ctx, in, err);
	free(text);
	return rc;
}

static int patch(const fixture *f, const char *text, kd_vacancy_patch *in, kd_field_error *err)
{
	return kd_validate_vacancy_patch(text, strlen(text), &f->ctx, in, err);
}

static void check_changes(const fixture *f, json_t *(*make)(void), const struct change *changes,
			  size_t n, bool is_vacancy)
{
	for (size_t i = 0; i < n; i++) {
		const struct change *c = &changes[i];
		json_t *body = make();
		fixture_set(body, c->key, c->value);
		kd_field_error err;
		kd_employer_input e;
		kd_vacancy_input v;
		int rc = is_vacancy ? vacancy(f, body, &v, &err) : employer(f, body, &e, &err);
		if (rc >= 0 || strcmp(err.field, c->field) != 0)
			fail_msg("%s = %s: expected an error at \"%s\"", c->key,
				 c->value ? c->value : "(absent)", c->field);
		expect_error(rc, &err, 422, c->code, c->field);
		json_decref(body);
	}
}

static void test_employer_valid(void **state)
{
	const fixture *f = *state;
	json_t *body = fixture_employer_body();
	kd_employer_input in;
	kd_field_error err;
	assert_int_equal(employer(f, body, &in, &err), 0);
	assert_string_equal(in.name, "PT Uji Coba");
	assert_string_equal(in.kbli_code, "05100");
	assert_string_equal(in.desa->code, "64.02.07.2001");
	assert_string_equal(in.contact_name, "Kontak Uji");
	assert_string_equal(in.contact_phone, "+62541661234");
	assert_string_equal(in.contact_email, "hrd@uji.example");
	kd_employer_input_release(&in);

	fixture_set(body, "contacts", NULL);
	fixture_set(body, "kbli_code", NULL);
	assert_int_equal(employer(f, body, &in, &err), 0);
	assert_null(in.kbli_code);
	assert_null(in.contact_name);
	assert_string_equal(in.contact_phone, "");
	assert_null(in.contact_email);
	kd_employer_input_release(&in);
	json_decref(body);
}

static void test_employer_fields(void **state)
{
	static const struct change changes[] = {
		{ "name", NULL, "name", "validation_failed" },
		{ "name", "\"\"", "name", "validation_failed" },
		{ "name", "17", "name", "validation_failed" },
		{ "kbli_code", "\"0510\"", "kbli_code", "validation_failed" },
		{ "kbli_code", "\"05a00\"", "kbli_code", "validation_failed" },
		{ "kbli_code", "5100", "kbli_code", "validation_failed" },
		{ "desa_code", NULL, "desa_code", "validation_failed" },
		{ "desa_code", "\"64.02.08.2001\"", "desa_code", "validation_failed" },
		{ "location", "{\"lat\":-0.35,\"lon\":116.95}", "location", "unknown_field" },
		{ "contacts", "\"hrd@uji.example\"", "contacts", "validation_failed" },
		{ "contacts", "{\"phone\":\"12\"}", "contacts.phone", "validation_failed" },
		{ "contacts", "{\"name\":\"\"}", "contacts.name", "validation_failed" },
		{ "contacts", "{\"fax\":\"0541 661234\"}", "contacts.fax", "unknown_field" },
		{ "contacts", "{\"email\":\"hrd\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"@uji.example\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"hrd@uji\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"hrd@@uji.example\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"h rd@uji.example\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"hrd@uji..example\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"hrd@.uji.example\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"hrd@uji.example.\"}", "contacts.email", "validation_failed" },
		{ "contacts", "{\"email\":\"h\\u00e9@uji.example\"}", "contacts.email",
		  "validation_failed" },
		{ "contacts", "{\"email\":1}", "contacts.email", "validation_failed" },
		/* Nothing of an employer is nullable. */
		{ "name", "null", "name", "validation_failed" },
		{ "kbli_code", "null", "kbli_code", "validation_failed" },
		{ "desa_code", "null", "desa_code", "validation_failed" },
		{ "contacts", "null", "contacts", "validation_failed" },
		{ "contacts", "{\"name\":null}", "contacts.name", "validation_failed" },
		{ "contacts", "{\"phone\":null}", "contacts.phone", "validation_failed" },
		{ "contacts", "{\"email\":null}", "contacts.email", "validation_failed" },
	};
	check_changes(*state, fixture_employer_body, changes, sizeof(changes) / sizeof(changes[0]),
		      false);
}

static void test_vacancy_valid(void **state)
{
	const fixture *f = *state;
	json_t *body = fixture_vacancy_body();
	kd_vacancy_input in;
	kd_field_error err;
	assert_int_equal(vacancy(f, body, &in, &err), 0);
	assert_int_equal(in.employer_id, 0);
	assert_string_equal(in.title, "Juru Las");
	assert_string_equal(in.kbji_code, "7212");
	assert_string_equal(in.place.desa->code, "64.02.06.1001");
	assert_false(in.place.location_given);
	assert_int_equal(in.required_skill_count, 1);
	assert_int_equal(in.required_skill_ids[0], SKILL_WELDING);
	assert_int_equal(in.optional_skill_count, 1);
	assert_int_equal(in.optional_skill_ids[0], SKILL_DRIVING);
	assert_int_equal(in.min_education, KD_EDU_SMK);
	assert_int_equal(in.openings, 3);
	assert_false(in.has_wage_min || in.has_wage_max || in.has_closes_on);
	assert_false(in.disability_friendly);
	kd_vacancy_input_release(&in);

	fixture_set(body, "employer_id", "42");
	fixture_set(body, "required_skills", "[\"las\",\"Welding\",\"alat berat\"]");
	fixture_set(body, "optional_skills", "[\"pengelasan\",\"listrik\",\"LISTRIK\"]");
	fixture_set(body, "wage_min", "4000000");
	fixture_set(body, "wage_max", "4000000");
	fixture_set(body, "closes_on", "\"2024-06-01\"");
	fixture_set(body, "disability_friendly", "true");
	fixture_set(body, "location", "{\"lat\":-0.45,\"lon\":116.94}");
	fixture_set(body, "openings", "10000");
	assert_int_equal(vacancy(f, body, &in, &err), 0);
	assert_int_equal(in.employer_id, 42);
	assert_int_equal(in.required_skill_count, 2);
	assert_int_equal(in.required_skill_ids[1], SKILL_HEAVY_EQUIPMENT);
	/* Welding is required already; listrik counts once. */
	assert_int_equal(in.optional_skill_count, 1);
	assert_int_equal(in.optional_skill_ids[0], SKILL_ELECTRICAL);
	assert_true(in.has_wage_min && in.has_wage_max);
	assert_int_equal(in.wage_min, 4000000);
	assert_true(in.has_closes_on);
	assert_int_equal(kd_date_compare(in.closes_on, f->ctx.today), 0);
	assert_true(in.disability_friendly);
	assert_true(in.place.location_given);
	assert_int_equal(in.openings, 10000);
	kd_vacancy_input_release(&in);
	json_decref(body);
}

static void test_vacancy_fields(void **state)
{
	static const struct change changes[] = {
		{ "employer_id", "0", "employer_id", "validation_failed" },
		{ "employer_id", "-4", "employer_id", "validation_failed" },
		{ "employer_id", "1.5", "employer_id", "validation_failed" },
		{ "employer_id", "\"42\"", "employer_id", "validation_failed" },
		{ "employer_id", "9007199254740992", "employer_id", "validation_failed" },
		{ "title", NULL, "title", "validation_failed" },
		{ "title", "\" \"", "title", "validation_failed" },
		{ "kbji_code", "\"72121\"", "kbji_code", "validation_failed" },
		{ "desa_code", "\"64.02.06.1002\"", "desa_code", "validation_failed" },
		{ "location", "{\"lat\":-2,\"lon\":116.9}", "location", "validation_failed" },
		{ "required_skills", NULL, "required_skills", "validation_failed" },
		{ "required_skills", "[]", "required_skills", "validation_failed" },
		{ "required_skills", "[\"las\",\"memasak\"]", "required_skills[1]", "validation_failed" },
		{ "required_skills", "[\"las\",false]", "required_skills[1]", "validation_failed" },
		{ "required_skills", "{\"las\":1}", "required_skills", "validation_failed" },
		{ "optional_skills", "[\"memasak\"]", "optional_skills[0]", "validation_failed" },
		{ "min_education", NULL, "min_education", "validation_failed" },
		{ "min_education", "\"SMP \"", "min_education", "validation_failed" },
		{ "openings", NULL, "openings", "validation_failed" },
		{ "openings", "0", "openings", "validation_failed" },
		{ "openings", "10001", "openings", "validation_failed" },
		{ "openings", "\"3\"", "openings", "validation_failed" },
		{ "wage_min", "-1", "wage_min", "validation_failed" },
		{ "wage_max", "1000000001", "wage_max", "validation_failed" },
		{ "wage_max", "2500000.5", "wage_max", "validation_failed" },
		{ "closes_on", "\"2024-05-31\"", "closes_on", "validation_failed" },
		{ "closes_on", "\"2024-06-31\"", "closes_on", "validation_failed" },
		{ "disability_friendly", "\"ya\"", "disability_friendly", "validation_failed" },
		{ "status", "\"open\"", "status", "unknown_field" },
		/* Nothing of a new vacancy is nullable. */
		{ "employer_id", "null", "employer_id", "validation_failed" },
		{ "title", "null", "title", "validation_failed" },
		{ "kbji_code", "null", "kbji_code", "validation_failed" },
		{ "desa_code", "null", "desa_code", "validation_failed" },
		{ "location", "null", "location", "validation_failed" },
		{ "required_skills", "null", "required_skills", "validation_failed" },
		{ "optional_skills", "null", "optional_skills", "validation_failed" },
		{ "min_education", "null", "min_education", "validation_failed" },
		{ "openings", "null", "openings", "validation_failed" },
		{ "wage_min", "null", "wage_min", "validation_failed" },
		{ "wage_max", "null", "wage_max", "validation_failed" },
		{ "closes_on", "null", "closes_on", "validation_failed" },
		{ "disability_friendly", "null", "disability_friendly", "validation_failed" },
	};
	check_changes(*state, fixture_vacancy_body, changes, sizeof(changes) / sizeof(changes[0]),
		      true);

	const fixture *f = *state;
	json_t *body = fixture_vacancy_body();
	fixture_set(body, "wage_min", "5000000");
	fixture_set(body, "wage_max", "4000000");
	kd_vacancy_input in;
	kd_field_error err;
	expect_error(vacancy(f, body, &in, &err), &err, 422, "validation_failed", "wage_max");
	json_t *many = json_array();
	for (int i = 0; i < 31; i++)
		json_array_append_new(many, json_string("las"));
	json_object_set_new(body, "required_skills", many);
	expect_error(vacancy(f, body, &in, &err), &err, 422, "validation_failed", "required_skills");
	json_decref(body);
}

static void test_patch(void **state)
{
	const fixture *f = *state;
	kd_vacancy_patch in;
	kd_field_error err;
	assert_int_equal(patch(f, "{\"openings\":0}", &in, &err), 0);
	assert_true(in.set_openings);
	assert_int_equal(in.openings, 0);
	assert_false(in.set_closes_on);
	assert_null(in.status);
	kd_vacancy_patch_release(&in);

	assert_int_equal(patch(f, "{\"status\":\"closed\",\"closes_on\":\"2024-07-01\"}", &in, &err), 0);
	assert_false(in.set_openings);
	assert_string_equal(in.status, "closed");
	assert_true(in.set_closes_on);
	assert_false(in.clear_closes_on);
	assert_int_equal(kd_date_compare(in.closes_on, (kd_date){ 2024, 7, 1 }), 0);
	kd_vacancy_patch_release(&in);

	assert_int_equal(patch(f, "{\"closes_on\":null}", &in, &err), 0);
	assert_true(in.set_closes_on);
	assert_true(in.clear_closes_on);
	kd_vacancy_patch_release(&in);

	static const struct {
		const char *body, *field, *code;
	} bad[] = {
		{ "{}", "", "validation_failed" },
		/* closes_on is the only nullable field of a change. */
		{ "{\"status\":null}", "status", "validation_failed" },
		{ "{\"openings\":null}", "openings", "validation_failed" },
		{ "{\"openings\":null,\"closes_on\":null}", "openings", "validation_failed" },
		{ "{\"openings\":-1}", "openings", "validation_failed" },
		{ "{\"openings\":10001}", "openings", "validation_failed" },
		{ "{\"status\":\"paused\"}", "status", "validation_failed" },
		{ "{\"status\":\"OPEN\"}", "status", "validation_failed" },
		{ "{\"closes_on\":\"2024-05-31\"}", "closes_on", "validation_failed" },
		{ "{\"closes_on\":20240701}", "closes_on", "validation_failed" },
		{ "{\"openings\":1,\"title\":\"Juru Las\"}", "title", "unknown_field" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = patch(f, bad[i].body, &in, &err);
		if (rc >= 0 || strcmp(err.field, bad[i].field) != 0)
			fail_msg("%s: expected an error at \"%s\"", bad[i].body, bad[i].field);
		expect_error(rc, &err, 422, bad[i].code, bad[i].field);
		assert_null(in.doc);
	}
	expect_error(patch(f, "{\"openings\":1,\"openings\":2}", &in, &err), &err, 400,
		     "malformed_json", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_employer_valid),
		cmocka_unit_test(test_employer_fields),
		cmocka_unit_test(test_vacancy_valid),
		cmocka_unit_test(test_vacancy_fields),
		cmocka_unit_test(test_patch),
	};
	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
