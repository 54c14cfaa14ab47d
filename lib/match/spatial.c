/*
 * The run's spatial index: open vacancies grouped by (kecamatan, skill they
 * are indexed under), each group one or more k-d trees over unit vectors,
 * so that a seeker can walk the trees of its own skills nearest first and
 * stop early.  Kecamatan come with precomputed visiting orders: for the
 * seekers of kecamatan k, the other kecamatan sorted by a distance bound
 * that holds for every seeker of k, and separately those a travel-table
 * route reaches.
 */
#include <stdlib.h>
#include <string.h>

#include "kd.h"
#include "match/batch.h"

/* An entry with its location while the trees are built. */
typedef struct placed_entry {
	double u[3];
	uint64_t required_mask;
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

/* Lower bound of the distance key between any point of a and any of b. */
static double box_box_key(const double a[6], const double b[6])
{
	double sum = 0.0;
	for (int i = 0; i < 3; i++) {
		double gap = fmax(fmax(b[i] - a[3 + i], a[i] - b[3 + i]), 0.0);
		sum += gap * gap;
	}
	return sum;
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
	box_empty(box);
	for (uint32_t i = begin; i < end; i++)
		box_add(box, entries[i].u);
	spatial_node *nd = &sp->nodes[node];
	memcpy(nd->box, box, sizeof(nd->box));
	nd->begin = begin;
	nd->end = end;
	nd->child = 0;
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

/* Copies the entries and their skill lists in final leaf order. */
static int lay_out_leaves(kd_match_batch *b, const placed_entry *placed, size_t n)
{
	kd_match_spatial *sp = &b->spatial;
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const spatial_entry *e = &placed[i].entry;
		total += e->n_required + e->n_optional + (e->n_keys > 1 ? e->n_keys : 0);
	}
	sp->skills = malloc((total + 1) * sizeof(*sp->skills));
	if (sp->skills == NULL)
		return kd_error(ENOMEM);
	total = 0;
	for (size_t i = 0; i < n; i++) {
		const batch_vacancy *v = &b->vacancies[placed[i].entry.vacancy];
		sp->entries[i] = placed[i].entry;
		sp->entries[i].skills = (uint32_t)total;
		sp->required_masks[i] = placed[i].required_mask;
		sp->educations[i] = placed[i].education_rank;
		memcpy(sp->points[i], placed[i].u, sizeof(sp->points[i]));
		for (uint32_t j = 0; j < v->n_required; j++)
			sp->skills[total++] = v->required[j];
		for (uint32_t j = 0; j < v->n_optional; j++)
			sp->skills[total++] = v->optional[j];
		for (uint32_t j = 0; v->n_keys > 1 && j < v->n_keys; j++)
			sp->skills[total++] = v->keys[j];
	}
	return kd_ok();
}

static int build_groups(kd_match_batch *b)
{
	kd_match_spatial *sp = &b->spatial;
	size_t n = 0, cap = 0;
	for (size_t v = 0; v < b->n_vacancies; v++)
		n += b->vacancies[v].n_keys;
	triple *t = malloc((n + 1) * sizeof(*t));
	size_t slots = 16;
	while (slots < 2 * n)
		slots *= 2;
	placed_entry *placed = malloc((n + 1) * sizeof(*placed));
	sp->entries = malloc((n + 1) * sizeof(*sp->entries));
	sp->educations = malloc(n + 1);
	sp->required_masks = malloc((n + 1) * sizeof(*sp->required_masks));
	sp->points = malloc((n + 1) * sizeof(*sp->points));
	sp->groups = calloc(slots, sizeof(*sp->groups));
	sp->trees = malloc((n + 1) * sizeof(*sp->trees));
	sp->group_mask = slots - 1;
	if (t == NULL || placed == NULL || sp->entries == NULL || sp->educations == NULL ||
	    sp->required_masks == NULL || sp->points == NULL || sp->groups == NULL ||
	    sp->trees == NULL) {
		free(t), free(placed);
		return kd_error(ENOMEM);
	}
	size_t k = 0;
	for (size_t v = 0; v < b->n_vacancies; v++)
		for (uint32_t j = 0; j < b->vacancies[v].n_keys; j++)
			t[k++] = (triple){ b->vacancies[v].kecamatan,
					   (uint32_t)b->vacancies[v].keys[j],
					   b->vacancies[v].education_rank, (uint32_t)v };
	if (n > 1)
		qsort(t, n, sizeof(*t), triple_cmp);
	for (size_t i = 0; i < n; i++) {
		const batch_vacancy *v = &b->vacancies[t[i].vacancy];
		spatial_entry *e = &placed[i].entry;
		memcpy(placed[i].u, v->u, sizeof(placed[i].u));
		placed[i].required_mask = 0;
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
	int rc = kd_ok();
	size_t n_trees = 0;
	for (size_t i = 0; i < n && rc == kd_ok();) {
		size_t group_end = i;
		while (group_end < n && t[group_end].kecamatan == t[i].kecamatan &&
		       t[group_end].skill == t[i].skill)
			group_end++;
		/*
		 * A large group gets a tree per education rank, so seekers skip
		 * the trees they do not qualify for; a small one stays whole,
		 * since a tree costs more to queue than its few entries to read.
		 */
		bool split = group_end - i > 2 * KD_MATCH_LEAF_SIZE;
		spatial_group *g = &sp->groups[group_slot(sp, t[i].kecamatan, t[i].skill)];
		*g = (spatial_group){ t[i].kecamatan, t[i].skill, (uint32_t)n_trees, 0 };
		while (i < group_end && rc == kd_ok()) {
			size_t j = i;
			while (j < group_end &&
			       (!split || t[j].education_rank == t[i].education_rank))
				j++;
			uint32_t root = 0;
			rc = node_alloc(sp, &cap, 1, &root);
			if (rc == kd_ok())
				rc = build_tree(sp, placed, &cap, root, (uint32_t)i, (uint32_t)j);
			/* Sorted by rank, so the first entry has the tree's lowest. */
			sp->trees[n_trees++] = (spatial_tree){ root, (uint8_t)t[i].education_rank };
			g->count++;
			i = j;
		}
		if (g->skill == b->any_skill)
			sp->has_any = true;
	}
	free(t);
	if (rc == kd_ok())
		rc = lay_out_leaves(b, placed, n);
	free(placed);
	return rc;
}

static int visit_cmp(const void *pa, const void *pb)
{
	const spatial_visit *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->kecamatan > b->kecamatan) - (a->kecamatan < b->kecamatan);
}

static bool has_vacancies(const kd_match_spatial *sp, uint32_t k)
{
	return sp->vacancy_box[k][0] <= sp->vacancy_box[k][3];
}

/*
 * For each kecamatan with seekers, the other kecamatan with vacancies in
 * the order its seekers should visit them.  The box-to-box bound is below
 * the distance key of every seeker of k to every vacancy of the other
 * kecamatan, so a seeker may stop at the first entry beyond its own bound,
 * and no seeker ever reaches beyond the policy's limit: kecamatan beyond it
 * are left out, which keeps the lists short across a province or the nation.
 */
static int build_visits(kd_match_batch *b)
{
	kd_match_spatial *sp = &b->spatial;
	const kd_match_model *m = b->model;
	uint32_t nk = m->n_kecamatan;
	double (*seeker_box)[6] = malloc(((size_t)nk + 1) * sizeof(*seeker_box));
	bool *routed = calloc((size_t)nk + 1, sizeof(*routed));
	sp->vacancy_box = malloc(((size_t)nk + 1) * sizeof(*sp->vacancy_box));
	sp->geometric_first = calloc((size_t)nk + 1, sizeof(*sp->geometric_first));
	sp->routed_first = calloc((size_t)nk + 1, sizeof(*sp->routed_first));
	if (seeker_box == NULL || routed == NULL || sp->vacancy_box == NULL ||
	    sp->geometric_first == NULL || sp->routed_first == NULL) {
		free(seeker_box), free(routed);
		return kd_error(ENOMEM);
	}
	for (uint32_t k = 0; k < nk; k++) {
		box_empty(seeker_box[k]);
		box_empty(sp->vacancy_box[k]);
	}
	for (size_t i = 0; i < b->n_seekers; i++)
		if (b->seekers[i].complete)
			box_add(seeker_box[b->seekers[i].kecamatan], b->seekers[i].u);
	for (size_t v = 0; v < b->n_vacancies; v++)
		box_add(sp->vacancy_box[b->vacancies[v].kecamatan], b->vacancies[v].u);
	size_t n_geo = 0, n_routed = 0;
	for (uint32_t k = 0; k < nk; k++) {
		if (!(seeker_box[k][0] <= seeker_box[k][3]))
			continue;
		for (uint32_t o = 0; o < nk; o++)
			n_geo += o != k && has_vacancies(sp, o) &&
				 box_box_key(seeker_box[k], sp->vacancy_box[o]) <= m->limit_key;
		n_routed += m->route_first[k + 1] - m->route_first[k];
	}
	sp->geometric = malloc((n_geo + 1) * sizeof(*sp->geometric));
	sp->routed = malloc((n_routed + 1) * sizeof(*sp->routed));
	if (sp->geometric == NULL || sp->routed == NULL) {
		free(seeker_box), free(routed);
		return kd_error(ENOMEM);
	}
	n_geo = n_routed = 0;
	for (uint32_t k = 0; k < nk; k++) {
		sp->geometric_first[k] = n_geo;
		sp->routed_first[k] = n_routed;
		if (!(seeker_box[k][0] <= seeker_box[k][3]))
			continue;
		for (size_t r = m->route_first[k]; r < m->route_first[k + 1]; r++) {
			routed[m->routes[r].to] = true;
			if (has_vacancies(sp, m->routes[r].to))
				sp->routed[n_routed++] = (spatial_visit){ m->routes[r].to,
									  m->routes[r].key };
		}
		for (uint32_t o = 0; o < nk; o++) {
			if (o == k || !has_vacancies(sp, o) || routed[o])
				continue;
			double key = box_box_key(seeker_box[k], sp->vacancy_box[o]);
			if (key <= m->limit_key)
				sp->geometric[n_geo++] = (spatial_visit){ o, key };
		}
		for (size_t r = m->route_first[k]; r < m->route_first[k + 1]; r++)
			routed[m->routes[r].to] = false;
		/* Without a travel table the routed list is NULL: sort only what exists. */
		if (n_geo - sp->geometric_first[k] > 1)
			qsort(sp->geometric + sp->geometric_first[k], n_geo - sp->geometric_first[k],
			      sizeof(*sp->geometric), visit_cmp);
		if (n_routed - sp->routed_first[k] > 1)
			qsort(sp->routed + sp->routed_first[k], n_routed - sp->routed_first[k],
			      sizeof(*sp->routed), visit_cmp);
	}
	sp->geometric_first[nk] = n_geo;
	sp->routed_first[nk] = n_routed;
	free(seeker_box), free(routed);
	return kd_ok();
}

int kd_match_spatial_build(kd_match_batch *b)
{
	int rc = build_groups(b);
	if (rc == kd_ok())
		rc = build_visits(b);
	return rc;
}

void kd_match_spatial_free(kd_match_spatial *sp)
{
	free(sp->entries);
	free(sp->educations);
	free(sp->trees);
	free(sp->required_masks);
	free(sp->points);
	free(sp->skills);
	free(sp->nodes);
	free(sp->groups);
	free(sp->vacancy_box);
	free(sp->geometric);
	free(sp->geometric_first);
	free(sp->routed);
	free(sp->routed_first);
}

const spatial_group *kd_match_spatial_find(const kd_match_spatial *sp, uint32_t kecamatan,
					   uint32_t skill)
{
	const spatial_group *g = &sp->groups[group_slot(sp, kecamatan, skill)];
	return g->count > 0 ? g : NULL;
}
