/*
 * Stable mode: on many random instances every seeker is accounted for with
 * the right reason, capacities hold, candidate lists are each seeker's best
 * K, and no pair blocks the result; with K at least the number of
 * vacancies that is stability against every feasible pair.  Plus the
 * textbook cases and determinism.
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

static void random_shape(uint64_t seed, fixture_shape *shape)
{
	uint64_t st = seed * 31 + 7;
	*shape = (fixture_shape){
		.seekers = 20 + fixture_random(&st) % 41,
		.vacancies = 5 + fixture_random(&st) % 11,
		.skills = 3 + (uint32_t)(fixture_random(&st) % 4),
		.max_openings = 1 + (uint32_t)(fixture_random(&st) % 3),
		.incomplete = 0.1,
		.travel = fixture_random(&st) % 2,
	};
}

static void test_random_instances(void **state)
{
	(void)state;
	static const uint32_t k[] = { 1, 3, 10000 };
	for (uint64_t seed = 1; seed <= 1000; seed++) {
		fixture_shape shape;
		fixture f;
		kd_match_policy p;
		random_shape(seed, &shape);
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.candidates_per_seeker = k[seed % 3];
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_result *r = fixture_run(&f, m, KD_MATCH_STABLE, true, 1);
		check_result(&f, m, r);
		check_candidates(&f, m, r);
		check_stable(&f, m, r);
		kd_match_result_free(r);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

/* Few skills and many vacancies: groups large enough to split by education. */
static void test_large_groups(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++) {
		fixture_shape shape = { .seekers = 150, .vacancies = 400, .skills = 2,
					.max_openings = 2, .incomplete = 0.05, .travel = seed % 2 };
		fixture f;
		kd_match_policy p;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.candidates_per_seeker = seed % 2 ? 10 : 10000;
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_result *r = fixture_run(&f, m, KD_MATCH_STABLE, true, 2);
		check_result(&f, m, r);
		check_candidates(&f, m, r);
		check_stable(&f, m, r);
		kd_match_result_free(r);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

static void assert_same_result(const kd_match_result *a, const kd_match_result *b)
{
	assert_int_equal(a->n_assignments, b->n_assignments);
	assert_int_equal(a->n_unassigned, b->n_unassigned);
	assert_int_equal(a->n_edges, b->n_edges);
	assert_int_equal(a->total_score, b->total_score);
	/* Field by field: the padding after same_kecamatan is not part of a result. */
	for (size_t i = 0; i < a->n_assignments; i++) {
		const kd_match_assignment *x = &a->assignments[i], *y = &b->assignments[i];
		assert_int_equal(x->seeker, y->seeker);
		assert_int_equal(x->vacancy, y->vacancy);
		assert_int_equal(x->score, y->score);
		assert_int_equal(x->same_kecamatan, y->same_kecamatan);
		assert_memory_equal(&x->distance_km, &y->distance_km, sizeof(x->distance_km));
	}
	assert_memory_equal(a->unassigned, b->unassigned, a->n_unassigned * sizeof(*a->unassigned));
	assert_memory_equal(a->edges, b->edges, a->n_edges * sizeof(*a->edges));
}

/* The (seeker id, vacancy id) of each assignment, in seeker id order. */
static int64_t *id_pairs(const fixture *f, const kd_match_result *r)
{
	int64_t *ids = malloc((2 * r->n_assignments + 1) * sizeof(*ids));
	for (size_t i = 0; i < r->n_assignments; i++) {
		ids[2 * i] = f->seekers[r->assignments[i].seeker].id;
		ids[2 * i + 1] = f->vacancies[r->assignments[i].vacancy].id;
	}
	return ids;
}

static void test_determinism(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 30; seed++) {
		fixture_shape shape;
		fixture f;
		kd_match_policy p;
		random_shape(seed, &shape);
		shape.seekers *= 20;
		shape.vacancies *= 5;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_mode mode = seed % 2 ? KD_MATCH_STABLE : KD_MATCH_OPTIMAL;
		kd_match_result *one = fixture_run(&f, m, mode, true, 1);
		kd_match_result *again = fixture_run(&f, m, mode, true, 1);
		kd_match_result *threads = fixture_run(&f, m, mode, true, 3);
		assert_same_result(one, again);
		assert_same_result(one, threads);
		/* The same records in reverse order give the same placements. */
		int64_t *forward = id_pairs(&f, one);
		for (size_t i = 0, j = shape.seekers - 1; i < j; i++, j--) {
			kd_match_seeker t = f.seekers[i];
			f.seekers[i] = f.seekers[j];
			f.seekers[j] = t;
		}
		for (size_t i = 0, j = shape.vacancies - 1; i < j; i++, j--) {
			kd_match_vacancy t = f.vacancies[i];
			f.vacancies[i] = f.vacancies[j];
			f.vacancies[j] = t;
		}
		kd_match_result *reversed = fixture_run(&f, m, mode, false, 2);
		int64_t *backward = id_pairs(&f, reversed);
		assert_int_equal(one->n_assignments, reversed->n_assignments);
		assert_memory_equal(forward, backward, 2 * one->n_assignments * sizeof(*forward));
		free(forward);
		free(backward);
		kd_match_result_free(one);
		kd_match_result_free(again);
		kd_match_result_free(threads);
		kd_match_result_free(reversed);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

static uint32_t root_of(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x)
		x = parent[x] = parent[parent[x]];
	return x;
}

/* The connected parts of r's candidate graph (kept edges) that hold a pair. */
static size_t count_zones(const fixture *f, const kd_match_result *r)
{
	size_t ns = f->input.n_seekers, nv = f->input.n_vacancies, zones = 0;
	uint32_t *parent = malloc((ns + nv) * sizeof(*parent));
	bool *counted = calloc(ns + nv, sizeof(*counted));
	assert_non_null(parent);
	assert_non_null(counted);
	for (size_t i = 0; i < ns + nv; i++)
		parent[i] = (uint32_t)i;
	for (size_t e = 0; e < r->n_edges; e++) {
		uint32_t a = root_of(parent, r->edges[e].seeker);
		parent[a] = root_of(parent, (uint32_t)ns + r->edges[e].vacancy);
	}
	for (size_t e = 0; e < r->n_edges; e++) {
		uint32_t root = root_of(parent, r->edges[e].seeker);
		zones += !counted[root];
		counted[root] = true;
	}
	free(parent);
	free(counted);
	return zones;
}

/*
 * Solving by zones (more than one thread) gives exactly the whole graph's
 * outcome (one thread) on instances that fall apart into many zones: no
 * blocking pair at a zone border, and nothing else differs either.
 */
static void test_zones_equal_whole(void **state)
{
	(void)state;
	static const double reach_km[] = { 0.3, 1.0, 3.0 };
	size_t split = 0;
	for (uint64_t seed = 1; seed <= 60; seed++) {
		fixture_shape shape;
		fixture f;
		kd_match_policy p;
		random_shape(seed, &shape);
		shape.seekers *= 10;
		shape.vacancies *= 10;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.max_distance_km = reach_km[seed % 3];
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_result *whole = fixture_run(&f, m, KD_MATCH_STABLE, true, 1);
		split += count_zones(&f, whole) > 1;
		for (unsigned threads = 2; threads <= 4; threads++) {
			kd_match_result *zoned = fixture_run(&f, m, KD_MATCH_STABLE, true, threads);
			assert_same_result(whole, zoned);
			check_stable(&f, m, zoned);
			kd_match_result_free(zoned);
		}
		kd_match_result_free(whole);
		kd_match_model_free(m);
		fixture_free(&f);
	}
	/* The comparison means something only where there are borders. */
	assert_true(split >= 40);
}

static const int32_t weld[] = { 0 };

/* Two seekers, two vacancies, crossing preferences: two stable outcomes. */
static void test_seeker_optimal(void **state)
{
	(void)state;
	kd_match_seeker s[2] = {
		{ .id = 1, .kecamatan = 0, .lat = -0.40, .lon = 116.90, .education = KD_EDU_SMK,
		  .skills = weld, .n_skills = 1, .experience_years = 1 },
		{ .id = 2, .kecamatan = 0, .lat = -0.40, .lon = 117.00, .education = KD_EDU_SMK,
		  .skills = weld, .n_skills = 1, .experience_years = 5 },
	};
	/* Seeker 1 is nearer X, seeker 2 nearer Y; both vacancies prefer seeker 2. */
	kd_match_vacancy v[2] = {
		{ .id = 10, .kecamatan = 0, .lat = -0.40, .lon = 116.91, .min_education = KD_EDU_SD,
		  .required_skills = weld, .n_required = 1, .openings = 1,
		  .wage_max = KD_MATCH_NO_WAGE },
		{ .id = 11, .kecamatan = 0, .lat = -0.40, .lon = 116.99, .min_education = KD_EDU_SD,
		  .required_skills = weld, .n_required = 1, .openings = 1,
		  .wage_max = KD_MATCH_NO_WAGE },
	};
	fixture f = { .seekers = s, .vacancies = v, .n_kecamatan = 1,
		      .input = { s, 2, v, 2, 1, NULL, 0 } };
	kd_match_policy p;
	kd_match_policy_default(&p);
	kd_match_model *m = fixture_model(&f, &p);
	kd_match_result *r = fixture_run(&f, m, KD_MATCH_STABLE, false, 1);
	assert_int_equal(r->n_assignments, 2);
	assert_int_equal(r->assignments[0].vacancy, 0);
	assert_int_equal(r->assignments[1].vacancy, 1);
	kd_match_result_free(r);
	/* With room for one, the vacancies' favourite wins and the other is outcompeted. */
	v[1].openings = 0;
	r = fixture_run(&f, m, KD_MATCH_STABLE, false, 1);
	assert_int_equal(r->n_assignments, 1);
	assert_int_equal(r->assignments[0].seeker, 1);
	assert_int_equal(r->n_unassigned, 1);
	assert_int_equal(r->unassigned[0].reason, KD_MATCH_REASON_OUTCOMPETED);
	kd_match_result_free(r);
	kd_match_model_free(m);
}

static void test_bad_input(void **state)
{
	(void)state;
	static const int32_t unsorted[] = { 2, 1 };
	kd_match_seeker s[2] = {
		{ .id = 5, .lat = 0, .lon = 0, .skills = weld, .n_skills = 1 },
		{ .id = 5, .lat = 0, .lon = 0, .skills = weld, .n_skills = 1 },
	};
	kd_match_vacancy v = { .id = 1, .lat = 0, .lon = 0, .required_skills = weld,
			       .n_required = 1, .openings = 1 };
	kd_match_input in = { s, 2, &v, 1, 3, NULL, 0 };
	kd_match_policy p;
	kd_match_policy_default(&p);
	kd_match_model *m = NULL;
	kd_match_error err;
	assert_int_equal(kd_match_model_new(&p, 1, NULL, 0, &m, &err), 0);
	kd_match_options o = { .mode = KD_MATCH_STABLE };
	kd_match_result *r = NULL;
	assert_int_equal(kd_match_run(m, &in, &o, &r, &err), -EINVAL);
	assert_string_equal(err.message, "seekers[1].id: repeats seekers[0].id");
	s[1].id = 6;
	s[1].skills = unsorted;
	s[1].n_skills = 2;
	assert_int_equal(kd_match_run(m, &in, &o, &r, &err), -EINVAL);
	assert_string_equal(err.message, "seekers[1].skills: not ascending without repeats");
	s[1].n_skills = 1;
	v.optional_skills = weld;
	v.n_optional = 1;
	assert_int_equal(kd_match_run(m, &in, &o, &r, &err), -EINVAL);
	assert_string_equal(err.message, "vacancies[0].optional_skills: repeats a required skill");
	v.n_optional = 0;
	v.lat = 91;
	assert_int_equal(kd_match_run(m, &in, &o, &r, &err), -EINVAL);
	assert_string_equal(err.message, "vacancies[0].lat: not a valid location");
	kd_match_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_instances),
		cmocka_unit_test(test_large_groups),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_zones_equal_whole),
		cmocka_unit_test(test_seeker_optimal),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
