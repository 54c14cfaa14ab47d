/*
 * The recommendation index: copies of open vacancies in slots, an id map,
 * and per skill and kecamatan the list of vacancies indexed under that
 * skill (the rule of run.c: a vacancy needing m of its n required skills is
 * listed under n - m + 1 of them, here the lowest ids; one needing none is
 * listed under "any").  Each listing remembers its place, so a change costs
 * O(skills of the vacancy), and a seeker meets a vacancy only through the
 * first of its listings the seeker holds, so no vacancy is judged twice.
 *
 * A seeker reads its own kecamatan's lists first, then the other kecamatan
 * nearest first by a bound below the distance key of each of their
 * vacancies (a box around them, or the travel table's route), and stops at
 * the first kecamatan that can neither be reached nor beat the worst of the
 * seeker's best so far.  A listing carries the vacancy's place, education
 * and required skills, so most are passed by without reading the vacancy;
 * only those that may enter the seeker's list are judged by
 * kd_match_evaluate, which alone decides.
 */
#include "match/recommend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kd.h"
#include "match/batch.h"
#include "match/internal.h"

#define ANY_SKILL (-1)
#define EMPTY UINT32_MAX

/*
 * One listing of a vacancy, with what a scan needs to pass it by without
 * reading the vacancy: its place, the education it asks for and a summary
 * of its required skills.
 */
typedef struct posting {
	double u[3];                /* unit vector of the vacancy's location */
	uint64_t required_mask;     /* kd_match_skill_bit() of each required skill when
				       all are needed, else 0 */
	uint32_t slot;              /* the vacancy */
	uint16_t key;               /* which of its keys this is */
	uint8_t education_rank;     /* kd_education_rank() of its minimum */
} posting;

typedef struct posting_list {
	uint32_t n, cap;
	posting *items;
} posting_list;

/* The listings under one skill, one list per kecamatan. */
typedef struct skill_lists {
	int32_t skill;
	posting_list *by_kecamatan; /* NULL while the hash slot is free */
} skill_lists;

typedef struct stored {
	kd_match_vacancy v;         /* its skill lists point into skills */
	int32_t *skills;            /* required, optional, then keys */
	uint32_t *where;            /* position of each key's posting */
	uint32_t n_keys;
} stored;

typedef struct kecamatan_at {
	double lo_x;
	uint32_t kecamatan;
} kecamatan_at;

struct kd_match_index {
	const kd_match_model *model;
	stored *slots;
	uint32_t n_slots, cap_slots;
	uint32_t *free_slots;
	uint32_t n_free;
	uint32_t *ids;              /* open addressing: slot by vacancy id, EMPTY when free */
	size_t id_mask;
	skill_lists *lists;         /* open addressing by skill */
	size_t list_mask, n_lists;
	uint32_t n_kecamatan;
	double (*box)[6];           /* per kecamatan: lo[3], hi[3] around its vacancies */
	uint32_t *in_kecamatan;     /* vacancies per kecamatan */
	size_t count;
	/* kd_match_index_settle's order; used only while no box has moved along x */
	kecamatan_at *by_x;         /* kecamatan with vacancies, by their box's least x */
	uint32_t n_by_x;
	double widest_x;            /* the widest of their boxes along x */
	bool moved;
};

static void box_empty(double box[6])
{
	for (int i = 0; i < 3; i++) {
		box[i] = INFINITY;
		box[3 + i] = -INFINITY;
	}
}

static size_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	return (size_t)(x ^ (x >> 33));
}

int kd_match_index_new(const kd_match_model *model, kd_match_index **out)
{
	kd_match_index *ix = calloc(1, sizeof(*ix));
	if (ix == NULL)
		return kd_error(ENOMEM);
	ix->model = model;
	ix->id_mask = 63;
	ix->list_mask = 63;
	ix->n_kecamatan = model->n_kecamatan;
	ix->ids = malloc((ix->id_mask + 1) * sizeof(*ix->ids));
	ix->lists = calloc(ix->list_mask + 1, sizeof(*ix->lists));
	ix->box = malloc(((size_t)ix->n_kecamatan + 1) * sizeof(*ix->box));
	ix->in_kecamatan = calloc((size_t)ix->n_kecamatan + 1, sizeof(*ix->in_kecamatan));
	ix->by_x = malloc(((size_t)ix->n_kecamatan + 1) * sizeof(*ix->by_x));
	if (ix->ids == NULL || ix->lists == NULL || ix->box == NULL || ix->in_kecamatan == NULL ||
	    ix->by_x == NULL) {
		kd_match_index_free(ix);
		return kd_error(ENOMEM);
	}
	memset(ix->ids, 0xff, (ix->id_mask + 1) * sizeof(*ix->ids));
	for (uint32_t k = 0; k < ix->n_kecamatan; k++)
		box_empty(ix->box[k]);
	*out = ix;
	return kd_ok();
}

