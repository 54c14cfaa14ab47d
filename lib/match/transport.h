/*
 * The exact core of the optimal mode: a transportation problem on a
 * bipartite graph where every left node has a supply of units, every right
 * node a capacity, and every unit may also stay out, worth nothing.  It
 * chooses edges (each at most once) so that no left node uses more edges
 * than its supply and no right node more than its capacity, with the
 * largest total weight.  Internal to lib/match; flow.c decides which side
 * of the candidate graph is the left one.
 */
#ifndef KD_MATCH_TRANSPORT_H
#define KD_MATCH_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct kd_match_transport {
	size_t n_left, n_right;
	const size_t *edge_first;       /* left u: edges [edge_first[u], edge_first[u + 1]) */
	const uint32_t *edge_right;     /* right node of each edge, below n_right */
	const int64_t *weight;          /* of each edge; only positive ones are ever used */
	const uint32_t *supply;         /* per left node */
	const uint32_t *capacity;       /* per right node */
} kd_match_transport;

/*
 * Solves t and marks the chosen edges with 1 in used (room for every edge;
 * the others get 0).  A left node has at most one edge to each right node,
 * and either every supply or every capacity is 1, so that no right node
 * ever takes two units of one left node.
 * Weights and their sums must stay below 2^62 in absolute value, and there
 * are fewer than 2^32 - 2 nodes.  The result is a function of t alone.
 * Returns kd_ok() or kd_error(ENOMEM).
 */
int kd_match_transport_solve(const kd_match_transport *t, uint8_t *used);

#endif
