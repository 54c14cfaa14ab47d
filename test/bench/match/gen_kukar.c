/*
 * Generates a synthetic but believable Kukar instance for `kerjadekat match
 * --input`: seekers spread over the kecamatan by population, vacancies by
 * each kecamatan's industries (schema/data/kukar/SOURCES.md), locations at
 * village centroids (desa.csv) plus about 1.5 km of jitter, skills from a
 * fixed list of labels grouped by sector.  The same arguments always give
 * the same bytes.
 *
 *   gen_kukar DESA.csv SEEKERS VACANCIES SEED META [dense] > instance.json
 *
 * "dense" draws a harder market instead, where every seeker has a full
 * list of candidates: each seeker holds 3-6 of 50 skills and no distance
 * limit of their own, each vacancy requires 1 skill, names 2 optional ones,
 * asks for no schooling and has 1-8 openings.  Places are drawn as above.
 *
 * META receives one line per seeker ("s ID KECAMATAN") and per vacancy
 * ("v ID OPENINGS KECAMATAN") for the benchmark's reference tools.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_random.h"

enum sector {
	MINING, OIL_GAS, PALM_OIL, FISHERIES, CONSTRUCTION, PROCESSING, LOGISTICS,
	HOSPITALITY, OFFICE, IT, CARE, SECTORS
};

#define SKILLS_PER_SECTOR 14
/* The first CORE skills of a sector are the ones most jobs ask for. */
#define CORE 6

static const char *const skills[SECTORS][SKILLS_PER_SECTOR] = {
	[MINING] = { "operator alat berat", "operator excavator", "operator dump truck",
		     "mekanik alat berat", "k3 pertambangan", "sim b2 umum", "juru ledak",
		     "surveyor tambang", "pengawas tambang", "operator bulldozer",
		     "teknisi listrik tambang", "geologi", "pengelasan", "hidrolik" },
	[OIL_GAS] = { "operator produksi migas", "teknisi instrumentasi", "k3 migas",
		      "teknisi pengeboran", "pengelasan pipa", "rigger", "roughneck",
		      "inspeksi ndt", "operator crane", "teknisi mekanikal", "proses kimia",
		      "scaffolding", "pemeliharaan pompa", "bahasa inggris" },
	[PALM_OIL] = { "pemanen sawit", "perawatan kebun", "pemupukan",
		       "penyemprotan pestisida", "operator pabrik kelapa sawit", "sim b1",
		       "mandor kebun", "grading tbs", "teknisi boiler", "pembibitan",
		       "operator traktor", "analis laboratorium", "administrasi kebun",
		       "pengendalian hama" },
	[FISHERIES] = { "penangkapan ikan", "budidaya tambak", "pengolahan ikan",
			"mesin kapal", "navigasi kapal", "budidaya ikan air tawar",
			"pembuatan jaring", "penanganan hasil tangkapan", "budidaya rumput laut",
			"pembekuan ikan", "pakan ikan", "perbaikan perahu", "pengasapan ikan",
			"pemasaran hasil perikanan" },
	[CONSTRUCTION] = { "tukang batu", "tukang kayu", "tukang besi", "pengelasan",
			   "instalasi listrik", "k3 konstruksi", "pengecatan", "instalasi pipa",
			   "membaca gambar teknik", "pengawas konstruksi", "autocad",
			   "operator crane", "surveyor", "plester dan aci" },
	[PROCESSING] = { "operator mesin produksi", "operator smelter", "pengendalian mutu",
			 "perawatan mesin", "k3 industri", "operator forklift",
			 "teknisi listrik industri", "pengelasan", "plc", "metalurgi",
			 "pengemasan", "kimia analitik", "bubut", "fabrikasi logam" },
	[LOGISTICS] = { "pengemudi truk", "sim b2 umum", "pergudangan", "bongkar muat",
			"operator forklift", "administrasi logistik", "manajemen inventaris",
			"ekspedisi", "dispatcher", "mekanik kendaraan", "sim c",
			"pengemudi kapal", "rantai pasok", "microsoft excel" },
	[HOSPITALITY] = { "juru masak", "pelayan restoran", "tata graha", "resepsionis",
			  "pelayanan pelanggan", "kasir", "tata boga", "barista",
			  "pemandu wisata", "bahasa inggris", "kebersihan", "tata hidang",
			  "pembuatan roti", "pengelolaan event" },
	[OFFICE] = { "administrasi perkantoran", "microsoft excel", "microsoft word",
		     "akuntansi", "pelayanan pelanggan", "kearsipan", "perpajakan",
		     "pemasaran", "penjualan", "sumber daya manusia", "kasir",
		     "surat menyurat", "pengetikan", "keuangan" },
	[IT] = { "jaringan komputer", "teknisi komputer", "pemrograman web", "basis data",
		 "desain grafis", "microsoft excel", "administrasi sistem",
		 "pemrograman android", "keamanan informasi", "analisis data", "media sosial",
		 "fotografi", "video editing", "cctv" },
	[CARE] = { "perawat", "pertolongan pertama", "bidan", "perawatan lansia",
		   "pengasuh anak", "kebersihan", "farmasi", "analis kesehatan", "gizi",
		   "administrasi kesehatan", "fisioterapi", "pendidikan anak usia dini", "guru",
		   "konseling" },
};

