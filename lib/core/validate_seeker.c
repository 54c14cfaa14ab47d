/*
 * POST /v1/seekers: a job seeker registered at a kiosk.
 */
#include "core/validate_internal.h"

#include <string.h>

#include "core/text.h"
#include "kd.h"

#define NAME_MAX_BYTES 100
#define CONSENT_VERSION_MAX 32
#define EXPERIENCE_MAX_YEARS 60
#define MAX_DISTANCE_LIMIT_KM 1000.0
/* Older than this, the birth date is a typing error. */
#define AGE_PLAUSIBLE_MAX 120

static const char *const seeker_keys[] = {
	"nik", "full_name", "birth_date", "gender", "phone", "desa_code", "location",
	"education", "skills", "experience_years", "max_distance_km", "disability",
	"consent", "guardian_consent",
};

static const char *const consent_keys[] = { "version", "accepted" };

/* Checks the person: NIK, name, birth date, gender and age rules. */
static int check_person(const kd_vscope *s, const kd_validate_ctx *ctx, kd_seeker_input *in)
{
	const char *why;
	int rc = kd_v_string(s, "nik", true, &in->nik);
	if (rc < 0)
		return rc;
	if (kd_nik_check_structure(in->nik, &why) < 0)
		return kd_v_invalid(s, "nik", "%s", why);
	rc = kd_v_text(s, "full_name", true, NAME_MAX_BYTES, &in->full_name);
	if (rc < 0)
		return rc;
	rc = kd_v_date(s, "birth_date", true, &in->birth_date);
	if (rc < 0)
		return rc;

	const char *gender;
	rc = kd_v_string(s, "gender", true, &gender);
	if (rc < 0)
		return rc;
	if (strcmp(gender, "M") != 0 && strcmp(gender, "F") != 0)
		return kd_v_invalid(s, "gender", "must be M or F");
	in->gender = gender[0];
	if (kd_nik_check(in->nik, in->birth_date, in->gender, &why) < 0)
		return kd_v_invalid(s, "nik", "%s", why);

	int age = kd_date_age(in->birth_date, ctx->today);
	if (age < KD_MIN_AGE)
		return kd_v_invalid(s, "birth_date", "applicant must be at least %d years old",
				    KD_MIN_AGE);
	if (age > AGE_PLAUSIBLE_MAX)
		return kd_v_invalid(s, "birth_date", "is not a plausible birth date");
	rc = kd_v_bool(s, "guardian_consent", false, &in->guardian_consent);
	if (rc < 0)
		return rc;
	if (age < KD_ADULT_AGE && !in->guardian_consent)
		return kd_v_invalid(s, "guardian_consent", "must be true for applicants under %d",
				    KD_ADULT_AGE);
	return kd_ok();
}

static bool has_unknown_skill(const kd_seeker_input *in, const char *text)
{
	for (size_t i = 0; i < in->unknown_skill_count; i++)
		if (strcmp(in->unknown_skills[i], text) == 0)
			return true;
	return false;
}

static bool has_skill_id(const kd_seeker_input *in, int id)
{
	for (size_t i = 0; i < in->skill_count; i++)
		if (in->skill_ids[i] == id)
			return true;
	return false;
}

/* Known labels become skill ids; the rest is kept as normalised free text. */
static int check_skills(const kd_vscope *s, const kd_validate_ctx *ctx, kd_seeker_input *in)
{
	const json_t *list;
	int rc = kd_v_array(s, "skills", true, 1, KD_SKILLS_MAX, &list);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		if (!json_is_string(item))
			return kd_v_invalid_item(s, "skills", i, "must be a string");
		char norm[KD_SKILL_TERM_SIZE];
		int len = kd_text_normalise(json_string_value(item), norm, sizeof(norm));
		if (len == 0)
			return kd_v_invalid_item(s, "skills", i, "must not be empty");
		const kd_skill *skill = len > 0 ? kd_skills_lookup(ctx->skills, norm) : NULL;
		if (skill) {
			if (!has_skill_id(in, skill->id))
				in->skill_ids[in->skill_count++] = skill->id;
			continue;
		}
		if (len < 0 || len >= KD_FREE_SKILL_SIZE)
			return kd_v_invalid_item(s, "skills", i, "must be at most %d bytes",
						 KD_FREE_SKILL_SIZE - 1);
		if (!kd_text_is_clean(norm, (size_t)len))
			return kd_v_invalid_item(s, "skills", i,
						 "must not contain control characters");
		if (!has_unknown_skill(in, norm))
			memcpy(in->unknown_skills[in->unknown_skill_count++], norm, (size_t)len + 1);
	}
	return kd_ok();
}

static bool printable_ascii(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}

static int check_consent(const kd_vscope *s, kd_seeker_input *in)
{
	kd_vscope consent;
	int rc = kd_v_object(s, "consent", true, consent_keys, KD_ARRAY_LEN(consent_keys),
			     &consent);
	if (rc < 0)
		return rc;
	rc = kd_v_string(&consent, "version", true, &in->consent_version);
	if (rc < 0)
		return rc;
	size_t len = strlen(in->consent_version);
	if (len == 0 || len > CONSENT_VERSION_MAX || !printable_ascii(in->consent_version))
		return kd_v_invalid(&consent, "version", "must be 1 to %d printable ascii characters",
				    CONSENT_VERSION_MAX);
	bool accepted;
	rc = kd_v_bool(&consent, "accepted", true, &accepted);
	if (rc < 0)
		return rc;
	if (!accepted)
		return kd_v_invalid(&consent, "accepted", "must be true");
	return kd_ok();
}

static int check_seeker(const kd_vscope *s, const kd_validate_ctx *ctx, kd_seeker_input *in)
{
	int rc = check_person(s, ctx, in);
	if (rc < 0)
		return rc;
	rc = kd_v_phone(s, "phone", true, in->phone);
	if (rc < 0)
		return rc;
	rc = kd_v_place(s, ctx, &in->place);
	if (rc < 0)
		return rc;
	rc = kd_v_education(s, "education", true, &in->education);
	if (rc < 0)
		return rc;
	rc = check_skills(s, ctx, in);
	if (rc < 0)
		return rc;

	int64_t years;
	rc = kd_v_integer(s, "experience_years", true, 0, EXPERIENCE_MAX_YEARS, &years);
	if (rc < 0)
		return rc;
	in->experience_years = (int)years;
	rc = kd_v_number(s, "max_distance_km", false, 0.0, MAX_DISTANCE_LIMIT_KM,
			 &in->max_distance_km);
	if (rc < 0)
		return rc;
	if (rc > 0 && in->max_distance_km <= 0.0)
		return kd_v_invalid(s, "max_distance_km", "must be greater than 0");
	rc = kd_v_bool(s, "disability", true, &in->disability);
	if (rc < 0)
		return rc;
	return check_consent(s, in);
}

int kd_validate_seeker(const char *body, size_t len, const kd_validate_ctx *ctx,
		       kd_seeker_input *out, kd_field_error *err)
{
	kd_vscope scope;
	memset(out, 0, sizeof(*out));
	int rc = kd_v_body(body, len, seeker_keys, KD_ARRAY_LEN(seeker_keys), &out->doc, &scope,
			   err);
	if (rc < 0)
		return rc;
	rc = check_seeker(&scope, ctx, out);
	if (rc < 0) {
		kd_seeker_input_release(out);
		return rc;
	}
	return kd_ok();
}

void kd_seeker_input_release(kd_seeker_input *in)
{
	json_decref(in->doc);
	in->doc = NULL;
}