static void stored_free(stored *r)
{
	free(r->skills);
	free(r->where);
	*r = (stored){ 0 };
}

void kd_match_index_free(kd_match_index *ix)
{
	if (ix == NULL)
		return;
	for (uint32_t i = 0; i < ix->n_slots; i++)
		stored_free(&ix->slots[i]);
	for (size_t i = 0; ix->lists != NULL && i <= ix->list_mask; i++) {
		posting_list *by = ix->lists[i].by_kecamatan;
		for (uint32_t k = 0; by != NULL && k < ix->n_kecamatan; k++)
			free(by[k].items);
		free(by);
	}
	free(ix->box);
	free(ix->in_kecamatan);
	free(ix->by_x);
	free(ix->slots);
	free(ix->free_slots);
	free(ix->ids);
	free(ix->lists);
	free(ix);
}

size_t kd_match_index_count(const kd_match_index *ix)
{
	return ix->count;
}

static int by_lo_x(const void *pa, const void *pb)
{
	const kecamatan_at *a = pa, *b = pb;
	if (a->lo_x != b->lo_x)
		return a->lo_x < b->lo_x ? -1 : 1;
	return (a->kecamatan > b->kecamatan) - (a->kecamatan < b->kecamatan);
}

void kd_match_index_settle(kd_match_index *ix)
{
	if (!ix->moved)
		return;
	ix->n_by_x = 0;
	ix->widest_x = 0.0;
	for (uint32_t k = 0; k < ix->n_kecamatan; k++) {
		if (ix->in_kecamatan[k] == 0)
			continue;
		ix->by_x[ix->n_by_x++] = (kecamatan_at){ ix->box[k][0], k };
		ix->widest_x = fmax(ix->widest_x, ix->box[k][3] - ix->box[k][0]);
	}
	qsort(ix->by_x, ix->n_by_x, sizeof(*ix->by_x), by_lo_x);
	ix->moved = false;
}

/* The id map position holding id, or the empty one where it would go. */
static size_t id_place(const kd_match_index *ix, int64_t id)
{
	size_t i = mix((uint64_t)id) & ix->id_mask;
	while (ix->ids[i] != EMPTY && ix->slots[ix->ids[i]].v.id != id)
		i = (i + 1) & ix->id_mask;
	return i;
}

static int id_reserve(kd_match_index *ix)
{
	if (2 * (ix->count + 1) <= ix->id_mask + 1)
		return kd_ok();
	size_t mask = 2 * ix->id_mask + 1;
	uint32_t *ids = malloc((mask + 1) * sizeof(*ids));
	if (ids == NULL)
		return kd_error(ENOMEM);
	memset(ids, 0xff, (mask + 1) * sizeof(*ids));
	for (size_t i = 0; i <= ix->id_mask; i++) {
		if (ix->ids[i] == EMPTY)
			continue;
		size_t j = mix((uint64_t)ix->slots[ix->ids[i]].v.id) & mask;
		while (ids[j] != EMPTY)
			j = (j + 1) & mask;
		ids[j] = ix->ids[i];
	}
	free(ix->ids);
	ix->ids = ids;
	ix->id_mask = mask;
	return kd_ok();
}

/* Linear probing deletion: moves later entries of the run back into the gap. */
static void id_delete(kd_match_index *ix, size_t i)
{
	size_t j = i;
	for (;;) {
		ix->ids[i] = EMPTY;
		for (;;) {
			j = (j + 1) & ix->id_mask;
			if (ix->ids[j] == EMPTY)
				return;
			size_t home = mix((uint64_t)ix->slots[ix->ids[j]].v.id) & ix->id_mask;
			/* Leave it unless its home lies cyclically outside (i, j]. */
			if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
				break;
		}
		ix->ids[i] = ix->ids[j];
		i = j;
	}
}