/* Jobs in every kecamatan: builders, shops, offices, clinics. */
static const double base_weight[SECTORS] = {
	[CONSTRUCTION] = 1.0, [HOSPITALITY] = 0.6, [OFFICE] = 0.8, [LOGISTICS] = 0.5,
	[CARE] = 0.6, [IT] = 0.2,
};

/*
 * Population in thousands: rough figures summing to about 755k, between
 * the 730k and 846k of SOURCES.md, with its shares for Tenggarong (about
 * 15%), Loa Janan and Tenggarong Seberang (about 9.5% each); and each
 * kecamatan's industries as SOURCES.md lists them.
 */
static const struct kecamatan {
	const char *code;
	double population;
	double boost[SECTORS];
} kecamatan[] = {
	{ "64.02.01", 19, { [FISHERIES] = 2, [PALM_OIL] = 0.5 } },
	{ "64.02.02", 55, { [MINING] = 3, [PALM_OIL] = 0.5, [PROCESSING] = 0.5 } },
	{ "64.02.03", 70, { [MINING] = 3, [LOGISTICS] = 2, [PROCESSING] = 1 } },
	{ "64.02.04", 45, { [OIL_GAS] = 2.5, [FISHERIES] = 2 } },
	{ "64.02.05", 50, { [OIL_GAS] = 3, [FISHERIES] = 2, [PROCESSING] = 0.5 } },
	{ "64.02.06", 110, { [OFFICE] = 2, [IT] = 1, [HOSPITALITY] = 1.5, [CARE] = 1.5,
			     [PROCESSING] = 0.5 } },
	{ "64.02.07", 45, { [PALM_OIL] = 3, [PROCESSING] = 0.5 } },
	{ "64.02.08", 22, { [PALM_OIL] = 1, [FISHERIES] = 1, [PROCESSING] = 1 } },
	{ "64.02.09", 11, { [FISHERIES] = 2, [PALM_OIL] = 0.5 } },
	{ "64.02.10", 28, { [PALM_OIL] = 3, [PROCESSING] = 0.5 } },
	{ "64.02.11", 40, { [PALM_OIL] = 3, [PROCESSING] = 1 } },
	{ "64.02.12", 10, { [PALM_OIL] = 2, [MINING] = 1 } },
	{ "64.02.13", 40, { [HOSPITALITY] = 1, [FISHERIES] = 0.5, [CONSTRUCTION] = 0.5 } },
	{ "64.02.14", 40, { [OIL_GAS] = 3, [PROCESSING] = 1 } },
	{ "64.02.15", 21, { [OIL_GAS] = 2, [PROCESSING] = 3 } },
	{ "64.02.16", 70, { [MINING] = 3.5, [PROCESSING] = 1 } },
	{ "64.02.17", 28, { [PROCESSING] = 1, [PALM_OIL] = 1, [FISHERIES] = 1 } },
	{ "64.02.18", 9, { [FISHERIES] = 2 } },
	{ "64.02.19", 14, { [PALM_OIL] = 1.5 } },
	{ "64.02.20", 28, { [FISHERIES] = 2, [PALM_OIL] = 0.5 } },
};

#define N_KECAMATAN (sizeof(kecamatan) / sizeof(kecamatan[0]))
#define MAX_DESA 400

static struct desa {
	int kecamatan;
	double lat, lon;
} desa[MAX_DESA];
static int n_desa;

static void load_desa(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
		fprintf(stderr, "gen_kukar: cannot read %s\n", path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL && n_desa < MAX_DESA) {
		char *code = strtok(line, ","), *lat, *lon;
		strtok(NULL, ",");
		strtok(NULL, ",");
		lat = strtok(NULL, ",");
		lon = strtok(NULL, ",\n");
		if (code == NULL || lat == NULL || lon == NULL)
			continue;
		for (size_t k = 0; k < N_KECAMATAN; k++)
			if (strncmp(code, kecamatan[k].code, 8) == 0)
				desa[n_desa++] = (struct desa){ (int)k, atof(lat), atof(lon) };
	}
	fclose(f);
}

