/*
 * Candidate generation: for every complete seeker, its best K feasible
 * vacancies in the seeker's preference order (match/model.h), found without
 * looking at every vacancy.
 *
 * Only vacancies indexed under one of the seeker's skills can be feasible
 * (spatial.c, run.c).  The seeker's own kecamatan comes first, because any
 * of its vacancies beats every other one; then the kecamatan a travel route
 * reaches, nearest route first; then the others by box distance.  Inside a
 * group the k-d tree is walked nearest box first.  Once K candidates are
 * held, a box whose nearest point is farther than the K-th candidate cannot
 * contribute and is skipped; a box at exactly that distance is still
 * opened, because ties are broken by optional skills, wage and id.
 *
 * Seekers are independent, so worker threads take them in chunks and write
 * each seeker's list to its own slot: the output does not depend on the
 * thread count.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "kd.h"
#include "match/batch.h"
#include "match/shortlist.h"

#define CHUNK 256

typedef struct pending_node {
	uint32_t node;
	double key;
} pending_node;

/* A group to walk, with the lower bound of its root box. */
typedef struct group_visit {
	double key;
	uint32_t root, skill;
} group_visit;

typedef struct worker {
	const kd_match_batch *b;
	atomic_size_t *next_seeker;
	const uint32_t *order;      /* seekers in working order */
	uint32_t *counts;           /* candidates found per seeker */
	uint8_t *holds;             /* per skill: does the current seeker hold it */
	shortlist best;
	pending_node *stack;
	group_visit *groups;        /* groups gathered for walking */
	uint32_t n_groups;
	const batch_seeker *seeker;
	uint32_t probe;             /* the skill whose group is being walked */
} worker;

/*
 * The largest distance key a candidate may have and still enter the list
 * (local or not); negative when nothing of that kind can enter any more.
 */
static double bound(const worker *w, bool same_kecamatan)
{
	bool full = w->best.full;
	const candidate *worst = &w->best.worst;
	double key;
	uint64_t bits = worst->rank_hi & ~(1ull << 63);
	memcpy(&key, &bits, sizeof(key));
	if (same_kecamatan)
		return full && candidate_same_kecamatan(worst) ? key : INFINITY;
	if (!full)
		return w->seeker->limit_key;
	if (candidate_same_kecamatan(worst))
		return -1.0;
	return key < w->seeker->limit_key ? key : w->seeker->limit_key;
}

/* The first of e's index skills the seeker holds: the only walk that takes e. */
static bool owns(const worker *w, const int32_t *keys, uint32_t n_keys)
{
	for (uint32_t i = 0; i < n_keys; i++)
		if (w->holds[keys[i]])
			return (uint32_t)keys[i] == w->probe;
	return false;
}

/* Education and required skills, as far as the summaries of entry i can tell. */
static bool may_fit(const worker *w, uint32_t i)
{
	const kd_match_spatial *sp = &w->b->spatial;
	return w->seeker->education_rank >= sp->educations[i] &&
	       (sp->required_masks[i] & ~w->seeker->skill_mask) == 0;
}

static void consider(worker *w, const spatial_entry *e, bool same_kecamatan, double key)
{
	if (key > bound(w, same_kecamatan))
		return;
	const int32_t *skills = w->b->spatial.skills + e->skills;
	const int32_t *optional_skills = skills + e->n_required;
	if (e->n_keys > 1 && !owns(w, optional_skills + e->n_optional, e->n_keys))
		return;
	uint32_t required = 0, optional = 0;
	for (uint32_t i = 0; i < e->n_required; i++)
		required += w->holds[skills[i]];
	if (required < e->needed)
		return;
	for (uint32_t i = 0; i < e->n_optional; i++)
		optional += w->holds[optional_skills[i]];
	uint64_t key_bits;
	memcpy(&key_bits, &key, sizeof(key_bits));
	candidate c = candidate_make(same_kecamatan, key_bits, optional, e->tie_rank, required);
	shortlist_add(&w->best, &c);
}

static double node_key(const spatial_node *nd, const double u[3])
{
	double box[6];
	memcpy(box, nd->lo, sizeof(nd->lo));
	memcpy(box + 3, nd->hi, sizeof(nd->hi));
	return kd_match_box_key(box, u);
}

