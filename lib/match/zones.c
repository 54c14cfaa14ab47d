/*
 * Finds the zones with a union-find over seekers and vacancies, numbers
 * them by their first seeker, lays out each zone's members in order, and
 * lets worker threads take zones from a shared counter, largest first.  A
 * zone is handed to the solver as a part of g (flow.h): its edges of
 * positive weight, with vacancies renumbered within the zone, are laid out
 * only while it is solved, so at most one zone per thread is ever copied.
 */
#include "match/zones.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <threads.h>

#include "kd.h"

#define NO_ZONE UINT32_MAX

typedef struct zones {
	const kd_match_flow_graph *g;
	size_t *assigned;
	uint32_t n_zones;
	uint32_t *seekers;              /* grouped by zone, ascending within one */
	size_t *seeker_first;           /* zone z: seekers[seeker_first[z] .. +1) */
	uint32_t *vacancies;            /* likewise */
	size_t *vacancy_first;
	uint32_t *local;                /* per vacancy: its number within its zone */
	uint32_t *order;                /* zones, largest first */
	atomic_size_t next;
	atomic_int failed;
} zones;

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
	a = find(parent, a);
	b = find(parent, b);
	/* The lower number becomes the root, so the roots are the same every time. */
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

/* Counting sort of 0..n-1 by key (NO_ZONE left out) into out, with first[]. */
static void group(const uint32_t *key, size_t n, uint32_t n_zones, uint32_t *out,
		  size_t *first)
{
	for (size_t z = 0; z <= n_zones; z++)
		first[z] = 0;
	for (size_t i = 0; i < n; i++)
		if (key[i] != NO_ZONE)
			first[key[i] + 1]++;
	for (size_t z = 0; z < n_zones; z++)
		first[z + 1] += first[z];
	size_t *fill = first;   /* advanced while placing, then shifted back */
	for (size_t i = 0; i < n; i++)
		if (key[i] != NO_ZONE)
			out[fill[key[i]]++] = (uint32_t)i;
	for (size_t z = n_zones; z > 0; z--)
		first[z] = first[z - 1];
	first[0] = 0;
}

static zones *zones_free(zones *zs)
{
	if (zs != NULL) {
		free(zs->seekers);
		free(zs->seeker_first);
		free(zs->vacancies);
		free(zs->vacancy_first);
		free(zs->local);
		free(zs->order);
		free(zs);
	}
	return NULL;
}

typedef struct sized_zone {
	size_t seekers;
	uint32_t zone;
} sized_zone;

static int larger_first(const void *a, const void *b)
{
	const sized_zone *x = a, *y = b;
	if (x->seekers != y->seekers)
		return x->seekers > y->seekers ? -1 : 1;
	return x->zone < y->zone ? -1 : x->zone > y->zone;
}

/* Fills zs->order with the zones, most seekers first. */
static int order_zones(zones *zs)
{
	sized_zone *sized = malloc((zs->n_zones + 1) * sizeof(*sized));
	if (sized == NULL)
		return kd_error(ENOMEM);
	for (uint32_t z = 0; z < zs->n_zones; z++)
		sized[z] = (sized_zone){ zs->seeker_first[z + 1] - zs->seeker_first[z], z };
	qsort(sized, zs->n_zones, sizeof(*sized), larger_first);
	for (uint32_t z = 0; z < zs->n_zones; z++)
		zs->order[z] = sized[z].zone;
	free(sized);
	return kd_ok();
}

