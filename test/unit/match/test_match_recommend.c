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
#include "core/geo.h"
#include "kd.h"

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

static int order_cmp(const void *a, const void *b)
{
	return kd_match_seeker_order(a, b);
}

/* Every feasible vacancy of f for seeker s, best first: the plain definition. */
static size_t scan_all(const fixture *f, const kd_match_model *m, const kd_match_seeker *s,
		       kd_match_pair *all)
{
	size_t n = 0;
	for (size_t v = 0; v < f->input.n_vacancies; v++) {
		kd_match_evaluate(m, s, &f->vacancies[v], &all[n]);
		n += all[n].verdict == KD_MATCH_FEASIBLE;
	}
	qsort(all, n, sizeof(*all), order_cmp);
	return n;
}

/* The index's lists equal the head of the scan's, for short and long lists. */
static void assert_equals_scan(const fixture *f, const kd_match_model *m,
			       const kd_match_index *ix)
{
	static const size_t limits[] = { 1, 2, 3, 7, 20, 1000 };
	kd_match_pair *all = malloc((f->input.n_vacancies + 1) * sizeof(*all));
	kd_match_pair *out = malloc(1000 * sizeof(*out));
	for (size_t i = 0; i < f->input.n_seekers; i++) {
		const kd_match_seeker *s = &f->seekers[i];
		size_t total = kd_match_seeker_complete(s, f->n_kecamatan) ? scan_all(f, m, s, all) : 0;
		for (size_t l = 0; l < KD_ARRAY_LEN(limits); l++) {
			size_t n;
			assert_int_equal(kd_match_recommend(ix, s, limits[l], out, &n), 0);
			assert_int_equal(n, total < limits[l] ? total : limits[l]);
			for (size_t j = 0; j < n; j++) {
				assert_int_equal(out[j].vacancy->id, all[j].vacancy->id);
				assert_int_equal(out[j].score, all[j].score);
				assert_true(out[j].distance_key == all[j].distance_key);
				assert_int_equal(out[j].optional_matched, all[j].optional_matched);
			}
		}
	}
	free(all);
	free(out);
}

/*
 * Many kecamatan in a grid, a random travel table and changes that move
 * vacancies between kecamatan: a seeker's list is always the head of the
 * plain scan, whatever kecamatan the search opens or leaves unread.
 */
static void test_equals_scan(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 24; seed++) {
		fixture_shape shape = { .seekers = 80, .vacancies = 300, .skills = 5,
					.max_openings = 2, .incomplete = 0.05 };
		fixture f;
		kd_match_policy p;
		fixture_make(&f, &shape, seed);
		fixture_policy(&p, seed);
		p.max_distance_km = 10.0 + 10.0 * (double)(seed % 4);
		/* 12 kecamatan, cells of 0.1 degrees (11 km) in 4 columns and 3 rows. */
		uint64_t st = seed * 7;
		f.n_kecamatan = 12;
		for (size_t i = 0; i < shape.seekers + shape.vacancies; i++) {
			uint32_t k = (uint32_t)(fixture_random(&st) % 12);
			double *lat, *lon;
			if (i < shape.seekers) {
				if (!kd_geo_valid(f.seekers[i].lat, f.seekers[i].lon))
					continue;
				f.seekers[i].kecamatan = k;
				lat = &f.seekers[i].lat, lon = &f.seekers[i].lon;
			} else {
				f.vacancies[i - shape.seekers].kecamatan = k;
				lat = &f.vacancies[i - shape.seekers].lat;
				lon = &f.vacancies[i - shape.seekers].lon;
			}
			/* Now and then many on one point, for ties. */
			double x = fixture_random(&st) % 4 == 0 ? 0.5 :
				   (double)(fixture_random(&st) % 1000) / 1000.0;
			*lat = -0.6 + 0.1 * (k / 4) + 0.1 * x;
			*lon = 116.5 + 0.1 * (k % 4) + 0.1 * x;
		}
		kd_match_travel travel[6];
		size_t n_travel = 0;
		for (size_t t = 0; t < 6 && seed % 3 != 0; t++) {
			uint32_t from = (uint32_t)(fixture_random(&st) % 12);
			uint32_t to = (from + 1 + (uint32_t)(fixture_random(&st) % 11)) % 12;
			bool repeated = false;
			for (size_t u = 0; u < n_travel; u++)
				repeated |= (travel[u].from == from && travel[u].to == to) ||
					    (travel[u].from == to && travel[u].to == from);
			if (!repeated)
				travel[n_travel++] = (kd_match_travel){
					from, to, (double)(fixture_random(&st) % 60) };
		}
		kd_match_model *m;
		kd_match_error err;
		assert_int_equal(kd_match_model_new(&p, 12, travel, n_travel, &m, &err), 0);
		kd_match_index *ix;
		assert_int_equal(kd_match_index_new(m, &ix), 0);
		put_all(ix, &f);
		assert_equals_scan(&f, m, ix);
		kd_match_index_settle(ix);
		assert_equals_scan(&f, m, ix);
		for (int round = 0; round < 100; round++) {
			kd_match_vacancy *v = &f.vacancies[fixture_random(&st) % shape.vacancies];
			if (fixture_random(&st) % 2 == 0) {
				v->openings = 0;
			} else {
				/* within its kecamatan's box or past it, now and then */
				double x = (double)(fixture_random(&st) % 1300) / 1000.0 - 0.15;
				v->kecamatan = (uint32_t)(fixture_random(&st) % 12);
				v->lat = -0.6 + 0.1 * (v->kecamatan / 4) + 0.1 * x;
				v->lon = 116.5 + 0.1 * (v->kecamatan % 4) + 0.1 * x;
				v->openings = 1;
			}
			assert_int_equal(kd_match_index_put(ix, v, &err), 0);
			/* settled now and then: in between, puts that left every box's
			 * extent along x alone keep the window, the others the scan */
			assert_equals_scan(&f, m, ix);
			if (round % 10 == 9) {
				kd_match_index_settle(ix);
				assert_equals_scan(&f, m, ix);
			}
		}
		assert_int_equal(kd_match_index_count(ix), open_count(&f));
		assert_equals_scan(&f, m, ix);
		kd_match_index_settle(ix);
		assert_equals_scan(&f, m, ix);
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
		cmocka_unit_test(test_equals_scan),
		cmocka_unit_test(test_rejects_bad_vacancy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
