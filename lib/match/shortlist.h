/*
 * The best K candidates of one seeker while they are being found, kept
 * sorted; once K are held, the K-th bounds the search.  Internal to
 * lib/match.
 */
#ifndef KD_MATCH_SHORTLIST_H
#define KD_MATCH_SHORTLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A candidate packed into its place in the seeker's order:
 *   rank_hi = not same kecamatan (bit 63) | distance key (a non-negative
 *             double, whose bits sort like its value);
 *   rank_lo = optional skills missed (bits 40..47) | the vacancy's
 *             wage-then-id rank (bits 8..39) | required skills matched.
 * The rank is unique per vacancy, so the required count below it never
 * decides, and two integer comparisons decide kd_match_seeker_order.
 */
typedef struct candidate {
	uint64_t rank_hi, rank_lo;
} candidate;

static inline candidate candidate_make(bool same_kecamatan, uint64_t key_bits,
				       uint32_t optional, uint32_t tie_rank, uint32_t required)
{
	return (candidate){
		(uint64_t)!same_kecamatan << 63 | key_bits,
		(uint64_t)(UINT8_MAX - optional) << 40 | (uint64_t)tie_rank << 8 | required,
	};
}

static inline bool candidate_same_kecamatan(const candidate *c)
{
	return c->rank_hi >> 63 == 0;
}

static inline uint32_t candidate_tie_rank(const candidate *c)
{
	return (uint32_t)(c->rank_lo >> 8);
}

static inline uint8_t candidate_optional(const candidate *c)
{
	return (uint8_t)(UINT8_MAX - (c->rank_lo >> 40));
}

static inline uint8_t candidate_required(const candidate *c)
{
	return (uint8_t)c->rank_lo;
}

typedef struct shortlist {
	candidate *items;       /* best first; room for k */
	uint32_t n, k;
} shortlist;

static inline bool candidate_better(const candidate *x, const candidate *y)
{
	return x->rank_hi < y->rank_hi || (x->rank_hi == y->rank_hi && x->rank_lo < y->rank_lo);
}

/* Allocates room for k; returns false when out of memory. */
bool shortlist_init(shortlist *l, uint32_t k);
void shortlist_free(shortlist *l);

static inline void shortlist_reset(shortlist *l)
{
	l->n = 0;
}

/* The k-th best known, which bounds the rest; NULL until k are known. */
static inline const candidate *shortlist_bound(const shortlist *l)
{
	return l->n == l->k ? &l->items[l->k - 1] : NULL;
}

/* Adds c unless k better ones are known. */
void shortlist_add(shortlist *l, const candidate *c);

#endif
