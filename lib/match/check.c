#include "kd.h"
#include "match/internal.h"

static int check_skills(const int32_t *skills, uint32_t n, uint32_t n_skills,
			const char *at, const char *field, kd_match_error *err)
{
	for (uint32_t i = 0; i < n; i++) {
		if (skills[i] < 0 || (uint32_t)skills[i] >= n_skills) {
			kd_match_error_set(err, "%s.%s[%u]: unknown skill", at, field, i);
			return kd_error(EINVAL);
		}
		if (i > 0 && skills[i] <= skills[i - 1]) {
			kd_match_error_set(err, "%s.%s: not ascending without repeats", at, field);
			return kd_error(EINVAL);
		}
	}
	return kd_ok();
}

int kd_match_check_seeker(const kd_match_seeker *s, const char *at, uint32_t n_kecamatan,
			  uint32_t n_skills, kd_match_error *err)
{
	const char *field = NULL;
	if ((unsigned)s->education >= KD_EDU_COUNT)
		field = "education: unknown level";
	else if (s->kecamatan >= n_kecamatan && s->kecamatan != KD_MATCH_NO_KECAMATAN)
		field = "kecamatan: unknown kecamatan";
	else if (!(s->max_distance_km >= 0.0 && s->max_distance_km <= KD_MATCH_MAX_KM))
		field = "max_distance_km: must be between 0 and 20000";
	if (field != NULL) {
		kd_match_error_set(err, "%s.%s", at, field);
		return kd_error(EINVAL);
	}
	return check_skills(s->skills, s->n_skills, n_skills, at, "skills", err);
}

int kd_match_check_vacancy(const kd_match_vacancy *v, const char *at, uint32_t n_kecamatan,
			   uint32_t n_skills, kd_match_error *err)
{
	const char *field = NULL;
	if ((unsigned)v->min_education >= KD_EDU_COUNT)
		field = "min_education: unknown level";
	else if (v->kecamatan >= n_kecamatan)
		field = "kecamatan: unknown kecamatan";
	else if (!kd_geo_valid(v->lat, v->lon))
		field = "lat: not a valid location";
	else if (v->n_required > KD_MATCH_MAX_VACANCY_SKILLS)
		field = "required_skills: more than 255 skills";
	else if (v->n_optional > KD_MATCH_MAX_VACANCY_SKILLS)
		field = "optional_skills: more than 255 skills";
	if (field != NULL) {
		kd_match_error_set(err, "%s.%s", at, field);
		return kd_error(EINVAL);
	}
	if (check_skills(v->required_skills, v->n_required, n_skills, at, "required_skills",
			 err) < 0 ||
	    check_skills(v->optional_skills, v->n_optional, n_skills, at, "optional_skills",
			 err) < 0)
		return kd_error(EINVAL);
	if (kd_match_count_common(v->optional_skills, v->n_optional, v->required_skills,
				  v->n_required) > 0) {
		kd_match_error_set(err, "%s.optional_skills: repeats a required skill", at);
		return kd_error(EINVAL);
	}
	return kd_ok();
}
