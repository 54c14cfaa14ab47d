#include "demo/rng.h"

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ULL

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += GOLDEN_GAMMA);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void kd_rng_seed(kd_rng *rng, uint64_t seed, uint64_t stream, uint64_t index)
{
	uint64_t state = seed;
	state = splitmix64(&state) ^ stream;
	state = splitmix64(&state) ^ index;
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&state);
}

uint64_t kd_rng_next(kd_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t kd_rng_below(kd_rng *rng, uint64_t bound)
{
	/* Values below 2^64 mod bound would make small results more likely. */
	uint64_t threshold = (0 - bound) % bound;
	for (;;) {
		uint64_t r = kd_rng_next(rng);
		if (r >= threshold)
			return r % bound;
	}
}

int kd_rng_between(kd_rng *rng, int low, int high)
{
	return low + (int)kd_rng_below(rng, (uint64_t)((int64_t)high - low + 1));
}

double kd_rng_unit(kd_rng *rng)
{
	return (double)(kd_rng_next(rng) >> 11) * 0x1.0p-53;
}

bool kd_rng_chance(kd_rng *rng, double p)
{
	return kd_rng_unit(rng) < p;
}

double kd_rng_cumulate(double *weights, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		total += weights[i];
		weights[i] = total;
	}
	return total;
}

size_t kd_rng_pick(kd_rng *rng, const double *totals, size_t n)
{
	double target = kd_rng_unit(rng) * totals[n - 1];
	size_t low = 0, high = n - 1;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		if (totals[mid] > target)
			high = mid;
		else
			low = mid + 1;
	}
	return low;
}

/*
 * Each step (adding a constant, multiplying by an odd constant, xor with a
 * right shift) is a bijection on b-bit integers, so the rounds are one too;
 * cycle walking then restricts it to [0, bound).
 */
uint64_t kd_rng_permute(uint64_t x, uint64_t bound, uint64_t key)
{
	int bits = 1;
	while (bits < 64 && (UINT64_C(1) << bits) < bound)
		bits++;
	uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	int shift = bits / 2 > 0 ? bits / 2 : 1;
	do {
		uint64_t round_key = key;
		for (int round = 0; round < 4; round++) {
			x = (x + splitmix64(&round_key)) & mask;
			x = (x * GOLDEN_GAMMA) & mask;
			x ^= x >> shift;
		}
	} while (x >= bound);
	return x;
}
