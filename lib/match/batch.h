/*
 * Internal state of one run (match/run.h), shared by its phases: prepare
 * (run.c), spatial index (spatial.c), candidates (candidates.c), stable
 * (stable.c), optimal (optimal.c) and result (result.c).
 *
 * Seekers and open vacancies are renumbered in ascending id order, so that
 * index order is id order and no tie-break ever looks at input positions.
 */
#ifndef KD_MATCH_BATCH_H
#define KD_MATCH_BATCH_H

#include "match/internal.h"
#include "match/run.h"

#define KD_MATCH_NONE UINT32_MAX
#define KD_MATCH_UNASSIGNED SIZE_MAX
/* Most entries in a k-d tree leaf. */
#define KD_MATCH_LEAF_SIZE 32

typedef struct batch_seeker {
	double u[3];                /* unit vector of the location */
	double limit_key;           /* effective distance limit for other kecamatan */
	int64_t registered_at;
	const int32_t *skills;
	const uint32_t *excluded;   /* open vacancies never to offer, ascending */
	uint64_t skill_mask;        /* kd_match_skill_bit() of each skill */
	uint32_t n_skills;
	uint32_t n_excluded;
	uint32_t kecamatan;
	uint32_t experience_years;
	uint8_t education_rank;
	bool complete;
} batch_seeker;

typedef struct batch_vacancy {
	double u[3];
	int64_t wage_max;
	const int32_t *required, *optional;
	const int32_t *keys;        /* skills it is indexed under, rarest first */
	uint32_t kecamatan;
	uint32_t capacity;          /* openings */
	uint32_t tie_rank;          /* position by wage_max descending, then id */
	uint8_t n_required, n_optional, n_keys;
	uint8_t needed;             /* required skills a seeker must hold */
	uint8_t education_rank;
} batch_vacancy;

/* A candidate pair as the solvers see it; 8 bytes, the run's largest array. */
typedef struct batch_edge {
	uint32_t vacancy;
	uint8_t same_kecamatan;
	uint8_t required_matched;
	uint8_t optional_matched;
} batch_edge;

/*
 * A vacancy entry in a k-d tree leaf with everything that decides a pair,
 * so that a search reads leaves front to back and never jumps to the
 * vacancy itself.  The fields that reject most pairs live in arrays of
 * their own (spatial_layout.required_masks, .educations, .points,
 * .kecamatan), so that a leaf is scanned from a few cache lines; this part
 * is read only for pairs that pass them.  Skill lists are stored in leaf
 * order in spatial_layout.skills.
 */
typedef struct spatial_entry {
	uint32_t vacancy;
	uint32_t tie_rank;          /* batch_vacancy.tie_rank */
	uint32_t skills;            /* required, optional, then index keys if more than one */
	uint8_t n_required, n_optional, needed, n_keys;
} spatial_entry;

/* k-d tree node over entries [begin, end) of one layout; children at child and child + 1. */
typedef struct spatial_node {
	double box[6];              /* lo[3], hi[3] of its entries' unit vectors */
	uint32_t begin, end;
	uint32_t child;             /* 0 for a leaf */
	uint32_t kecamatan;         /* the one kecamatan of all its entries, or KD_MATCH_NONE */
} spatial_node;

/*
 * The vacancies indexed under one skill, in one kecamatan (the local
 * groups) or in all of them (the wide groups): one k-d tree, or, for a
 * large group, one per education rank asked for, so that a seeker walks
 * only the trees its education reaches.
 */
typedef struct spatial_group {
	uint32_t kecamatan, skill;  /* kecamatan is 0 in a wide group */
	uint32_t first, count;      /* trees [first, first + count); count 0: an empty slot */
} spatial_group;

typedef struct spatial_tree {
	uint32_t root;
	uint8_t education_rank;     /* the lowest its entries ask for; trees of a group ascend */
} spatial_tree;

/* A kecamatan a travel-table route reaches, with the route's key. */
typedef struct spatial_visit {
	uint32_t kecamatan;
	double key;
} spatial_visit;

/* Index entries in leaf order, each array indexed like entries. */
typedef struct spatial_layout {
	spatial_entry *entries;
	uint8_t *educations;        /* education rank each entry asks for */
	uint64_t *required_masks;   /* kd_match_skill_bit() of each required skill, or 0 */
	double (*points)[3];        /* unit vector of entries[i] */
	uint32_t *kecamatan;        /* the vacancy's kecamatan */
	int32_t *skills;
} spatial_layout;

