/*
 * The run's driver: checks the input, renumbers it by id, and calls the
 * phases in turn.
 *
 * Complexity, with S seekers, V open vacancies, K candidates per seeker and
 * E <= S * K candidate pairs:
 *  - prepare: O((S + V) log(S + V)) for the id order (skipped when the input
 *    is already ordered) and the k-d trees;
 *  - candidates: per seeker, a best-first search that stops once K
 *    candidates are known and nothing queued can beat the K-th; it only
 *    reads vacancies indexed under one of the seeker's skills, in trees its
 *    education reaches, in its own kecamatan or within the distance limit,
 *    so the worst case (fewer than K feasible) is O(sum over the seeker's
 *    skills of such vacancies) and the usual case a few times K;
 *  - stable: O(E log C), C the largest openings count;
 *  - optimal: one shortest-path search per seeker with candidates on
 *    S + V + 1 nodes and E + S + V arcs (flow.c);
 *  - result: O(S + E) (O(E log E) with edge ranks).
 * docs/matcher.md has the measurements.
 */
#include "match/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kd.h"
#include "match/batch.h"

typedef struct id_index {
	int64_t id;
	uint32_t index;
} id_index;

static int id_index_cmp(const void *pa, const void *pb)
{
	const id_index *a = pa, *b = pb;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/*
 * Fills order with the indices of ids ascending.  Inputs usually arrive in
 * id order already, which a linear check detects.
 */
static int order_by_id(const int64_t *ids, size_t n, uint32_t *order, const char *what,
		       kd_match_error *err)
{
	bool sorted = true;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = ids[i - 1] < ids[i];
	if (sorted) {
		for (size_t i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		return kd_ok();
	}
	id_index *tmp = malloc(n * sizeof(*tmp));
	if (tmp == NULL)
		return kd_error(ENOMEM);
	for (size_t i = 0; i < n; i++)
		tmp[i] = (id_index){ ids[i], (uint32_t)i };
	qsort(tmp, n, sizeof(*tmp), id_index_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && tmp[i].id == tmp[i - 1].id) {
			kd_match_error_set(err, "%s[%u].id: repeats %s[%u].id", what,
					   tmp[i].index, what, tmp[i - 1].index);
			free(tmp);
			return kd_error(EINVAL);
		}
		order[i] = tmp[i].index;
	}
	free(tmp);
	return kd_ok();
}

static int check_input(const kd_match_model *m, const kd_match_input *in,
		       kd_match_error *err)
{
	if (in->n_seekers >= UINT32_MAX || in->n_vacancies >= UINT32_MAX ||
	    in->n_skills >= INT32_MAX) {
		kd_match_error_set(err, "input too large");
		return kd_error(EINVAL);
	}
	char at[40];
	for (size_t i = 0; i < in->n_seekers; i++) {
		snprintf(at, sizeof(at), "seekers[%zu]", i);
		if (kd_match_check_seeker(&in->seekers[i], at, m->n_kecamatan, in->n_skills,
					  err) < 0)
			return kd_error(EINVAL);
	}
	for (size_t i = 0; i < in->n_vacancies; i++) {
		snprintf(at, sizeof(at), "vacancies[%zu]", i);
		if (kd_match_check_vacancy(&in->vacancies[i], at, m->n_kecamatan, in->n_skills,
					   err) < 0)
			return kd_error(EINVAL);
	}
	return kd_ok();
}

static void prepare_seekers(kd_match_batch *b)
{
	for (size_t i = 0; i < b->n_seekers; i++) {
		const kd_match_seeker *s = &b->in->seekers[b->seeker_input[i]];
		batch_seeker *p = &b->seekers[i];
		*p = (batch_seeker){
			.registered_at = s->registered_at,
			.skills = s->skills,
			.n_skills = s->n_skills,
			.kecamatan = s->kecamatan,
			.experience_years = s->experience_years,
			.education_rank = (uint8_t)kd_education_rank(s->education),
			.complete = kd_match_seeker_complete(s, b->model->n_kecamatan),
		};
		for (uint32_t j = 0; j < s->n_skills; j++)
			p->skill_mask |= kd_match_skill_bit(s->skills[j]);
		if (p->complete) {
			kd_match_unit(s->lat, s->lon, p->u);
			p->limit_key = kd_match_limit_key(b->model, s->max_distance_km);
		}
	}
}

/* Sorts skills rarest first among seekers (insertion sort: at most 255). */
static void sort_by_rarity(int32_t *skills, uint32_t n, const uint32_t *holders)
{
	for (uint32_t i = 1; i < n; i++) {
		int32_t x = skills[i];
		uint32_t j = i;
		while (j > 0 && (holders[skills[j - 1]] > holders[x] ||
				 (holders[skills[j - 1]] == holders[x] && skills[j - 1] > x))) {
			skills[j] = skills[j - 1];
			j--;
		}
		skills[j] = x;
	}
}

/*
 * Keeps open vacancies and chooses the skills each is indexed under.  A
 * seeker holding at least `needed` of n required skills misses at most
 * n - needed, so any n - needed + 1 of them include one the seeker holds:
 * indexing under that many of the rarest skills finds every feasible seeker
 * while keeping the lists each seeker scans short.
 */
static int prepare_vacancies(kd_match_batch *b, const uint32_t *order, size_t n_all)
{
	const kd_match_input *in = b->in;
	uint32_t *holders = calloc((size_t)in->n_skills + 1, sizeof(*holders));
	size_t pool = 0;
	if (holders == NULL)
		return kd_error(ENOMEM);
	for (size_t i = 0; i < b->n_seekers; i++)
		if (b->seekers[i].complete)
			for (uint32_t j = 0; j < b->seekers[i].n_skills; j++)
				holders[b->seekers[i].skills[j]]++;
	for (size_t i = 0; i < n_all; i++)
		if (in->vacancies[order[i]].openings > 0)
			pool += in->vacancies[order[i]].n_required + 1;
	b->vacancy_input = malloc((n_all + 1) * sizeof(*b->vacancy_input));
	b->vacancies = malloc((n_all + 1) * sizeof(*b->vacancies));
	b->key_pool = malloc((pool + 1) * sizeof(*b->key_pool));
	if (b->vacancy_input == NULL || b->vacancies == NULL || b->key_pool == NULL) {
		free(holders);
		return kd_error(ENOMEM);
	}
	int32_t *keys = b->key_pool;
	b->n_vacancies = 0;
	for (size_t i = 0; i < n_all; i++) {
		const kd_match_vacancy *v = &in->vacancies[order[i]];
		if (v->openings == 0)
			continue;
		batch_vacancy *p = &b->vacancies[b->n_vacancies];
		*p = (batch_vacancy){
			.wage_max = v->wage_max,
			.required = v->required_skills,
			.optional = v->optional_skills,
			.keys = keys,
			.kecamatan = v->kecamatan,
			.capacity = v->openings,
			.n_required = (uint8_t)v->n_required,
			.n_optional = (uint8_t)v->n_optional,
			.needed = (uint8_t)kd_match_required_needed(b->model, v->n_required),
			.education_rank = (uint8_t)kd_education_rank(v->min_education),
		};
		kd_match_unit(v->lat, v->lon, p->u);
		if (p->needed == 0) {
			keys[0] = (int32_t)b->any_skill;
			p->n_keys = 1;
		} else {
			memcpy(keys, v->required_skills, v->n_required * sizeof(*keys));
			sort_by_rarity(keys, v->n_required, holders);
			p->n_keys = (uint8_t)(v->n_required - p->needed + 1);
		}
		keys += p->n_keys;
		b->vacancy_input[b->n_vacancies++] = order[i];
	}
	free(holders);
	return kd_ok();
}

typedef struct excluded_pair {
	uint32_t seeker, vacancy;
} excluded_pair;

static int excluded_pair_cmp(const void *pa, const void *pb)
{
	const excluded_pair *a = pa, *b = pb;
	if (a->seeker != b->seeker)
		return a->seeker < b->seeker ? -1 : 1;
	return (a->vacancy > b->vacancy) - (a->vacancy < b->vacancy);
}

static int64_t seeker_id_at(const kd_match_batch *b, size_t renumbered)
{
	return b->in->seekers[b->seeker_input[renumbered]].id;
}

static int64_t vacancy_id_at(const kd_match_batch *b, size_t renumbered)
{
	return b->in->vacancies[b->vacancy_input[renumbered]].id;
}

/*
 * The renumbered index in [0, n) whose id_at() is id, or KD_MATCH_NONE;
 * renumbering keeps both seekers and open vacancies in ascending id order.
 */
static uint32_t renumbered_of_id(const kd_match_batch *b, size_t n,
				 int64_t (*id_at)(const kd_match_batch *, size_t), int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t at = id_at(b, mid);
		if (at == id)
			return (uint32_t)mid;
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return KD_MATCH_NONE;
}

/*
 * Gives each seeker the ascending list of open vacancies it must not be
 * offered.  Pairs naming a seeker or an open vacancy the run does not have
 * cannot be placed anyway and are dropped.
 */
static int prepare_excluded(kd_match_batch *b)
{
	const kd_match_input *in = b->in;
	if (in->n_excluded == 0 || b->n_seekers == 0 || b->n_vacancies == 0)
		return kd_ok();
	excluded_pair *pairs = malloc(in->n_excluded * sizeof(*pairs));
	if (pairs == NULL)
		return kd_error(ENOMEM);
	size_t n = 0;
	for (size_t i = 0; i < in->n_excluded; i++) {
		uint32_t s = renumbered_of_id(b, b->n_seekers, seeker_id_at,
					      in->excluded[i].seeker_id);
		uint32_t v = s == KD_MATCH_NONE ? KD_MATCH_NONE :
			     renumbered_of_id(b, b->n_vacancies, vacancy_id_at,
					      in->excluded[i].vacancy_id);
		if (v != KD_MATCH_NONE)
			pairs[n++] = (excluded_pair){ s, v };
	}
	if (n > 1)
		qsort(pairs, n, sizeof(*pairs), excluded_pair_cmp);
	b->excluded_pool = malloc((n + 1) * sizeof(*b->excluded_pool));
	if (b->excluded_pool == NULL) {
		free(pairs);
		return kd_error(ENOMEM);
	}
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && pairs[i].seeker == pairs[i - 1].seeker &&
		    pairs[i].vacancy == pairs[i - 1].vacancy)
			continue;
		batch_seeker *s = &b->seekers[pairs[i].seeker];
		if (s->n_excluded == 0)
			s->excluded = b->excluded_pool + kept;
		s->n_excluded++;
		b->excluded_pool[kept++] = pairs[i].vacancy;
	}
	free(pairs);
	return kd_ok();
}

