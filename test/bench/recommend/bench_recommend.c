/*
 * Recommendation latency: loads an offline instance (test/bench/match/
 * gen_kukar.c), puts every vacancy with openings into the in-memory index
 * the daemon keeps, and times one seeker's recommendations at a time for
 * many seekers, printing p50, p99 and max.
 *
 * Two entry points are timed, the ones the daemon runs on its loop thread
 * when it answers GET /v1/seekers/{id}/recommendations or a registration:
 *
 *   library   kd_match_recommend() (lib/match/recommend.c) on the index;
 *   daemon    kd_recommender_for() (service/daemon/recommender.c): the
 *             same call plus the skill sorting before it and the JSON
 *             answer after it, on a recommender filled through
 *             kd_recommender_apply() with rows shaped like the
 *             recommend_vacancy statement's.
 *
 * Neither includes the network or the database read of the seeker's
 * profile.  Each call is timed on the wall clock and on the thread's CPU
 * clock: on a shared machine the wall clock's tail is mostly the scheduler
 * giving the core to someone else mid-call, which the CPU clock leaves out.  The baseline, timed in the same run on the first seekers, is a
 * scan of every vacancy with kd_match_evaluate() and the same top-limit
 * selection; its lists must equal the index's, and the daemon's ids must
 * equal the library's, or the bench fails.
 *
 *   bench_recommend INSTANCE.json [--seekers N] [--limit N] [--passes N]
 *                   [--baseline N] [--no-daemon] [--goal-ms X]
 */
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/recommender.h"
#include "daemon/reference.h"
#include "kd.h"
#include "match/recommend.h"
#include "match/source.h"

typedef struct figures {
	double p50, p99, max, mean;   /* milliseconds */
} figures;

