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
 */
#include <stdlib.h>

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

int kd_match_solve_stable(kd_match_batch *b)
{
	size_t ns = b->n_seekers;
	market mk;
	size_t *next = malloc((ns + 1) * sizeof(*next));
	uint32_t *free_seekers = malloc((ns + 1) * sizeof(*free_seekers));
	b->assigned = malloc((ns + 1) * sizeof(*b->assigned));
	int rc = market_init(&mk, b);
	if (rc < 0 || next == NULL || free_seekers == NULL || b->assigned == NULL) {
		market_free(&mk);
		free(next), free(free_seekers);
		return kd_error(ENOMEM);
	}
	size_t n_free = 0;
	for (size_t s = ns; s-- > 0;) {
		next[s] = b->edge_first[s];
		b->assigned[s] = KD_MATCH_UNASSIGNED;
		if (b->edge_first[s + 1] > b->edge_first[s])
			free_seekers[n_free++] = (uint32_t)s;
	}
	while (n_free > 0) {
		uint32_t s = free_seekers[--n_free];
		while (next[s] < b->edge_first[s + 1]) {
			size_t e = next[s]++;
			uint32_t released = propose(b, &mk, s, &b->edges[e]);
			if (released == s)
				continue;
			b->assigned[s] = e;
			if (released != KD_MATCH_NONE) {
				b->assigned[released] = KD_MATCH_UNASSIGNED;
				free_seekers[n_free++] = released;
			}
			break;
		}
	}
	market_free(&mk);
	free(next), free(free_seekers);
	return kd_ok();
}