/*
 * Reads a leaf in two passes: a tight loop over the summaries that only
 * stores the entries worth a closer look, then the closer look.  Keeping
 * the loop free of stores through pointers lets the compiler keep the
 * seeker's education and skills in registers.
 */
static void scan_leaf(worker *w, const spatial_node *nd, bool same_kecamatan)
{
	const kd_match_spatial *sp = &w->b->spatial;
	const uint8_t *educations = sp->educations;
	const uint64_t *masks = sp->required_masks;
	const double *u = w->seeker->u;
	uint8_t rank = w->seeker->education_rank;
	uint64_t lacking = ~w->seeker->skill_mask;
	uint32_t fit[KD_MATCH_LEAF_SIZE], n = 0;
	for (uint32_t i = nd->begin; i < nd->end; i++) {
		fit[n] = i;
		n += rank >= educations[i] && (masks[i] & lacking) == 0;
	}
	for (uint32_t j = 0; j < n; j++)
		consider(w, &sp->entries[fit[j]], same_kecamatan,
			 kd_match_chord2(u, sp->points[fit[j]]));
}

static void walk_tree(worker *w, uint32_t root, bool same_kecamatan)
{
	const kd_match_spatial *sp = &w->b->spatial;
	const double *u = w->seeker->u;
	uint32_t depth = 0;
	w->stack[depth++] = (pending_node){ root, 0.0 };
	while (depth > 0) {
		pending_node top = w->stack[--depth];
		if (top.key > bound(w, same_kecamatan))
			continue;
		const spatial_node *nd = &sp->nodes[top.node];
		if (nd->child == 0) {
			scan_leaf(w, nd, same_kecamatan);
			continue;
		}
		const spatial_node *l = &sp->nodes[nd->child], *r = l + 1;
		double box_l[6], box_r[6];
		memcpy(box_l, l->lo, sizeof(l->lo));
		memcpy(box_l + 3, l->hi, sizeof(l->hi));
		memcpy(box_r, r->lo, sizeof(r->lo));
		memcpy(box_r + 3, r->hi, sizeof(r->hi));
		double kl = kd_match_box_key(box_l, u), kr = kd_match_box_key(box_r, u);
		/* Nearer child on top of the stack, so it is opened first. */
		if (kl <= kr) {
			w->stack[depth++] = (pending_node){ nd->child + 1, kr };
			w->stack[depth++] = (pending_node){ nd->child, kl };
		} else {
			w->stack[depth++] = (pending_node){ nd->child, kl };
			w->stack[depth++] = (pending_node){ nd->child + 1, kr };
		}
	}
}

/* Queues kecamatan k's groups under the seeker's skills (and "any"). */
static void gather(worker *w, uint32_t k)
{
	const kd_match_spatial *sp = &w->b->spatial;
	const batch_seeker *s = w->seeker;
	for (uint32_t i = 0; i < s->n_skills + sp->has_any; i++) {
		uint32_t skill = i < s->n_skills ? (uint32_t)s->skills[i] : w->b->any_skill;
		uint32_t root = kd_match_spatial_find(sp, k, skill);
		if (root != KD_MATCH_NONE)
			w->groups[w->n_groups++] = (group_visit){
				node_key(&sp->nodes[root], s->u), root, skill };
	}
}

/* Walks the gathered groups nearest root first, so the list fills with near ones. */
static void walk_gathered(worker *w, bool same_kecamatan)
{
	group_visit *g = w->groups;
	for (uint32_t i = 1; i < w->n_groups; i++) {
		group_visit x = g[i];
		uint32_t j = i;
		for (; j > 0 && g[j - 1].key > x.key; j--)
			g[j] = g[j - 1];
		g[j] = x;
	}
	for (uint32_t i = 0; i < w->n_groups && g[i].key <= bound(w, same_kecamatan); i++) {
		w->probe = g[i].skill;
		walk_tree(w, g[i].root, same_kecamatan);
	}
	w->n_groups = 0;
}

