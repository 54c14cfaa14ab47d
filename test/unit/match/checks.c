#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static kd_match_pair pair_of(const fixture *f, const kd_match_model *m, size_t s, size_t v)
{
	kd_match_pair p;
	kd_match_evaluate(m, &f->seekers[s], &f->vacancies[v], &p);
	return p;
}

void check_result(const fixture *f, const kd_match_model *m, const kd_match_result *r)
{
	size_t ns = f->input.n_seekers, nv = f->input.n_vacancies;
	int *seen = calloc(ns + 1, sizeof(*seen));
	uint32_t *placed = calloc(nv + 1, sizeof(*placed));
	long total = 0;
	for (size_t i = 0; i < r->n_assignments; i++) {
		const kd_match_assignment *a = &r->assignments[i];
		kd_match_pair p = pair_of(f, m, a->seeker, a->vacancy);
		assert_int_equal(p.verdict, KD_MATCH_FEASIBLE);
		assert_int_equal(a->score, p.score);
		assert_true(a->distance_km == p.distance_km);
		assert_int_equal(a->same_kecamatan, p.same_kecamatan);
		if (i > 0)
			assert_true(f->seekers[r->assignments[i - 1].seeker].id <
				    f->seekers[a->seeker].id);
		seen[a->seeker]++;
		placed[a->vacancy]++;
		total += a->score;
	}
	assert_int_equal(total, r->total_score);
	for (size_t v = 0; v < nv; v++)
		assert_true(placed[v] <= f->vacancies[v].openings);
	for (size_t i = 0; i < r->n_unassigned; i++) {
		size_t s = r->unassigned[i].seeker;
		seen[s]++;
		bool complete = kd_match_seeker_complete(&f->seekers[s], f->n_kecamatan);
		bool any = false;
		for (size_t v = 0; v < nv; v++)
			any |= pair_of(f, m, s, v).verdict == KD_MATCH_FEASIBLE;
		kd_match_reason expected = !complete ? KD_MATCH_REASON_INCOMPLETE_PROFILE :
					   !any ? KD_MATCH_REASON_NO_FEASIBLE_VACANCY :
						  KD_MATCH_REASON_OUTCOMPETED;
		assert_int_equal(r->unassigned[i].reason, expected);
	}
	for (size_t s = 0; s < ns; s++)
		assert_int_equal(seen[s], 1);
	free(seen);
	free(placed);
}

static const fixture *sort_f;
static const kd_match_model *sort_m;
static size_t sort_seeker, sort_vacancy;

static int by_seeker_order(const void *pa, const void *pb)
{
	kd_match_pair a = pair_of(sort_f, sort_m, sort_seeker, *(const size_t *)pa);
	kd_match_pair b = pair_of(sort_f, sort_m, sort_seeker, *(const size_t *)pb);
	return kd_match_seeker_order(&a, &b);
}

static int by_vacancy_order(const void *pa, const void *pb)
{
	kd_match_pair a = pair_of(sort_f, sort_m, *(const size_t *)pa, sort_vacancy);
	kd_match_pair b = pair_of(sort_f, sort_m, *(const size_t *)pb, sort_vacancy);
	return kd_match_vacancy_order(&a, &b);
}

