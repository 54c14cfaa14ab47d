/*
 * Random matching instances for the matcher's tests: a few kecamatan
 * side by side on a small stretch of Kukar, a handful of skills, and many
 * shared coordinates, so that every rule and tie-break gets exercised.
 * The same seed always gives the same instance.
 */
#ifndef KD_TEST_MATCH_FIXTURE_H
#define KD_TEST_MATCH_FIXTURE_H

#include "match/recommend.h"
#include "match/run.h"

typedef struct fixture {
	kd_match_input input;
	kd_match_seeker *seekers;
	kd_match_vacancy *vacancies;
	int32_t *pool;
	kd_match_travel *travel;
	size_t n_travel;
	uint32_t n_kecamatan;
} fixture;

typedef struct fixture_shape {
	size_t seekers, vacancies;
	uint32_t skills;        /* skill universe */
	uint32_t max_openings;
	double incomplete;      /* share of seekers with no skills or no place */
	bool travel;            /* add a travel table */
} fixture_shape;

/* Fills f with a random instance of the given shape. */
void fixture_make(fixture *f, const fixture_shape *shape, uint64_t seed);
void fixture_free(fixture *f);

/* A policy with small distances, randomised when seed is not 0. */
void fixture_policy(kd_match_policy *p, uint64_t seed);

/* The model of f under p; fails the test when it cannot be built. */
kd_match_model *fixture_model(const fixture *f, const kd_match_policy *p);

/* A run of f; fails the test on error. */
kd_match_result *fixture_run(const fixture *f, const kd_match_model *m, kd_match_mode mode,
			     bool keep_edges, unsigned threads);

/* The assigned vacancy (input index) of every seeker, or -1; caller frees. */
int *fixture_assignment(const fixture *f, const kd_match_result *r);

uint64_t fixture_random(uint64_t *state);

#endif
