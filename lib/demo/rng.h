/*
 * Seedable pseudo-random numbers for synthetic data: xoshiro256** with its
 * state filled by splitmix64.  Never use it for secrets: the same seed always
 * yields the same sequence, which is exactly what demo data needs.
 */
#ifndef KD_DEMO_RNG_H
#define KD_DEMO_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kd_rng {
	uint64_t s[4];
} kd_rng;

/*
 * Starts the generator for record `index` of stream `stream` under `seed`.
 * Every (seed, stream, index) gives its own sequence, so one record's draws
 * never shift another's.
 */
void kd_rng_seed(kd_rng *rng, uint64_t seed, uint64_t stream, uint64_t index);

/* The next 64 random bits. */
uint64_t kd_rng_next(kd_rng *rng);

/* Uniform in [0, bound); bound must be positive.  Unbiased. */
uint64_t kd_rng_below(kd_rng *rng, uint64_t bound);

/* Uniform integer in [low, high]; low <= high. */
int kd_rng_between(kd_rng *rng, int low, int high);

/* Uniform double in [0, 1). */
double kd_rng_unit(kd_rng *rng);

/* True with probability p. */
bool kd_rng_chance(kd_rng *rng, double p);

/*
 * Turns weights[0..n) into running totals in place and returns the total.
 * Weights must be finite and non-negative.
 */
double kd_rng_cumulate(double *weights, size_t n);

/*
 * Picks an index with probability proportional to its weight, given the
 * running totals made by kd_rng_cumulate() (n > 0, total > 0).  Indices of
 * weight zero are never picked.  O(log n).
 */
size_t kd_rng_pick(kd_rng *rng, const double *totals, size_t n);

/*
 * A keyed bijection of [0, bound) onto itself (bound > 0): distinct inputs
 * give distinct, random-looking outputs, so counters become unique ids.
 */
uint64_t kd_rng_permute(uint64_t x, uint64_t bound, uint64_t key);

#endif