/* Pairs with a routed kecamatan all have the route's key: no geometry to prune. */
static void scan_routed(worker *w, const spatial_visit *route)
{
	const kd_match_spatial *sp = &w->b->spatial;
	const batch_seeker *s = w->seeker;
	for (uint32_t i = 0; i < s->n_skills + sp->has_any; i++) {
		w->probe = i < s->n_skills ? (uint32_t)s->skills[i] : w->b->any_skill;
		uint32_t root = kd_match_spatial_find(sp, route->kecamatan, w->probe);
		if (root == KD_MATCH_NONE)
			continue;
		const spatial_node *nd = &sp->nodes[root];
		for (uint32_t j = nd->begin; j < nd->end && route->key <= bound(w, false); j++)
			if (may_fit(w, j))
				consider(w, &sp->entries[j], false, route->key);
	}
}

static void search(worker *w)
{
	const kd_match_spatial *sp = &w->b->spatial;
	const batch_seeker *s = w->seeker;
	uint32_t k = s->kecamatan;
	gather(w, k);
	walk_gathered(w, true);
	for (size_t i = sp->routed_first[k]; i < sp->routed_first[k + 1]; i++) {
		if (sp->routed[i].key > bound(w, false))
			break;
		scan_routed(w, &sp->routed[i]);
	}
	for (size_t i = sp->geometric_first[k]; i < sp->geometric_first[k + 1]; i++) {
		const spatial_visit *g = &sp->geometric[i];
		if (g->key > bound(w, false))
			break;
		if (kd_match_box_key(sp->vacancy_box[g->kecamatan], s->u) <= bound(w, false))
			gather(w, g->kecamatan);
	}
	walk_gathered(w, false);
}

/* Finds seeker i's candidates and writes them best first to its slot. */
static void collect(worker *w, size_t i)
{
	const kd_match_batch *b = w->b;
	const batch_seeker *s = &b->seekers[i];
	w->counts[i] = 0;
	if (!s->complete || b->n_vacancies == 0)
		return;
	w->seeker = s;
	shortlist_reset(&w->best);
	for (uint32_t j = 0; j < s->n_skills; j++)
		w->holds[s->skills[j]] = 1;
	search(w);
	for (uint32_t j = 0; j < s->n_skills; j++)
		w->holds[s->skills[j]] = 0;
	batch_edge *out = b->edges + i * (size_t)b->candidates_cap;
	uint32_t n = shortlist_finish(&w->best);
	for (uint32_t j = 0; j < n; j++) {
		const candidate *c = &w->best.items[j];
		out[j] = (batch_edge){ b->vacancy_by_tie[candidate_tie_rank(c)],
				       candidate_same_kecamatan(c), candidate_required(c),
				       candidate_optional(c) };
	}
	w->counts[i] = n;
}

static int work(void *arg)
{
	worker *w = arg;
	size_t n = w->b->n_seekers;
	for (;;) {
		size_t first = atomic_fetch_add(w->next_seeker, CHUNK);
		if (first >= n)
			return 0;
		size_t last = first + CHUNK < n ? first + CHUNK : n;
		for (size_t i = first; i < last; i++)
			collect(w, w->order[i]);
	}
}

static int worker_init(worker *w, const kd_match_batch *b, atomic_size_t *next,
		       const uint32_t *order, uint32_t *counts)
{
	*w = (worker){ .b = b, .next_seeker = next, .order = order, .counts = counts };
	w->holds = calloc((size_t)b->any_skill + 1, 1);
	uint32_t most = 0;
	for (size_t i = 0; i < b->n_seekers; i++)
		if (b->seekers[i].n_skills > most)
			most = b->seekers[i].n_skills;
	/* At most one group per kecamatan and probe. */
	w->groups = malloc(((size_t)b->model->n_kecamatan + 1) * (most + 1) * sizeof(*w->groups));
	bool listed = shortlist_init(&w->best, b->candidates_cap);
	w->stack = malloc(((size_t)b->spatial.max_depth + 2) * 2 * sizeof(*w->stack));
	if (w->holds == NULL || !listed || w->stack == NULL || w->groups == NULL)
		return kd_error(ENOMEM);
	w->holds[b->any_skill] = 1;
	return kd_ok();
}

static void worker_free(worker *w)
{
	free(w->holds);
	shortlist_free(&w->best);
	free(w->stack);
	free(w->groups);
}

