/*
 * The run's spatial index: open vacancies in two layouts of k-d trees over
 * unit vectors, one grouped by (kecamatan, skill they are indexed under) for
 * the seeker's own kecamatan, one grouped by skill alone across every
 * kecamatan for the rest, so that a seeker walks the trees of its own skills
 * nearest first and stops early.  Kecamatan come with their travel-table
 * routes, nearest first.
 */
#include <stdlib.h>
#include <string.h>

#include "kd.h"
#include "match/batch.h"

/* An entry with its location while the trees are built. */
typedef struct placed_entry {
	double u[3];
	uint64_t required_mask;
	uint32_t kecamatan;
	uint8_t education_rank;
	spatial_entry entry;
} placed_entry;

typedef struct triple {
	uint32_t kecamatan, skill, education_rank, vacancy;
} triple;

static int triple_cmp(const void *pa, const void *pb)
{
	const triple *a = pa, *b = pb;
	if (a->kecamatan != b->kecamatan)
		return a->kecamatan < b->kecamatan ? -1 : 1;
	if (a->skill != b->skill)
		return a->skill < b->skill ? -1 : 1;
	if (a->education_rank != b->education_rank)
		return a->education_rank < b->education_rank ? -1 : 1;
	return (a->vacancy > b->vacancy) - (a->vacancy < b->vacancy);
}

static void box_empty(double box[6])
{
	for (int i = 0; i < 3; i++) {
		box[i] = INFINITY;
		box[3 + i] = -INFINITY;
	}
}

static void box_add(double box[6], const double u[3])
{
	for (int i = 0; i < 3; i++) {
		if (u[i] < box[i])
			box[i] = u[i];
		if (u[i] > box[3 + i])
			box[3 + i] = u[i];
	}
}

/*
 * Puts the entry of rank k (by coordinate axis) at position k of e[0..n),
 * smaller ones before it and larger ones after.  Three-way partitioning
 * keeps the many vacancies that share a village centroid from making it
 * quadratic; the middle element as pivot keeps it deterministic.
 */
static void select_rank(placed_entry *e, size_t n, size_t k, int axis)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		double pivot = e[lo + (hi - lo) / 2].u[axis];
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			double x = e[i].u[axis];
			placed_entry t;
			if (x < pivot) {
				t = e[lt], e[lt] = e[i], e[i] = t;
				lt++, i++;
			} else if (x > pivot) {
				gt--;
				t = e[gt], e[gt] = e[i], e[i] = t;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
}

static int node_alloc(kd_match_spatial *sp, size_t *cap, uint32_t count, uint32_t *first)
{
	if (sp->n_nodes + count > *cap) {
		size_t next = *cap ? 2 * *cap : 1024;
		spatial_node *nodes = realloc(sp->nodes, next * sizeof(*nodes));
		if (nodes == NULL)
			return kd_error(ENOMEM);
		sp->nodes = nodes;
		*cap = next;
	}
	*first = (uint32_t)sp->n_nodes;
	sp->n_nodes += count;
	return kd_ok();
}

static int build_tree(kd_match_spatial *sp, placed_entry *entries, size_t *cap,
		      uint32_t node, uint32_t begin, uint32_t end)
{
	double box[6];
	uint32_t kecamatan = entries[begin].kecamatan;
	box_empty(box);
	for (uint32_t i = begin; i < end; i++) {
		box_add(box, entries[i].u);
		if (entries[i].kecamatan != kecamatan)
			kecamatan = KD_MATCH_NONE;
	}
	spatial_node *nd = &sp->nodes[node];
	memcpy(nd->box, box, sizeof(nd->box));
	nd->begin = begin;
	nd->end = end;
	nd->child = 0;
	nd->kecamatan = kecamatan;
	if (end - begin <= KD_MATCH_LEAF_SIZE)
		return kd_ok();
	int axis = 0;
	for (int i = 1; i < 3; i++)
		if (box[3 + i] - box[i] > box[3 + axis] - box[axis])
			axis = i;
	uint32_t mid = begin + (end - begin) / 2, child;
	select_rank(entries + begin, end - begin, mid - begin, axis);
	if (node_alloc(sp, cap, 2, &child) < 0)
		return kd_error(ENOMEM);
	sp->nodes[node].child = child;
	if (build_tree(sp, entries, cap, child, begin, mid) < 0)
		return kd_error(ENOMEM);
	return build_tree(sp, entries, cap, child + 1, mid, end);
}

