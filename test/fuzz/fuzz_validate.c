/*
 * Request bodies through the validators of lib/core/validate.h: every input
 * goes to all four (seeker, employer, vacancy, vacancy patch), against the
 * synthetic served area and skills taxonomy of test/unit/core/fixture.c.
 *
 * A refusal must be one well-formed error (400 or 422, or 500 with ENOMEM; a
 * known code; a field path and a message that are clean UTF-8) and leave
 * nothing owned.  An acceptance must yield a struct that keeps the promises
 * of validate.h, and the document written back by jansson must be accepted
 * again.  The leak checker sees every release.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "core/text.h"
#include "core/validate.h"
#include "fixture.h"
#include "fuzz_check.h"
#include "kd.h"

/* The synthetic reference data; lives as long as the process. */
static fixture *reference;
static const kd_validate_ctx *ctx;

/* A pattern the validators must overwrite wherever they promise a value. */
static void poison(void *p, size_t size)
{
	memset(p, 0xa5, size);
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_refusal(int rc, const kd_field_error *err, const json_t *doc)
{
	FUZZ_CHECK(doc == NULL);
	FUZZ_CHECK(terminated(err->code, sizeof(err->code)));
	FUZZ_CHECK(terminated(err->field, sizeof(err->field)));
	FUZZ_CHECK(terminated(err->message, sizeof(err->message)));
	FUZZ_CHECK(kd_text_is_clean(err->field, strlen(err->field)));
	FUZZ_CHECK(err->message[0] != '\0' && kd_text_is_clean(err->message, strlen(err->message)));
	if (rc == kd_error(ENOMEM)) {
		FUZZ_CHECK(err->status == 500 && strcmp(err->code, "internal_error") == 0);
		return;
	}
	FUZZ_CHECK(rc == kd_error(EINVAL));
	if (err->status == 400) {
		FUZZ_CHECK(strcmp(err->code, "malformed_json") == 0 && err->field[0] == '\0');
		return;
	}
	FUZZ_CHECK(err->status == 422);
	FUZZ_CHECK(strcmp(err->code, "validation_failed") == 0 ||
		   strcmp(err->code, "unknown_field") == 0);
}

/* Human text: present, clean UTF-8, not only spaces. */
static void check_text(const char *text)
{
	FUZZ_CHECK(text != NULL);
	size_t len = strlen(text);
	FUZZ_CHECK(strspn(text, " ") < len && kd_text_is_clean(text, len));
}

static bool is_digits(const char *code, size_t n)
{
	return strlen(code) == n && strspn(code, "0123456789") == n;
}

/* A normalised phone number normalises to itself. */
static void check_phone(const char *phone)
{
	char again[KD_PHONE_SIZE];
	FUZZ_CHECK(terminated(phone, KD_PHONE_SIZE) && strncmp(phone, "+62", 3) == 0);
	FUZZ_CHECK(kd_phone_normalise(phone, again) == 0 && strcmp(phone, again) == 0);
}

static void check_desa(const kd_desa *desa)
{
	FUZZ_CHECK(desa != NULL && kd_regions_desa(ctx->regions, desa->code) == desa);
	FUZZ_CHECK(desa->kecamatan != NULL);
}

static void check_place(const kd_place *place)
{
	check_desa(place->desa);
	if (!place->location_given) {
		FUZZ_CHECK(place->lat == place->desa->lat && place->lon == place->desa->lon);
		return;
	}
	kd_geo_box area = kd_regions_box(ctx->regions, KD_LOCATION_MARGIN_KM);
	FUZZ_CHECK(kd_geo_box_contains(&area, place->lat, place->lon));
}

static void check_date_from_today(kd_date date)
{
	FUZZ_CHECK(kd_date_valid(date) && kd_date_compare(date, ctx->today) >= 0);
}

/* Known skills, none twice. */
static void check_skill_ids(const int *ids, size_t count)
{
	FUZZ_CHECK(count <= KD_SKILLS_MAX);
	for (size_t i = 0; i < count; i++) {
		FUZZ_CHECK(kd_skills_by_id(ctx->skills, ids[i]) != NULL);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(ids[j] != ids[i]);
	}
}

static void check_free_skills(const kd_seeker_input *in)
{
	char norm[KD_SKILL_TERM_SIZE];
	for (size_t i = 0; i < in->unknown_skill_count; i++) {
		const char *label = in->unknown_skills[i];
		FUZZ_CHECK(terminated(label, KD_FREE_SKILL_SIZE));
		check_text(label);
		FUZZ_CHECK(kd_text_normalise(label, norm, sizeof(norm)) >= 0);
		FUZZ_CHECK(strcmp(norm, label) == 0);
		FUZZ_CHECK(kd_skills_lookup(ctx->skills, label) == NULL);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(in->unknown_skills[j], label) != 0);
	}
}

