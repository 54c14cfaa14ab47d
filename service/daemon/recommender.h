/*
 * Recommendations for one seeker at a time, from an in-memory index of the
 * open vacancies (lib/match/recommend.h) under the default matching policy,
 * so the kiosk shows nearby matches the moment a person registers.  The
 * daemon loads every open vacancy into a new recommender whenever the
 * database comes up (daemon/vacancy_load.h) and re-reads one whenever a
 * NOTIFY on KD_RECOMMENDER_CHANNEL names it, so several daemons on one
 * database all stay current.  Loop thread only, but for one exception: a
 * recommender not yet live, which no other thread touches meanwhile, may be
 * filled by kd_recommender_apply on the thread pool (its reference data is
 * only read there).
 */
#ifndef KD_RECOMMENDER_H
#define KD_RECOMMENDER_H

#include <jansson.h>
#include <libpq-fe.h>
#include <uv.h>

#include "daemon/reference.h"
#include "match/model.h"

#define KD_RECOMMENDER_CHANNEL "kd_vacancy_changed"
#define KD_RECOMMEND_MAX 50

typedef struct kd_recommender kd_recommender;

/* An empty recommender for the regions and skills of ref, which it holds. */
kd_recommender *kd_recommender_new(const kd_reference *ref);
void kd_recommender_free(kd_recommender *rec);

/*
 * Frees rec as kd_recommender_free does, its vacancies on loop's thread
 * pool: a million of them take about a second to free, which the loop
 * should not spend.  The allocator's lock is still shared, so the loop's
 * own allocations may wait on it meanwhile.  Nothing may use rec any more.
 * Loop thread; NULL is ignored.
 */
void kd_recommender_free_off_loop(uv_loop_t *loop, kd_recommender *rec);

/*
 * Replaces the vacancy named by id with the row of res (borrowed; the rows
 * of the recommend_vacancy statement): a missing row removes the vacancy.
 * With id 0 the rows (a page of recommend_vacancies) are added, each
 * replacing the vacancy with its id.  Returns kd_ok(), or the error of the
 * last row left out (the others are in).
 */
int kd_recommender_apply(kd_recommender *rec, const PGresult *res, int64_t id);

/* The vacancies in the index. */
size_t kd_recommender_count(const kd_recommender *rec);

/*
 * What a seeker brings, in the database's terms; skill ids in any order
 * (at most KD_SKILLS_MAX).
 */
typedef struct kd_recommend_seeker {
	int64_t id;
	const char *kecamatan_code;
	double lat, lon;
	kd_education education;
	const int *skill_ids;
	size_t skill_count;
	unsigned experience_years;
	double max_distance_km;   /* 0: none */
	int64_t registered_at_us;
} kd_recommend_seeker;

/*
 * The best feasible open vacancies for s, at most limit, each with its
 * reasons: [{vacancy_id, title, employer, kecamatan_code, score,
 * distance_km, same_kecamatan, matched_skills, missing_optional_skills}].
 * A new reference; an empty array when nothing fits.
 */
json_t *kd_recommender_for(const kd_recommender *rec, const kd_recommend_seeker *s, size_t limit);

#endif