/* The slot of (kecamatan, skill): its group's, or the empty one it would take. */
static size_t group_slot(const kd_match_spatial *sp, uint32_t kecamatan, uint32_t skill)
{
	uint64_t key = (uint64_t)kecamatan << 32 | skill;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & sp->group_mask;
	while (sp->groups[i].count != 0 &&
	       (sp->groups[i].kecamatan != kecamatan || sp->groups[i].skill != skill))
		i = (i + 1) & sp->group_mask;
	return i;
}

static int layout_alloc(spatial_layout *lay, size_t n)
{
	lay->entries = malloc((n + 1) * sizeof(*lay->entries));
	lay->educations = malloc(n + 1);
	lay->required_masks = malloc((n + 1) * sizeof(*lay->required_masks));
	lay->points = malloc((n + 1) * sizeof(*lay->points));
	lay->kecamatan = malloc((n + 1) * sizeof(*lay->kecamatan));
	if (lay->entries == NULL || lay->educations == NULL || lay->required_masks == NULL ||
	    lay->points == NULL || lay->kecamatan == NULL)
		return kd_error(ENOMEM);
	return kd_ok();
}

static void layout_free(spatial_layout *lay)
{
	free(lay->entries);
	free(lay->educations);
	free(lay->required_masks);
	free(lay->points);
	free(lay->kecamatan);
	free(lay->skills);
}

/* Copies the entries and their skill lists in final leaf order. */
static int lay_out_leaves(const kd_match_batch *b, spatial_layout *lay,
			  const placed_entry *placed, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const spatial_entry *e = &placed[i].entry;
		total += e->n_required + e->n_optional + (e->n_keys > 1 ? e->n_keys : 0);
	}
	lay->skills = malloc((total + 1) * sizeof(*lay->skills));
	if (lay->skills == NULL)
		return kd_error(ENOMEM);
	total = 0;
	for (size_t i = 0; i < n; i++) {
		const batch_vacancy *v = &b->vacancies[placed[i].entry.vacancy];
		lay->entries[i] = placed[i].entry;
		lay->entries[i].skills = (uint32_t)total;
		lay->required_masks[i] = placed[i].required_mask;
		lay->educations[i] = placed[i].education_rank;
		lay->kecamatan[i] = v->kecamatan;
		memcpy(lay->points[i], placed[i].u, sizeof(lay->points[i]));
		for (uint32_t j = 0; j < v->n_required; j++)
			lay->skills[total++] = v->required[j];
		for (uint32_t j = 0; j < v->n_optional; j++)
			lay->skills[total++] = v->optional[j];
		for (uint32_t j = 0; v->n_keys > 1 && j < v->n_keys; j++)
			lay->skills[total++] = v->keys[j];
	}
	return kd_ok();
}

/* The group a run of equal (kecamatan, skill) triples fills, empty so far. */
static spatial_group *group_of(kd_match_spatial *sp, bool wide, const triple *t)
{
	spatial_group *g = wide ? &sp->wide_groups[t->skill]
				: &sp->groups[group_slot(sp, t->kecamatan, t->skill)];
	*g = (spatial_group){ t->kecamatan, t->skill, 0, 0 };
	return g;
}

/*
 * Builds one layout: every (vacancy, index skill) as an entry, grouped by
 * (kecamatan, skill), or by skill alone when wide, each group's trees added
 * to sp->trees from *n_trees on.
 */
