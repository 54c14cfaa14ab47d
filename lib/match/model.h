/*
 * The matching model: who may be placed where, how each side ranks the
 * other, and the score shown to people.  Everything here is a pure function
 * of its arguments; the run (match/run.h) and the single-seeker
 * recommendations (match/recommend.h) both decide through these rules.
 *
 * Identifiers are small integers chosen by the caller: kecamatan are
 * 0..n_kecamatan-1 and skills 0..n_skills-1 (interned normalised labels or
 * taxonomy ids), so that the matcher never compares text.
 *
 * Feasible pair (s, v): s has a complete profile (at least one skill and a
 * place: kecamatan and valid coordinates), v has openings left, s's education
 * ranks at least v's minimum, s holds at least
 * ceil(min_required_coverage * |required(v)|) of v's required skills, and,
 * unless both are in the same kecamatan, the distance is within the policy's
 * max_distance_km and within s's own max_distance_km when set.
 *
 * Distance: great-circle (haversine) distance between the two locations,
 * except between different kecamatan listed in the travel table, where the
 * table's kilometres apply to every pair of those two kecamatan.
 */
#ifndef KD_MATCH_MODEL_H
#define KD_MATCH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/education.h"
#include "match/error.h"
#include "match/policy.h"

#define KD_MATCH_NO_KECAMATAN UINT32_MAX
#define KD_MATCH_NO_WAGE INT64_MIN
/* Limit of skills on one side of a vacancy (the API allows 30). */
#define KD_MATCH_MAX_VACANCY_SKILLS 255

typedef struct kd_match_seeker {
	int64_t id;
	uint32_t kecamatan;        /* KD_MATCH_NO_KECAMATAN when unknown */
	double lat, lon;           /* degrees; NaN when unknown */
	kd_education education;
	const int32_t *skills;     /* borrowed; ascending, no repeats */
	uint32_t n_skills;
	uint32_t experience_years;
	double max_distance_km;    /* the seeker's own limit; 0 for none */
	int64_t registered_at;     /* microseconds since 1970-01-01 UTC */
} kd_match_seeker;

typedef struct kd_match_vacancy {
	int64_t id;
	uint32_t kecamatan;
	double lat, lon;
	kd_education min_education;
	const int32_t *required_skills; /* borrowed; ascending, no repeats */
	uint32_t n_required;
	const int32_t *optional_skills; /* borrowed; ascending, none required */
	uint32_t n_optional;
	uint32_t openings;         /* openings left; 0 takes it out of matching */
	int64_t wage_max;          /* IDR per month; KD_MATCH_NO_WAGE when not given */
} kd_match_vacancy;

/* Road or river kilometres between two different kecamatan. */
typedef struct kd_match_travel {
	uint32_t from, to;
	double km;
} kd_match_travel;

/* Why a pair is or is not feasible, in the order the rules are checked. */
typedef enum kd_match_verdict {
	KD_MATCH_FEASIBLE,
	KD_MATCH_INCOMPLETE_PROFILE,
	KD_MATCH_NO_OPENINGS,
	KD_MATCH_EDUCATION_TOO_LOW,
	KD_MATCH_MISSING_REQUIRED_SKILLS,
	KD_MATCH_TOO_FAR,
} kd_match_verdict;

/*
 * One seeker and one vacancy judged together.  distance_key orders
 * distances: it grows strictly with distance_km, and every ranking in the
 * matcher compares it rather than distance_km, so ties are the same
 * everywhere.  Score and distance are meaningful unless the verdict is
 * KD_MATCH_INCOMPLETE_PROFILE.
 */
typedef struct kd_match_pair {
	const kd_match_seeker *seeker;   /* borrowed */
	const kd_match_vacancy *vacancy; /* borrowed */
	kd_match_verdict verdict;
	bool same_kecamatan;
	double distance_km;
	double distance_key;
	uint32_t required_matched;
	uint32_t optional_matched;
	int32_t score;             /* in 1/KD_MATCH_SCORE_SCALE points */
} kd_match_pair;

/* A checked policy and travel table; immutable, safe to share between threads. */
typedef struct kd_match_model kd_match_model;

/*
 * Builds a model.  The policy is copied after kd_match_policy_check().  The
 * travel entries (borrowed, copied) name kecamatan below n_kecamatan, never
 * from == to, with km in [0, 20000]; an entry holds in both directions unless
 * the reverse direction is given too; the same direction twice is an error.
 * Returns kd_ok() and a new model in *out, kd_error(EINVAL) with err set, or
 * kd_error(ENOMEM).
 */
int kd_match_model_new(const kd_match_policy *policy, uint32_t n_kecamatan,
		       const kd_match_travel *travel, size_t n_travel,
		       kd_match_model **out, kd_match_error *err);

/* Frees a model; NULL is ignored. */
void kd_match_model_free(kd_match_model *model);

/* The model's policy (borrowed, lives as long as the model). */
const kd_match_policy *kd_match_model_policy(const kd_match_model *model);

/* Kecamatan count the model was built for. */
uint32_t kd_match_model_kecamatan(const kd_match_model *model);

/* True when the seeker has at least one skill and a valid place. */
bool kd_match_seeker_complete(const kd_match_seeker *seeker, uint32_t n_kecamatan);

/*
 * Judges the pair (s, v) under the model and fills *out (s and v are
 * borrowed by it).  s's kecamatan and v's must be below the model's count.
 */
void kd_match_evaluate(const kd_match_model *model, const kd_match_seeker *s,
		       const kd_match_vacancy *v, kd_match_pair *out);

/*
 * The seeker's preference between two vacancies (pairs of the same seeker):
 * same kecamatan first, then shorter distance, more optional skills matched,
 * higher wage_max (none ranks below any wage), lower vacancy id.  Negative
 * when a comes first, positive when b does, zero only for the same vacancy.
 */
int kd_match_seeker_order(const kd_match_pair *a, const kd_match_pair *b);

/*
 * The vacancy's preference between two seekers (pairs of the same vacancy):
 * same kecamatan first, then better skill fit (more required skills matched,
 * more optional skills matched, more years of experience), shorter distance,
 * earlier registration, lower seeker id.  Sign as kd_match_seeker_order().
 */
int kd_match_vacancy_order(const kd_match_pair *a, const kd_match_pair *b);

/*
 * Explains the skills of a pair: writes to matched the vacancy's skills the
 * seeker holds (required ones, then optional ones, each ascending; room for
 * n_required + n_optional) and to missing_optional the optional skills the
 * seeker lacks (room for n_optional; NULL to skip).  Returns the number
 * written to matched and stores the other count in *n_missing_optional
 * unless it is NULL.
 */
size_t kd_match_explain_skills(const kd_match_seeker *s, const kd_match_vacancy *v,
			       int32_t *matched, int32_t *missing_optional,
			       size_t *n_missing_optional);

/* "SD"-style names are in core/education.h; these are the verdicts' names. */
const char *kd_match_verdict_name(kd_match_verdict verdict);

#endif
