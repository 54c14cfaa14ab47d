/*
 * What the instance generators share: one random stream (xoshiro256**
 * seeded through splitmix64: fast, and the same everywhere) and the frame
 * of an instance file.  Each generator is one C file compiled on its own,
 * so this header holds the definitions.
 */
#ifndef KD_BENCH_RANDOM_H
#define KD_BENCH_RANDOM_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t state[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void seed_random(uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		state[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next64(void)
{
	uint64_t result = rotl(state[1] * 5, 7) * 9, t = state[1] << 17;
	state[2] ^= state[0];
	state[3] ^= state[1];
	state[1] ^= state[2];
	state[0] ^= state[3];
	state[2] ^= t;
	state[3] = rotl(state[3], 45);
	return result;
}

static double uniform(void)
{
	return (double)(next64() >> 11) / 9007199254740992.0;
}

static int below(int n)
{
	return (int)(uniform() * n);
}

static double normal(void)
{
	double u = uniform(), v = uniform();
	return sqrt(-2.0 * log(u + 1e-300)) * cos(2.0 * M_PI * v);
}

static int pick(const double *weights, int n)
{
	double total = 0.0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	double x = uniform() * total;
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

/*
 * Ends a seeker record: years of experience, the seeker's own distance limit
 * (for a quarter of them), a registration time in 2025 at utc_offset.
 */
static void print_seeker_tail(const char *utc_offset)
{
	printf(",\"experience_years\":%d,\"max_distance_km\":", (int)(-log(uniform() + 1e-12) * 3));
	if (uniform() < 0.25)
		printf("%d", 5 + below(56));
	else
		printf("null");
	long second = (long)(uniform() * 365 * 86400);
	printf(",\"registered_at\":\"2025-%02ld-%02ldT%02ld:%02ld:%02ld%s\"}",
	       1 + second / (31 * 86400) % 12, 1 + second / 86400 % 28, second / 3600 % 24,
	       second / 60 % 60, second % 60, utc_offset);
}

/* Ends a vacancy record: openings, and a wage for 70% of them (lowest, then steps of 250,000). */
static void print_vacancy_tail(int openings, int lowest_wage, int steps)
{
	printf(",\"openings\":%d,\"wage_max\":", openings);
	if (uniform() < 0.7)
		printf("%d", lowest_wage + 250000 * below(steps));
	else
		printf("null");
	putchar('}');
}

/*
 * Writes {"seekers":[...],"vacancies":[...]} to stdout, one record a line,
 * each record written by the generator's own function, which also writes
 * its line to meta.  Returns the exit status.
 */
static int write_instance(long n_seekers, long n_vacancies, void (*seeker)(long, FILE *),
			  void (*vacancy)(long, FILE *), FILE *meta)
{
	printf("{\"seekers\":[\n");
	for (long i = 1; i <= n_seekers; i++) {
		seeker(i, meta);
		fputs(i < n_seekers ? ",\n" : "\n", stdout);
	}
	printf("],\n\"vacancies\":[\n");
	for (long i = 1; i <= n_vacancies; i++) {
		vacancy(i, meta);
		fputs(i < n_vacancies ? ",\n" : "\n", stdout);
	}
	printf("]}\n");
	return fclose(meta) == 0 && fflush(stdout) == 0 ? 0 : 1;
}

#endif