static int build_layout(kd_match_batch *b, bool wide, size_t n, size_t *node_cap,
			size_t *n_trees)
{
	kd_match_spatial *sp = &b->spatial;
	spatial_layout *lay = wide ? &sp->wide : &sp->local;
	triple *t = malloc((n + 1) * sizeof(*t));
	placed_entry *placed = malloc((n + 1) * sizeof(*placed));
	int rc = t != NULL && placed != NULL ? layout_alloc(lay, n) : kd_error(ENOMEM);
	if (rc < 0) {
		free(t), free(placed);
		return rc;
	}
	size_t k = 0;
	for (size_t v = 0; v < b->n_vacancies; v++)
		for (uint32_t j = 0; j < b->vacancies[v].n_keys; j++)
			t[k++] = (triple){ wide ? 0 : b->vacancies[v].kecamatan,
					   (uint32_t)b->vacancies[v].keys[j],
					   b->vacancies[v].education_rank, (uint32_t)v };
	if (n > 1)
		qsort(t, n, sizeof(*t), triple_cmp);
	for (size_t i = 0; i < n; i++) {
		const batch_vacancy *v = &b->vacancies[t[i].vacancy];
		spatial_entry *e = &placed[i].entry;
		memcpy(placed[i].u, v->u, sizeof(placed[i].u));
		placed[i].required_mask = 0;
		placed[i].kecamatan = v->kecamatan;
		placed[i].education_rank = v->education_rank;
		*e = (spatial_entry){
			.vacancy = t[i].vacancy,
			.tie_rank = v->tie_rank,
			.n_required = v->n_required,
			.n_optional = v->n_optional,
			.needed = v->needed,
			.n_keys = v->n_keys,
		};
		if (v->needed == v->n_required)
			for (uint32_t j = 0; j < v->n_required; j++)
				placed[i].required_mask |= kd_match_skill_bit(v->required[j]);
	}
	for (size_t i = 0; i < n && rc == kd_ok();) {
		size_t group_end = i;
		while (group_end < n && t[group_end].kecamatan == t[i].kecamatan &&
		       t[group_end].skill == t[i].skill)
			group_end++;
		/*
		 * A large local group gets a tree per education rank, so seekers
		 * skip the trees they do not qualify for; a small one stays whole,
		 * since a tree costs more to queue than its few entries to read.
		 * A wide group stays whole too: split, every seeker walked up to
		 * six sparser trees per skill to gather its list, and the whole
		 * search took 40% more time over the nation than reading past the
		 * entries its education does not reach.
		 */
		bool split = !wide && group_end - i > 2 * KD_MATCH_LEAF_SIZE;
		spatial_group *g = group_of(sp, wide, &t[i]);
		g->first = (uint32_t)*n_trees;
		while (i < group_end && rc == kd_ok()) {
			size_t j = i;
			while (j < group_end &&
			       (!split || t[j].education_rank == t[i].education_rank))
				j++;
			uint32_t root = 0;
			rc = node_alloc(sp, node_cap, 1, &root);
			if (rc == kd_ok())
				rc = build_tree(sp, placed, node_cap, root, (uint32_t)i, (uint32_t)j);
			/* Sorted by rank, so the first entry has the tree's lowest. */
			sp->trees[(*n_trees)++] = (spatial_tree){ root, (uint8_t)t[i].education_rank };
			g->count++;
			i = j;
		}
		if (g->skill == b->any_skill)
			sp->has_any = true;
	}
	free(t);
	if (rc == kd_ok())
		rc = lay_out_leaves(b, lay, placed, n);
	free(placed);
	return rc;
}