static void check_seeker(const kd_seeker_input *in)
{
	const char *why;
	FUZZ_CHECK(json_is_object(in->doc));
	FUZZ_CHECK(in->gender == 'M' || in->gender == 'F');
	FUZZ_CHECK(in->nik != NULL && kd_nik_check(in->nik, in->birth_date, in->gender, &why) == 0);
	check_text(in->full_name);
	int age = kd_date_age(in->birth_date, ctx->today);
	FUZZ_CHECK(kd_date_valid(in->birth_date) && age >= KD_MIN_AGE);
	FUZZ_CHECK(age >= KD_ADULT_AGE || in->guardian_consent);
	check_phone(in->phone);
	check_place(&in->place);
	FUZZ_CHECK(in->education >= KD_EDU_NONE && in->education < KD_EDU_COUNT);
	check_skill_ids(in->skill_ids, in->skill_count);
	FUZZ_CHECK(in->unknown_skill_count <= KD_SKILLS_MAX - in->skill_count);
	FUZZ_CHECK(in->skill_count + in->unknown_skill_count > 0);
	check_free_skills(in);
	FUZZ_CHECK(in->experience_years >= 0);
	FUZZ_CHECK(in->max_distance_km == 0.0 || in->max_distance_km > 0.0);
	FUZZ_CHECK(in->consent_version != NULL && in->consent_version[0] != '\0');
}

static void check_employer(const kd_employer_input *in)
{
	FUZZ_CHECK(json_is_object(in->doc));
	check_text(in->name);
	FUZZ_CHECK(!in->kbli_code || is_digits(in->kbli_code, 5));
	check_desa(in->desa);
	if (in->contact_name)
		check_text(in->contact_name);
	if (in->contact_phone[0])
		check_phone(in->contact_phone);
	FUZZ_CHECK(!in->contact_email || strchr(in->contact_email, '@'));
}

static void check_vacancy(const kd_vacancy_input *in)
{
	FUZZ_CHECK(json_is_object(in->doc));
	FUZZ_CHECK(in->employer_id >= 0);
	check_text(in->title);
	FUZZ_CHECK(!in->kbji_code || is_digits(in->kbji_code, 4));
	check_place(&in->place);
	FUZZ_CHECK(in->required_skill_count >= 1);
	check_skill_ids(in->required_skill_ids, in->required_skill_count);
	check_skill_ids(in->optional_skill_ids, in->optional_skill_count);
	for (size_t i = 0; i < in->optional_skill_count; i++)
		for (size_t j = 0; j < in->required_skill_count; j++)
			FUZZ_CHECK(in->optional_skill_ids[i] != in->required_skill_ids[j]);
	FUZZ_CHECK(in->min_education >= KD_EDU_NONE && in->min_education < KD_EDU_COUNT);
	FUZZ_CHECK(in->openings >= 1);
	FUZZ_CHECK(!in->has_wage_min || in->wage_min >= 0);
	FUZZ_CHECK(!in->has_wage_max || in->wage_max >= 0);
	FUZZ_CHECK(!in->has_wage_min || !in->has_wage_max || in->wage_min <= in->wage_max);
	if (in->has_closes_on)
		check_date_from_today(in->closes_on);
}