static double clock_ns(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static double now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* A call timed on both clocks: start, then stop into wall[i] and cpu[i]. */
typedef struct stopwatch {
	double wall, cpu;
} stopwatch;

static stopwatch start(void)
{
	stopwatch w;
	w.cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w.wall = now_ns();
	return w;
}

static void stop(stopwatch w, double *wall, double *cpu)
{
	*wall = now_ns() - w.wall;
	*cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - w.cpu;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentiles of ns[0..n) (sorted in place), in ms. */
static figures summarise(double *ns, size_t n)
{
	figures f = { 0 };
	if (n == 0)
		return f;
	qsort(ns, n, sizeof(*ns), cmp_double);
	double sum = 0.0;
	for (size_t i = 0; i < n; i++)
		sum += ns[i];
	size_t r50 = (n * 50 + 99) / 100, r99 = (n * 99 + 99) / 100;
	f.p50 = ns[r50 ? r50 - 1 : 0] / 1e6;
	f.p99 = ns[r99 ? r99 - 1 : 0] / 1e6;
	f.max = ns[n - 1] / 1e6;
	f.mean = sum / (double)n / 1e6;
	return f;
}

static void print_figures(const char *what, const char *clock, figures f)
{
	printf("  %-34s %-4s p50 %7.4f  p99 %7.4f  max %8.4f  mean %7.4f ms\n", what, clock,
	       f.p50, f.p99, f.max, f.mean);
}

/* Each pass's figures on both clocks, the call named by who. */
static void print_passes(const char *who, const figures *wall, const figures *cpu, size_t passes)
{
	for (size_t p = 0; p < passes; p++) {
		char what[64];
		snprintf(what, sizeof(what), "%s, pass %zu", who, p + 1);
		print_figures(what, "wall", wall[p]);
		print_figures("", "cpu", cpu[p]);
	}
}

/* The median of the passes' p99. */
static double median_p99(const figures *f, size_t n)
{
	double p99[64];
	n = n < 64 ? n : 64;
	for (size_t i = 0; i < n; i++)
		p99[i] = f[i].p99;
	qsort(p99, n, sizeof(*p99), cmp_double);
	return p99[n / 2];
}

static void die(const char *what)
{
	fprintf(stderr, "bench_recommend: %s\n", what);
	exit(1);
}

/*
 * The baseline: every vacancy judged, the best limit kept in a sorted
 * array, best first, a new pair slid into its place.
 */
static size_t brute_force(const kd_match_model *m, const kd_match_seeker *s,
			  const kd_match_vacancy *v, size_t n_v, size_t limit, kd_match_pair *out)
{
	size_t n = 0;
	for (size_t i = 0; i < n_v; i++) {
		kd_match_pair p;
		kd_match_evaluate(m, s, &v[i], &p);
		if (p.verdict != KD_MATCH_FEASIBLE ||
		    (n == limit && kd_match_seeker_order(&p, &out[n - 1]) >= 0))
			continue;
		size_t j = n < limit ? n++ : n - 1;
		for (; j > 0 && kd_match_seeker_order(&p, &out[j - 1]) < 0; j--)
			out[j] = out[j - 1];
		out[j] = p;
	}
	return n;
}

/* A recommender over the instance's kecamatan codes and skill ids (shifted by one). */
static kd_reference *make_reference(const kd_match_source *src)
{
	kd_reference *ref = calloc(1, sizeof(*ref));
	if (ref == NULL || (ref->regions = kd_regions_new()) == NULL ||
	    (ref->skills = kd_skills_new()) == NULL)
		die("out of memory");
	ref->holders = 1;
	for (uint32_t k = 0; k < src->kecamatan.n; k++)
		if (kd_regions_add_kecamatan(ref->regions, src->kecamatan.names[k], "kecamatan",
					     -0.5, 116.5) < 0)
			die("a kecamatan code the regions refuse");
	if (kd_regions_freeze(ref->regions) < 0)
		die("regions do not freeze");
	for (uint32_t s = 0; s < src->skills.n; s++) {
		char code[32];
		snprintf(code, sizeof(code), "skill_%u", s + 1);
		if (kd_skills_add(ref->skills, (int)s + 1, code, src->skills.names[s],
				  src->skills.names[s]) < 0)
			die("a skill the taxonomy refuses");
	}
	if (kd_skills_freeze(ref->skills) < 0)
		die("skills do not freeze");
	return ref;
}

static void format_ids(char *buf, size_t size, const int32_t *ids, uint32_t n)
{
	size_t at = (size_t)snprintf(buf, size, "{");
	for (uint32_t i = 0; i < n && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%d", i ? "," : "", ids[i] + 1);
	if (at < size)
		snprintf(buf + at, size - at, "}");
}

#define BATCH 1000

/* Fills the recommender as the daemon does, rows of recommend_vacancy in batches. */
static void fill_recommender(kd_recommender *rec, const kd_match_source *src)
{
	static const char *const names[] = { "id", "kecamatan_code", "lat", "lon",
					      "min_education", "required", "optional",
					      "openings", "wage_max", "title", "employer" };
	PGresAttDesc attrs[KD_ARRAY_LEN(names)];
	memset(attrs, 0, sizeof(attrs));
	for (size_t c = 0; c < KD_ARRAY_LEN(names); c++)
		attrs[c].name = (char *)names[c];
	const kd_match_input *in = &src->input;
	for (size_t first = 0; first < in->n_vacancies; first += BATCH) {
		PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
		if (res == NULL || !PQsetResultAttrs(res, (int)KD_ARRAY_LEN(names), attrs))
			die("PQmakeEmptyPGresult failed");
		int row = 0;
		for (size_t i = first; i < in->n_vacancies && i < first + BATCH; i++) {
			const kd_match_vacancy *v = &in->vacancies[i];
			char text[9][1024];
			snprintf(text[0], sizeof(text[0]), "%lld", (long long)v->id);
			snprintf(text[1], sizeof(text[1]), "%.17g", v->lat);
			snprintf(text[2], sizeof(text[2]), "%.17g", v->lon);
			format_ids(text[3], sizeof(text[3]), v->required_skills, v->n_required);
			format_ids(text[4], sizeof(text[4]), v->optional_skills, v->n_optional);
			snprintf(text[5], sizeof(text[5]), "%u", v->openings);
			snprintf(text[6], sizeof(text[6]), "%lld", (long long)v->wage_max);
			snprintf(text[7], sizeof(text[7]), "Lowongan %lld", (long long)v->id);
			snprintf(text[8], sizeof(text[8]), "PT Contoh %lld", (long long)(v->id % 997));
			const char *cells[] = {
				text[0], src->kecamatan.names[v->kecamatan], text[1], text[2],
				kd_education_code(v->min_education), text[3], text[4], text[5],
				v->wage_max == KD_MATCH_NO_WAGE ? NULL : text[6], text[7], text[8],
			};
			for (int c = 0; c < (int)KD_ARRAY_LEN(cells); c++)
				if (!PQsetvalue(res, row, c, (char *)cells[c],
						cells[c] ? (int)strlen(cells[c]) : -1))
					die("PQsetvalue failed");
			row++;
		}
		/* Any id in the rows: apply puts every row it is given. */
		if (kd_recommender_apply(rec, res, in->vacancies[first].id) < 0)
			die("kd_recommender_apply refused a vacancy");
		PQclear(res);
	}
}

static const char *usage =
	"usage: bench_recommend INSTANCE.json [--seekers N] [--limit N] [--passes N]\n"
	"                       [--baseline N] [--no-daemon] [--goal-ms X]\n";

int main(int argc, char **argv)
{
	const char *path = NULL;
	size_t want_seekers = 10000, limit = 10, passes = 3, want_baseline = 0;
	bool daemon = true;
	double goal_ms = 2.0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (strcmp(a, "--seekers") == 0 && has)
			want_seekers = strtoul(argv[++i], NULL, 10);
		else if (strcmp(a, "--limit") == 0 && has)
			limit = strtoul(argv[++i], NULL, 10);
		else if (strcmp(a, "--passes") == 0 && has)
			passes = strtoul(argv[++i], NULL, 10);
		else if (strcmp(a, "--baseline") == 0 && has)
			want_baseline = strtoul(argv[++i], NULL, 10);
		else if (strcmp(a, "--goal-ms") == 0 && has)
			goal_ms = strtod(argv[++i], NULL);
		else if (strcmp(a, "--no-daemon") == 0)
			daemon = false;
		else if (a[0] != '-' && path == NULL)
			path = a;
		else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (path == NULL || limit == 0 || limit > KD_RECOMMEND_MAX || passes == 0) {
		fputs(usage, stderr);
		return 2;
	}

	double t0 = now_ns();
	FILE *f = fopen(path, "r");
	if (f == NULL)
		die("cannot open the instance");
	kd_match_source src;
	char err[256];
	if (kd_match_source_read_json(&src, f, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_recommend: %s: %s\n", path, err);
		return 1;
	}
	fclose(f);
	const kd_match_input *in = &src.input;
	double read_s = (now_ns() - t0) / 1e9;

	kd_match_policy policy;
	kd_match_policy_default(&policy);
	kd_match_model *model;
	kd_match_error merr;
	kd_match_index *ix;
	if (kd_match_model_new(&policy, src.kecamatan.n, NULL, 0, &model, &merr) < 0 ||
	    kd_match_index_new(model, &ix) < 0)
		die("cannot make the model");
	t0 = now_ns();
	for (size_t i = 0; i < in->n_vacancies; i++)
		if (kd_match_index_put(ix, &in->vacancies[i], &merr) < 0)
			die("kd_match_index_put refused a vacancy");
	double put_s = (now_ns() - t0) / 1e9;
	size_t open = kd_match_index_count(ix);

	/* The open vacancies alone, for the baseline's scan. */
	kd_match_vacancy *open_v = malloc((in->n_vacancies + 1) * sizeof(*open_v));
	size_t n_open = 0;
	for (size_t i = 0; i < in->n_vacancies; i++)
		if (in->vacancies[i].openings > 0)
			open_v[n_open++] = in->vacancies[i];

	/* Seekers with a complete profile; the others are answered at once. */
	size_t nk = src.kecamatan.n, n_seekers = 0;
	const kd_match_seeker **seekers = malloc((in->n_seekers + 1) * sizeof(*seekers));
	for (size_t i = 0; i < in->n_seekers && n_seekers < want_seekers; i++)
		if (kd_match_seeker_complete(&in->seekers[i], (uint32_t)nk))
			seekers[n_seekers++] = &in->seekers[i];
	if (n_seekers == 0)
		die("no seeker with a complete profile");
	if (want_baseline == 0) {
		/* About 2 * 10^8 pair evaluations, at most every seeker. */
		want_baseline = (size_t)(2e8 / (double)(n_open ? n_open : 1));
		if (want_baseline < 50)
			want_baseline = 50;
	}
	size_t n_base = want_baseline < n_seekers ? want_baseline : n_seekers;

	printf("recommendations: %zu open vacancies, %zu seekers, limit %zu\n", open, n_seekers,
	       limit);
	printf("  instance read in %.2f s; index of %zu vacancies built in %.2f s"
	       " (%.0f puts/s)\n", read_s, open, put_s, (double)in->n_vacancies / put_s);

	double *ns = malloc(n_seekers * sizeof(*ns)), *cpu = malloc(n_seekers * sizeof(*cpu));
	kd_match_pair *out = malloc(limit * sizeof(*out));
	size_t *found = malloc(n_seekers * sizeof(*found));
	int64_t *ids = malloc(n_seekers * limit * sizeof(*ids));
	double listed = 0;

	/* Library: a warm-up pass, then the timed passes. */
	figures *lib = calloc(passes, sizeof(*lib)), *lib_cpu = calloc(passes, sizeof(*lib_cpu));
	double *slowest = calloc(n_seekers, sizeof(*slowest));
	for (size_t pass = 0; pass <= passes; pass++) {
		for (size_t i = 0; i < n_seekers; i++) {
			size_t n;
			stopwatch w = start();
			if (kd_match_recommend(ix, seekers[i], limit, out, &n) < 0)
				die("kd_match_recommend failed");
			stop(w, &ns[i], &cpu[i]);
			if (pass > 0 && (pass == 1 || cpu[i] < slowest[i]))
				slowest[i] = cpu[i];
			if (pass == 0) {
				found[i] = n;
				listed += (double)n;
				for (size_t j = 0; j < n; j++)
					ids[i * limit + j] = out[j].vacancy->id;
			}
		}
		if (pass > 0) {
			lib[pass - 1] = summarise(ns, n_seekers);
			lib_cpu[pass - 1] = summarise(cpu, n_seekers);
		}
	}
	print_passes("library kd_match_recommend", lib, lib_cpu, passes);
	printf("  %.2f recommendations per seeker on average\n", listed / (double)n_seekers);
	/* The seekers that cost most, by their least CPU time over the passes. */
	size_t worst = 0;
	for (size_t i = 1; i < n_seekers; i++)
		if (slowest[i] > slowest[worst])
			worst = i;
	printf("  costliest seeker: id %lld, %u skills, own limit %.0f km, %zu found, %.4f ms CPU\n",
	       (long long)seekers[worst]->id, seekers[worst]->n_skills,
	       seekers[worst]->max_distance_km, found[worst], slowest[worst] / 1e6);

	/* Daemon: the same seekers through the recommender's entry point. */
	figures *dmn = calloc(passes, sizeof(*dmn)), *dmn_cpu = calloc(passes, sizeof(*dmn_cpu));
	if (daemon) {
		kd_reference *ref = make_reference(&src);
		kd_recommender *rec = kd_recommender_new(ref);
		kd_reference_release(ref);
		if (rec == NULL)
			die("kd_recommender_new failed");
		t0 = now_ns();
		fill_recommender(rec, &src);
		printf("  recommender filled through kd_recommender_apply in %.2f s\n",
		       (now_ns() - t0) / 1e9);
		int *skill_ids = malloc(4096 * sizeof(*skill_ids));
		for (size_t pass = 0; pass <= passes; pass++) {
			for (size_t i = 0; i < n_seekers; i++) {
				const kd_match_seeker *s = seekers[i];
				for (uint32_t k = 0; k < s->n_skills && k < 4096; k++)
					skill_ids[k] = s->skills[k] + 1;
				kd_recommend_seeker rs = {
					.id = s->id,
					.kecamatan_code = src.kecamatan.names[s->kecamatan],
					.lat = s->lat, .lon = s->lon, .education = s->education,
					.skill_ids = skill_ids, .skill_count = s->n_skills,
					.experience_years = s->experience_years,
					.max_distance_km = s->max_distance_km,
					.registered_at_us = s->registered_at,
				};
				stopwatch w = start();
				json_t *list = kd_recommender_for(rec, &rs, limit);
				stop(w, &ns[i], &cpu[i]);
				if (pass == 0) {
					bool same = json_array_size(list) == found[i];
					for (size_t j = 0; same && j < found[i]; j++)
						same = json_integer_value(json_object_get(
							json_array_get(list, j), "vacancy_id")) ==
						       ids[i * limit + j];
					if (!same) {
						fprintf(stderr, "bench_recommend: seeker %lld: the daemon's"
							" list differs from the library's\n",
							(long long)s->id);
						return 1;
					}
				}
				json_decref(list);
			}
			if (pass > 0) {
				dmn[pass - 1] = summarise(ns, n_seekers);
				dmn_cpu[pass - 1] = summarise(cpu, n_seekers);
			}
		}
		print_passes("daemon kd_recommender_for", dmn, dmn_cpu, passes);
		free(skill_ids);
		kd_recommender_free(rec);
	}

	/* Baseline: a scan of every open vacancy, on the first seekers. */
	kd_match_pair *ref_out = malloc(limit * sizeof(*ref_out));
	double *base_ns = malloc(n_base * sizeof(*base_ns));
	double *idx_ns = malloc(n_base * sizeof(*idx_ns));
	double *base_cpu = malloc(n_base * sizeof(*base_cpu));
	double *idx_cpu = malloc(n_base * sizeof(*idx_cpu));
	for (size_t i = 0; i < n_base; i++) {
		stopwatch w = start();
		size_t n = brute_force(model, seekers[i], open_v, n_open, limit, ref_out);
		stop(w, &base_ns[i], &base_cpu[i]);
		size_t m;
		w = start();
		kd_match_recommend(ix, seekers[i], limit, out, &m);
		stop(w, &idx_ns[i], &idx_cpu[i]);
		bool same = n == m && n == found[i];
		for (size_t j = 0; same && j < n; j++)
			same = ref_out[j].vacancy->id == out[j].vacancy->id &&
			       ref_out[j].score == out[j].score &&
			       ref_out[j].distance_key == out[j].distance_key;
		if (!same) {
			fprintf(stderr, "bench_recommend: seeker %lld: the index's list differs from"
				" the scan's\n", (long long)seekers[i]->id);
			return 1;
		}
	}
	figures base = summarise(base_ns, n_base), idx = summarise(idx_ns, n_base);
	figures base_c = summarise(base_cpu, n_base), idx_c = summarise(idx_cpu, n_base);
	char what[64];
	snprintf(what, sizeof(what), "baseline scan, first %zu seekers", n_base);
	print_figures(what, "wall", base);
	print_figures("", "cpu", base_c);
	snprintf(what, sizeof(what), "library, the same %zu seekers", n_base);
	print_figures(what, "wall", idx);
	print_figures("", "cpu", idx_c);
	printf("  lists equal to the scan's for all %zu; daemon ids equal to the library's: %s\n",
	       n_base, daemon ? "yes" : "not run");

	/* The median pass of each. */
	double lp = median_p99(lib, passes), lc = median_p99(lib_cpu, passes);
	printf("  p99, median pass: library %.4f ms wall = %.3f x the %.1f ms goal (%s),"
	       " %.4f ms CPU = %.3f x\n", lp, lp / goal_ms, goal_ms,
	       lp <= goal_ms ? "met" : "MISSED", lc, lc / goal_ms);
	if (daemon) {
		double dp = median_p99(dmn, passes), dc = median_p99(dmn_cpu, passes);
		printf("  p99, median pass: daemon  %.4f ms wall = %.3f x the %.1f ms goal (%s),"
		       " %.4f ms CPU = %.3f x\n", dp, dp / goal_ms, goal_ms,
		       dp <= goal_ms ? "met" : "MISSED", dc, dc / goal_ms);
	}
	printf("  same seekers, baseline scan / library: p50 %.0f x, p99 %.0f x (CPU: %.0f x, %.0f x)\n",
	       idx.p50 > 0 ? base.p50 / idx.p50 : 0.0, idx.p99 > 0 ? base.p99 / idx.p99 : 0.0,
	       idx_c.p50 > 0 ? base_c.p50 / idx_c.p50 : 0.0,
	       idx_c.p99 > 0 ? base_c.p99 / idx_c.p99 : 0.0);

	free(cpu), free(slowest), free(lib_cpu), free(dmn_cpu), free(base_cpu), free(idx_cpu);
	free(base_ns), free(idx_ns), free(ref_out), free(lib), free(dmn);
	free(ns), free(out), free(found), free(ids), free(seekers), free(open_v);
	kd_match_index_free(ix);
	kd_match_model_free(model);
	kd_match_source_free(&src);
	return 0;
}
