/*
 * POST /v1/vacancies and PATCH /v1/vacancies/{id}.
 */
#include "core/validate_internal.h"

#include <string.h>

#include "kd.h"

#define TITLE_MAX 200
#define KBJI_DIGITS 4
#define OPENINGS_MAX 10000
#define WAGE_MAX_IDR 1000000000
/* Ids travel through JSON clients that hold numbers as doubles. */
#define ID_MAX ((INT64_C(1) << 53) - 1)

static const char *const vacancy_keys[] = {
	"employer_id", "title", "kbji_code", "desa_code", "location", "required_skills",
	"optional_skills", "min_education", "openings", "wage_min", "wage_max", "closes_on",
	"disability_friendly",
};

static const char *const patch_keys[] = { "openings", "closes_on", "status" };

static int check_closes_on(const kd_vscope *s, const kd_validate_ctx *ctx, kd_date *closes_on)
{
	int rc = kd_v_date(s, "closes_on", false, closes_on);
	if (rc > 0 && kd_date_compare(*closes_on, ctx->today) < 0)
		return kd_v_invalid(s, "closes_on", "must not be in the past");
	return rc;
}

/* Optional skills that are also required add nothing; drop them. */
static void drop_required_from_optional(kd_vacancy_input *in)
{
	size_t kept = 0;
	for (size_t i = 0; i < in->optional_skill_count; i++) {
		size_t j = 0;
		while (j < in->required_skill_count &&
		       in->required_skill_ids[j] != in->optional_skill_ids[i])
			j++;
		if (j == in->required_skill_count)
			in->optional_skill_ids[kept++] = in->optional_skill_ids[i];
	}
	in->optional_skill_count = kept;
}

static int check_wages(const kd_vscope *s, kd_vacancy_input *in)
{
	int rc = kd_v_integer(s, "wage_min", false, 0, WAGE_MAX_IDR, &in->wage_min);
	if (rc < 0)
		return rc;
	in->has_wage_min = rc > 0;
	rc = kd_v_integer(s, "wage_max", false, 0, WAGE_MAX_IDR, &in->wage_max);
	if (rc < 0)
		return rc;
	in->has_wage_max = rc > 0;
	if (in->has_wage_min && in->has_wage_max && in->wage_min > in->wage_max)
		return kd_v_invalid(s, "wage_max", "must not be less than wage_min");
	return kd_ok();
}

static int check_vacancy(const kd_vscope *s, const kd_validate_ctx *ctx, kd_vacancy_input *in)
{
	int rc = kd_v_integer(s, "employer_id", false, 1, ID_MAX, &in->employer_id);
	if (rc < 0)
		return rc;
	rc = kd_v_text(s, "title", true, TITLE_MAX, &in->title);
	if (rc < 0)
		return rc;
	rc = kd_v_digits(s, "kbji_code", false, KBJI_DIGITS, &in->kbji_code);
	if (rc < 0)
		return rc;
	rc = kd_v_place(s, ctx, &in->place);
	if (rc < 0)
		return rc;
	rc = kd_v_known_skills(s, "required_skills", true, 1, ctx->skills,
			       in->required_skill_ids, &in->required_skill_count);
	if (rc < 0)
		return rc;
	rc = kd_v_known_skills(s, "optional_skills", false, 0, ctx->skills,
			       in->optional_skill_ids, &in->optional_skill_count);
	if (rc < 0)
		return rc;
	drop_required_from_optional(in);
	rc = kd_v_education(s, "min_education", true, &in->min_education);
	if (rc < 0)
		return rc;

	int64_t openings;
	rc = kd_v_integer(s, "openings", true, 1, OPENINGS_MAX, &openings);
	if (rc < 0)
		return rc;
	in->openings = (int)openings;
	rc = check_wages(s, in);
	if (rc < 0)
		return rc;
	rc = check_closes_on(s, ctx, &in->closes_on);
	if (rc < 0)
		return rc;
	in->has_closes_on = rc > 0;
	rc = kd_v_bool(s, "disability_friendly", false, &in->disability_friendly);
	return rc < 0 ? rc : kd_ok();
}

int kd_validate_vacancy(const char *body, size_t len, const kd_validate_ctx *ctx,
			kd_vacancy_input *out, kd_field_error *err)
{
	kd_vscope scope;
	memset(out, 0, sizeof(*out));
	int rc = kd_v_body(body, len, vacancy_keys, KD_ARRAY_LEN(vacancy_keys), &out->doc,
			   &scope, err);
	if (rc < 0)
		return rc;
	rc = check_vacancy(&scope, ctx, out);
	if (rc < 0) {
		kd_vacancy_input_release(out);
		return rc;
	}
	return kd_ok();
}

void kd_vacancy_input_release(kd_vacancy_input *in)
{
	json_decref(in->doc);
	in->doc = NULL;
}

static int check_patch(const kd_vscope *s, const kd_validate_ctx *ctx, kd_vacancy_patch *in)
{
	int64_t openings;
	int rc = kd_v_integer(s, "openings", false, 0, OPENINGS_MAX, &openings);
	if (rc < 0)
		return rc;
	in->set_openings = rc > 0;
	in->openings = (int)(in->set_openings ? openings : 0);

	/*
	 * The one nullable field of the API: null removes the closing date.
	 * The readers refuse null everywhere, so it is taken here first.
	 */
	const json_t *closes_on = json_object_get(s->object, "closes_on");
	in->set_closes_on = closes_on != NULL;
	in->clear_closes_on = json_is_null(closes_on);
	if (in->set_closes_on && !in->clear_closes_on) {
		rc = check_closes_on(s, ctx, &in->closes_on);
		if (rc < 0)
			return rc;
	}

	rc = kd_v_string(s, "status", false, &in->status);
	if (rc < 0)
		return rc;
	if (rc > 0 && strcmp(in->status, "open") != 0 && strcmp(in->status, "closed") != 0)
		return kd_v_invalid(s, "status", "must be open or closed");
	if (!in->set_openings && !in->set_closes_on && !in->status)
		return kd_v_invalid(s, "", "no changes given");
	return kd_ok();
}

int kd_validate_vacancy_patch(const char *body, size_t len, const kd_validate_ctx *ctx,
			      kd_vacancy_patch *out, kd_field_error *err)
{
	kd_vscope scope;
	memset(out, 0, sizeof(*out));
	int rc = kd_v_body(body, len, patch_keys, KD_ARRAY_LEN(patch_keys), &out->doc, &scope,
			   err);
	if (rc < 0)
		return rc;
	rc = check_patch(&scope, ctx, out);
	if (rc < 0) {
		kd_vacancy_patch_release(out);
		return rc;
	}
	return kd_ok();
}

void kd_vacancy_patch_release(kd_vacancy_patch *in)
{
	json_decref(in->doc);
	in->doc = NULL;
}
