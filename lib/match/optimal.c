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

#include "kd.h"
#include "match/batch.h"
#include "match/flow.h"
#include "match/zones.h"

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
	int64_t largest = 0, bonus = 0;
	for (size_t s = 0; s < ns; s++)
		for (size_t e = b->edge_first[s]; e < b->edge_first[s + 1]; e++) {
			score[e] = kd_match_batch_score(b, s, &b->edges[e]);
			if (score[e] > largest)
				largest = score[e];
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