/* A village of kecamatan k with about 1.5 km of jitter around its centroid. */
static void place(int k, double *lat, double *lon)
{
	int candidates[MAX_DESA], n = 0;
	for (int i = 0; i < n_desa; i++)
		if (desa[i].kecamatan == k)
			candidates[n++] = i;
	const struct desa *d = &desa[candidates[below(n)]];
	*lat = d->lat + normal() * 1.5 / 111.0;
	*lon = d->lon + normal() * 1.5 / 111.0;
}

static void sector_weights(int k, double *w)
{
	for (int s = 0; s < SECTORS; s++)
		w[s] = base_weight[s] + kecamatan[k].boost[s];
}

/* n distinct skills of a sector, core skills three times as likely. */
static int draw_skills(int sector, int n, const char **out)
{
	double w[SKILLS_PER_SECTOR];
	int got = 0;
	for (int i = 0; i < SKILLS_PER_SECTOR; i++)
		w[i] = i < CORE ? 3.0 : 1.0;
	while (got < n) {
		int i = pick(w, SKILLS_PER_SECTOR);
		w[i] = 0.0;
		out[got++] = skills[sector][i];
	}
	return got;
}

static void print_labels(const char **labels, int n)
{
	putchar('[');
	for (int i = 0; i < n; i++)
		printf("%s\"%s\"", i ? "," : "", labels[i]);
	putchar(']');
}

static const char *const education[] = { "SD", "SMP", "SMA", "SMK", "D3", "S1" };
static const double seeker_education[] = { 0.10, 0.20, 0.30, 0.25, 0.05, 0.10 };

/* The lowest education each sector's jobs ask for, as weights over education[]. */
static const double job_education[SECTORS][6] = {
	[MINING] = { 0, 0.1, 0.4, 0.5, 0, 0 },
	[OIL_GAS] = { 0, 0, 0.3, 0.5, 0.15, 0.05 },
	[PALM_OIL] = { 0.5, 0.3, 0.1, 0.1, 0, 0 },
	[FISHERIES] = { 0.6, 0.3, 0.1, 0, 0, 0 },
	[CONSTRUCTION] = { 0.3, 0.3, 0.2, 0.2, 0, 0 },
	[PROCESSING] = { 0, 0.2, 0.4, 0.4, 0, 0 },
	[LOGISTICS] = { 0.1, 0.4, 0.4, 0.1, 0, 0 },
	[HOSPITALITY] = { 0.1, 0.4, 0.3, 0.2, 0, 0 },
	[OFFICE] = { 0, 0, 0.5, 0.2, 0.2, 0.1 },
	[IT] = { 0, 0, 0.2, 0.4, 0.2, 0.2 },
	[CARE] = { 0, 0, 0.1, 0.2, 0.5, 0.2 },
};

static bool dense;

/* Where employers are, per kecamatan: set once by main. */
static double employer_weight[N_KECAMATAN];

/* The dense instance's skills: "keahlian 1" to "keahlian 50". */
#define DENSE_SKILLS 50
static char dense_label[DENSE_SKILLS][16];

/* n distinct skills of the dense instance's 50. */
static void draw_dense_skills(int n, const char **out)
{
	bool taken[DENSE_SKILLS] = { false };
	for (int got = 0; got < n;) {
		int i = below(DENSE_SKILLS);
		if (!taken[i]) {
			taken[i] = true;
			out[got++] = dense_label[i];
		}
	}
}

static void dense_seeker(long id, FILE *meta)
{
	double pop[N_KECAMATAN], lat, lon;
	const char *labels[6];
	for (size_t k = 0; k < N_KECAMATAN; k++)
		pop[k] = kecamatan[k].population;
	int k = pick(pop, N_KECAMATAN);
	place(k, &lat, &lon);
	int n = 3 + below(4);
	draw_dense_skills(n, labels);
	printf("{\"id\":%ld,\"kecamatan_code\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,"
	       "\"education\":\"%s\",\"skills\":",
	       id, kecamatan[k].code, lat, lon, education[pick(seeker_education, 6)]);
	print_labels(labels, n);
	long second = (long)(uniform() * 365 * 86400);
	printf(",\"experience_years\":%d,\"max_distance_km\":null,"
	       "\"registered_at\":\"2025-%02ld-%02ldT%02ld:%02ld:%02ld+08:00\"}",
	       (int)(-log(uniform() + 1e-12) * 3), 1 + second / (31 * 86400) % 12,
	       1 + second / 86400 % 28, second / 3600 % 24, second / 60 % 60, second % 60);
	fprintf(meta, "s %ld %d\n", id, k + 1);
}

