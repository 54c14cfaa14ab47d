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
 *
 * A part's edges are laid out straight from the candidate pairs in the
 * orientation chosen, once: the solver's arrays are the only copy, 13
 * bytes an edge, and the answer is mapped back to the pairs by looking the
 * chosen vacancy up among its seeker's pairs.
 */
#include "match/flow.h"

#include <stdlib.h>

#include "kd.h"
#include "match/transport.h"

static size_t member_seeker(const kd_match_flow_part *p, size_t i)
{
	return p->seekers != NULL ? p->seekers[i] : i;
}

static uint32_t member_vacancy(const kd_match_flow_part *p, size_t i)
{
	return p->vacancies != NULL ? p->vacancies[i] : (uint32_t)i;
}

static uint32_t local_vacancy(const kd_match_flow_part *p, uint32_t v)
{
	return p->local != NULL ? p->local[v] : v;
}

static bool kept(const kd_match_flow_graph *g, const kd_match_flow_part *p, size_t e)
{
	return p->every_edge || kd_match_flow_weight(g, e) > 0;
}

/* The problem handed to the solver, in either orientation. */
typedef struct layout {
	size_t *edge_first;     /* per left node */
	uint32_t *right;        /* per edge */
	int64_t *weight;        /* per edge */
	uint32_t *ones;         /* per seeker: its supply or capacity */
	uint32_t *openings;     /* per vacancy of the part */
	uint8_t *used;          /* per edge, the solver's answer */
} layout;

static void layout_free(layout *l)
{
	free(l->edge_first);
	free(l->right);
	free(l->weight);
	free(l->ones);
	free(l->openings);
	free(l->used);
}

/* Allocates l for n_left left nodes and p's kept edges, and fills ones and openings. */
static int layout_alloc(const kd_match_flow_graph *g, const kd_match_flow_part *p,
			size_t n_left, layout *l)
{
	size_t n_edges = 0;
	for (size_t i = 0; i < p->n_seekers; i++) {
		size_t s = member_seeker(p, i);
		for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
			n_edges += kept(g, p, e);
	}
	*l = (layout){
		.edge_first = calloc(n_left + 2, sizeof(*l->edge_first)),
		.right = malloc((n_edges + 1) * sizeof(*l->right)),
		.weight = malloc((n_edges + 1) * sizeof(*l->weight)),
		.ones = malloc((p->n_seekers + 1) * sizeof(*l->ones)),
		.openings = malloc((p->n_vacancies + 1) * sizeof(*l->openings)),
		.used = malloc(n_edges + 1),
	};
	if (l->edge_first == NULL || l->right == NULL || l->weight == NULL || l->ones == NULL ||
	    l->openings == NULL || l->used == NULL)
		return kd_error(ENOMEM);
	for (size_t i = 0; i < p->n_seekers; i++)
		l->ones[i] = 1;
	for (size_t v = 0; v < p->n_vacancies; v++)
		l->openings[v] = g->capacity[member_vacancy(p, v)];
	return kd_ok();
}

static int solve_as_stated(const kd_match_flow_graph *g, const kd_match_flow_part *p,
			   size_t *assigned)
{
	layout l;
	int rc = layout_alloc(g, p, p->n_seekers, &l);
	if (rc == kd_ok()) {
		size_t k = 0;
		for (size_t i = 0; i < p->n_seekers; i++) {
			size_t s = member_seeker(p, i);
			l.edge_first[i] = k;
			for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
				if (kept(g, p, e)) {
					l.right[k] = local_vacancy(p, g->edges[e].vacancy);
					l.weight[k++] = kd_match_flow_weight(g, e);
				}
		}
		l.edge_first[p->n_seekers] = k;
		kd_match_transport t = {
			.n_left = p->n_seekers,
			.n_right = p->n_vacancies,
			.edge_first = l.edge_first,
			.edge_right = l.right,
			.weight = l.weight,
			.supply = l.ones,
			.capacity = l.openings,
		};
		rc = kd_match_transport_solve(&t, l.used);
	}
	if (rc == kd_ok())
		for (size_t i = 0; i < p->n_seekers; i++) {
			size_t s = member_seeker(p, i), k = l.edge_first[i];
			assigned[s] = SIZE_MAX;
			for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
				if (kept(g, p, e) && l.used[k++])
					assigned[s] = e;
		}
	layout_free(&l);
	return rc;
}

