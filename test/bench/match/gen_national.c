/*
 * Generates a synthetic instance spread over the whole of Indonesia for
 * `kerjadekat match --input`: seekers and vacancies over the kecamatan in
 * proportion to their villages (nothing better is known for every one of
 * them), each at one of its kecamatan's villages (schema/data/indonesia:
 * Kemendagri codes and points) with about 1.5 km of jitter, skills from
 * eleven sectors of fourteen skills each.  The same arguments always give
 * the same bytes.
 *
 *   gen_national KECAMATAN.csv DESA.csv SEEKERS VACANCIES SEED META > instance.json
 *
 * META receives one line per seeker ("s ID KECAMATAN") and per vacancy
 * ("v ID OPENINGS KECAMATAN"), KECAMATAN counted from 1 in file order, for
 * the benchmark's reference tools.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_random.h"

#define SECTORS 11
#define SKILLS_PER_SECTOR 14
#define CORE 6

typedef struct kecamatan {
	char code[16];
	size_t first_desa, n_desa;
} kecamatan;

typedef struct point {
	double lat, lon;
} point;

static kecamatan *kec;
static size_t n_kec;
static point *desa;             /* grouped by kecamatan */
static double *cumulative;      /* villages up to and including each kecamatan */
static FILE *open_csv(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
		fprintf(stderr, "gen_national: cannot read %s\n", path);
		exit(1);
	}
	return f;
}

static int by_code(const void *key, const void *item)
{
	return strncmp(key, ((const kecamatan *)item)->code, 8);
}

static int by_kecamatan_code(const void *a, const void *b)
{
	return strcmp(((const kecamatan *)a)->code, ((const kecamatan *)b)->code);
}

static void load(const char *kecamatan_csv, const char *desa_csv)
{
	char line[512];
	FILE *f = open_csv(kecamatan_csv);
	size_t cap = 8192;
	kec = calloc(cap, sizeof(*kec));
	while (fgets(line, sizeof(line), f) != NULL && n_kec < cap) {
		char *comma = strchr(line, ',');
		if (comma == NULL || comma - line != 8)
			continue;
		memcpy(kec[n_kec++].code, line, 8);
	}
	fclose(f);
	qsort(kec, n_kec, sizeof(*kec), by_kecamatan_code);
	/* Two passes over the villages: count per kecamatan, then place. */
	for (int pass = 0; pass < 2; pass++) {
		f = open_csv(desa_csv);
		size_t *fill = calloc(n_kec, sizeof(*fill));
		while (fgets(line, sizeof(line), f) != NULL) {
			/* Names may hold commas; the point is always the last two fields. */
			kecamatan *k = bsearch(line, kec, n_kec, sizeof(*kec), by_code);
			char *lon = strrchr(line, ',');
			if (k == NULL || lon == NULL)
				continue;
			*lon = '\0';
			char *lat = strrchr(line, ',');
			if (lat == NULL)
				continue;
			if (pass == 0)
				k->n_desa++;
			else
				desa[k->first_desa + fill[k - kec]++] =
					(point){ atof(lat + 1), atof(lon + 1) };
		}
		fclose(f);
		free(fill);
		if (pass == 0) {
			size_t total = 0;
			cumulative = malloc(n_kec * sizeof(*cumulative));
			for (size_t i = 0; i < n_kec; i++) {
				kec[i].first_desa = total;
				total += kec[i].n_desa;
				cumulative[i] = (double)total;
			}
			desa = malloc((total + 1) * sizeof(*desa));
		}
	}
}

/* A kecamatan drawn in proportion to its villages. */
static size_t draw_kecamatan(void)
{
	double r = uniform() * cumulative[n_kec - 1];
	size_t lo = 0, hi = n_kec - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cumulative[mid] <= r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void place(size_t k, double *lat, double *lon)
{
	const point *d = &desa[kec[k].first_desa + (size_t)below((int)kec[k].n_desa)];
	*lat = d->lat + normal() * 1.5 / 111.0;
	*lon = d->lon + normal() * 1.5 / 111.0;
}

/* n distinct skills of a sector, core skills three times as likely. */
static int draw_skills(int sector, int n, int *out)
{
	double w[SKILLS_PER_SECTOR];
	for (int i = 0; i < SKILLS_PER_SECTOR; i++)
		w[i] = i < CORE ? 3.0 : 1.0;
	for (int got = 0; got < n; got++) {
		int i = pick(w, SKILLS_PER_SECTOR);
		w[i] = 0.0;
		out[got] = sector * SKILLS_PER_SECTOR + i;
	}
	return n;
}

static void print_skills(const int *skills, int n)
{
	putchar('[');
	for (int i = 0; i < n; i++)
		printf("%s\"sektor %d keahlian %d\"", i ? "," : "", skills[i] / SKILLS_PER_SECTOR + 1,
		       skills[i] % SKILLS_PER_SECTOR + 1);
	putchar(']');
}

static const char *const education[] = { "SD", "SMP", "SMA", "SMK", "D3", "S1" };
static const double seeker_education[] = { 0.10, 0.20, 0.30, 0.25, 0.05, 0.10 };
static const double job_education[] = { 0.25, 0.25, 0.25, 0.2, 0.03, 0.02 };

static void seeker(long id, FILE *meta)
{
	size_t k = draw_kecamatan();
	double lat, lon;
	int skills[8];
	place(k, &lat, &lon);
	int n = draw_skills(below(SECTORS), 2 + below(4), skills);
	if (uniform() < 0.3)
		n += draw_skills(below(SECTORS), 1 + below(2), skills + n);
	printf("{\"id\":%ld,\"kecamatan_code\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,\"education\":\"%s\","
	       "\"skills\":", id, kec[k].code, lat, lon, education[pick(seeker_education, 6)]);
	print_skills(skills, n);
	print_seeker_tail("+07:00");
	fprintf(meta, "s %ld %zu\n", id, k + 1);
}

static void vacancy(long id, FILE *meta)
{
	size_t k = draw_kecamatan();
	double lat, lon;
	int skills[8];
	place(k, &lat, &lon);
	double r = uniform();
	int required = r < 0.4 ? 1 : r < 0.8 ? 2 : 3, optional = below(4);
	draw_skills(below(SECTORS), required + optional, skills);
	int openings = 1 + (int)(-log(uniform() + 1e-12) * 1.2);
	printf("{\"id\":%ld,\"kecamatan_code\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,"
	       "\"min_education\":\"%s\",\"required_skills\":",
	       id, kec[k].code, lat, lon, education[pick(job_education, 6)]);
	print_skills(skills, required);
	printf(",\"optional_skills\":");
	print_skills(skills + required, optional);
	print_vacancy_tail(openings, 2500000, 40);
	fprintf(meta, "v %ld %d %zu\n", id, openings, k + 1);
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: gen_national KECAMATAN.csv DESA.csv SEEKERS VACANCIES SEED META\n");
		return 2;
	}
	load(argv[1], argv[2]);
	long n_seekers = atol(argv[3]), n_vacancies = atol(argv[4]);
	uint64_t seed = strtoull(argv[5], NULL, 10);
	FILE *meta = fopen(argv[6], "w");
	if (meta == NULL || n_kec == 0 || cumulative[n_kec - 1] == 0) {
		fprintf(stderr, "gen_national: cannot write %s or no villages\n", argv[6]);
		return 1;
	}
	seed_random(seed);
	return write_instance(n_seekers, n_vacancies, seeker, vacancy, meta);
}
