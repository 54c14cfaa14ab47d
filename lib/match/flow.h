/*
 * Maximum-weight assignment of seekers to vacancies with capacities, where
 * a seeker may also stay unassigned: a minimum-cost flow on the bipartite
 * candidate graph, solved exactly as a transportation problem (transport.h).  Internal to
 * lib/match; optimal.c supplies the weights.
 */
#ifndef KD_MATCH_FLOW_H
#define KD_MATCH_FLOW_H

#include <stddef.h>
#include <stdint.h>

typedef struct kd_match_flow_graph {
	size_t n_seekers, n_vacancies;
	const size_t *edge_first;       /* seeker s: edges [edge_first[s], edge_first[s + 1]) */
	const uint32_t *edge_vacancy;   /* vacancy of each edge, below n_vacancies */
	const int64_t *weight;          /* of each edge; only positive ones are ever used */
	const uint32_t *capacity;       /* per vacancy */
} kd_match_flow_graph;

/*
 * Chooses for every seeker at most one edge and for every vacancy at most
 * capacity edges so that the total weight is maximum.  Writes the chosen
 * edge of each seeker, or SIZE_MAX, to assigned (room for n_seekers).
 * Weights and their sums must stay below 2^62 in absolute value.  The
 * result is a function of the graph alone.  Returns kd_ok() or
 * kd_error(ENOMEM).
 */
int kd_match_flow_solve(const kd_match_flow_graph *g, size_t *assigned);

#endif
