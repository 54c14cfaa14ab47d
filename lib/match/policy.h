/*
 * The knobs of a match run.  Defaults live in code (kd_match_policy_default);
 * a run may override any of them from a JSON object such as
 *
 *   {"max_distance_km": 60, "local_priority": "weighted",
 *    "weights": {"skill_fit": 1.0, "distance": 1.5, "same_kecamatan": 0.5}}
 *
 * Scores are fixed point: a pair's score is the weighted sum rounded to the
 * nearest 1/KD_MATCH_SCORE_SCALE point, and every total is a sum of those
 * rounded values, so what people are shown is exactly what optimal mode
 * maximises.
 */
#ifndef KD_MATCH_POLICY_H
#define KD_MATCH_POLICY_H

#include <jansson.h>
#include <stdint.h>

#include "match/error.h"

#define KD_MATCH_SCORE_SCALE 1000
#define KD_MATCH_MAX_WEIGHT 10.0
#define KD_MATCH_MAX_KM 20000.0
#define KD_MATCH_MAX_CANDIDATES 10000
#define KD_MATCH_MAX_DECISION_DAYS 60

typedef enum kd_match_local_priority {
	/* Same-kecamatan placements come first, whatever the scores say. */
	KD_MATCH_LOCAL_STRICT,
	/* The same-kecamatan bonus is one weight among the others. */
	KD_MATCH_LOCAL_WEIGHTED,
} kd_match_local_priority;

typedef struct kd_match_weights {
	double skill_fit;       /* share of the vacancy's skills the seeker has */
	double distance;        /* exp(-distance_km / distance_scale_km) */
	double same_kecamatan;  /* 1 when seeker and vacancy share a kecamatan */
} kd_match_weights;

typedef struct kd_match_policy {
	double max_distance_km;         /* (0, KD_MATCH_MAX_KM]; default 75 */
	double min_required_coverage;   /* [0, 1]; default 1: every required skill */
	uint32_t candidates_per_seeker; /* [1, KD_MATCH_MAX_CANDIDATES]; default 50 */
	kd_match_local_priority local_priority; /* default strict */
	kd_match_weights weights;       /* each [0, KD_MATCH_MAX_WEIGHT]; 1, 1, 0.5 */
	double distance_scale_km;       /* (0, KD_MATCH_MAX_KM]; default 25 */
	/* Days an employer has to decide an offer of a database run; [1, 60], default 7. */
	uint32_t decision_days;
} kd_match_policy;

/* Writes the defaults into *policy. */
void kd_match_policy_default(kd_match_policy *policy);

/*
 * Checks every field against its range.  Returns kd_ok(), or kd_error(EINVAL)
 * with err naming the first field out of range.
 */
int kd_match_policy_check(const kd_match_policy *policy, kd_match_error *err);

/*
 * Overrides the fields named in the JSON object obj (borrowed) and checks the
 * result.  Keys not listed above, values of the wrong type and values out of
 * range give kd_error(EINVAL) with err naming the key ("weights.bonus:
 * unknown key"); *policy is left unchanged on failure.
 */
int kd_match_policy_apply_json(kd_match_policy *policy, const json_t *obj,
			       kd_match_error *err);

/* "strict" or "weighted": a static string. */
const char *kd_match_local_priority_name(kd_match_local_priority priority);

#endif