void check_candidates(const fixture *f, const kd_match_model *m, const kd_match_result *r)
{
	size_t ns = f->input.n_seekers, nv = f->input.n_vacancies;
	size_t k = kd_match_model_policy(m)->candidates_per_seeker;
	size_t *list = malloc((ns + nv + 1) * sizeof(*list));
	size_t e = 0;
	sort_f = f;
	sort_m = m;
	/* Edges come by seeker id; visit seekers in that order. */
	size_t *by_id = malloc((ns + 1) * sizeof(*by_id));
	for (size_t i = 0; i < ns; i++)
		by_id[i] = i;
	for (size_t i = 1; i < ns; i++)
		for (size_t j = i; j > 0 && f->seekers[by_id[j - 1]].id > f->seekers[by_id[j]].id;
		     j--) {
			size_t t = by_id[j];
			by_id[j] = by_id[j - 1];
			by_id[j - 1] = t;
		}
	for (size_t i = 0; i < ns; i++) {
		size_t s = by_id[i], n = 0;
		for (size_t v = 0; v < nv; v++)
			if (pair_of(f, m, s, v).verdict == KD_MATCH_FEASIBLE)
				list[n++] = v;
		sort_seeker = s;
		qsort(list, n, sizeof(*list), by_seeker_order);
		for (size_t j = 0; j < n && j < k; j++, e++) {
			assert_true(e < r->n_edges);
			assert_int_equal(r->edges[e].seeker, s);
			assert_int_equal(r->edges[e].vacancy, list[j]);
			assert_int_equal(r->edges[e].seeker_rank, j + 1);
			assert_int_equal(r->edges[e].score, pair_of(f, m, s, list[j]).score);
		}
	}
	assert_int_equal(e, r->n_edges);
	for (size_t v = 0; v < nv; v++) {
		size_t n = 0;
		for (size_t i = 0; i < r->n_edges; i++)
			if (r->edges[i].vacancy == v)
				list[n++] = r->edges[i].seeker;
		sort_vacancy = v;
		qsort(list, n, sizeof(*list), by_vacancy_order);
		for (size_t i = 0; i < r->n_edges; i++)
			if (r->edges[i].vacancy == v)
				for (size_t j = 0; j < n; j++)
					if (list[j] == r->edges[i].seeker)
						assert_int_equal(r->edges[i].vacancy_rank, j + 1);
	}
	free(list);
	free(by_id);
}

void check_stable(const fixture *f, const kd_match_model *m, const kd_match_result *r)
{
	size_t nv = f->input.n_vacancies;
	int *a = fixture_assignment(f, r);
	uint32_t *count = calloc(nv + 1, sizeof(*count));
	int *worst = malloc((nv + 1) * sizeof(*worst));
	for (size_t v = 0; v < nv; v++)
		worst[v] = -1;
	for (size_t s = 0; s < f->input.n_seekers; s++) {
		if (a[s] < 0)
			continue;
		size_t v = (size_t)a[s];
		count[v]++;
		if (worst[v] < 0) {
			worst[v] = (int)s;
			continue;
		}
		kd_match_pair p = pair_of(f, m, s, v), w = pair_of(f, m, (size_t)worst[v], v);
		if (kd_match_vacancy_order(&p, &w) > 0)
			worst[v] = (int)s;
	}
	for (size_t i = 0; i < r->n_edges; i++) {
		size_t s = r->edges[i].seeker, v = r->edges[i].vacancy;
		if (a[s] == (int)v)
			continue;
		kd_match_pair p = pair_of(f, m, s, v);
		if (a[s] >= 0) {
			kd_match_pair held = pair_of(f, m, s, (size_t)a[s]);
			if (kd_match_seeker_order(&p, &held) > 0)
				continue;
		}
		bool wanted = count[v] < f->vacancies[v].openings;
		if (!wanted) {
			kd_match_pair w = pair_of(f, m, (size_t)worst[v], v);
			wanted = kd_match_vacancy_order(&p, &w) < 0;
		}
		if (wanted)
			fail_msg("seeker %zu and vacancy %zu block the assignment", s, v);
	}
	free(a);
	free(count);
	free(worst);
}

void objective(const fixture *f, const kd_match_model *m, const int *assignment,
	       long *local, long *score)
{
	*local = *score = 0;
	for (size_t s = 0; s < f->input.n_seekers; s++) {
		if (assignment[s] < 0)
			continue;
		kd_match_pair p = pair_of(f, m, s, (size_t)assignment[s]);
		*local += p.same_kecamatan;
		*score += p.score;
	}
}