/*
 * Two layouts of the same entries.  The local one is grouped by
 * (kecamatan, skill) and answers "what is there in the seeker's own
 * kecamatan", which ranks before anything elsewhere.  The wide one is
 * grouped by skill alone, one tree set across every kecamatan, and answers
 * "what is nearest elsewhere": a seeker walks only the trees of its own
 * skills and opens only the nodes within its reach, so the cost of a search
 * does not grow with the number of kecamatan around it.
 */
typedef struct kd_match_spatial {
	spatial_layout local, wide;
	spatial_node *nodes;        /* of both layouts' trees */
	size_t n_nodes;
	spatial_group *groups;      /* local: hash table by (kecamatan, skill) */
	size_t group_mask;          /* slots - 1, slots a power of two */
	spatial_group *wide_groups; /* wide: indexed by skill, any_skill included */
	spatial_tree *trees;
	/* The routes from kecamatan k are [routed_first[k], routed_first[k + 1]). */
	spatial_visit *routed;      /* kecamatan with vacancies a route reaches, by route key */
	size_t *routed_first;
	bool has_any;               /* some vacancy needs no skill at all */
} kd_match_spatial;

typedef struct kd_match_batch {
	const kd_match_model *model;
	const kd_match_input *in;
	uint32_t any_skill;         /* pseudo skill every seeker holds */
	size_t n_seekers;
	uint32_t *seeker_input;     /* renumbered -> input index */
	batch_seeker *seekers;
	size_t n_vacancies;         /* open ones only */
	uint32_t *vacancy_input;
	batch_vacancy *vacancies;
	uint32_t *vacancy_by_tie;   /* tie_rank -> vacancy */
	int32_t *key_pool;
	uint32_t *excluded_pool;    /* batch_seeker.excluded lists, back to back */
	uint32_t candidates_cap;    /* per seeker */
	kd_match_spatial spatial;
	size_t *edge_first;         /* n_seekers + 1 */
	batch_edge *edges;
	size_t n_edges;
	size_t *assigned;           /* per seeker: an edge or KD_MATCH_UNASSIGNED */
} kd_match_batch;

int kd_match_spatial_build(kd_match_batch *b);
void kd_match_spatial_free(kd_match_spatial *sp);
/* Local group (kecamatan, skill), or NULL. */
const spatial_group *kd_match_spatial_find(const kd_match_spatial *sp, uint32_t kecamatan,
					   uint32_t skill);

int kd_match_candidates(kd_match_batch *b, unsigned threads);
/* With threads > 1, zone by zone on that many threads; the outcome is the same. */
int kd_match_solve_stable(kd_match_batch *b, unsigned threads);
int kd_match_solve_optimal(kd_match_batch *b, unsigned threads, kd_match_error *err);
int kd_match_build_result(const kd_match_batch *b, const kd_match_options *options,
			  kd_match_result *r);

/* Distance key and kilometres of a candidate pair, exactly as kd_match_evaluate. */
double kd_match_batch_key(const kd_match_batch *b, uint32_t seeker, uint32_t vacancy,
			  bool same_kecamatan, double *km);
/* Score of a candidate pair, exactly as kd_match_evaluate. */
int32_t kd_match_batch_score(const kd_match_batch *b, size_t seeker, const batch_edge *e);

/* The bit a skill sets in a 64-bit skill summary. */
static inline uint64_t kd_match_skill_bit(int32_t skill)
{
	return 1ull << ((uint32_t)skill & 63);
}

/*
 * Lower bound of the distance key from point u to box (lo[3], hi[3]).  The
 * gaps are taken in the same order and with the same subtractions as
 * kd_match_chord2, so the bound never exceeds a point's key even after
 * rounding.
 */
static inline double kd_match_box_key(const double box[6], const double u[3])
{
	double sum = 0.0;
	for (int i = 0; i < 3; i++) {
		double gap = 0.0;
		if (u[i] < box[i])
			gap = u[i] - box[i];
		else if (u[i] > box[3 + i])
			gap = u[i] - box[3 + i];
		sum += gap * gap;
	}
	return sum;
}

#endif