typedef struct wage_index {
	int64_t wage;
	uint32_t index;
} wage_index;

static int wage_index_cmp(const void *pa, const void *pb)
{
	const wage_index *a = pa, *b = pb;
	int c = kd_match_wage_order(a->wage, b->wage);
	return c != 0 ? c : (a->index > b->index) - (a->index < b->index);
}

/* Ranks open vacancies by the seeker's last tie-breaks: wage_max, then id. */
static int rank_ties(kd_match_batch *b)
{
	wage_index *w = malloc((b->n_vacancies + 1) * sizeof(*w));
	b->vacancy_by_tie = malloc((b->n_vacancies + 1) * sizeof(*b->vacancy_by_tie));
	if (w == NULL || b->vacancy_by_tie == NULL) {
		free(w);
		return kd_error(ENOMEM);
	}
	for (size_t v = 0; v < b->n_vacancies; v++)
		w[v] = (wage_index){ b->vacancies[v].wage_max, (uint32_t)v };
	qsort(w, b->n_vacancies, sizeof(*w), wage_index_cmp);
	for (size_t i = 0; i < b->n_vacancies; i++) {
		b->vacancies[w[i].index].tie_rank = (uint32_t)i;
		b->vacancy_by_tie[i] = w[i].index;
	}
	free(w);
	return kd_ok();
}

