/*
 * Optimal mode: the assignment of maximum total score on the candidate
 * graph, solved exactly as a minimum-cost flow (flow.c).
 *
 * Scores are integers already (1/KD_MATCH_SCORE_SCALE points), so the
 * solver optimises exactly the numbers people are shown.
 *
 * Strict local priority is the lexicographic objective: first the number L
 * of same-kecamatan placements, then the total score S.  It becomes one
 * integer objective by adding M to the weight of every same-kecamatan pair,
 * with M = min(seekers, vacancies) * (largest score) + 1.  Why that is
 * enough: if some assignment had more same-kecamatan placements than the
 * optimum of M * L + S, the difference between the two would contain an
 * alternating cycle gaining at least one such placement; a cycle drops at
 * most one pair per seeker and per vacancy it passes, so it loses less than
 * M in score and would improve M * L + S, a contradiction.
 */
#include <stdlib.h>
#include <threads.h>

#include "kd.h"
#include "match/batch.h"
#include "match/flow.h"
#include "match/zones.h"

/* One thread's share of the scores: seekers [first, end). */
typedef struct score_share {
	const kd_match_batch *b;
	int32_t *score;
	size_t first, end;
	int64_t largest;
} score_share;

/* Pairs ahead whose vacancy is fetched while the current one is scored. */
#define SCORE_PREFETCH 16

static int score_seekers(void *arg)
{
	score_share *sh = arg;
	const kd_match_batch *b = sh->b;
	size_t last = b->edge_first[sh->end];
	for (size_t s = sh->first; s < sh->end; s++)
		for (size_t e = b->edge_first[s]; e < b->edge_first[s + 1]; e++) {
			/* The vacancies are visited at random: a score mostly waits for one. */
			if (e + SCORE_PREFETCH < last)
				__builtin_prefetch(&b->vacancies[b->edges[e + SCORE_PREFETCH].vacancy]);
			sh->score[e] = kd_match_batch_score(b, s, &b->edges[e]);
			if (sh->score[e] > sh->largest)
				sh->largest = sh->score[e];
		}
	return 0;
}

/*
 * Scores every pair into score and returns the largest (0 if none), on up
 * to `threads` threads, each taking an equal run of seekers: a score waits
 * mostly on its vacancy's cache line, so at the national size this loop
 * took a minute on one thread.  Returns -1 when no share could be set up.
 */
static int64_t score_pairs(const kd_match_batch *b, int32_t *score, unsigned threads)
{
	size_t n = threads > 1 ? threads : 1;
	score_share *shares = calloc(n, sizeof(*shares));
	thrd_t *ids = calloc(n, sizeof(*ids));
	if (shares == NULL || ids == NULL) {
		free(shares), free(ids);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		shares[i] = (score_share){ b, score, b->n_seekers * i / n,
					   b->n_seekers * (i + 1) / n, 0 };
	/* Shares no thread could be started for are scored here, in this thread. */
	size_t started = 0;
	while (started + 1 < n && thrd_create(&ids[started], score_seekers,
					      &shares[started + 1]) == thrd_success)
		started++;
	score_seekers(&shares[0]);
	for (size_t i = started + 1; i < n; i++)
		score_seekers(&shares[i]);
	for (size_t i = 0; i < started; i++)
		thrd_join(ids[i], NULL);
	int64_t largest = 0;
	for (size_t i = 0; i < n; i++)
		if (shares[i].largest > largest)
			largest = shares[i].largest;
	free(shares), free(ids);
	return largest;
}

int kd_match_solve_optimal(kd_match_batch *b, unsigned threads, kd_match_error *err)
{
	size_t ns = b->n_seekers, ne = b->n_edges;
	/* Scores fit 32 bits; the bonus is added as the solver reads them (flow.h). */
	int32_t *score = malloc((ne + 1) * sizeof(*score));
	uint32_t *capacity = malloc((b->n_vacancies + 1) * sizeof(*capacity));
	b->assigned = malloc((ns + 1) * sizeof(*b->assigned));
	if (score == NULL || capacity == NULL || b->assigned == NULL) {
		free(score), free(capacity);
		return kd_error(ENOMEM);
	}
	int64_t largest = score_pairs(b, score, threads), bonus = 0;
	if (largest < 0) {
		free(score), free(capacity);
		return kd_error(ENOMEM);
	}
	if (b->model->policy.local_priority == KD_MATCH_LOCAL_STRICT) {
		size_t n = ns < b->n_vacancies ? ns : b->n_vacancies;
		bonus = (int64_t)n * largest + 1;
	}
	for (size_t v = 0; v < b->n_vacancies; v++)
		capacity[v] = b->vacancies[v].capacity;
	kd_match_flow_graph g = {
		.n_seekers = ns,
		.n_vacancies = b->n_vacancies,
		.edge_first = b->edge_first,
		.edges = b->edges,
		.score = score,
		.same_kecamatan_bonus = bonus,
		.capacity = capacity,
	};
	int rc = kd_match_flow_solve_zones(&g, b->assigned, threads);
	if (rc < 0)
		kd_match_error_set(err, "out of memory");
	free(score), free(capacity);
	return rc;
}
