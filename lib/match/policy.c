#include "match/policy.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "kd.h"

void kd_match_policy_default(kd_match_policy *policy)
{
	*policy = (kd_match_policy){
		.max_distance_km = 75.0,
		.min_required_coverage = 1.0,
		.candidates_per_seeker = 50,
		.local_priority = KD_MATCH_LOCAL_STRICT,
		.weights = { .skill_fit = 1.0, .distance = 1.0, .same_kecamatan = 0.5 },
		.distance_scale_km = 25.0,
		.decision_days = 7,
	};
}

const char *kd_match_local_priority_name(kd_match_local_priority priority)
{
	return priority == KD_MATCH_LOCAL_WEIGHTED ? "weighted" : "strict";
}

static bool in_range(double x, double lo, double hi, bool lo_open)
{
	return isfinite(x) && (lo_open ? x > lo : x >= lo) && x <= hi;
}

int kd_match_policy_check(const kd_match_policy *p, kd_match_error *err)
{
	const char *field = NULL;
	if (!in_range(p->max_distance_km, 0.0, KD_MATCH_MAX_KM, true))
		field = "max_distance_km: must be above 0 and at most 20000";
	else if (!in_range(p->min_required_coverage, 0.0, 1.0, false))
		field = "min_required_coverage: must be between 0 and 1";
	else if (p->candidates_per_seeker < 1 ||
		 p->candidates_per_seeker > KD_MATCH_MAX_CANDIDATES)
		field = "candidates_per_seeker: must be between 1 and 10000";
	else if (p->local_priority != KD_MATCH_LOCAL_STRICT &&
		 p->local_priority != KD_MATCH_LOCAL_WEIGHTED)
		field = "local_priority: must be \"strict\" or \"weighted\"";
	else if (!in_range(p->weights.skill_fit, 0.0, KD_MATCH_MAX_WEIGHT, false))
		field = "weights.skill_fit: must be between 0 and 10";
	else if (!in_range(p->weights.distance, 0.0, KD_MATCH_MAX_WEIGHT, false))
		field = "weights.distance: must be between 0 and 10";
	else if (!in_range(p->weights.same_kecamatan, 0.0, KD_MATCH_MAX_WEIGHT, false))
		field = "weights.same_kecamatan: must be between 0 and 10";
	else if (!in_range(p->distance_scale_km, 0.0, KD_MATCH_MAX_KM, true))
		field = "distance_scale_km: must be above 0 and at most 20000";
	else if (p->decision_days < 1 || p->decision_days > KD_MATCH_MAX_DECISION_DAYS)
		field = "decision_days: must be between 1 and 60";
	if (field == NULL)
		return kd_ok();
	kd_match_error_set(err, "%s", field);
	return kd_error(EINVAL);
}

static int read_number(const json_t *value, const char *path, double *out,
		       kd_match_error *err)
{
	if (!json_is_number(value)) {
		kd_match_error_set(err, "%s: expected a number", path);
		return kd_error(EINVAL);
	}
	*out = json_number_value(value);
	return kd_ok();
}

static int apply_weights(kd_match_weights *w, const json_t *obj, kd_match_error *err)
{
	if (!json_is_object(obj)) {
		kd_match_error_set(err, "weights: expected an object");
		return kd_error(EINVAL);
	}
	const char *key;
	const json_t *value;
	json_object_foreach((json_t *)obj, key, value) {
		char path[96];
		double *field;
		snprintf(path, sizeof(path), "weights.%.64s", key);
		if (strcmp(key, "skill_fit") == 0)
			field = &w->skill_fit;
		else if (strcmp(key, "distance") == 0)
			field = &w->distance;
		else if (strcmp(key, "same_kecamatan") == 0)
			field = &w->same_kecamatan;
		else {
			kd_match_error_set(err, "%s: unknown key", path);
			return kd_error(EINVAL);
		}
		if (read_number(value, path, field, err) < 0)
			return kd_error(EINVAL);
	}
	return kd_ok();
}

static int apply_key(kd_match_policy *p, const char *key, const json_t *value,
		     kd_match_error *err)
{
	if (strcmp(key, "max_distance_km") == 0)
		return read_number(value, key, &p->max_distance_km, err);
	if (strcmp(key, "min_required_coverage") == 0)
		return read_number(value, key, &p->min_required_coverage, err);
	if (strcmp(key, "distance_scale_km") == 0)
		return read_number(value, key, &p->distance_scale_km, err);
	if (strcmp(key, "weights") == 0)
		return apply_weights(&p->weights, value, err);
	if (strcmp(key, "candidates_per_seeker") == 0) {
		json_int_t n = json_integer_value(value);
		if (!json_is_integer(value) || n < 1 || n > KD_MATCH_MAX_CANDIDATES) {
			kd_match_error_set(err, "%s: expected an integer between 1 and 10000",
					   key);
			return kd_error(EINVAL);
		}
		p->candidates_per_seeker = (uint32_t)n;
		return kd_ok();
	}
	if (strcmp(key, "decision_days") == 0) {
		json_int_t n = json_integer_value(value);
		if (!json_is_integer(value) || n < 1 || n > KD_MATCH_MAX_DECISION_DAYS) {
			kd_match_error_set(err, "%s: expected an integer between 1 and 60", key);
			return kd_error(EINVAL);
		}
		p->decision_days = (uint32_t)n;
		return kd_ok();
	}
	if (strcmp(key, "local_priority") == 0) {
		const char *s = json_string_value(value);
		if (s != NULL && strcmp(s, "strict") == 0)
			p->local_priority = KD_MATCH_LOCAL_STRICT;
		else if (s != NULL && strcmp(s, "weighted") == 0)
			p->local_priority = KD_MATCH_LOCAL_WEIGHTED;
		else {
			kd_match_error_set(err, "%s: expected \"strict\" or \"weighted\"", key);
			return kd_error(EINVAL);
		}
		return kd_ok();
	}
	kd_match_error_set(err, "%.64s: unknown key", key);
	return kd_error(EINVAL);
}

int kd_match_policy_apply_json(kd_match_policy *policy, const json_t *obj,
			       kd_match_error *err)
{
	if (!json_is_object(obj)) {
		kd_match_error_set(err, "policy: expected an object");
		return kd_error(EINVAL);
	}
	kd_match_policy next = *policy;
	const char *key;
	const json_t *value;
	json_object_foreach((json_t *)obj, key, value)
		if (apply_key(&next, key, value, err) < 0)
			return kd_error(EINVAL);
	if (kd_match_policy_check(&next, err) < 0)
		return kd_error(EINVAL);
	*policy = next;
	return kd_ok();
}