/* The lists of skill, or NULL when nothing is listed under it. */
static const skill_lists *lists_find(const kd_match_index *ix, int32_t skill)
{
	size_t i = mix((uint64_t)(int64_t)skill) & ix->list_mask;
	while (ix->lists[i].by_kecamatan != NULL) {
		if (ix->lists[i].skill == skill)
			return &ix->lists[i];
		i = (i + 1) & ix->list_mask;
	}
	return NULL;
}

/* The list of (skill, kecamatan); it must exist. */
static posting_list *list_of(const kd_match_index *ix, int32_t skill, uint32_t kecamatan)
{
	return &lists_find(ix, skill)->by_kecamatan[kecamatan];
}

static int lists_grow(kd_match_index *ix)
{
	size_t mask = 2 * ix->list_mask + 1;
	skill_lists *lists = calloc(mask + 1, sizeof(*lists));
	if (lists == NULL)
		return kd_error(ENOMEM);
	for (size_t i = 0; i <= ix->list_mask; i++) {
		if (ix->lists[i].by_kecamatan == NULL)
			continue;
		size_t j = mix((uint64_t)(int64_t)ix->lists[i].skill) & mask;
		while (lists[j].by_kecamatan != NULL)
			j = (j + 1) & mask;
		lists[j] = ix->lists[i];
	}
	free(ix->lists);
	ix->lists = lists;
	ix->list_mask = mask;
	return kd_ok();
}

/* The list of (skill, kecamatan) with room for one more posting, created if need be. */
static posting_list *list_reserve(kd_match_index *ix, int32_t skill, uint32_t kecamatan)
{
	skill_lists *sl = (skill_lists *)lists_find(ix, skill);
	if (sl == NULL) {
		if (2 * (ix->n_lists + 1) > ix->list_mask + 1 && lists_grow(ix) < 0)
			return NULL;
		size_t i = mix((uint64_t)(int64_t)skill) & ix->list_mask;
		while (ix->lists[i].by_kecamatan != NULL)
			i = (i + 1) & ix->list_mask;
		sl = &ix->lists[i];
		sl->by_kecamatan = calloc(ix->n_kecamatan, sizeof(*sl->by_kecamatan));
		if (sl->by_kecamatan == NULL)
			return NULL;
		sl->skill = skill;
		ix->n_lists++;
	}
	posting_list *l = &sl->by_kecamatan[kecamatan];
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? 2 * l->cap : 4;
		posting *items = realloc(l->items, cap * sizeof(*items));
		if (items == NULL)
			return NULL;
		l->items = items;
		l->cap = cap;
	}
	return l;
}

static void unlink_postings(kd_match_index *ix, uint32_t slot)
{
	stored *r = &ix->slots[slot];
	const int32_t *keys = r->skills + r->v.n_required + r->v.n_optional;
	for (uint32_t k = 0; k < r->n_keys; k++) {
		posting_list *l = list_of(ix, keys[k], r->v.kecamatan);
		uint32_t at = r->where[k];
		posting moved = l->items[--l->n];
		l->items[at] = moved;
		ix->slots[moved.slot].where[moved.key] = at;
	}
}

int kd_match_index_remove(kd_match_index *ix, int64_t id)
{
	size_t place = id_place(ix, id);
	uint32_t slot = ix->ids[place];
	if (slot == EMPTY)
		return kd_error(ENOENT);
	unlink_postings(ix, slot);
	/* a box never shrinks but when it empties: until then the order holds */
	if (--ix->in_kecamatan[ix->slots[slot].v.kecamatan] == 0) {
		box_empty(ix->box[ix->slots[slot].v.kecamatan]);
		ix->moved = true;
	}
	id_delete(ix, place);
	stored_free(&ix->slots[slot]);
	ix->free_slots[ix->n_free++] = slot;
	ix->count--;
	return kd_ok();
}

