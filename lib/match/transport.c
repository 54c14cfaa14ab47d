/*
 * Successive shortest paths, one unit at a time (the Hungarian method for
 * a transportation problem with an outside option), on the network of
 * transport_internal.h.
 *
 * With the units routed so far placed optimally, adding unit x0 leaves one
 * unit to route from x0 to the sink, and the cheapest way is a shortest
 * path in the residual network: x0 takes a right node, perhaps displacing
 * another unit which takes another one or stays out, and so on.  Node potentials keep every residual arc's reduced cost
 * non-negative (transport_internal.h), so Dijkstra finds that path; it
 * stops as soon as the sink is settled, and only the nodes it settled
 * change potential (the others shift by a common constant, which changes
 * no reduced cost).  Each step leaves an optimal placement of the units
 * routed so far, so the last step leaves an optimal one of all.
 *
 * The warm start (transport_auction.c) routes most units before the first
 * search.  Ties in Dijkstra are broken by node number and units are taken
 * in order, so the result depends on the problem alone.
 */
#include "match/transport.h"

#include <stdlib.h>
#include <string.h>

#include "kd.h"
#include "match/transport_internal.h"

/* The sink comes first among equals: reaching it ends the search. */
static bool heap_less(const transport_heap_item *a, const transport_heap_item *b)
{
	if (a->dist != b->dist)
		return a->dist < b->dist;
	return a->node > b->node;
}

static int heap_push(transport_solver *sv, int64_t dist, uint32_t node)
{
	if (sv->n_heap == sv->cap_heap) {
		size_t cap = sv->cap_heap ? 2 * sv->cap_heap : 1024;
		transport_heap_item *h = realloc(sv->heap, cap * sizeof(*h));
		if (h == NULL)
			return kd_error(ENOMEM);
		sv->heap = h;
		sv->cap_heap = cap;
	}
	transport_heap_item x = { dist, node };
	size_t i = sv->n_heap++;
	while (i > 0 && heap_less(&x, &sv->heap[(i - 1) / 2])) {
		sv->heap[i] = sv->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	sv->heap[i] = x;
	return kd_ok();
}

static transport_heap_item heap_pop(transport_solver *sv)
{
	transport_heap_item top = sv->heap[0], last = sv->heap[--sv->n_heap];
	size_t i = 0, n = sv->n_heap;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && heap_less(&sv->heap[c + 1], &sv->heap[c]))
			c++;
		if (!heap_less(&sv->heap[c], &last))
			break;
		sv->heap[i] = sv->heap[c];
		i = c;
	}
	if (n > 0)
		sv->heap[i] = last;
	return top;
}

void kd_transport_hold(transport_solver *sv, uint32_t v, size_t e, uint32_t x,
		       int64_t tolerance)
{
	sv->held[sv->held_first[v] + sv->n_held[v]++] = (transport_hold){ e, tolerance, x };
	sv->assigned[x] = e;
}

void kd_transport_release(transport_solver *sv, uint32_t v, uint32_t x)
{
	transport_hold *h = sv->held + sv->held_first[v];
	for (uint32_t i = 0; i < sv->n_held[v]; i++)
		if (h[i].unit == x) {
			h[i] = h[--sv->n_held[v]];
			break;
		}
	sv->assigned[x] = SIZE_MAX;
}

/*
 * Offers node `to` the distance d through (from, edge).  Nothing at or
 * beyond the best distance to the sink known so far can lead to a shorter
 * path, since reduced costs are non-negative, so such offers are dropped.
 */
static int relax(transport_solver *sv, uint32_t from, uint32_t to, size_t edge, int64_t d)
{
	if (sv->settled[to] || (to != sv->sink && d >= sv->dist[sv->sink]))
		return kd_ok();
	if (sv->dist[to] == INT64_MAX)
		sv->touched[sv->n_touched++] = to;
	else if (sv->dist[to] <= d)
		return kd_ok();
	sv->dist[to] = d;
	sv->pred_node[to] = from;
	sv->pred_edge[to] = edge;
	return heap_push(sv, d, to);
}