static int prepare(kd_match_batch *b, kd_match_error *err)
{
	const kd_match_input *in = b->in;
	int rc = check_input(b->model, in, err);
	if (rc < 0)
		return rc;
	b->n_seekers = in->n_seekers;
	b->any_skill = in->n_skills;
	b->seeker_input = malloc((in->n_seekers + 1) * sizeof(*b->seeker_input));
	b->seekers = malloc((in->n_seekers + 1) * sizeof(*b->seekers));
	uint32_t *vacancy_order = malloc((in->n_vacancies + 1) * sizeof(*vacancy_order));
	if (b->seeker_input == NULL || b->seekers == NULL || vacancy_order == NULL) {
		free(vacancy_order);
		return kd_error(ENOMEM);
	}
	size_t most = in->n_seekers > in->n_vacancies ? in->n_seekers : in->n_vacancies;
	int64_t *ids = malloc((most + 1) * sizeof(*ids));
	if (ids == NULL)
		rc = kd_error(ENOMEM);
	for (size_t i = 0; rc == kd_ok() && i < in->n_seekers; i++)
		ids[i] = in->seekers[i].id;
	if (rc == kd_ok())
		rc = order_by_id(ids, in->n_seekers, b->seeker_input, "seekers", err);
	for (size_t i = 0; rc == kd_ok() && i < in->n_vacancies; i++)
		ids[i] = in->vacancies[i].id;
	if (rc == kd_ok())
		rc = order_by_id(ids, in->n_vacancies, vacancy_order, "vacancies", err);
	free(ids);
	if (rc == kd_ok()) {
		prepare_seekers(b);
		rc = prepare_vacancies(b, vacancy_order, in->n_vacancies);
	}
	free(vacancy_order);
	if (rc == kd_ok())
		rc = prepare_excluded(b);
	if (rc == kd_ok())
		rc = rank_ties(b);
	if (rc == kd_ok())
		rc = kd_match_spatial_build(b);
	return rc;
}

