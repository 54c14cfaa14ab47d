/*
 * Stable mode: seeker-proposing deferred acceptance with capacities (the
 * hospitals/residents algorithm).  Each free seeker proposes to the next
 * vacancy on its candidate list; a vacancy keeps its best proposals up to
 * its openings and releases the worst when a better one arrives.  The
 * outcome is stable on the candidate lists and the best stable outcome for
 * every seeker; preferences are strict, so it does not depend on the order
 * in which free seekers propose.  Time O(E log C) for E candidate pairs and
 * C the largest openings.
 *
 * Most proposals in a crowded market go to a full vacancy that turns them
 * down.  The vacancy's preference (kd_match_vacancy_order) starts with
 * same kecamatan, required and optional skills matched and experience;
 * packed into one integer, the "tier", that decides most comparisons, so
 * each vacancy keeps the tier of its least preferred held proposal in a
 * small array of its own, and a proposal below it is turned down without
 * touching anything else.  Distances are computed only when tiers tie.
 *
 * With more than one thread the market is solved by zones, the connected
 * parts of the candidate graph: no candidate pair crosses from one zone to
 * another, so no proposal does either, and threads that take whole zones
 * never touch the same seeker or vacancy.  The outcome is the same one,
 * since it does not depend on the order of proposals (docs/matcher.md).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <threads.h>

#include "kd.h"
#include "match/batch.h"

typedef struct held {
	uint64_t tier;
	double key;                 /* distance key, NaN until a tie needs it */
	uint32_t seeker;
} held;

static uint64_t tier_of(const kd_match_batch *b, uint32_t seeker, const batch_edge *e)
{
	return (uint64_t)e->same_kecamatan << 48 | (uint64_t)e->required_matched << 40 |
	       (uint64_t)e->optional_matched << 32 | b->seekers[seeker].experience_years;
}

static double key_of(const kd_match_batch *b, held *h, uint32_t v)
{
	if (isnan(h->key))
		h->key = kd_match_batch_key(b, h->seeker, v, h->tier >> 48, NULL);
	return h->key;
}

/* Does vacancy v prefer x to y? */
static bool prefers(const kd_match_batch *b, uint32_t v, held *x, held *y)
{
	if (x->tier != y->tier)
		return x->tier > y->tier;
	double kx = key_of(b, x, v), ky = key_of(b, y, v);
	if (kx != ky)
		return kx < ky;
	const batch_seeker *sx = &b->seekers[x->seeker], *sy = &b->seekers[y->seeker];
	if (sx->registered_at != sy->registered_at)
		return sx->registered_at < sy->registered_at;
	return x->seeker < y->seeker;
}

