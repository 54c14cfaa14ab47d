/*
 * Recommendations: for every seeker the index ranks exactly the vacancies a
 * run would list as its candidates, in the same order and with the same
 * explanations, also after vacancies are added, replaced and removed one at
 * a time.
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

/* Every seeker's recommendations equal its candidate list in a run of f. */
static void assert_agrees(const fixture *f, const kd_match_model *m, const kd_match_index *ix)
{
	kd_match_result *r = fixture_run(f, m, KD_MATCH_STABLE, true, 1);
	size_t limit = kd_match_model_policy(m)->candidates_per_seeker;
	kd_match_pair *out = malloc((limit + 1) * sizeof(*out));
	for (size_t e = 0; e < r->n_edges;) {
		uint32_t s = r->edges[e].seeker;
		size_t n, listed = 0;
		while (e + listed < r->n_edges && r->edges[e + listed].seeker == s)
			listed++;
		assert_int_equal(kd_match_recommend(ix, &f->seekers[s], limit, out, &n), 0);
		assert_int_equal(n, listed);
		for (size_t j = 0; j < n; j++) {
			const kd_match_edge *edge = &r->edges[e + j];
			assert_int_equal(out[j].vacancy->id, f->vacancies[edge->vacancy].id);
			assert_int_equal(out[j].score, edge->score);
			kd_match_pair p;
			kd_match_evaluate(m, &f->seekers[s], &f->vacancies[edge->vacancy], &p);
			assert_true(out[j].distance_km == p.distance_km);
			assert_int_equal(out[j].optional_matched, p.optional_matched);
		}
		e += listed;
	}
	/* Seekers without candidates get no recommendations. */
	for (size_t s = 0; s < f->input.n_seekers; s++) {
		bool listed = false;
		for (size_t i = 0; i < r->n_edges && !listed; i++)
			listed = r->edges[i].seeker == s;
		size_t n;
		assert_int_equal(kd_match_recommend(ix, &f->seekers[s], limit, out, &n), 0);
		assert_int_equal(n > 0, listed);
	}
	free(out);
	kd_match_result_free(r);
}

static void put_all(kd_match_index *ix, const fixture *f)
{
	kd_match_error err;
	for (size_t v = 0; v < f->input.n_vacancies; v++)
		assert_int_equal(kd_match_index_put(ix, &f->vacancies[v], &err), 0);
}

static size_t open_count(const fixture *f)
{
	size_t n = 0;
	for (size_t v = 0; v < f->input.n_vacancies; v++)
		n += f->vacancies[v].openings > 0;
	return n;
}

static void test_agrees_with_run(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 100; seed++) {
		uint64_t st = seed * 131;
		fixture_shape shape = {
			.seekers = 30 + fixture_random(&st) % 50,
			.vacancies = 10 + fixture_random(&st) % 30,
			.skills = 3 + (uint32_t)(fixture_random(&st) % 5),
			.max_openings = 2,
			.incomplete = 0.1,
			.travel = seed % 2,
		};
		fixture f;
		kd_match_policy p;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.candidates_per_seeker = 1 + (uint32_t)(seed % 12);
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_index *ix;
		assert_int_equal(kd_match_index_new(m, &ix), 0);
		put_all(ix, &f);
		assert_int_equal(kd_match_index_count(ix), open_count(&f));
		assert_agrees(&f, m, ix);
		kd_match_index_free(ix);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

static void test_updates(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		fixture_shape shape = { .seekers = 60, .vacancies = 40, .skills = 4,
					.max_openings = 3, .incomplete = 0.05 };
		fixture f;
		kd_match_policy p;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.candidates_per_seeker = 8;
		kd_match_model *m = fixture_model(&f, &p);
		kd_match_index *ix;
		kd_match_error err;
		assert_int_equal(kd_match_index_new(m, &ix), 0);
		put_all(ix, &f);
		uint64_t st = seed;
		for (int round = 0; round < 30; round++) {
			kd_match_vacancy *v = &f.vacancies[fixture_random(&st) % shape.vacancies];
			switch (fixture_random(&st) % 3) {
			case 0: /* filled up or closed */
				v->openings = 0;
				break;
			case 1: /* moved and reopened */
				v->lat += 0.01;
				v->kecamatan = (v->kecamatan + 1) % f.n_kecamatan;
				v->openings = 2;
				break;
			default: /* asks for less */
				v->n_required = v->n_required > 0 ? v->n_required - 1 : 0;
				break;
			}
			assert_int_equal(kd_match_index_put(ix, v, &err), 0);
			assert_int_equal(kd_match_index_count(ix), open_count(&f));
		}
		assert_agrees(&f, m, ix);
		/* Removing everything leaves nothing to recommend. */
		for (size_t i = 0; i < shape.vacancies; i++) {
			int rc = kd_match_index_remove(ix, f.vacancies[i].id);
			assert_int_equal(rc, f.vacancies[i].openings > 0 ? 0 : -ENOENT);
		}
		assert_int_equal(kd_match_index_count(ix), 0);
		kd_match_pair out[8];
		size_t n = 1;
		assert_int_equal(kd_match_recommend(ix, &f.seekers[0], 8, out, &n), 0);
		assert_int_equal(n, 0);
		kd_match_index_free(ix);
		kd_match_model_free(m);
		fixture_free(&f);
	}
}

static void test_rejects_bad_vacancy(void **state)
{
	(void)state;
	fixture_shape shape = { .seekers = 5, .vacancies = 5, .skills = 3, .max_openings = 2 };
	fixture f;
	kd_match_policy p;
	fixture_make(&f, &shape, 9);
	fixture_policy(&p, 0);
	kd_match_model *m = fixture_model(&f, &p);
	kd_match_index *ix;
	kd_match_error err;
	assert_int_equal(kd_match_index_new(m, &ix), 0);
	kd_match_vacancy v = f.vacancies[0];
	v.openings = 1;
	v.kecamatan = 7;
	assert_int_equal(kd_match_index_put(ix, &v, &err), -EINVAL);
	assert_string_equal(err.message, "vacancy.kecamatan: unknown kecamatan");
	assert_int_equal(kd_match_index_count(ix), 0);
	assert_int_equal(kd_match_index_remove(ix, 12345), -ENOENT);
	kd_match_index_free(ix);
	kd_match_model_free(m);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agrees_with_run),
		cmocka_unit_test(test_updates),
		cmocka_unit_test(test_rejects_bad_vacancy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