static void dense_vacancy(long id, FILE *meta)
{
	double lat, lon;
	const char *labels[3];
	int k = pick(employer_weight, N_KECAMATAN);
	place(k, &lat, &lon);
	draw_dense_skills(3, labels);
	int openings = 1 + below(8);
	printf("{\"id\":%ld,\"kecamatan_code\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,"
	       "\"min_education\":\"SD\",\"required_skills\":",
	       id, kecamatan[k].code, lat, lon);
	print_labels(labels, 1);
	printf(",\"optional_skills\":");
	print_labels(labels + 1, 2);
	print_vacancy_tail(openings, 3500000, 35);
	fprintf(meta, "v %ld %d %d\n", id, openings, k + 1);
}

static void seeker(long id, FILE *meta)
{
	if (dense) {
		dense_seeker(id, meta);
		return;
	}
	double pop[N_KECAMATAN], w[SECTORS], lat, lon;
	const char *labels[16];
	for (size_t k = 0; k < N_KECAMATAN; k++)
		pop[k] = kecamatan[k].population;
	int k = pick(pop, N_KECAMATAN);
	place(k, &lat, &lon);
	sector_weights(k, w);
	/* Most people train for the industries around them. */
	int primary = uniform() < 0.8 ? pick(w, SECTORS) : below(SECTORS);
	int n = draw_skills(primary, 2 + below(4), labels);
	if (uniform() < 0.3)
		n += draw_skills(below(SECTORS), 1 + below(2), labels + n);
	if (uniform() < 0.01)
		n = 0;
	bool located = uniform() >= 0.005;
	printf("{\"id\":%ld,\"kecamatan_code\":\"%s\",", id, kecamatan[k].code);
	if (located)
		printf("\"lat\":%.6f,\"lon\":%.6f,", lat, lon);
	else
		printf("\"lat\":null,\"lon\":null,");
	printf("\"education\":\"%s\",\"skills\":", education[pick(seeker_education, 6)]);
	print_labels(labels, n);
	print_seeker_tail("+08:00");
	fprintf(meta, "s %ld %d\n", id, k + 1);
}

static void vacancy(long id, FILE *meta)
{
	if (dense) {
		dense_vacancy(id, meta);
		return;
	}
	double w[SECTORS], lat, lon;
	const char *labels[8];
	int k = pick(employer_weight, N_KECAMATAN);
	place(k, &lat, &lon);
	sector_weights(k, w);
	int sector = pick(w, SECTORS);
	double r = uniform();
	int required = r < 0.4 ? 1 : r < 0.8 ? 2 : 3, optional = below(4);
	draw_skills(sector, required + optional, labels);
	/* Mines, plantations and plants hire in larger batches. */
	double mean = sector == MINING || sector == PALM_OIL || sector == PROCESSING ? 4.5 : 1.8;
	int openings = 1 + (int)(-log(uniform() + 1e-12) * (mean - 1.0));
	printf("{\"id\":%ld,\"kecamatan_code\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,"
	       "\"min_education\":\"%s\",\"required_skills\":",
	       id, kecamatan[k].code, lat, lon, education[pick(job_education[sector], 6)]);
	print_labels(labels, required);
	printf(",\"optional_skills\":");
	print_labels(labels + required, optional);
	print_vacancy_tail(openings, 3500000, 35);
	fprintf(meta, "v %ld %d %d\n", id, openings, k + 1);
}

int main(int argc, char **argv)
{
	dense = argc == 7 && strcmp(argv[6], "dense") == 0;
	if (argc != 6 && !dense) {
		fprintf(stderr, "usage: gen_kukar DESA.csv SEEKERS VACANCIES SEED META [dense]\n");
		return 2;
	}
	for (int i = 0; i < DENSE_SKILLS; i++)
		snprintf(dense_label[i], sizeof(dense_label[i]), "keahlian %d", i + 1);
	load_desa(argv[1]);
	long n_seekers = atol(argv[2]), n_vacancies = atol(argv[3]);
	uint64_t seed = strtoull(argv[4], NULL, 10);
	FILE *meta = fopen(argv[5], "w");
	if (meta == NULL || n_desa == 0) {
		fprintf(stderr, "gen_kukar: cannot write %s or no villages\n", argv[5]);
		return 1;
	}
	seed_random(seed);
	/* Employers follow people, more so where the industries are. */
	for (size_t k = 0; k < N_KECAMATAN; k++) {
		double boost = 0.0;
		for (int s = 0; s < SECTORS; s++)
			boost += kecamatan[k].boost[s];
		employer_weight[k] = kecamatan[k].population * (1.0 + 0.15 * boost);
	}
	return write_instance(n_seekers, n_vacancies, seeker, vacancy, meta);
}
