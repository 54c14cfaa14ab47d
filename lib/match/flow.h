/*
 * Maximum-weight assignment of seekers to vacancies with capacities, where
 * a seeker may also stay unassigned: a minimum-cost flow on the bipartite
 * candidate graph, solved exactly as a transportation problem (transport.h).  Internal to
 * lib/match; optimal.c supplies the weights, zones.c the parts to solve.
 *
 * The graph is read in place from the run's candidate pairs: an edge's
 * weight is its score, plus a bonus when it stays in the seeker's
 * kecamatan, computed when a part is laid out for the solver, so that no
 * copy of the whole graph is ever made.
 */
#ifndef KD_MATCH_FLOW_H
#define KD_MATCH_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/batch.h"

typedef struct kd_match_flow_graph {
	size_t n_seekers, n_vacancies;
	const size_t *edge_first;       /* seeker s: edges [edge_first[s], edge_first[s + 1]) */
	const batch_edge *edges;        /* vacancy (below n_vacancies) and same_kecamatan */
	const int32_t *score;           /* of each edge */
	int64_t same_kecamatan_bonus;   /* added to the score of a same-kecamatan edge */
	const uint32_t *capacity;       /* per vacancy */
} kd_match_flow_graph;

/* Weight of edge e; only positive ones are ever used. */
static inline int64_t kd_match_flow_weight(const kd_match_flow_graph *g, size_t e)
{
	return (int64_t)g->score[e] + (g->edges[e].same_kecamatan ? g->same_kecamatan_bonus : 0);
}

/*
 * Some of g's seekers and vacancies, solved as a graph of their own with
 * their members in their order in g.  Every edge of a member seeker must
 * lead to a member vacancy, or have a weight that is not positive and
 * every_edge false.  The arrays are borrowed.
 */
typedef struct kd_match_flow_part {
	size_t n_seekers, n_vacancies;
	const uint32_t *seekers;        /* ascending; NULL: all of g's, in order */
	const uint32_t *vacancies;      /* ascending; NULL: all of g's, in order */
	const uint32_t *local;          /* per vacancy of g: its place in vacancies; NULL: itself */
	bool every_edge;                /* keep edges whose weight is not positive */
} kd_match_flow_part;

/*
 * Chooses for every seeker of part p at most one edge and for every vacancy
 * of p at most its capacity of edges so that the total weight is maximum.
 * Writes the chosen edge of g of each of p's seekers, or SIZE_MAX, to
 * assigned (indexed by g's seekers; other entries are left alone).  Only
 * p's own edges are laid out, in the solver's orientation, and freed
 * before returning.  Weights and their sums must stay below 2^62 in
 * absolute value.  The result is a function of g and p alone.  Returns
 * kd_ok() or kd_error(ENOMEM).
 */
int kd_match_flow_solve_part(const kd_match_flow_graph *g, const kd_match_flow_part *p,
			     size_t *assigned);

#endif
