/*
 * The candidate graph as a transportation problem (transport.c), seen
 * from whichever side makes fewer units to route.
 *
 * Seekers as the left side, each with one unit, and vacancies as the right
 * side with their openings is the problem as stated.  When there are fewer
 * places than seekers who could take one, as at a busy job fair, it is
 * turned around: each vacancy routes one unit per opening, each seeker
 * takes at most one.  Both are the same problem with the same optimum; the
 * second routes a unit per place instead of a unit per seeker, and a
 * seeker who stays out then costs nothing, where the first had to prove,
 * one search each, that every such seeker could not be placed.
 */
#include "match/flow.h"

#include <stdbool.h>
#include <stdlib.h>

#include "kd.h"
#include "match/transport.h"

static int solve_as_stated(const kd_match_flow_graph *g, size_t *assigned)
{
	size_t n_edges = g->edge_first[g->n_seekers];
	uint32_t *ones = malloc((g->n_seekers + 1) * sizeof(*ones));
	uint8_t *used = malloc(n_edges + 1);
	int rc = kd_error(ENOMEM);
	if (ones != NULL && used != NULL) {
		for (size_t s = 0; s < g->n_seekers; s++)
			ones[s] = 1;
		kd_match_transport t = {
			.n_left = g->n_seekers,
			.n_right = g->n_vacancies,
			.edge_first = g->edge_first,
			.edge_right = g->edge_vacancy,
			.weight = g->weight,
			.supply = ones,
			.capacity = g->capacity,
		};
		rc = kd_match_transport_solve(&t, used);
	}
	if (rc == kd_ok())
		for (size_t s = 0; s < g->n_seekers; s++) {
			assigned[s] = SIZE_MAX;
			for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
				if (used[e])
					assigned[s] = e;
		}
	free(ones);
	free(used);
	return rc;
}

/* The turned-around problem: vacancies' edges, each naming its seeker. */
typedef struct turned {
	size_t *edge_first;     /* per vacancy */
	uint32_t *seeker;       /* per edge */
	int64_t *weight;
	uint32_t *ones;         /* every seeker's capacity */
	uint8_t *used;
} turned;

static void turned_free(turned *r)
{
	free(r->edge_first);
	free(r->seeker);
	free(r->weight);
	free(r->ones);
	free(r->used);
}

static int turn_around(const kd_match_flow_graph *g, turned *r)
{
	size_t n_edges = g->edge_first[g->n_seekers];
	*r = (turned){
		.edge_first = calloc(g->n_vacancies + 2, sizeof(*r->edge_first)),
		.seeker = malloc((n_edges + 1) * sizeof(*r->seeker)),
		.weight = malloc((n_edges + 1) * sizeof(*r->weight)),
		.ones = malloc((g->n_seekers + 1) * sizeof(*r->ones)),
		.used = malloc(n_edges + 1),
	};
	if (r->edge_first == NULL || r->seeker == NULL || r->weight == NULL ||
	    r->ones == NULL || r->used == NULL)
		return kd_error(ENOMEM);
	/* Counting sort by vacancy keeps each vacancy's seekers in ascending order. */
	for (size_t e = 0; e < n_edges; e++)
		r->edge_first[g->edge_vacancy[e] + 2]++;
	for (size_t v = 0; v < g->n_vacancies; v++)
		r->edge_first[v + 2] += r->edge_first[v + 1];
	for (size_t s = 0; s < g->n_seekers; s++) {
		r->ones[s] = 1;
		for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++) {
			size_t k = r->edge_first[g->edge_vacancy[e] + 1]++;
			r->seeker[k] = (uint32_t)s;
			r->weight[k] = g->weight[e];
		}
	}
	return kd_ok();
}

/* Seeker s's edge to vacancy v, which exists. */
static size_t edge_to(const kd_match_flow_graph *g, uint32_t s, uint32_t v)
{
	size_t e = g->edge_first[s];
	while (g->edge_vacancy[e] != v)
		e++;
	return e;
}

static int solve_turned_around(const kd_match_flow_graph *g, size_t *assigned)
{
	turned r;
	int rc = turn_around(g, &r);
	if (rc == kd_ok()) {
		kd_match_transport t = {
			.n_left = g->n_vacancies,
			.n_right = g->n_seekers,
			.edge_first = r.edge_first,
			.edge_right = r.seeker,
			.weight = r.weight,
			.supply = g->capacity,
			.capacity = r.ones,
		};
		rc = kd_match_transport_solve(&t, r.used);
	}
	if (rc == kd_ok()) {
		for (size_t s = 0; s < g->n_seekers; s++)
			assigned[s] = SIZE_MAX;
		for (uint32_t v = 0; v < g->n_vacancies; v++)
			for (size_t k = r.edge_first[v]; k < r.edge_first[v + 1]; k++)
				if (r.used[k])
					assigned[r.seeker[k]] = edge_to(g, r.seeker[k], v);
	}
	turned_free(&r);
	return rc;
}

/*
 * Places to fill against seekers who could fill one; a vacancy offers no
 * more openings than it has candidates.
 */
static bool fewer_places(const kd_match_flow_graph *g)
{
	size_t places = 0, seekers = 0;
	uint32_t *candidates = calloc(g->n_vacancies + 1, sizeof(*candidates));
	if (candidates == NULL)
		return false;
	for (size_t s = 0; s < g->n_seekers; s++) {
		bool any = false;
		for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
			if (g->weight[e] > 0) {
				candidates[g->edge_vacancy[e]]++;
				any = true;
			}
		seekers += any;
	}
	for (size_t v = 0; v < g->n_vacancies; v++)
		places += candidates[v] < g->capacity[v] ? candidates[v] : g->capacity[v];
	free(candidates);
	return places < seekers;
}

int kd_match_flow_solve(const kd_match_flow_graph *g, size_t *assigned)
{
	return fewer_places(g) ? solve_turned_around(g, assigned) : solve_as_stated(g, assigned);
}
