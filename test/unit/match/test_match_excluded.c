/*
 * Excluded pairs (kd_match_input.excluded): a pair turned down once is
 * never placed again, in either mode, and the seeker's other candidates
 * take its place.  With room for every vacancy on a candidate list, the
 * list of a run with exclusions is exactly the list without them, minus
 * the excluded pairs, in the same order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks.h"

static const int32_t weld[] = { 0 };

static bool is_excluded(const fixture *f, uint32_t seeker, uint32_t vacancy)
{
	for (size_t i = 0; i < f->input.n_excluded; i++)
		if (f->input.excluded[i].seeker_id == f->seekers[seeker].id &&
		    f->input.excluded[i].vacancy_id == f->vacancies[vacancy].id)
			return true;
	return false;
}

/* One seeker, two vacancies: excluding the nearer one gives the farther one. */
static void test_next_best(void **state)
{
	(void)state;
	kd_match_seeker s = { .id = 7, .kecamatan = 0, .lat = -0.40, .lon = 116.90,
			      .education = KD_EDU_SMK, .skills = weld, .n_skills = 1 };
	kd_match_vacancy v[2] = {
		{ .id = 10, .kecamatan = 0, .lat = -0.40, .lon = 116.91, .min_education = KD_EDU_SD,
		  .required_skills = weld, .n_required = 1, .openings = 1,
		  .wage_max = KD_MATCH_NO_WAGE },
		{ .id = 11, .kecamatan = 0, .lat = -0.40, .lon = 116.99, .min_education = KD_EDU_SD,
		  .required_skills = weld, .n_required = 1, .openings = 1,
		  .wage_max = KD_MATCH_NO_WAGE },
	};
	/* Repeated, and with ids the run does not have: those are ignored. */
	kd_match_excluded_pair out[] = { { 7, 10 }, { 8, 11 }, { 7, 99 }, { 7, 10 } };
	fixture f = { .seekers = &s, .vacancies = v, .n_kecamatan = 1,
		      .input = { &s, 1, v, 2, 1, NULL, 0 } };
	kd_match_policy p;
	kd_match_policy_default(&p);
	kd_match_model *m = fixture_model(&f, &p);
	for (int mode = KD_MATCH_STABLE; mode <= KD_MATCH_OPTIMAL; mode++) {
		kd_match_result *r = fixture_run(&f, m, (kd_match_mode)mode, false, 1);
		assert_int_equal(r->n_assignments, 1);
		assert_int_equal(r->assignments[0].vacancy, 0);
		kd_match_result_free(r);
		f.input.excluded = out;
		f.input.n_excluded = 4;
		r = fixture_run(&f, m, (kd_match_mode)mode, false, 1);
		assert_int_equal(r->n_assignments, 1);
		assert_int_equal(r->assignments[0].vacancy, 1);
		kd_match_result_free(r);
		/* Both excluded: no feasible vacancy is left. */
		out[1].seeker_id = 7;
		r = fixture_run(&f, m, (kd_match_mode)mode, false, 1);
		assert_int_equal(r->n_assignments, 0);
		assert_int_equal(r->n_unassigned, 1);
		assert_int_equal(r->unassigned[0].reason, KD_MATCH_REASON_NO_FEASIBLE_VACANCY);
		kd_match_result_free(r);
		out[1].seeker_id = 8;
		f.input.excluded = NULL;
		f.input.n_excluded = 0;
	}
	kd_match_model_free(m);
}

/* The edges of seeker i in a result kept with edges: [first, last). */
static void edge_range(const kd_match_result *r, uint32_t seeker, size_t *first, size_t *last)
{
	size_t i = 0;
	while (i < r->n_edges && r->edges[i].seeker != seeker)
		i++;
	*first = i;
	while (i < r->n_edges && r->edges[i].seeker == seeker)
		i++;
	*last = i;
}

static void test_random_instances(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		uint64_t st = seed * 17 + 3;
		fixture_shape shape = {
			.seekers = 20 + fixture_random(&st) % 31,
			.vacancies = 4 + fixture_random(&st) % 9,
			.skills = 3 + (uint32_t)(fixture_random(&st) % 3),
			.max_openings = 1 + (uint32_t)(fixture_random(&st) % 3),
			.incomplete = 0.1,
			.travel = seed % 2,
		};
		fixture f;
		kd_match_policy p;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.candidates_per_seeker = KD_MATCH_MAX_CANDIDATES;
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_mode mode = seed % 2 ? KD_MATCH_STABLE : KD_MATCH_OPTIMAL;
		kd_match_result *first = fixture_run(&f, m, mode, true, 1);
		/* Exclude every assignment of the first run, and every third edge. */
		kd_match_excluded_pair *out = calloc(first->n_assignments + first->n_edges + 1, sizeof(*out));
		assert_non_null(out);
		size_t n = 0;
		for (size_t i = 0; i < first->n_assignments; i++)
			out[n++] = (kd_match_excluded_pair){ f.seekers[first->assignments[i].seeker].id,
						    f.vacancies[first->assignments[i].vacancy].id };
		for (size_t i = 0; i < first->n_edges; i += 3)
			out[n++] = (kd_match_excluded_pair){ f.seekers[first->edges[i].seeker].id,
						    f.vacancies[first->edges[i].vacancy].id };
		f.input.excluded = out;
		f.input.n_excluded = n;
		kd_match_result *second = fixture_run(&f, m, mode, true, 2);
		for (size_t i = 0; i < second->n_assignments; i++)
			assert_false(is_excluded(&f, second->assignments[i].seeker,
						 second->assignments[i].vacancy));
		for (uint32_t s = 0; s < f.input.n_seekers; s++) {
			size_t a, a_end, b, b_end;
			edge_range(first, s, &a, &a_end);
			edge_range(second, s, &b, &b_end);
			for (; a < a_end; a++) {
				if (is_excluded(&f, s, first->edges[a].vacancy))
					continue;
				assert_true(b < b_end);
				assert_int_equal(second->edges[b].vacancy, first->edges[a].vacancy);
				assert_int_equal(second->edges[b].score, first->edges[a].score);
				b++;
			}
			assert_int_equal(b, b_end);
		}
		free(out);
		kd_match_result_free(first);
		kd_match_result_free(second);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_best),
		cmocka_unit_test(test_random_instances),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
