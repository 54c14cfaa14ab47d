/*
 * Optimal mode: equal to brute force on tiny instances, never below stable
 * on larger ones (under strict local priority "below" is lexicographic:
 * same-kecamatan placements first, then score), and strict local priority
 * never trading a same-kecamatan placement for score elsewhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "checks.h"

typedef struct search {
	const fixture *f;
	const kd_match_model *m;
	bool strict;
	int *assignment;
	uint32_t *left;
	long best_local, best_score;
} search;

static bool better(const search *s, long local, long score)
{
	if (s->strict && local != s->best_local)
		return local > s->best_local;
	return score > s->best_score;
}

/* Tries every feasible choice (or none) for seekers i.. in turn. */
static void enumerate(search *s, size_t i)
{
	const fixture *f = s->f;
	if (i == f->input.n_seekers) {
		long local, score;
		objective(f, s->m, s->assignment, &local, &score);
		if (better(s, local, score))
			s->best_local = local, s->best_score = score;
		return;
	}
	s->assignment[i] = -1;
	enumerate(s, i + 1);
	for (size_t v = 0; v < f->input.n_vacancies; v++) {
		kd_match_pair p;
		kd_match_evaluate(s->m, &f->seekers[i], &f->vacancies[v], &p);
		if (p.verdict != KD_MATCH_FEASIBLE || s->left[v] == 0)
			continue;
		s->left[v]--;
		s->assignment[i] = (int)v;
		enumerate(s, i + 1);
		s->left[v]++;
	}
	s->assignment[i] = -1;
}

static void brute_force(const fixture *f, const kd_match_model *m, long *local, long *score)
{
	search s = { .f = f, .m = m, .best_local = -1, .best_score = -1,
		     .strict = kd_match_model_policy(m)->local_priority == KD_MATCH_LOCAL_STRICT };
	s.assignment = calloc(f->input.n_seekers + 1, sizeof(*s.assignment));
	s.left = calloc(f->input.n_vacancies + 1, sizeof(*s.left));
	for (size_t v = 0; v < f->input.n_vacancies; v++)
		s.left[v] = f->vacancies[v].openings;
	enumerate(&s, 0);
	*local = s.best_local;
	*score = s.best_score;
	free(s.assignment);
	free(s.left);
}

static void result_objective(const fixture *f, const kd_match_model *m,
			     const kd_match_result *r, long *local, long *score)
{
	int *a = fixture_assignment(f, r);
	objective(f, m, a, local, score);
	free(a);
	assert_int_equal(*score, r->total_score);
}