static int build_groups(kd_match_batch *b)
{
	kd_match_spatial *sp = &b->spatial;
	size_t n = 0, node_cap = 0, n_trees = 0;
	for (size_t v = 0; v < b->n_vacancies; v++)
		n += b->vacancies[v].n_keys;
	size_t slots = 16;
	while (slots < 2 * n)
		slots *= 2;
	sp->groups = calloc(slots, sizeof(*sp->groups));
	sp->group_mask = slots - 1;
	sp->wide_groups = calloc((size_t)b->any_skill + 1, sizeof(*sp->wide_groups));
	/* Each layout has at most one tree per entry. */
	sp->trees = malloc((2 * n + 1) * sizeof(*sp->trees));
	if (sp->groups == NULL || sp->wide_groups == NULL || sp->trees == NULL)
		return kd_error(ENOMEM);
	int rc = build_layout(b, false, n, &node_cap, &n_trees);
	if (rc == kd_ok())
		rc = build_layout(b, true, n, &node_cap, &n_trees);
	return rc;
}

static int visit_cmp(const void *pa, const void *pb)
{
	const spatial_visit *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->kecamatan > b->kecamatan) - (a->kecamatan < b->kecamatan);
}

/*
 * For each kecamatan with seekers, the kecamatan with vacancies its travel
 * table routes reach, nearest by the route first.  Everything else is found
 * through the wide trees, so no list of kecamatan by distance is needed.
 */
static int build_routes(kd_match_batch *b)
{
	kd_match_spatial *sp = &b->spatial;
	const kd_match_model *m = b->model;
	uint32_t nk = m->n_kecamatan;
	bool *has_seekers = calloc((size_t)nk + 1, sizeof(*has_seekers));
	bool *has_vacancies = calloc((size_t)nk + 1, sizeof(*has_vacancies));
	sp->routed_first = calloc((size_t)nk + 1, sizeof(*sp->routed_first));
	sp->routed = malloc((m->n_routes + 1) * sizeof(*sp->routed));
	if (has_seekers == NULL || has_vacancies == NULL || sp->routed_first == NULL ||
	    sp->routed == NULL) {
		free(has_seekers), free(has_vacancies);
		return kd_error(ENOMEM);
	}
	for (size_t i = 0; i < b->n_seekers; i++)
		if (b->seekers[i].complete)
			has_seekers[b->seekers[i].kecamatan] = true;
	for (size_t v = 0; v < b->n_vacancies; v++)
		has_vacancies[b->vacancies[v].kecamatan] = true;
	size_t n_routed = 0;
	for (uint32_t k = 0; k < nk; k++) {
		sp->routed_first[k] = n_routed;
		for (size_t r = m->route_first[k]; has_seekers[k] && r < m->route_first[k + 1]; r++)
			if (has_vacancies[m->routes[r].to])
				sp->routed[n_routed++] = (spatial_visit){ m->routes[r].to,
									  m->routes[r].key };
		/* Without a travel table the routed list is NULL: sort only what exists. */
		if (n_routed - sp->routed_first[k] > 1)
			qsort(sp->routed + sp->routed_first[k], n_routed - sp->routed_first[k],
			      sizeof(*sp->routed), visit_cmp);
	}
	sp->routed_first[nk] = n_routed;
	free(has_seekers), free(has_vacancies);
	return kd_ok();
}

int kd_match_spatial_build(kd_match_batch *b)
{
	int rc = build_groups(b);
	if (rc == kd_ok())
		rc = build_routes(b);
	return rc;
}

void kd_match_spatial_free(kd_match_spatial *sp)
{
	layout_free(&sp->local);
	layout_free(&sp->wide);
	free(sp->trees);
	free(sp->nodes);
	free(sp->groups);
	free(sp->wide_groups);
	free(sp->routed);
	free(sp->routed_first);
}

const spatial_group *kd_match_spatial_find(const kd_match_spatial *sp, uint32_t kecamatan,
					   uint32_t skill)
{
	const spatial_group *g = &sp->groups[group_slot(sp, kecamatan, skill)];
	return g->count > 0 ? g : NULL;
}
