/*
 * The state the transportation solver's two phases share: the warm start
 * (transport_auction.c) leaves it, the shortest paths (transport.c) go on
 * from it.
 *
 * Each unit of a left node's supply is a node of its own, with the left
 * node's edges: the network is unit --(-weight, 1)--> right node
 * --(0, capacity)--> sink, and unit --(0, 1)--> sink for staying out.  A
 * right node holds at most one unit of each left node, since it has one
 * edge from it.  Nodes are numbered units first, then right nodes, then
 * the sink.
 *
 * The invariant both phases keep: every residual arc has a non-negative
 * reduced cost (cost + potential of its tail - potential of its head), for
 * the units routed so far.  In the words of prices: with K the sink's
 * potential, a right node's price is K minus its potential, never below 0,
 * and 0 while it has room; a routed unit's edge is worth (weight minus
 * price) at least as much as its other edges and as staying out, and a
 * unit that stays out has no edge worth more than nothing.
 */
#ifndef KD_MATCH_TRANSPORT_INTERNAL_H
#define KD_MATCH_TRANSPORT_INTERNAL_H

#include <stdbool.h>

#include "match/transport.h"

#define NO_NODE UINT32_MAX

/* An edge in use, kept by its right node. */
typedef struct transport_hold {
	size_t edge;
	int64_t tolerance;          /* the auction's: see transport_auction.c */
	uint32_t unit;
} transport_hold;

typedef struct transport_heap_item {
	int64_t dist;
	uint32_t node;
} transport_heap_item;

typedef struct transport_solver {
	const kd_match_transport *t;
	uint32_t n_units;
	uint32_t n_nodes;
	uint32_t sink;
	int64_t largest;            /* weight */
	int64_t *potential;
	uint32_t *unit_left;        /* the left node of each unit */
	size_t *assigned;           /* per unit: its edge, or SIZE_MAX */
	bool *routed;               /* per unit: placed or out, the invariant holding */
	size_t *held_first;         /* right node v: holds [held_first[v], +n_held[v]) */
	uint32_t *n_held;
	transport_hold *held;
	/* The shortest path search's. */
	int64_t *dist;
	uint32_t *pred_node;
	size_t *pred_edge;          /* the edge a node was reached through */
	bool *settled;
	uint32_t *touched;
	uint32_t n_touched;
	transport_heap_item *heap;
	size_t n_heap, cap_heap;
} transport_solver;

/* Unit x's edges: [*first, *end). */
static inline void kd_transport_edges(const transport_solver *sv, uint32_t x, size_t *first,
				      size_t *end)
{
	uint32_t u = sv->unit_left[x];
	*first = sv->t->edge_first[u];
	*end = sv->t->edge_first[u + 1];
}

/* Gives unit x edge e, at right node v (which has room). */
void kd_transport_hold(transport_solver *sv, uint32_t v, size_t e, uint32_t x,
		       int64_t tolerance);

/* Takes unit x's edge from it, at right node v. */
void kd_transport_release(transport_solver *sv, uint32_t v, uint32_t x);

/*
 * Routes as many units as a few bids per unit allow, sets every potential
 * so that the invariant holds, and leaves the other units unrouted.
 * Returns kd_ok() or kd_error(ENOMEM).
 */
int kd_transport_warm_start(transport_solver *sv);

#endif
