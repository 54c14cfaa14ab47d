/*
 * The recommendation index: copies of open vacancies in slots, an id map,
 * and per skill the list of vacancies indexed under it (the rule of
 * run.c: a vacancy needing m of its n required skills is listed under
 * n - m + 1 of them, here the lowest ids; one needing none is listed under
 * "any").  Each listing remembers its place, so a change costs O(skills of
 * the vacancy), and a seeker meets a vacancy only through the first of its
 * listings the seeker holds, so no vacancy is judged twice.
 */
#include "match/recommend.h"

#include <stdlib.h>
#include <string.h>

#include "kd.h"
#include "match/internal.h"

#define ANY_SKILL (-1)
#define EMPTY UINT32_MAX

typedef struct posting {
	uint32_t slot, key;         /* the vacancy and which of its keys this is */
} posting;

typedef struct posting_list {
	int32_t skill;
	uint32_t n, cap;
	posting *items;
} posting_list;

typedef struct stored {
	kd_match_vacancy v;         /* its skill lists point into skills */
	int32_t *skills;            /* required, optional, then keys */
	uint32_t *where;            /* position of each key's posting */
	uint32_t n_keys;
} stored;

struct kd_match_index {
	const kd_match_model *model;
	stored *slots;
	uint32_t n_slots, cap_slots;
	uint32_t *free_slots;
	uint32_t n_free;
	uint32_t *ids;              /* open addressing: slot by vacancy id, EMPTY when free */
	size_t id_mask;
	posting_list *lists;        /* open addressing by skill; skill unset when items == NULL */
	size_t list_mask, n_lists;
	size_t count;
};

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
	ix->ids = malloc((ix->id_mask + 1) * sizeof(*ix->ids));
	ix->lists = calloc(ix->list_mask + 1, sizeof(*ix->lists));
	if (ix->ids == NULL || ix->lists == NULL) {
		kd_match_index_free(ix);
		return kd_error(ENOMEM);
	}
	memset(ix->ids, 0xff, (ix->id_mask + 1) * sizeof(*ix->ids));
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
	for (size_t i = 0; ix->lists != NULL && i <= ix->list_mask; i++)
		free(ix->lists[i].items);
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

static posting_list *list_find(const kd_match_index *ix, int32_t skill)
{
	size_t i = mix((uint64_t)(int64_t)skill) & ix->list_mask;
	while (ix->lists[i].items != NULL) {
		if (ix->lists[i].skill == skill)
			return &ix->lists[i];
		i = (i + 1) & ix->list_mask;
	}
	return NULL;
}

static int lists_grow(kd_match_index *ix)
{
	size_t mask = 2 * ix->list_mask + 1;
	posting_list *lists = calloc(mask + 1, sizeof(*lists));
	if (lists == NULL)
		return kd_error(ENOMEM);
	for (size_t i = 0; i <= ix->list_mask; i++) {
		if (ix->lists[i].items == NULL)
			continue;
		size_t j = mix((uint64_t)(int64_t)ix->lists[i].skill) & mask;
		while (lists[j].items != NULL)
			j = (j + 1) & mask;
		lists[j] = ix->lists[i];
	}
	free(ix->lists);
	ix->lists = lists;
	ix->list_mask = mask;
	return kd_ok();
}

/* The list of skill with room for one more posting, created if need be. */
static posting_list *list_reserve(kd_match_index *ix, int32_t skill)
{
	posting_list *l = list_find(ix, skill);
	if (l == NULL) {
		if (2 * (ix->n_lists + 1) > ix->list_mask + 1 && lists_grow(ix) < 0)
			return NULL;
		size_t i = mix((uint64_t)(int64_t)skill) & ix->list_mask;
		while (ix->lists[i].items != NULL)
			i = (i + 1) & ix->list_mask;
		l = &ix->lists[i];
		l->items = malloc(4 * sizeof(*l->items));
		if (l->items == NULL)
			return NULL;
		l->skill = skill;
		l->cap = 4;
		ix->n_lists++;
	}
	if (l->n == l->cap) {
		posting *items = realloc(l->items, 2 * l->cap * sizeof(*items));
		if (items == NULL)
			return NULL;
		l->items = items;
		l->cap *= 2;
	}
	return l;
}

static void unlink_postings(kd_match_index *ix, uint32_t slot)
{
	stored *r = &ix->slots[slot];
	const int32_t *keys = r->skills + r->v.n_required + r->v.n_optional;
	for (uint32_t k = 0; k < r->n_keys; k++) {
		posting_list *l = list_find(ix, keys[k]);
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
		if (list_reserve(ix, keys[k]) == NULL)
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
	for (uint32_t k = 0; k < r.n_keys; k++) {
		posting_list *l = list_find(ix, keys[k]);
		r.where[k] = l->n;
		l->items[l->n++] = (posting){ slot, k };
	}
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

/* Judges the vacancies listed under skill, each through its first key the seeker holds. */
static void judge_list(const kd_match_index *ix, const kd_match_seeker *s, int32_t skill,
		       size_t limit, kd_match_pair *out, size_t *n)
{
	const posting_list *l = list_find(ix, skill);
	for (uint32_t i = 0; l != NULL && i < l->n; i++) {
		const stored *r = &ix->slots[l->items[i].slot];
		const int32_t *keys = r->skills + r->v.n_required + r->v.n_optional;
		bool first = true;
		for (uint32_t k = 0; k < l->items[i].key && first; k++)
			first = !holds(s, keys[k]);
		if (!first)
			continue;
		kd_match_pair p;
		kd_match_evaluate(ix->model, s, &r->v, &p);
		if (p.verdict == KD_MATCH_FEASIBLE)
			offer(out, limit, n, &p);
	}
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
	for (uint32_t i = 0; i < s->n_skills; i++)
		judge_list(ix, s, s->skills[i], limit, out, n);
	judge_list(ix, s, ANY_SKILL, limit, out, n);
	/* Heap sort: the least preferred goes last, leaving the best first. */
	for (size_t m = *n; m > 1; m--) {
		kd_match_pair worst = out[0];
		out[0] = out[m - 1];
		sift_down(out, m - 1, 0);
		out[m - 1] = worst;
	}
	return kd_ok();
}