static int expand_unit(transport_solver *sv, uint32_t x, int64_t d)
{
	const kd_match_transport *t = sv->t;
	int64_t px = sv->potential[x];
	/* The way out first: it bounds everything else. */
	if (relax(sv, x, sv->sink, SIZE_MAX, d + px - sv->potential[sv->sink]) < 0)
		return kd_error(ENOMEM);
	size_t first, end;
	kd_transport_edges(sv, x, &first, &end);
	for (size_t e = first; e < end; e++) {
		if (e == sv->assigned[x] || t->weight[e] <= 0)
			continue;
		uint32_t v = sv->n_units + t->edge_right[e];
		int64_t reduced = -t->weight[e] + px - sv->potential[v];
		if (relax(sv, x, v, e, d + reduced) < 0)
			return kd_error(ENOMEM);
	}
	return kd_ok();
}

static int expand_right(transport_solver *sv, uint32_t node, int64_t d)
{
	const kd_match_transport *t = sv->t;
	uint32_t v = node - sv->n_units;
	int64_t pv = sv->potential[node];
	/* Room ends the path here. */
	if (sv->n_held[v] < t->capacity[v] &&
	    relax(sv, node, sv->sink, SIZE_MAX, d + pv - sv->potential[sv->sink]) < 0)
		return kd_error(ENOMEM);
	const transport_hold *h = sv->held + sv->held_first[v];
	for (uint32_t i = 0; i < sv->n_held[v]; i++) {
		int64_t reduced = t->weight[h[i].edge] + pv - sv->potential[h[i].unit];
		if (relax(sv, node, h[i].unit, h[i].edge, d + reduced) < 0)
			return kd_error(ENOMEM);
	}
	return kd_ok();
}

/*
 * Walks the path back from the sink and applies it: the path may end with
 * a unit leaving for the outside; every right node on it then takes the
 * unit before it, which leaves the right node before that.
 */
static void augment(transport_solver *sv)
{
	uint32_t node = sv->pred_node[sv->sink];
	if (node < sv->n_units) {
		if (sv->assigned[node] != SIZE_MAX)
			kd_transport_release(sv, sv->pred_node[node] - sv->n_units, node);
		node = sv->pred_node[node];
	}
	while (node != NO_NODE) {
		uint32_t x = sv->pred_node[node];
		if (sv->assigned[x] != SIZE_MAX)
			kd_transport_release(sv, sv->pred_node[x] - sv->n_units, x);
		kd_transport_hold(sv, node - sv->n_units, sv->pred_edge[node], x, 0);
		node = sv->pred_node[x];
	}
}

/* Routes unit x0 along a shortest path and updates the potentials. */
static int add_unit(transport_solver *sv, uint32_t x0)
{
	int64_t reach = 0;
	sv->n_touched = 0;
	sv->n_heap = 0;
	sv->dist[x0] = 0;
	sv->pred_node[x0] = NO_NODE;
	sv->touched[sv->n_touched++] = x0;
	if (heap_push(sv, 0, x0) < 0)
		return kd_error(ENOMEM);
	while (sv->n_heap > 0) {
		transport_heap_item top = heap_pop(sv);
		uint32_t x = top.node;
		if (sv->settled[x] || top.dist > sv->dist[x])
			continue;
		sv->settled[x] = true;
		if (x == sv->sink) {
			reach = top.dist;
			break;
		}
		int rc = x < sv->n_units ? expand_unit(sv, x, top.dist) :
					   expand_right(sv, x, top.dist);
		if (rc < 0)
			return rc;
	}
	augment(sv);
	sv->routed[x0] = true;
	for (uint32_t i = 0; i < sv->n_touched; i++) {
		uint32_t x = sv->touched[i];
		if (sv->settled[x] && sv->dist[x] < reach)
			sv->potential[x] -= reach - sv->dist[x];
		sv->dist[x] = INT64_MAX;
		sv->settled[x] = false;
	}
	return kd_ok();
}

static void solver_free(transport_solver *sv)
{
	free(sv->potential);
	free(sv->unit_left);
	free(sv->assigned);
	free(sv->routed);
	free(sv->held_first);
	free(sv->n_held);
	free(sv->held);
	free(sv->dist);
	free(sv->pred_node);
	free(sv->pred_edge);
	free(sv->settled);
	free(sv->touched);
	free(sv->heap);
}

