/*
 * A match run: places a set of seekers into a set of vacancies under a
 * model (match/model.h).  kd_match_run() is a pure function of its input:
 * no I/O, no globals, reentrant, so the offline command, a database run and
 * a run on a worker thread all call it the same way.  The same input,
 * model and mode give the same result, whatever the thread count.
 *
 * Modes:
 *  - stable: seeker-proposing deferred acceptance with capacities on each
 *    seeker's candidate list; the result has no blocking pair and is the
 *    best stable outcome for every seeker.
 *  - optimal: the assignment of maximum total score on the candidate graph,
 *    solved exactly as a minimum-cost flow; under strict local priority it
 *    first maximises the number of same-kecamatan placements, then the
 *    score (docs/matcher.md).
 */
#ifndef KD_MATCH_RUN_H
#define KD_MATCH_RUN_H

#include "match/model.h"

typedef enum kd_match_mode {
	KD_MATCH_STABLE,
	KD_MATCH_OPTIMAL,
} kd_match_mode;

/* A seeker and a vacancy, by id: a pair the run must not place together. */
typedef struct kd_match_excluded_pair {
	int64_t seeker_id, vacancy_id;
} kd_match_excluded_pair;

typedef struct kd_match_input {
	const kd_match_seeker *seekers;     /* borrowed */
	size_t n_seekers;
	const kd_match_vacancy *vacancies;  /* borrowed */
	size_t n_vacancies;
	uint32_t n_skills;                  /* skill ids are below this */
	/*
	 * Pairs never to offer (an earlier offer was turned down), borrowed, in
	 * any order and possibly repeated; ids not in the input are ignored.
	 * The seeker's other candidates fill the place such a pair leaves.
	 */
	const kd_match_excluded_pair *excluded;
	size_t n_excluded;
} kd_match_input;

typedef struct kd_match_options {
	kd_match_mode mode;
	bool keep_edges;        /* fill kd_match_result.edges */
	unsigned threads;       /* for candidates and both modes' zones; 0 or 1: the caller's only */
} kd_match_options;

typedef enum kd_match_reason {
	KD_MATCH_REASON_INCOMPLETE_PROFILE,  /* no skills or no place: never scored */
	KD_MATCH_REASON_NO_FEASIBLE_VACANCY, /* no candidate at all */
	KD_MATCH_REASON_OUTCOMPETED,         /* candidates, all taken by others */
} kd_match_reason;

/* Seekers and vacancies are named by their index in the input arrays. */
typedef struct kd_match_assignment {
	uint32_t seeker, vacancy;
	int32_t score;
	bool same_kecamatan;
	double distance_km;
} kd_match_assignment;

typedef struct kd_match_unassigned {
	uint32_t seeker;
	kd_match_reason reason;
} kd_match_unassigned;

/* A candidate pair; ranks count from 1 (1 = first choice). */
typedef struct kd_match_edge {
	uint32_t seeker, vacancy;
	int32_t score;
	uint32_t seeker_rank;   /* among the seeker's candidates */
	uint32_t vacancy_rank;  /* among the seekers that have this vacancy as a candidate */
} kd_match_edge;

typedef enum kd_match_phase {
	KD_MATCH_PHASE_PREPARE,     /* checking, sorting by id, spatial index */
	KD_MATCH_PHASE_CANDIDATES,  /* best candidates per seeker */
	KD_MATCH_PHASE_SOLVE,       /* deferred acceptance or minimum-cost flow */
	KD_MATCH_PHASE_RESULT,      /* scores, explanations, edge ranks */
	KD_MATCH_PHASE_COUNT,
} kd_match_phase;

typedef struct kd_match_stats {
	size_t seekers, seekers_complete;
	size_t vacancies, vacancies_open;
	uint64_t openings;              /* sum over open vacancies */
	size_t edges;                   /* candidate pairs */
	size_t assigned, assigned_same_kecamatan;
	size_t incomplete_profile, no_feasible_vacancy, outcompeted;
	double distance_km_sum;         /* over assignments */
	double phase_seconds[KD_MATCH_PHASE_COUNT];
} kd_match_stats;

typedef struct kd_match_result {
	kd_match_mode mode;
	kd_match_assignment *assignments;   /* ascending seeker id */
	size_t n_assignments;
	kd_match_unassigned *unassigned;    /* ascending seeker id */
	size_t n_unassigned;
	int64_t total_score;                /* sum of assignment scores */
	kd_match_edge *edges;               /* by seeker id, then seeker_rank; NULL unless kept */
	size_t n_edges;
	kd_match_stats stats;
} kd_match_result;

/*
 * Runs the matcher.  in and model are borrowed and only read.  Input rules,
 * each reported in err with the offending field ("vacancies[3].openings"):
 * unique seeker ids and vacancy ids; skills ascending without repeats and
 * below n_skills; a vacancy's optional skills exclude its required ones, at
 * most KD_MATCH_MAX_VACANCY_SKILLS of each; kecamatan below the model's
 * count (a seeker's may be KD_MATCH_NO_KECAMATAN); vacancies have valid
 * coordinates; education levels valid; seeker limits >= 0.
 * Returns kd_ok() and a new result in *out (free with kd_match_result_free),
 * kd_error(EINVAL) for bad input, kd_error(ERANGE) when the instance is too
 * large for the exact solver's integer range, or kd_error(ENOMEM).
 */
int kd_match_run(const kd_match_model *model, const kd_match_input *in,
		 const kd_match_options *options, kd_match_result **out,
		 kd_match_error *err);

/* Frees a result; NULL is ignored. */
void kd_match_result_free(kd_match_result *result);

/* "stable" / "optimal"; kd_match_mode_parse returns the mode or kd_error(EINVAL). */
const char *kd_match_mode_name(kd_match_mode mode);
int kd_match_mode_parse(const char *name);

/* "incomplete_profile", "no_feasible_vacancy", "outcompeted". */
const char *kd_match_reason_name(kd_match_reason reason);

#endif