/* A copy of v with its skill lists and index keys in one allocation. */
static int make_stored(const kd_match_index *ix, const kd_match_vacancy *v, stored *r)
{
	uint32_t needed = kd_match_required_needed(ix->model, v->n_required);
	uint32_t n_keys = needed == 0 ? 1 : v->n_required - needed + 1;
	size_t n = (size_t)v->n_required + v->n_optional + n_keys;
	*r = (stored){ .v = *v, .n_keys = n_keys };
	r->skills = malloc(n * sizeof(*r->skills));
	r->where = malloc(n_keys * sizeof(*r->where));
	if (r->skills == NULL || r->where == NULL) {
		stored_free(r);
		return kd_error(ENOMEM);
	}
	int32_t *p = r->skills;
	r->v.required_skills = p;
	for (uint32_t i = 0; i < v->n_required; i++)
		*p++ = v->required_skills[i];
	r->v.optional_skills = p;
	for (uint32_t i = 0; i < v->n_optional; i++)
		*p++ = v->optional_skills[i];
	for (uint32_t i = 0; i < n_keys; i++)
		p[i] = needed == 0 ? ANY_SKILL : v->required_skills[i];
	return kd_ok();
}

/* Makes room for one more vacancy: a slot, an id, a posting per key. */
static int reserve(kd_match_index *ix, const stored *r)
{
	if (ix->n_free == 0 && ix->n_slots == ix->cap_slots) {
		uint32_t cap = ix->cap_slots ? 2 * ix->cap_slots : 64;
		stored *slots = realloc(ix->slots, cap * sizeof(*slots));
		if (slots == NULL)
			return kd_error(ENOMEM);
		ix->slots = slots;
		uint32_t *free_slots = realloc(ix->free_slots, cap * sizeof(*free_slots));
		if (free_slots == NULL)
			return kd_error(ENOMEM);
		ix->free_slots = free_slots;
		ix->cap_slots = cap;
	}
	if (id_reserve(ix) < 0)
		return kd_error(ENOMEM);
	const int32_t *keys = r->skills + r->v.n_required + r->v.n_optional;
	for (uint32_t k = 0; k < r->n_keys; k++)
		if (list_reserve(ix, keys[k], r->v.kecamatan) == NULL)
			return kd_error(ENOMEM);
	return kd_ok();
}

int kd_match_index_put(kd_match_index *ix, const kd_match_vacancy *v, kd_match_error *err)
{
	if (kd_match_check_vacancy(v, "vacancy", ix->model->n_kecamatan, INT32_MAX, err) < 0)
		return kd_error(EINVAL);
	if (v->openings == 0) {
		kd_match_index_remove(ix, v->id);
		return kd_ok();
	}
	stored r;
	if (make_stored(ix, v, &r) < 0)
		return kd_error(ENOMEM);
	if (reserve(ix, &r) < 0) {
		stored_free(&r);
		return kd_error(ENOMEM);
	}
	kd_match_index_remove(ix, v->id);
	uint32_t slot = ix->n_free > 0 ? ix->free_slots[--ix->n_free] : ix->n_slots++;
	ix->slots[slot] = r;
	const int32_t *keys = r.skills + v->n_required + v->n_optional;
	posting p = { .slot = slot,
		      .education_rank = (uint8_t)kd_education_rank(v->min_education) };
	kd_match_unit(v->lat, v->lon, p.u);
	if (kd_match_required_needed(ix->model, v->n_required) == v->n_required)
		for (uint32_t j = 0; j < v->n_required; j++)
			p.required_mask |= kd_match_skill_bit(v->required_skills[j]);
	for (uint32_t k = 0; k < r.n_keys; k++) {
		posting_list *l = list_of(ix, keys[k], v->kecamatan);
		r.where[k] = l->n;
		p.key = (uint16_t)k;
		l->items[l->n++] = p;
	}
	double *box = ix->box[v->kecamatan];
	/* the order kd_match_index_settle made reads only the boxes' extent along x */
	if (p.u[0] < box[0] || p.u[0] > box[3])
		ix->moved = true;
	for (int i = 0; i < 3; i++) {
		box[i] = fmin(box[i], p.u[i]);
		box[3 + i] = fmax(box[3 + i], p.u[i]);
	}
	ix->in_kecamatan[v->kecamatan]++;
	ix->ids[id_place(ix, v->id)] = slot;
	ix->count++;
	return kd_ok();
}

static bool holds(const kd_match_seeker *s, int32_t skill)
{
	return kd_match_count_common(&skill, 1, s->skills, s->n_skills) > 0;
}

/* Max-heap of pairs with the seeker's least preferred at the root. */
static void sift_down(kd_match_pair *h, size_t n, size_t i)
{
	for (;;) {
		size_t worst = i, l = 2 * i + 1, r = l + 1;
		if (l < n && kd_match_seeker_order(&h[l], &h[worst]) > 0)
			worst = l;
		if (r < n && kd_match_seeker_order(&h[r], &h[worst]) > 0)
			worst = r;
		if (worst == i)
			return;
		kd_match_pair t = h[i];
		h[i] = h[worst];
		h[worst] = t;
		i = worst;
	}
}