/* A left node has as many units as its supply, but no more than its edges. */
static uint32_t units_of(const kd_match_transport *t, size_t u)
{
	size_t edges = t->edge_first[u + 1] - t->edge_first[u];
	return edges < t->supply[u] ? (uint32_t)edges : t->supply[u];
}

static int solver_init(transport_solver *sv, const kd_match_transport *t)
{
	*sv = (transport_solver){ .t = t };
	size_t n_units = 0;
	for (size_t u = 0; u < t->n_left; u++)
		n_units += units_of(t, u);
	size_t n = n_units + t->n_right + 1;
	if (n >= NO_NODE)
		return kd_error(ENOMEM);
	sv->n_units = (uint32_t)n_units;
	sv->n_nodes = (uint32_t)n;
	sv->sink = (uint32_t)n - 1;
	sv->potential = calloc(n, sizeof(*sv->potential));
	sv->unit_left = malloc((n_units + 1) * sizeof(*sv->unit_left));
	sv->assigned = malloc((n_units + 1) * sizeof(*sv->assigned));
	sv->routed = calloc(n_units + 1, sizeof(*sv->routed));
	sv->held_first = calloc(t->n_right + 1, sizeof(*sv->held_first));
	sv->n_held = calloc(t->n_right + 1, sizeof(*sv->n_held));
	sv->dist = malloc(n * sizeof(*sv->dist));
	sv->pred_node = malloc(n * sizeof(*sv->pred_node));
	sv->pred_edge = malloc(n * sizeof(*sv->pred_edge));
	sv->settled = calloc(n, sizeof(*sv->settled));
	sv->touched = malloc(n * sizeof(*sv->touched));
	if (sv->potential == NULL || sv->unit_left == NULL || sv->assigned == NULL ||
	    sv->routed == NULL || sv->held_first == NULL || sv->n_held == NULL ||
	    sv->dist == NULL || sv->pred_node == NULL || sv->pred_edge == NULL ||
	    sv->settled == NULL || sv->touched == NULL)
		return kd_error(ENOMEM);
	size_t x = 0;
	for (size_t u = 0; u < t->n_left; u++)
		for (uint32_t i = units_of(t, u); i > 0; i--) {
			sv->unit_left[x] = (uint32_t)u;
			sv->assigned[x++] = SIZE_MAX;
		}
	size_t n_edges = t->edge_first[t->n_left];
	for (size_t e = 0; e < n_edges; e++) {
		if (t->weight[e] > sv->largest)
			sv->largest = t->weight[e];
		sv->n_held[t->edge_right[e]]++;
	}
	/* A right node never holds more than min(capacity, its edges). */
	for (size_t v = 0; v < t->n_right; v++) {
		uint32_t room = sv->n_held[v] < t->capacity[v] ? sv->n_held[v] : t->capacity[v];
		sv->held_first[v + 1] = sv->held_first[v] + room;
		sv->n_held[v] = 0;
	}
	sv->held = malloc((sv->held_first[t->n_right] + 1) * sizeof(*sv->held));
	if (sv->held == NULL)
		return kd_error(ENOMEM);
	for (size_t i = 0; i < n; i++)
		sv->dist[i] = INT64_MAX;
	return kd_ok();
}

int kd_match_transport_solve(const kd_match_transport *t, uint8_t *used)
{
	transport_solver sv;
	int rc = solver_init(&sv, t);
	if (rc == kd_ok())
		rc = kd_transport_warm_start(&sv);
	for (uint32_t x = 0; rc == kd_ok() && x < sv.n_units; x++)
		if (!sv.routed[x])
			rc = add_unit(&sv, x);
	if (rc == kd_ok()) {
		memset(used, 0, t->edge_first[t->n_left] * sizeof(*used));
		for (uint32_t x = 0; x < sv.n_units; x++)
			if (sv.assigned[x] != SIZE_MAX)
				used[sv.assigned[x]] = 1;
	}
	solver_free(&sv);
	return rc;
}