/* Seeker s's edge to vacancy v of g, which exists. */
static size_t edge_to(const kd_match_flow_graph *g, size_t s, uint32_t v)
{
	size_t e = g->edge_first[s];
	while (g->edges[e].vacancy != v)
		e++;
	return e;
}

/* The turned-around problem: vacancies' edges, each naming its seeker. */
static int solve_turned_around(const kd_match_flow_graph *g, const kd_match_flow_part *p,
			       size_t *assigned)
{
	layout l;
	int rc = layout_alloc(g, p, p->n_vacancies, &l);
	if (rc == kd_ok()) {
		/* Counting sort by vacancy keeps each vacancy's seekers in ascending order. */
		for (size_t i = 0; i < p->n_seekers; i++) {
			size_t s = member_seeker(p, i);
			for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
				if (kept(g, p, e))
					l.edge_first[local_vacancy(p, g->edges[e].vacancy) + 2]++;
		}
		for (size_t v = 0; v < p->n_vacancies; v++)
			l.edge_first[v + 2] += l.edge_first[v + 1];
		for (size_t i = 0; i < p->n_seekers; i++) {
			size_t s = member_seeker(p, i);
			for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
				if (kept(g, p, e)) {
					uint32_t v = local_vacancy(p, g->edges[e].vacancy);
					size_t k = l.edge_first[v + 1]++;
					l.right[k] = (uint32_t)i;
					l.weight[k] = kd_match_flow_weight(g, e);
				}
		}
		kd_match_transport t = {
			.n_left = p->n_vacancies,
			.n_right = p->n_seekers,
			.edge_first = l.edge_first,
			.edge_right = l.right,
			.weight = l.weight,
			.supply = l.openings,
			.capacity = l.ones,
		};
		rc = kd_match_transport_solve(&t, l.used);
	}
	if (rc == kd_ok()) {
		for (size_t i = 0; i < p->n_seekers; i++)
			assigned[member_seeker(p, i)] = SIZE_MAX;
		for (size_t v = 0; v < p->n_vacancies; v++)
			for (size_t k = l.edge_first[v]; k < l.edge_first[v + 1]; k++)
				if (l.used[k]) {
					size_t s = member_seeker(p, l.right[k]);
					assigned[s] = edge_to(g, s, member_vacancy(p, v));
				}
	}
	layout_free(&l);
	return rc;
}

/*
 * Places to fill against seekers who could fill one; a vacancy offers no
 * more openings than it has candidates.
 */
static bool fewer_places(const kd_match_flow_graph *g, const kd_match_flow_part *p)
{
	size_t places = 0, seekers = 0;
	uint32_t *candidates = calloc(p->n_vacancies + 1, sizeof(*candidates));
	if (candidates == NULL)
		return false;
	for (size_t i = 0; i < p->n_seekers; i++) {
		size_t s = member_seeker(p, i);
		bool any = false;
		for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
			if (kd_match_flow_weight(g, e) > 0) {
				candidates[local_vacancy(p, g->edges[e].vacancy)]++;
				any = true;
			}
		seekers += any;
	}
	for (size_t v = 0; v < p->n_vacancies; v++) {
		uint32_t capacity = g->capacity[member_vacancy(p, v)];
		places += candidates[v] < capacity ? candidates[v] : capacity;
	}
	free(candidates);
	return places < seekers;
}

int kd_match_flow_solve_part(const kd_match_flow_graph *g, const kd_match_flow_part *p,
			     size_t *assigned)
{
	return fewer_places(g, p) ? solve_turned_around(g, p, assigned) :
				    solve_as_stated(g, p, assigned);
}