static void test_brute_force(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 400; seed++) {
		uint64_t st = seed;
		fixture_shape shape = {
			.seekers = 2 + fixture_random(&st) % 6,
			.vacancies = 1 + fixture_random(&st) % 3,
			.skills = 3,
			.max_openings = 2,
			.incomplete = 0.1,
			.travel = seed % 2,
		};
		fixture f;
		kd_match_policy p;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.candidates_per_seeker = KD_MATCH_MAX_CANDIDATES;
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_result *r = fixture_run(&f, m, KD_MATCH_OPTIMAL, false, 1);
		check_result(&f, m, r);
		long local, score, best_local, best_score;
		result_objective(&f, m, r, &local, &score);
		brute_force(&f, m, &best_local, &best_score);
		if (p.local_priority == KD_MATCH_LOCAL_STRICT)
			assert_int_equal(local, best_local);
		assert_int_equal(score, best_score);
		kd_match_result_free(r);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

static void test_not_below_stable(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 150; seed++) {
		uint64_t st = seed * 977;
		fixture_shape shape = {
			.seekers = 50 + fixture_random(&st) % 200,
			.vacancies = 10 + fixture_random(&st) % 40,
			.skills = 4 + (uint32_t)(fixture_random(&st) % 4),
			.max_openings = 3,
			.incomplete = 0.05,
			.travel = seed % 3 == 0,
		};
		fixture f;
		kd_match_policy p;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_result *opt = fixture_run(&f, m, KD_MATCH_OPTIMAL, false, 1);
		kd_match_result *stable = fixture_run(&f, m, KD_MATCH_STABLE, false, 1);
		check_result(&f, m, opt);
		long opt_local, opt_score, stable_local, stable_score;
		result_objective(&f, m, opt, &opt_local, &opt_score);
		result_objective(&f, m, stable, &stable_local, &stable_score);
		if (p.local_priority == KD_MATCH_LOCAL_STRICT) {
			assert_true(opt_local >= stable_local);
			if (opt_local == stable_local)
				assert_true(opt_score >= stable_score);
		} else {
			assert_true(opt_score >= stable_score);
		}
		kd_match_result_free(opt);
		kd_match_result_free(stable);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

static const int32_t weld[] = { 0 }, drive[] = { 1 }, weld_drive[] = { 0, 1 };

/*
 * Kecamatan 0 holds seekers 1 and 2 and vacancies 10 and 11; vacancy 12
 * lies just across the border, in kecamatan 1, next to seeker 2.
 * Two same-kecamatan placements are possible (1 at 11, 2 at 10), but
 * 1 at 10 and 2 at 12 are both short trips and score more in total while
 * placing one person fewer at home.  Weighted takes the score (as stable
 * does), strict takes the homes.
 */
static void test_strict_local_priority(void **state)
{
	(void)state;
	kd_match_seeker s[2] = {
		{ .id = 1, .kecamatan = 0, .lat = -0.40, .lon = 116.900, .education = KD_EDU_SMK,
		  .skills = weld_drive, .n_skills = 2 },
		{ .id = 2, .kecamatan = 0, .lat = -0.40, .lon = 117.045, .education = KD_EDU_SMK,
		  .skills = weld, .n_skills = 1 },
	};
	kd_match_vacancy v[3] = {
		{ .id = 10, .kecamatan = 0, .lat = -0.40, .lon = 116.901, .min_education = KD_EDU_SD,
		  .required_skills = weld, .n_required = 1, .openings = 1,
		  .wage_max = KD_MATCH_NO_WAGE },
		{ .id = 11, .kecamatan = 0, .lat = -0.40, .lon = 117.040, .min_education = KD_EDU_SD,
		  .required_skills = drive, .n_required = 1, .openings = 1,
		  .wage_max = KD_MATCH_NO_WAGE },
		{ .id = 12, .kecamatan = 1, .lat = -0.40, .lon = 117.050, .min_education = KD_EDU_SD,
		  .required_skills = weld, .n_required = 1, .openings = 1,
		  .wage_max = KD_MATCH_NO_WAGE },
	};
	fixture f = { .seekers = s, .vacancies = v, .n_kecamatan = 2,
		      .input = { s, 2, v, 3, 2, NULL, 0 } };
	kd_match_policy p;
	kd_match_policy_default(&p);
	long local[2], score[2];
	int *placed[2];
	for (int i = 0; i < 2; i++) {
		p.local_priority = i == 0 ? KD_MATCH_LOCAL_STRICT : KD_MATCH_LOCAL_WEIGHTED;
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_result *r = fixture_run(&f, m, KD_MATCH_OPTIMAL, false, 1);
		result_objective(&f, m, r, &local[i], &score[i]);
		placed[i] = fixture_assignment(&f, r);
		if (i == 1) {
			kd_match_result *stable = fixture_run(&f, m, KD_MATCH_STABLE, false, 1);
			int *a = fixture_assignment(&f, stable);
			assert_memory_equal(a, placed[1], 2 * sizeof(*a));
			free(a);
			kd_match_result_free(stable);
		}
		kd_match_result_free(r);
		kd_match_model_free(m);
	}
	assert_int_equal(local[0], 2);
	assert_int_equal(placed[0][0], 1);
	assert_int_equal(placed[0][1], 0);
	assert_int_equal(local[1], 1);
	assert_int_equal(placed[1][0], 0);
	assert_int_equal(placed[1][1], 2);
	assert_true(score[0] < score[1]);
	free(placed[0]);
	free(placed[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_force),
		cmocka_unit_test(test_not_below_stable),
		cmocka_unit_test(test_strict_local_priority),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