/*
 * Runs the workers, the calling thread being one of them.  A thread that
 * cannot be started only means fewer workers: the others take its share.
 */
static int run_workers(kd_match_batch *b, unsigned threads, const uint32_t *order,
		       uint32_t *counts)
{
	atomic_size_t next;
	atomic_init(&next, 0);
	if (threads < 1)
		threads = 1;
	worker *ws = calloc(threads, sizeof(*ws));
	thrd_t *ids = calloc(threads, sizeof(*ids));
	int rc = ws != NULL && ids != NULL ? kd_ok() : kd_error(ENOMEM);
	unsigned ready = 0, started = 1;
	for (; ready < threads && rc == kd_ok(); ready++)
		rc = worker_init(&ws[ready], b, &next, order, counts);
	if (rc == kd_ok()) {
		while (started < threads && thrd_create(&ids[started], work, &ws[started]) ==
						     thrd_success)
			started++;
		work(&ws[0]);
		for (unsigned t = 1; t < started; t++)
			thrd_join(ids[t], NULL);
	}
	for (unsigned t = 0; t < ready; t++)
		worker_free(&ws[t]);
	free(ws);
	free(ids);
	return rc;
}

typedef struct work_key {
	uint64_t group;
	uint32_t seeker;
} work_key;

static int work_key_cmp(const void *pa, const void *pb)
{
	const work_key *a = pa, *b = pb;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return (a->seeker > b->seeker) - (a->seeker < b->seeker);
}

/*
 * Seekers of one kecamatan with the same skills walk the same trees, so
 * taking them one after the other keeps those trees in cache.  The order
 * changes nothing but speed: every seeker's list is its own.
 */
static uint32_t *working_order(const kd_match_batch *b)
{
	work_key *keys = malloc((b->n_seekers + 1) * sizeof(*keys));
	uint32_t *order = malloc((b->n_seekers + 1) * sizeof(*order));
	if (keys == NULL || order == NULL) {
		free(keys), free(order);
		return NULL;
	}
	for (size_t i = 0; i < b->n_seekers; i++) {
		const batch_seeker *s = &b->seekers[i];
		uint64_t skills = s->n_skills > 0 ? (uint32_t)s->skills[0] : 0;
		keys[i] = (work_key){ (uint64_t)s->kecamatan << 32 | skills, (uint32_t)i };
	}
	qsort(keys, b->n_seekers, sizeof(*keys), work_key_cmp);
	for (size_t i = 0; i < b->n_seekers; i++)
		order[i] = keys[i].seeker;
	free(keys);
	return order;
}

int kd_match_candidates(kd_match_batch *b, unsigned threads)
{
	size_t cap = b->candidates_cap;
	if (cap > b->n_vacancies)
		cap = b->n_vacancies;
	b->candidates_cap = (uint32_t)(cap > 0 ? cap : 1);
	uint32_t *counts = malloc((b->n_seekers + 1) * sizeof(*counts));
	b->edge_first = malloc((b->n_seekers + 1) * sizeof(*b->edge_first));
	/* Room for every seeker's full list; pages never written are never used. */
	b->edges = malloc((b->n_seekers * (size_t)b->candidates_cap + 1) * sizeof(*b->edges));
	if (counts == NULL || b->edge_first == NULL || b->edges == NULL) {
		free(counts);
		return kd_error(ENOMEM);
	}
	uint32_t *order = working_order(b);
	int rc = order != NULL ? run_workers(b, threads, order, counts) : kd_error(ENOMEM);
	free(order);
	if (rc < 0) {
		free(counts);
		return rc;
	}
	/* Packs the lists to the front; each moves left, never over an unread one. */
	size_t n = 0;
	for (size_t i = 0; i < b->n_seekers; i++) {
		b->edge_first[i] = n;
		memmove(b->edges + n, b->edges + i * (size_t)b->candidates_cap,
			counts[i] * sizeof(*b->edges));
		n += counts[i];
	}
	b->edge_first[b->n_seekers] = n;
	b->n_edges = n;
	free(counts);
	batch_edge *packed = realloc(b->edges, (n + 1) * sizeof(*b->edges));
	if (packed != NULL)
		b->edges = packed;
	return kd_ok();
}
