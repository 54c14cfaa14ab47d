#include "fixture.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

uint64_t fixture_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(uint64_t *state, uint32_t n)
{
	return (uint32_t)(fixture_random(state) % n);
}

static double uniform(uint64_t *state)
{
	return (double)(fixture_random(state) >> 11) / 9007199254740992.0;
}

/* k distinct ascending skills out of n, excluding those in `not`. */
static uint32_t draw(uint64_t *st, uint32_t n, uint32_t k, int32_t *out, const int32_t *not,
		     uint32_t n_not)
{
	uint32_t got = 0;
	for (int32_t s = 0; s < (int32_t)n && got < k; s++) {
		bool excluded = false;
		for (uint32_t i = 0; i < n_not; i++)
			excluded |= not[i] == s;
		/* Selection sampling keeps the list ascending. */
		if (!excluded && below(st, n - (uint32_t)s) < k - got)
			out[got++] = s;
	}
	return got;
}

/* Kecamatan are bands of longitude 0.15 degrees (about 17 km) wide. */
static void place(uint64_t *st, uint32_t n_kecamatan, uint32_t *k, double *lat, double *lon)
{
	*k = below(st, n_kecamatan);
	/* A third of the time on one of three "village centroids" per band. */
	if (below(st, 3) == 0) {
		uint32_t village = below(st, 3);
		*lat = -0.40 + 0.05 * village;
		*lon = 116.90 + 0.15 * *k + 0.02 + 0.05 * village;
	} else {
		*lat = -0.40 + 0.15 * uniform(st);
		*lon = 116.90 + 0.15 * (*k + uniform(st));
	}
}

void fixture_make(fixture *f, const fixture_shape *shape, uint64_t seed)
{
	uint64_t st = seed;
	*f = (fixture){ .n_kecamatan = 3 };
	f->seekers = calloc(shape->seekers + 1, sizeof(*f->seekers));
	f->vacancies = calloc(shape->vacancies + 1, sizeof(*f->vacancies));
	f->pool = calloc((shape->seekers + 2 * shape->vacancies) * shape->skills + 1,
			 sizeof(*f->pool));
	f->travel = calloc(2, sizeof(*f->travel));
	assert_non_null(f->seekers);
	assert_non_null(f->vacancies);
	assert_non_null(f->pool);
	assert_non_null(f->travel);
	int32_t *pool = f->pool;
	for (size_t i = 0; i < shape->seekers; i++) {
		kd_match_seeker *s = &f->seekers[i];
		/* Ids out of order, so that renumbering by id is exercised. */
		s->id = (int64_t)((i * 7919) % 100003) + 1;
		place(&st, f->n_kecamatan, &s->kecamatan, &s->lat, &s->lon);
		s->education = (kd_education)below(&st, KD_EDU_COUNT);
		s->skills = pool;
		s->n_skills = draw(&st, shape->skills, 1 + below(&st, 3), pool, NULL, 0);
		pool += s->n_skills;
		s->experience_years = below(&st, 4);
		s->max_distance_km = below(&st, 4) == 0 ? 5.0 + below(&st, 20) : 0.0;
		s->registered_at = (int64_t)below(&st, 5) * 86400000000ll;
		if (uniform(&st) < shape->incomplete) {
			if (below(&st, 2) == 0)
				s->n_skills = 0;
			else
				s->lat = s->lon = NAN;
		}
	}
	for (size_t i = 0; i < shape->vacancies; i++) {
		kd_match_vacancy *v = &f->vacancies[i];
		v->id = (int64_t)((i * 104729) % 99991) + 1;
		place(&st, f->n_kecamatan, &v->kecamatan, &v->lat, &v->lon);
		v->min_education = (kd_education)below(&st, KD_EDU_COUNT / 2);
		v->required_skills = pool;
		v->n_required = draw(&st, shape->skills, below(&st, 3), pool, NULL, 0);
		pool += v->n_required;
		v->optional_skills = pool;
		v->n_optional = draw(&st, shape->skills, below(&st, 3), pool, v->required_skills,
				     v->n_required);
		pool += v->n_optional;
		v->openings = below(&st, shape->max_openings + 1);
		v->wage_max = below(&st, 3) == 0 ? KD_MATCH_NO_WAGE :
						   3000000 + 500000 * (int64_t)below(&st, 4);
	}
	if (shape->travel) {
		/* The river makes kecamatan 0 and 2 far apart, and 0 to 1 one way only. */
		f->travel[0] = (kd_match_travel){ 0, 2, 80.0 };
		f->travel[1] = (kd_match_travel){ 1, 0, 3.0 };
		f->n_travel = 2;
	}
	f->input = (kd_match_input){
		.seekers = f->seekers, .n_seekers = shape->seekers,
		.vacancies = f->vacancies, .n_vacancies = shape->vacancies,
		.n_skills = shape->skills,
	};
}

void fixture_free(fixture *f)
{
	free(f->seekers);
	free(f->vacancies);
	free(f->pool);
	free(f->travel);
}

void fixture_policy(kd_match_policy *p, uint64_t seed)
{
	kd_match_policy_default(p);
	p->max_distance_km = 25.0;
	p->distance_scale_km = 10.0;
	if (seed == 0)
		return;
	uint64_t st = seed;
	static const double coverage[] = { 1.0, 1.0, 0.5, 0.0 };
	p->min_required_coverage = coverage[below(&st, 4)];
	p->local_priority = below(&st, 2) ? KD_MATCH_LOCAL_STRICT : KD_MATCH_LOCAL_WEIGHTED;
	p->weights.skill_fit = below(&st, 4) * 0.5;
	p->weights.same_kecamatan = below(&st, 3) * 0.5;
}

kd_match_model *fixture_model(const fixture *f, const kd_match_policy *p)
{
	kd_match_model *m = NULL;
	kd_match_error err;
	assert_int_equal(kd_match_model_new(p, f->n_kecamatan, f->travel, f->n_travel, &m, &err),
			 0);
	return m;
}

kd_match_result *fixture_run(const fixture *f, const kd_match_model *m, kd_match_mode mode,
			     bool keep_edges, unsigned threads)
{
	kd_match_result *r = NULL;
	kd_match_error err = { "" };
	kd_match_options o = { .mode = mode, .keep_edges = keep_edges, .threads = threads };
	int rc = kd_match_run(m, &f->input, &o, &r, &err);
	if (rc != 0)
		fail_msg("kd_match_run: %s", err.message);
	return r;
}

int *fixture_assignment(const fixture *f, const kd_match_result *r)
{
	int *a = malloc((f->input.n_seekers + 1) * sizeof(*a));
	assert_non_null(a);
	for (size_t i = 0; i < f->input.n_seekers; i++)
		a[i] = -1;
	for (size_t i = 0; i < r->n_assignments; i++)
		a[r->assignments[i].seeker] = (int)r->assignments[i].vacancy;
	return a;
}
