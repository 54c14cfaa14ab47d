/*
 * Shared by the files of lib/match only: the model's layout and the
 * arithmetic every part of the matcher must do identically (distance keys,
 * required-skill counts, scores), so that a run, a recommendation and an
 * explanation never disagree about a pair.
 */
#ifndef KD_MATCH_INTERNAL_H
#define KD_MATCH_INTERNAL_H

#include <math.h>

#include "core/geo.h"
#include "match/model.h"

/* A travel-table entry in one direction, with its distance key. */
typedef struct kd_match_route {
	uint32_t from, to;
	double km, key;
} kd_match_route;

struct kd_match_model {
	kd_match_policy policy;
	double limit_key;           /* key of policy.max_distance_km */
	uint32_t n_kecamatan;
	kd_match_route *routes;     /* ascending by (from, to) */
	size_t n_routes;
	size_t *route_first;        /* routes from k: [route_first[k], route_first[k + 1]) */
};

/*
 * Distances are keyed by the squared chord between unit vectors: it is
 * exact, grows strictly with the great-circle distance, costs three
 * multiplications instead of haversine's trigonometry, and lets spatial
 * pruning use plain boxes in three dimensions.
 */
static inline void kd_match_unit(double lat, double lon, double u[3])
{
	double phi = lat * (M_PI / 180.0), lambda = lon * (M_PI / 180.0);
	u[0] = cos(phi) * cos(lambda);
	u[1] = cos(phi) * sin(lambda);
	u[2] = sin(phi);
}

static inline double kd_match_chord2(const double a[3], const double b[3])
{
	double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
	return dx * dx + dy * dy + dz * dz;
}

static inline double kd_match_key_of_km(double km)
{
	double chord = 2.0 * sin(km / (2.0 * KD_EARTH_RADIUS_KM));
	return chord * chord;
}

static inline double kd_match_km_of_key(double key)
{
	return 2.0 * KD_EARTH_RADIUS_KM * asin(fmin(sqrt(key) / 2.0, 1.0));
}

/* The key of a seeker's effective distance limit. */
static inline double kd_match_limit_key(const kd_match_model *m, double seeker_km)
{
	if (seeker_km > 0.0 && seeker_km < m->policy.max_distance_km)
		return kd_match_key_of_km(seeker_km);
	return m->limit_key;
}

/* Required skills a seeker must hold out of n under the coverage policy. */
static inline uint32_t kd_match_required_needed(const kd_match_model *m, uint32_t n)
{
	/* The epsilon keeps 0.5 * 4 from becoming 3 through rounding. */
	double need = ceil(m->policy.min_required_coverage * n - 1e-9);
	return need <= 0.0 ? 0 : (uint32_t)need;
}

/* The travel-table entry from one kecamatan to another, or NULL. */
const kd_match_route *kd_match_route_find(const kd_match_model *m, uint32_t from,
					  uint32_t to);

/* The score of a pair from its parts; see docs/matcher.md. */
int32_t kd_match_score(const kd_match_model *m, double km, bool same_kecamatan,
		       uint32_t skills_matched, uint32_t skills_listed);

/* Counts how many of list[0..n) occur in the ascending array set[0..n_set). */
uint32_t kd_match_count_common(const int32_t *list, uint32_t n, const int32_t *set,
			       uint32_t n_set);

/*
 * Input checks shared by the run and the recommendation index; `at` names
 * the record in messages ("vacancies[3]").  Skill ids must be below
 * n_skills.  Return kd_ok() or kd_error(EINVAL) with err set.
 */
int kd_match_check_seeker(const kd_match_seeker *s, const char *at, uint32_t n_kecamatan,
			  uint32_t n_skills, kd_match_error *err);
int kd_match_check_vacancy(const kd_match_vacancy *v, const char *at, uint32_t n_kecamatan,
			   uint32_t n_skills, kd_match_error *err);

/* Compares wages with "not given" below every wage: negative when a is higher. */
static inline int kd_match_wage_order(int64_t a, int64_t b)
{
	return a > b ? -1 : a < b;
}

#endif