static void check_patch(const kd_vacancy_patch *in)
{
	FUZZ_CHECK(json_is_object(in->doc));
	FUZZ_CHECK(in->set_openings || in->set_closes_on || in->status);
	FUZZ_CHECK(in->set_openings ? in->openings >= 0 && in->openings <= 10000
				    : in->openings == 0);
	FUZZ_CHECK(!in->clear_closes_on || in->set_closes_on);
	if (in->set_closes_on && !in->clear_closes_on)
		check_date_from_today(in->closes_on);
	FUZZ_CHECK(!in->status || strcmp(in->status, "open") == 0 ||
		   strcmp(in->status, "closed") == 0);
}

typedef int (*validator)(const char *body, size_t len, bool rewrite);

/* What jansson writes for an accepted document is accepted too. */
static void check_rewritten(const json_t *doc, validator validate)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	FUZZ_CHECK(text != NULL);
	FUZZ_CHECK(validate(text, strlen(text), false) == kd_ok());
	free(text);
}

static int seeker(const char *body, size_t len, bool rewrite)
{
	kd_seeker_input in;
	kd_field_error err;
	poison(&in, sizeof(in));
	poison(&err, sizeof(err));
	int rc = kd_validate_seeker(body, len, ctx, &in, &err);
	if (rc < 0) {
		check_refusal(rc, &err, in.doc);
	} else {
		FUZZ_CHECK(rc == kd_ok());
		check_seeker(&in);
		if (rewrite)
			check_rewritten(in.doc, seeker);
	}
	kd_seeker_input_release(&in);
	return rc;
}

static int employer(const char *body, size_t len, bool rewrite)
{
	kd_employer_input in;
	kd_field_error err;
	poison(&in, sizeof(in));
	poison(&err, sizeof(err));
	int rc = kd_validate_employer(body, len, ctx, &in, &err);
	if (rc < 0) {
		check_refusal(rc, &err, in.doc);
	} else {
		FUZZ_CHECK(rc == kd_ok());
		check_employer(&in);
		if (rewrite)
			check_rewritten(in.doc, employer);
	}
	kd_employer_input_release(&in);
	return rc;
}

static int vacancy(const char *body, size_t len, bool rewrite)
{
	kd_vacancy_input in;
	kd_field_error err;
	poison(&in, sizeof(in));
	poison(&err, sizeof(err));
	int rc = kd_validate_vacancy(body, len, ctx, &in, &err);
	if (rc < 0) {
		check_refusal(rc, &err, in.doc);
	} else {
		FUZZ_CHECK(rc == kd_ok());
		check_vacancy(&in);
		if (rewrite)
			check_rewritten(in.doc, vacancy);
	}
	kd_vacancy_input_release(&in);
	return rc;
}

static int patch(const char *body, size_t len, bool rewrite)
{
	kd_vacancy_patch in;
	kd_field_error err;
	poison(&in, sizeof(in));
	poison(&err, sizeof(err));
	int rc = kd_validate_vacancy_patch(body, len, ctx, &in, &err);
	if (rc < 0) {
		check_refusal(rc, &err, in.doc);
	} else {
		FUZZ_CHECK(rc == kd_ok());
		check_patch(&in);
		if (rewrite)
			check_rewritten(in.doc, patch);
	}
	kd_vacancy_patch_release(&in);
	return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	void *state;
	(void)argc;
	(void)argv;
	if (fixture_setup(&state) < 0)
		abort();
	reference = state;
	ctx = &reference->ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	seeker(body, size, true);
	employer(body, size, true);
	vacancy(body, size, true);
	patch(body, size, true);
	return 0;
}
