/*
 * Stable mode: seeker-proposing deferred acceptance with capacities (the
 * hospitals/residents algorithm).  Each free seeker proposes to the next
 * vacancy on its candidate list; a vacancy keeps its best proposals up to
 * its openings and releases the worst when a better one arrives.  The
 * outcome is stable on the candidate lists and the best stable outcome for
 * every seeker; preferences are strict, so it does not depend on the order
 * in which free seekers propose.
 *
 * Each held proposal carries its vacancy-side key, so a comparison needs no
 * lookup.  Time O(E log C) for E candidate pairs and C the largest openings.
 */
#include <stdlib.h>

#include "kd.h"
#include "match/batch.h"

typedef struct held {
	double key;
	uint32_t seeker;
	uint8_t same_kecamatan, required_matched, optional_matched;
} held;

/* The vacancy's preference (kd_match_vacancy_order): does it prefer x to y? */
static bool prefers(const kd_match_batch *b, const held *x, const held *y)
{
	const batch_seeker *sx = &b->seekers[x->seeker], *sy = &b->seekers[y->seeker];
	if (x->same_kecamatan != y->same_kecamatan)
		return x->same_kecamatan;
	if (x->required_matched != y->required_matched)
		return x->required_matched > y->required_matched;
	if (x->optional_matched != y->optional_matched)
		return x->optional_matched > y->optional_matched;
	if (sx->experience_years != sy->experience_years)
		return sx->experience_years > sy->experience_years;
	if (x->key != y->key)
		return x->key < y->key;
	if (sx->registered_at != sy->registered_at)
		return sx->registered_at < sy->registered_at;
	return x->seeker < y->seeker;
}

/* Max-heap with the vacancy's least preferred proposal at the root. */
static void heap_up(const kd_match_batch *b, held *h, uint32_t i)
{
	held x = h[i];
	while (i > 0 && prefers(b, &h[(i - 1) / 2], &x)) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
}

static void heap_down(const kd_match_batch *b, held *h, uint32_t n)
{
	uint32_t i = 0;
	for (;;) {
		uint32_t worst = i, l = 2 * i + 1, r = l + 1;
		if (l < n && prefers(b, &h[worst], &h[l]))
			worst = l;
		if (r < n && prefers(b, &h[worst], &h[r]))
			worst = r;
		if (worst == i)
			return;
		held t = h[i];
		h[i] = h[worst];
		h[worst] = t;
		i = worst;
	}
}

int kd_match_solve_stable(kd_match_batch *b)
{
	size_t nv = b->n_vacancies, ns = b->n_seekers;
	size_t *slot_first = calloc(nv + 1, sizeof(*slot_first));
	uint32_t *n_held = calloc(nv + 1, sizeof(*n_held));
	size_t *next = malloc((ns + 1) * sizeof(*next));
	uint32_t *free_seekers = malloc((ns + 1) * sizeof(*free_seekers));
	b->assigned = malloc((ns + 1) * sizeof(*b->assigned));
	if (slot_first == NULL || n_held == NULL || next == NULL || free_seekers == NULL ||
	    b->assigned == NULL) {
		free(slot_first), free(n_held), free(next), free(free_seekers);
		return kd_error(ENOMEM);
	}
	/* A vacancy never holds more than min(openings, proposers). */
	for (size_t e = 0; e < b->n_edges; e++)
		n_held[b->edges[e].vacancy]++;
	for (size_t v = 0; v < nv; v++) {
		uint32_t cap = b->vacancies[v].capacity;
		slot_first[v + 1] = slot_first[v] + (n_held[v] < cap ? n_held[v] : cap);
		n_held[v] = 0;
	}
	held *slots = malloc((slot_first[nv] + 1) * sizeof(*slots));
	if (slots == NULL) {
		free(slot_first), free(n_held), free(next), free(free_seekers);
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
			const batch_edge *edge = &b->edges[e];
			uint32_t v = edge->vacancy;
			held *h = slots + slot_first[v];
			uint32_t cap = (uint32_t)(slot_first[v + 1] - slot_first[v]);
			held p = { kd_match_batch_key(b, s, v, edge->same_kecamatan, NULL), s,
				   edge->same_kecamatan, edge->required_matched,
				   edge->optional_matched };
			if (n_held[v] < cap) {
				h[n_held[v]] = p;
				heap_up(b, h, n_held[v]++);
			} else if (prefers(b, &p, &h[0])) {
				uint32_t released = h[0].seeker;
				b->assigned[released] = KD_MATCH_UNASSIGNED;
				free_seekers[n_free++] = released;
				h[0] = p;
				heap_down(b, h, cap);
			} else {
				continue;
			}
			b->assigned[s] = e;
			break;
		}
	}
	free(slot_first), free(n_held), free(next), free(free_seekers), free(slots);
	return kd_ok();
}