static zones *zones_find(const kd_match_flow_graph *g, size_t *assigned)
{
	size_t ns = g->n_seekers, nv = g->n_vacancies;
	zones *zs = calloc(1, sizeof(*zs));
	uint32_t *parent = malloc((ns + nv + 1) * sizeof(*parent));
	uint32_t *zone_of = malloc((ns + nv + 1) * sizeof(*zone_of));
	if (zs == NULL || parent == NULL || zone_of == NULL)
		goto fail;
	zs->g = g;
	zs->assigned = assigned;
	for (size_t i = 0; i < ns + nv; i++) {
		parent[i] = (uint32_t)i;
		zone_of[i] = NO_ZONE;
	}
	for (size_t s = 0; s < ns; s++)
		for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1]; e++)
			if (kd_match_flow_weight(g, e) > 0)
				unite(parent, (uint32_t)s, (uint32_t)(ns + g->edges[e].vacancy));
	/* A zone's root is its first seeker, so numbering roots in order numbers zones by it. */
	uint32_t *root_zone = zone_of;
	for (size_t s = 0; s < ns; s++)
		if (find(parent, (uint32_t)s) == s) {
			bool linked = false;
			for (size_t e = g->edge_first[s]; e < g->edge_first[s + 1] && !linked; e++)
				linked = kd_match_flow_weight(g, e) > 0;
			if (linked)
				root_zone[s] = zs->n_zones++;
		}
	for (size_t i = 0; i < ns + nv; i++) {
		uint32_t r = find(parent, (uint32_t)i);
		zone_of[i] = r < ns ? root_zone[r] : NO_ZONE;
	}
	zs->seekers = malloc((ns + 1) * sizeof(*zs->seekers));
	zs->seeker_first = malloc((zs->n_zones + 1) * sizeof(*zs->seeker_first));
	zs->vacancies = malloc((nv + 1) * sizeof(*zs->vacancies));
	zs->vacancy_first = malloc((zs->n_zones + 1) * sizeof(*zs->vacancy_first));
	zs->local = malloc((nv + 1) * sizeof(*zs->local));
	zs->order = malloc((zs->n_zones + 1) * sizeof(*zs->order));
	if (zs->seekers == NULL || zs->seeker_first == NULL || zs->vacancies == NULL ||
	    zs->vacancy_first == NULL || zs->local == NULL || zs->order == NULL)
		goto fail;
	group(zone_of, ns, zs->n_zones, zs->seekers, zs->seeker_first);
	group(zone_of + ns, nv, zs->n_zones, zs->vacancies, zs->vacancy_first);
	for (uint32_t z = 0; z < zs->n_zones; z++)
		for (size_t i = zs->vacancy_first[z]; i < zs->vacancy_first[z + 1]; i++)
			zs->local[zs->vacancies[i]] = (uint32_t)(i - zs->vacancy_first[z]);
	if (order_zones(zs) < 0)
		goto fail;
	free(parent);
	free(zone_of);
	return zs;
fail:
	free(parent);
	free(zone_of);
	return zones_free(zs);
}

/* Solves zone z, writing its seekers' answers. */
static int solve_zone(zones *zs, uint32_t z)
{
	kd_match_flow_part part = {
		.n_seekers = zs->seeker_first[z + 1] - zs->seeker_first[z],
		.n_vacancies = zs->vacancy_first[z + 1] - zs->vacancy_first[z],
		.seekers = zs->seekers + zs->seeker_first[z],
		.vacancies = zs->vacancies + zs->vacancy_first[z],
		.local = zs->local,
	};
	return kd_match_flow_solve_part(zs->g, &part, zs->assigned);
}

static int work(void *arg)
{
	zones *zs = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&zs->next, 1);
		if (i >= zs->n_zones || atomic_load(&zs->failed))
			return 0;
		if (solve_zone(zs, zs->order[i]) < 0)
			atomic_store(&zs->failed, 1);
	}
}

int kd_match_flow_solve_zones(const kd_match_flow_graph *g, size_t *assigned,
			      unsigned threads)
{
	zones *zs = zones_find(g, assigned);
	if (zs == NULL)
		return kd_error(ENOMEM);
	if (zs->n_zones == 1) {
		/*
		 * One zone holds every linked seeker: the whole graph is solved,
		 * every seeker, vacancy and edge, as it always was.
		 */
		zones_free(zs);
		kd_match_flow_part whole = {
			.n_seekers = g->n_seekers,
			.n_vacancies = g->n_vacancies,
			.every_edge = true,
		};
		return kd_match_flow_solve_part(g, &whole, assigned);
	}
	for (size_t s = 0; s < g->n_seekers; s++)
		assigned[s] = SIZE_MAX;
	size_t helpers = threads > 1 ? threads - 1 : 0;
	if (helpers > zs->n_zones)
		helpers = zs->n_zones;
	thrd_t *ids = calloc(helpers + 1, sizeof(*ids));
	size_t started = 0;
	while (ids != NULL && started < helpers &&
	       thrd_create(&ids[started], work, zs) == thrd_success)
		started++;
	work(zs);
	for (size_t i = 0; i < started; i++)
		thrd_join(ids[i], NULL);
	free(ids);
	int rc = atomic_load(&zs->failed) ? kd_error(ENOMEM) : kd_ok();
	zones_free(zs);
	return rc;
}
