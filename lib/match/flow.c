/*
 * Successive shortest paths, one seeker at a time (the Hungarian method
 * for a rectangular problem with an outside option).  The network:
 *
 *   seeker --(-weight, cap 1)--> vacancy --(0, cap capacity)--> sink
 *   seeker --(0, cap 1)--> sink                  (staying unassigned)
 *
 * With the seekers added so far placed optimally, adding seeker s0 leaves
 * one unit to route, from s0 to the sink, and the cheapest way to route it
 * is a shortest path in the residual network: s0 takes a vacancy, perhaps
 * displacing a seeker who takes another one or stays out, and so on.
 * Node potentials keep every residual arc's reduced cost non-negative, so
 * Dijkstra finds that path; it stops as soon as the sink is settled, and
 * only the nodes it settled change potential (the others shift by a
 * common constant, which changes no reduced cost).  Each step leaves an
 * optimal placement of the seekers added so far, so the last step leaves
 * an optimal one of all.
 *
 * Potentials start at 0 for seekers and at -(largest weight) for vacancies
 * and the sink, which makes every arc's reduced cost non-negative.  Ties in
 * Dijkstra are broken by node number, so the result depends on the graph
 * alone.
 */
#include "match/flow.h"

#include <stdbool.h>
#include <stdlib.h>

#include "kd.h"

#define NO_NODE UINT32_MAX

typedef struct heap_item {
	int64_t dist;
	uint32_t node;
} heap_item;

typedef struct solver {
	const kd_match_flow_graph *g;
	uint32_t n_nodes;           /* seekers, then vacancies, then the sink */
	uint32_t sink;
	int64_t *potential;
	int64_t *dist;
	uint32_t *pred_node;        /* on the shortest path tree */
	size_t *pred_edge;          /* seeker -> vacancy edge used to reach a vacancy */
	bool *settled;
	uint32_t *touched;          /* nodes whose dist is set in this search */
	uint32_t n_touched;
	heap_item *heap;
	size_t n_heap, cap_heap;
	size_t *assigned;           /* per seeker: edge or SIZE_MAX */
	size_t *held_first;         /* vacancy v holds seekers [held_first[v], +n_held[v]) */
	uint32_t *n_held;
	uint32_t *held;             /* seekers per vacancy slot */
} solver;

/* The sink comes first among equals: reaching it ends the search. */
static bool heap_less(const heap_item *a, const heap_item *b)
{
	if (a->dist != b->dist)
		return a->dist < b->dist;
	return a->node > b->node;
}