static void offer(kd_match_pair *h, size_t limit, size_t *n, const kd_match_pair *p)
{
	if (*n < limit) {
		size_t i = (*n)++;
		h[i] = *p;
		while (i > 0 && kd_match_seeker_order(&h[(i - 1) / 2], &h[i]) < 0) {
			kd_match_pair t = h[i];
			h[i] = h[(i - 1) / 2];
			h[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else if (kd_match_seeker_order(p, &h[0]) < 0) {
		h[0] = *p;
		sift_down(h, *n, 0);
	}
}

/* One seeker's recommendations while they are found. */
typedef struct search {
	const kd_match_index *ix;
	const kd_match_seeker *s;
	double u[3];                /* the seeker's unit vector */
	uint64_t lacking;           /* bits of no skill the seeker holds */
	double limit_key;           /* the seeker's distance limit */
	int education_rank;
	kd_match_pair *best;        /* heap, the worst at the root */
	size_t limit, n;
} search;

/*
 * Whether a pair with this kecamatan relation and distance key could enter
 * the list: false only when the list is full and the pair would rank
 * strictly after its worst, whatever its other terms.
 */
static bool may_enter(const search *q, bool same, double key)
{
	if (q->n < q->limit)
		return true;
	const kd_match_pair *worst = &q->best[0];
	if (same != worst->same_kecamatan)
		return same;
	return key <= worst->distance_key;
}

/*
 * Judges the vacancies of one list of kecamatan k, each through its first
 * key the seeker holds.  route is the travel table's entry to k, or NULL;
 * a listing is passed by only when kd_match_evaluate would find the pair
 * infeasible (education, required skills, distance limit) or it could not
 * enter the list.
 */
static void judge_list(search *q, const posting_list *l, bool same, const kd_match_route *route)
{
	const kd_match_index *ix = q->ix;
	for (uint32_t i = 0; i < l->n; i++) {
		const posting *p = &l->items[i];
		if ((p->required_mask & q->lacking) != 0 || p->education_rank > q->education_rank)
			continue;
		double key = route != NULL ? route->key : kd_match_chord2(q->u, p->u);
		if ((!same && key > q->limit_key) || !may_enter(q, same, key))
			continue;
		const stored *r = &ix->slots[p->slot];
		if (p->key > 0) {
			const int32_t *keys = r->skills + r->v.n_required + r->v.n_optional;
			bool first = true;
			for (uint32_t k = 0; k < p->key && first; k++)
				first = !holds(q->s, keys[k]);
			if (!first)
				continue;
		}
		kd_match_pair pair;
		kd_match_evaluate(ix->model, q->s, &r->v, &pair);
		if (pair.verdict == KD_MATCH_FEASIBLE)
			offer(q->best, q->limit, &q->n, &pair);
	}
}

/* Judges kecamatan k's vacancies listed under the seeker's skills or "any". */
static void judge_kecamatan(search *q, uint32_t k, const kd_match_route *route)
{
	const kd_match_seeker *s = q->s;
	bool same = k == s->kecamatan;
	for (uint32_t i = 0; i <= s->n_skills; i++) {
		const skill_lists *sl = lists_find(q->ix, i < s->n_skills ? s->skills[i] : ANY_SKILL);
		if (sl != NULL && sl->by_kecamatan[k].n > 0)
			judge_list(q, &sl->by_kecamatan[k], same, route);
	}
}

typedef struct visit {
	double bound;               /* at most the key of any of its pairs */
	uint32_t kecamatan;
} visit;

static int visit_cmp(const void *pa, const void *pb)
{
	const visit *a = pa, *b = pb;
	if (a->bound != b->bound)
		return a->bound < b->bound ? -1 : 1;
	return (a->kecamatan > b->kecamatan) - (a->kecamatan < b->kecamatan);
}

#define STACK_VISITS 64

/* Adds kecamatan k to the visits if a pair of it may be within reach. */
static void visit_if_near(const search *q, uint32_t k, visit *visits, size_t *n)
{
	const kd_match_index *ix = q->ix;
	if (k == q->s->kecamatan || ix->in_kecamatan[k] == 0)
		return;
	const kd_match_route *route = kd_match_route_find(ix->model, q->s->kecamatan, k);
	double bound = route != NULL ? route->key : kd_match_box_key(ix->box[k], q->u);
	if (bound <= q->limit_key)
		visits[(*n)++] = (visit){ bound, k };
}

/* The kecamatan worth a visit, from every kecamatan of the index. */
static size_t visits_by_scan(const search *q, visit *visits)
{
	size_t n = 0;
	for (uint32_t k = 0; k < q->ix->n_kecamatan; k++)
		visit_if_near(q, k, visits, &n);
	return n;
}

/*
 * The same, reading only the kecamatan whose box may come within reach
 * along x: over the nation a handful of the 7,285, where judging every one
 * was most of a registration's cost in the daemon.  A box starting past
 * u.x + reach, or ending (at most widest_x after its start) before
 * u.x - reach, lies farther than reach on that axis alone.  Those a route
 * reaches count whatever their place, so the seeker's routes are read too.
 * The slack on reach keeps rounding from dropping a box right at the limit.
 */
static size_t visits_by_window(const search *q, visit *visits)
{
	const kd_match_index *ix = q->ix;
	double reach = sqrt(q->limit_key) * (1.0 + 1e-9) + 1e-12;
	double from = q->u[0] - reach - ix->widest_x, to = q->u[0] + reach;
	uint32_t lo = 0, hi = ix->n_by_x;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ix->by_x[mid].lo_x < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	for (uint32_t i = lo; i < ix->n_by_x && ix->by_x[i].lo_x <= to; i++)
		visit_if_near(q, ix->by_x[i].kecamatan, visits, &n);
	const kd_match_model *m = ix->model;
	for (size_t r = m->route_first[q->s->kecamatan]; r < m->route_first[q->s->kecamatan + 1]; r++) {
		uint32_t k = m->routes[r].to;
		double lo_x = ix->box[k][0];
		if (ix->in_kecamatan[k] > 0 && (lo_x < from || lo_x > to))
			visit_if_near(q, k, visits, &n);
	}
	return n;
}

int kd_match_recommend(const kd_match_index *ix, const kd_match_seeker *s, size_t limit,
		       kd_match_pair *out, size_t *n)
{
	kd_match_error err;
	*n = 0;
	if (kd_match_check_seeker(s, "seeker", ix->model->n_kecamatan, INT32_MAX, &err) < 0)
		return kd_error(EINVAL);
	if (limit == 0 || !kd_match_seeker_complete(s, ix->model->n_kecamatan))
		return kd_ok();
	search q = { .ix = ix, .s = s, .best = out, .limit = limit,
		     .limit_key = kd_match_limit_key(ix->model, s->max_distance_km),
		     .education_rank = kd_education_rank(s->education) };
	kd_match_unit(s->lat, s->lon, q.u);
	uint64_t mask = 0;
	for (uint32_t i = 0; i < s->n_skills; i++)
		mask |= kd_match_skill_bit(s->skills[i]);
	q.lacking = ~mask;
	/* Home first: every feasible pair there ranks before any elsewhere. */
	if (ix->in_kecamatan[s->kecamatan] > 0)
		judge_kecamatan(&q, s->kecamatan, NULL);
	/* Then the others by their bound, while one may still hold a pair for the list. */
	visit stack[STACK_VISITS], *visits = stack;
	if (ix->n_kecamatan > STACK_VISITS &&
	    (visits = malloc(ix->n_kecamatan * sizeof(*visits))) == NULL)
		return kd_error(ENOMEM);
	size_t n_visits = ix->moved ? visits_by_scan(&q, visits) : visits_by_window(&q, visits);
	if (n_visits > 1)
		qsort(visits, n_visits, sizeof(*visits), visit_cmp);
	for (size_t i = 0; i < n_visits && may_enter(&q, false, visits[i].bound); i++) {
		uint32_t k = visits[i].kecamatan;
		judge_kecamatan(&q, k, kd_match_route_find(ix->model, s->kecamatan, k));
	}
	if (visits != stack)
		free(visits);
	*n = q.n;
	/* Heap sort: the least preferred goes last, leaving the best first. */
	for (size_t m = *n; m > 1; m--) {
		kd_match_pair worst = out[0];
		out[0] = out[m - 1];
		sift_down(out, m - 1, 0);
		out[m - 1] = worst;
	}
	return kd_ok();
}