/* Max-heap with the vacancy's least preferred proposal at the root. */
static void heap_up(const kd_match_batch *b, uint32_t v, held *h, uint32_t i)
{
	while (i > 0 && prefers(b, v, &h[(i - 1) / 2], &h[i])) {
		held t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void heap_down(const kd_match_batch *b, uint32_t v, held *h, uint32_t n)
{
	uint32_t i = 0;
	for (;;) {
		uint32_t worst = i, l = 2 * i + 1, r = l + 1;
		if (l < n && prefers(b, v, &h[worst], &h[l]))
			worst = l;
		if (r < n && prefers(b, v, &h[worst], &h[r]))
			worst = r;
		if (worst == i)
			return;
		held t = h[i];
		h[i] = h[worst];
		h[worst] = t;
		i = worst;
	}
}

typedef struct market {
	size_t *slot_first;         /* vacancy v holds in slots [slot_first[v], slot_first[v + 1]) */
	uint32_t *n_held;
	uint64_t *threshold;        /* tier of the least preferred held when full, else 0 */
	held *slots;
} market;

/*
 * Vacancy v considers seeker s's proposal through edge e.  Returns the
 * seeker it releases, s itself when it turns s down, or KD_MATCH_NONE.
 */
static uint32_t propose(kd_match_batch *b, market *mk, uint32_t s, const batch_edge *e)
{
	uint32_t v = e->vacancy;
	uint64_t tier = tier_of(b, s, e);
	if (tier < mk->threshold[v])
		return s;
	held *h = mk->slots + mk->slot_first[v];
	uint32_t cap = (uint32_t)(mk->slot_first[v + 1] - mk->slot_first[v]);
	held p = { tier, NAN, s };
	uint32_t released = KD_MATCH_NONE;
	if (mk->n_held[v] < cap) {
		h[mk->n_held[v]] = p;
		heap_up(b, v, h, mk->n_held[v]++);
	} else {
		if (!prefers(b, v, &p, &h[0]))
			return s;
		released = h[0].seeker;
		h[0] = p;
		heap_down(b, v, h, cap);
	}
	/* Tiers are at least 0, so 0 lets everything through until full. */
	if (mk->n_held[v] == cap)
		mk->threshold[v] = h[0].tier;
	return released;
}

static int market_init(market *mk, const kd_match_batch *b)
{
	size_t nv = b->n_vacancies;
	mk->slot_first = calloc(nv + 1, sizeof(*mk->slot_first));
	mk->n_held = calloc(nv + 1, sizeof(*mk->n_held));
	mk->threshold = calloc(nv + 1, sizeof(*mk->threshold));
	mk->slots = NULL;
	if (mk->slot_first == NULL || mk->n_held == NULL || mk->threshold == NULL)
		return kd_error(ENOMEM);
	/* A vacancy never holds more than min(openings, proposers). */
	for (size_t e = 0; e < b->n_edges; e++)
		mk->n_held[b->edges[e].vacancy]++;
	for (size_t v = 0; v < nv; v++) {
		uint32_t cap = b->vacancies[v].capacity;
		mk->slot_first[v + 1] = mk->slot_first[v] + (mk->n_held[v] < cap ? mk->n_held[v] : cap);
		mk->n_held[v] = 0;
	}
	mk->slots = malloc((mk->slot_first[nv] + 1) * sizeof(*mk->slots));
	return mk->slots != NULL ? kd_ok() : kd_error(ENOMEM);
}

static void market_free(market *mk)
{
	free(mk->slot_first);
	free(mk->n_held);
	free(mk->threshold);
	free(mk->slots);
}

/*
 * Runs deferred acceptance for the seekers order[0..n) and everyone they
 * release, using stack (room for n) for the free ones.  Those seekers and
 * the vacancies on their lists must not be touched by anyone else meanwhile.
 */
static void accept(kd_match_batch *b, market *mk, size_t *next, const uint32_t *order,
		   size_t n, uint32_t *stack)
{
	size_t n_free = 0;
	for (size_t i = n; i-- > 0;)
		if (b->edge_first[order[i] + 1] > b->edge_first[order[i]])
			stack[n_free++] = order[i];
	while (n_free > 0) {
		uint32_t s = stack[--n_free];
		while (next[s] < b->edge_first[s + 1]) {
			size_t e = next[s]++;
			uint32_t released = propose(b, mk, s, &b->edges[e]);
			if (released == s)
				continue;
			b->assigned[s] = e;
			if (released != KD_MATCH_NONE) {
				b->assigned[released] = KD_MATCH_UNASSIGNED;
				stack[n_free++] = released;
			}
			break;
		}
	}
}

typedef struct zoned {
	kd_match_batch *b;
	market *mk;
	size_t *next;
	uint32_t *seekers;          /* grouped by zone */
	size_t *zone_first;         /* zone z: seekers[zone_first[z] .. zone_first[z + 1]) */
	uint32_t *order;            /* zones, most seekers first */
	uint32_t n_zones;
	size_t largest;
	atomic_size_t taken;        /* zones handed out; only workers with room take one */
} zoned;

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/*
 * Groups the seekers with candidates by zone, zones numbered by their
 * first seeker.  Returns kd_ok() or kd_error(ENOMEM).
 */
static int find_zones(zoned *z)
{
	const kd_match_batch *b = z->b;
	size_t ns = b->n_seekers, nv = b->n_vacancies;
	uint32_t *parent = malloc((ns + nv + 1) * sizeof(*parent));
	uint32_t *zone = malloc((ns + 1) * sizeof(*zone));
	z->seekers = malloc((ns + 1) * sizeof(*z->seekers));
	z->zone_first = calloc(ns + 2, sizeof(*z->zone_first));
	if (parent == NULL || zone == NULL || z->seekers == NULL || z->zone_first == NULL) {
		free(parent), free(zone);
		return kd_error(ENOMEM);
	}
	for (size_t i = 0; i < ns + nv; i++)
		parent[i] = (uint32_t)i;
	for (size_t s = 0; s < ns; s++)
		for (size_t e = b->edge_first[s]; e < b->edge_first[s + 1]; e++) {
			uint32_t x = find(parent, (uint32_t)s);
			uint32_t y = find(parent, (uint32_t)(ns + b->edges[e].vacancy));
			/* The lower number becomes the root: a seeker, the zone's first. */
			if (x < y)
				parent[y] = x;
			else if (y < x)
				parent[x] = y;
		}
	z->n_zones = 0;
	for (size_t s = 0; s < ns; s++) {
		zone[s] = UINT32_MAX;
		if (b->edge_first[s + 1] == b->edge_first[s])
			continue;
		uint32_t root = find(parent, (uint32_t)s);
		zone[s] = root == s ? z->n_zones++ : zone[root];
		z->zone_first[zone[s] + 1]++;
	}
	for (uint32_t k = 0; k < z->n_zones; k++)
		z->zone_first[k + 1] += z->zone_first[k];
	/* parent is done with: it now fills each zone's seekers in order. */
	for (uint32_t k = 0; k < z->n_zones; k++)
		parent[k] = (uint32_t)z->zone_first[k];
	for (size_t s = 0; s < ns; s++)
		if (zone[s] != UINT32_MAX)
			z->seekers[parent[zone[s]]++] = (uint32_t)s;
	free(parent), free(zone);
	return kd_ok();
}

typedef struct sized_zone {
	size_t seekers;
	uint32_t zone;
} sized_zone;

static int larger_first(const void *pa, const void *pb)
{
	const sized_zone *a = pa, *b = pb;
	if (a->seekers != b->seekers)
		return a->seekers > b->seekers ? -1 : 1;
	return a->zone < b->zone ? -1 : a->zone > b->zone;
}

/* Fills z->order with the zones, most seekers first, and z->largest. */
static int order_zones(zoned *z)
{
	sized_zone *sized = malloc((z->n_zones + 1) * sizeof(*sized));
	z->order = malloc((z->n_zones + 1) * sizeof(*z->order));
	if (sized == NULL || z->order == NULL) {
		free(sized);
		return kd_error(ENOMEM);
	}
	for (uint32_t k = 0; k < z->n_zones; k++)
		sized[k] = (sized_zone){ z->zone_first[k + 1] - z->zone_first[k], k };
	qsort(sized, z->n_zones, sizeof(*sized), larger_first);
	for (uint32_t k = 0; k < z->n_zones; k++)
		z->order[k] = sized[k].zone;
	z->largest = z->n_zones > 0 ? sized[0].seekers : 0;
	free(sized);
	return kd_ok();
}

/* A worker: takes the next zone, largest first, until none is left. */
static int work(void *arg)
{
	zoned *z = arg;
	uint32_t *stack = malloc((z->largest + 1) * sizeof(*stack));
	/* Without room this worker takes no zone: the others take them all. */
	if (stack == NULL)
		return 0;
	for (;;) {
		size_t i = atomic_fetch_add(&z->taken, 1);
		if (i >= z->n_zones)
			break;
		uint32_t k = z->order[i];
		accept(z->b, z->mk, z->next, z->seekers + z->zone_first[k],
		       z->zone_first[k + 1] - z->zone_first[k], stack);
	}
	free(stack);
	return 0;
}

/* Solves the market zone by zone on up to `threads` threads, the caller's one of them. */
static int solve_by_zones(kd_match_batch *b, market *mk, size_t *next, unsigned threads)
{
	zoned z = { .b = b, .mk = mk, .next = next };
	atomic_init(&z.taken, 0);
	int rc = find_zones(&z);
	if (rc == kd_ok())
		rc = order_zones(&z);
	size_t helpers = threads - 1 < z.n_zones ? threads - 1 : z.n_zones;
	thrd_t *ids = rc == kd_ok() ? calloc(helpers + 1, sizeof(*ids)) : NULL;
	size_t started = 0;
	while (ids != NULL && started < helpers &&
	       thrd_create(&ids[started], work, &z) == thrd_success)
		started++;
	if (rc == kd_ok())
		work(&z);
	for (size_t i = 0; i < started; i++)
		thrd_join(ids[i], NULL);
	if (rc == kd_ok() && atomic_load(&z.taken) < z.n_zones)
		rc = kd_error(ENOMEM);
	free(ids);
	free(z.seekers), free(z.zone_first), free(z.order);
	return rc;
}

int kd_match_solve_stable(kd_match_batch *b, unsigned threads)
{
	size_t ns = b->n_seekers;
	market mk;
	size_t *next = malloc((ns + 1) * sizeof(*next));
	b->assigned = malloc((ns + 1) * sizeof(*b->assigned));
	int rc = market_init(&mk, b);
	if (rc < 0 || next == NULL || b->assigned == NULL) {
		market_free(&mk);
		free(next);
		return kd_error(ENOMEM);
	}
	for (size_t s = 0; s < ns; s++) {
		next[s] = b->edge_first[s];
		b->assigned[s] = KD_MATCH_UNASSIGNED;
	}
	if (threads > 1) {
		rc = solve_by_zones(b, &mk, next, threads);
	} else {
		uint32_t *order = malloc((ns + 1) * sizeof(*order));
		uint32_t *stack = malloc((ns + 1) * sizeof(*stack));
		if (order != NULL && stack != NULL) {
			for (size_t s = 0; s < ns; s++)
				order[s] = (uint32_t)s;
			accept(b, &mk, next, order, ns, stack);
		} else {
			rc = kd_error(ENOMEM);
		}
		free(order), free(stack);
	}
	market_free(&mk);
	free(next);
	return rc;
}