static int heap_push(solver *sv, int64_t dist, uint32_t node)
{
	if (sv->n_heap == sv->cap_heap) {
		size_t cap = sv->cap_heap ? 2 * sv->cap_heap : 1024;
		heap_item *h = realloc(sv->heap, cap * sizeof(*h));
		if (h == NULL)
			return kd_error(ENOMEM);
		sv->heap = h;
		sv->cap_heap = cap;
	}
	heap_item x = { dist, node };
	size_t i = sv->n_heap++;
	while (i > 0 && heap_less(&x, &sv->heap[(i - 1) / 2])) {
		sv->heap[i] = sv->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	sv->heap[i] = x;
	return kd_ok();
}

static heap_item heap_pop(solver *sv)
{
	heap_item top = sv->heap[0], last = sv->heap[--sv->n_heap];
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

/*
 * Offers node `to` the distance d through (from, edge).  Nothing at or
 * beyond the best distance to the sink known so far can lead to a shorter
 * path, since reduced costs are non-negative, so such offers are dropped.
 */
static int relax(solver *sv, uint32_t from, uint32_t to, size_t edge, int64_t d)
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

static int expand_seeker(solver *sv, uint32_t s, int64_t d)
{
	const kd_match_flow_graph *g = sv->g;
	int64_t ps = sv->potential[s];
	/* The outside option first: it bounds everything else. */
	if (relax(sv, s, sv->sink, SIZE_MAX, d + ps - sv->potential[sv->sink]) < 0)
		return kd_error(ENOMEM);
	for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++) {
		if (e == sv->assigned[s] || g->weight[e] <= 0)
			continue;
		uint32_t v = (uint32_t)g->n_seekers + g->edge_vacancy[e];
		int64_t reduced = -g->weight[e] + ps - sv->potential[v];
		if (relax(sv, s, v, e, d + reduced) < 0)
			return kd_error(ENOMEM);
	}
	return kd_ok();
}

static int expand_vacancy(solver *sv, uint32_t node, int64_t d)
{
	const kd_match_flow_graph *g = sv->g;
	uint32_t v = node - (uint32_t)g->n_seekers;
	int64_t pv = sv->potential[node];
	/* A free opening ends the path here. */
	if (sv->n_held[v] < g->capacity[v] &&
	    relax(sv, node, sv->sink, SIZE_MAX, d + pv - sv->potential[sv->sink]) < 0)
		return kd_error(ENOMEM);
	for (uint32_t i = 0; i < sv->n_held[v]; i++) {
		uint32_t s = sv->held[sv->held_first[v] + i];
		int64_t reduced = g->weight[sv->assigned[s]] + pv - sv->potential[s];
		if (relax(sv, node, s, sv->assigned[s], d + reduced) < 0)
			return kd_error(ENOMEM);
	}
	return kd_ok();
}

static void hold(solver *sv, uint32_t v, uint32_t s)
{
	sv->held[sv->held_first[v] + sv->n_held[v]++] = s;
}

static void release(solver *sv, uint32_t v, uint32_t s)
{
	uint32_t *h = sv->held + sv->held_first[v];
	for (uint32_t i = 0; i < sv->n_held[v]; i++)
		if (h[i] == s) {
			h[i] = h[--sv->n_held[v]];
			return;
		}
}

/*
 * Walks the path back from the sink and applies it: the path may end with
 * a seeker leaving for the outside option; every vacancy on it then takes
 * the seeker before it, who leaves the vacancy before that.
 */
static void augment(solver *sv)
{
	const kd_match_flow_graph *g = sv->g;
	uint32_t n_seekers = (uint32_t)g->n_seekers;
	uint32_t node = sv->pred_node[sv->sink];
	if (node < n_seekers) {
		if (sv->assigned[node] != SIZE_MAX) {
			release(sv, g->edge_vacancy[sv->assigned[node]], node);
			sv->assigned[node] = SIZE_MAX;
		}
		node = sv->pred_node[node];
	}
	while (node != NO_NODE) {
		uint32_t s = sv->pred_node[node];
		size_t old = sv->assigned[s];
		if (old != SIZE_MAX)
			release(sv, g->edge_vacancy[old], s);
		sv->assigned[s] = sv->pred_edge[node];
		hold(sv, node - n_seekers, s);
		node = sv->pred_node[s];
	}
}

/* Routes seeker s0's unit along a shortest path and updates the potentials. */
static int add_seeker(solver *sv, uint32_t s0)
{
	int64_t reach = 0;
	sv->n_touched = 0;
	sv->n_heap = 0;
	sv->dist[s0] = 0;
	sv->pred_node[s0] = NO_NODE;
	sv->touched[sv->n_touched++] = s0;
	if (heap_push(sv, 0, s0) < 0)
		return kd_error(ENOMEM);
	while (sv->n_heap > 0) {
		heap_item top = heap_pop(sv);
		uint32_t x = top.node;
		if (sv->settled[x] || top.dist > sv->dist[x])
			continue;
		sv->settled[x] = true;
		if (x == sv->sink) {
			reach = top.dist;
			break;
		}
		int rc = x < sv->g->n_seekers ? expand_seeker(sv, x, top.dist) :
						expand_vacancy(sv, x, top.dist);
		if (rc < 0)
			return rc;
	}
	augment(sv);
	for (uint32_t i = 0; i < sv->n_touched; i++) {
		uint32_t x = sv->touched[i];
		if (sv->settled[x] && sv->dist[x] < reach)
			sv->potential[x] -= reach - sv->dist[x];
		sv->dist[x] = INT64_MAX;
		sv->settled[x] = false;
	}
	return kd_ok();
}

static void solver_free(solver *sv)
{
	free(sv->potential);
	free(sv->dist);
	free(sv->pred_node);
	free(sv->pred_edge);
	free(sv->settled);
	free(sv->touched);
	free(sv->heap);
	free(sv->held_first);
	free(sv->n_held);
	free(sv->held);
}

static int solver_init(solver *sv, const kd_match_flow_graph *g, size_t *assigned)
{
	size_t n = g->n_seekers + g->n_vacancies + 1;
	*sv = (solver){ .g = g, .n_nodes = (uint32_t)n, .sink = (uint32_t)n - 1,
			.assigned = assigned };
	if (n >= NO_NODE)
		return kd_error(ENOMEM);
	sv->potential = calloc(n, sizeof(*sv->potential));
	sv->dist = malloc(n * sizeof(*sv->dist));
	sv->pred_node = malloc(n * sizeof(*sv->pred_node));
	sv->pred_edge = malloc(n * sizeof(*sv->pred_edge));
	sv->settled = calloc(n, sizeof(*sv->settled));
	sv->touched = malloc(n * sizeof(*sv->touched));
	sv->held_first = calloc(g->n_vacancies + 1, sizeof(*sv->held_first));
	sv->n_held = calloc(g->n_vacancies + 1, sizeof(*sv->n_held));
	if (sv->potential == NULL || sv->dist == NULL || sv->pred_node == NULL ||
	    sv->pred_edge == NULL || sv->settled == NULL || sv->touched == NULL ||
	    sv->held_first == NULL || sv->n_held == NULL)
		return kd_error(ENOMEM);
	size_t n_edges = g->edge_first[g->n_seekers];
	int64_t largest = 0;
	for (size_t e = 0; e < n_edges; e++) {
		if (g->weight[e] > largest)
			largest = g->weight[e];
		sv->n_held[g->edge_vacancy[e]]++;
	}
	/* A vacancy never holds more than min(capacity, its candidates). */
	for (size_t v = 0; v < g->n_vacancies; v++) {
		uint32_t room = sv->n_held[v] < g->capacity[v] ? sv->n_held[v] : g->capacity[v];
		sv->held_first[v + 1] = sv->held_first[v] + room;
		sv->n_held[v] = 0;
	}
	sv->held = malloc((sv->held_first[g->n_vacancies] + 1) * sizeof(*sv->held));
	if (sv->held == NULL)
		return kd_error(ENOMEM);
	for (size_t i = 0; i < n; i++) {
		sv->dist[i] = INT64_MAX;
		if (i >= g->n_seekers)
			sv->potential[i] = -largest;
	}
	for (size_t s = 0; s < g->n_seekers; s++)
		assigned[s] = SIZE_MAX;
	return kd_ok();
}

int kd_match_flow_solve(const kd_match_flow_graph *g, size_t *assigned)
{
	solver sv;
	int rc = solver_init(&sv, g, assigned);
	for (size_t s = 0; rc == kd_ok() && s < g->n_seekers; s++)
		if (g->edge_first[s + 1] > g->edge_first[s])
			rc = add_seeker(&sv, (uint32_t)s);
	solver_free(&sv);
	return rc;
}