double kd_match_batch_key(const kd_match_batch *b, uint32_t seeker, uint32_t vacancy,
			  bool same_kecamatan, double *km)
{
	const batch_seeker *s = &b->seekers[seeker];
	const batch_vacancy *v = &b->vacancies[vacancy];
	if (!same_kecamatan && b->model->n_routes > 0) {
		const kd_match_route *r = kd_match_route_find(b->model, s->kecamatan,
							      v->kecamatan);
		if (r != NULL) {
			if (km != NULL)
				*km = r->km;
			return r->key;
		}
	}
	double key = kd_match_chord2(s->u, v->u);
	if (km != NULL)
		*km = kd_match_km_of_key(key);
	return key;
}

int32_t kd_match_batch_score(const kd_match_batch *b, size_t seeker, const batch_edge *e)
{
	const batch_vacancy *v = &b->vacancies[e->vacancy];
	double km;
	kd_match_batch_key(b, (uint32_t)seeker, e->vacancy, e->same_kecamatan, &km);
	return kd_match_score(b->model, km, e->same_kecamatan,
			      (uint32_t)e->required_matched + e->optional_matched,
			      (uint32_t)v->n_required + v->n_optional);
}

static double seconds_since(struct timespec *mark)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double s = (double)(now.tv_sec - mark->tv_sec) + (now.tv_nsec - mark->tv_nsec) / 1e9;
	*mark = now;
	return s;
}

static void batch_free(kd_match_batch *b)
{
	free(b->seeker_input);
	free(b->seekers);
	free(b->vacancy_input);
	free(b->vacancies);
	free(b->vacancy_by_tie);
	free(b->key_pool);
	free(b->excluded_pool);
	kd_match_spatial_free(&b->spatial);
	free(b->edge_first);
	free(b->edges);
	free(b->assigned);
}

int kd_match_run(const kd_match_model *model, const kd_match_input *in,
		 const kd_match_options *options, kd_match_result **out,
		 kd_match_error *err)
{
	kd_match_batch b = {
		.model = model,
		.in = in,
		.candidates_cap = model->policy.candidates_per_seeker,
	};
	kd_match_result *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return kd_error(ENOMEM);
	r->mode = options->mode;
	double *phase = r->stats.phase_seconds;
	struct timespec mark;
	clock_gettime(CLOCK_MONOTONIC, &mark);
	int rc = prepare(&b, err);
	phase[KD_MATCH_PHASE_PREPARE] = seconds_since(&mark);
	if (rc == kd_ok())
		rc = kd_match_candidates(&b, options->threads);
	/* Nothing after the candidates searches the index: its memory goes to the solver. */
	kd_match_spatial_free(&b.spatial);
	b.spatial = (kd_match_spatial){ 0 };
	phase[KD_MATCH_PHASE_CANDIDATES] = seconds_since(&mark);
	if (rc == kd_ok())
		rc = options->mode == KD_MATCH_OPTIMAL ? kd_match_solve_optimal(&b, options->threads, err) :
							 kd_match_solve_stable(&b, options->threads);
	phase[KD_MATCH_PHASE_SOLVE] = seconds_since(&mark);
	if (rc == kd_ok())
		rc = kd_match_build_result(&b, options, r);
	phase[KD_MATCH_PHASE_RESULT] = seconds_since(&mark);
	batch_free(&b);
	if (rc < 0) {
		if (rc == kd_error(ENOMEM))
			kd_match_error_set(err, "out of memory");

		kd_match_result_free(r);
		return rc;
	}
	*out = r;
	return kd_ok();
}

void kd_match_result_free(kd_match_result *result)
{
	if (result == NULL)
		return;
	free(result->assignments);
	free(result->unassigned);
	free(result->edges);
	free(result);
}

const char *kd_match_mode_name(kd_match_mode mode)
{
	return mode == KD_MATCH_OPTIMAL ? "optimal" : "stable";
}

int kd_match_mode_parse(const char *name)
{
	if (strcmp(name, "stable") == 0)
		return KD_MATCH_STABLE;
	if (strcmp(name, "optimal") == 0)
		return KD_MATCH_OPTIMAL;
	return kd_error(EINVAL);
}

const char *kd_match_reason_name(kd_match_reason reason)
{
	switch (reason) {
	case KD_MATCH_REASON_INCOMPLETE_PROFILE:
		return "incomplete_profile";
	case KD_MATCH_REASON_NO_FEASIBLE_VACANCY:
		return "no_feasible_vacancy";
	case KD_MATCH_REASON_OUTCOMPETED:
		return "outcompeted";
	}
	return "unknown";
}
