/*
 * kerjadekat demo: fills an already migrated database with the generator's
 * employers, vacancies and seekers, in one transaction, by COPY.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "commands/cli.h"
#include "commands/commands.h"
#include "daemon/secret.h"
#include "demo/area.h"
#include "demo/bulk_checks.h"
#include "demo/demo_rows.h"
#include "demo/demo_source.h"
#include "kd.h"

static const char usage_text[] =
	"usage: kerjadekat demo --secret-file PATH [--db CONNINFO] [--area AREA]\n"
	"                       [--seekers N] [--employers N] [--vacancies N] [--seed N]\n"
	"                       [--today DATE] [--append]\n"
	"\n"
	"Loads a deterministic, synthetic data set into a migrated database: employers\n"
	"spread over the kecamatan by the sectors that work there, their vacancies, and\n"
	"job seekers spread by population with skills from the taxonomy.  Regions and\n"
	"skills are read from the database; every village of the area is as likely a\n"
	"home as any other, except in Kutai Kartanegara, whose kecamatan populations\n"
	"are known.  The same seed, area, sizes and date give the same data.\n"
	"Seekers are \"Peserta Demo NNNNN\" with +62812 0000 phone numbers; their NIKs\n"
	"are stored only as keyed hashes and masked forms, like real registrations.\n"
	"Everything is loaded in one transaction.\n"
	"\n"
	"  --db CONNINFO      libpq connection string; without it libpq's defaults\n"
	"                     apply (PGHOST, PGPORT, PGDATABASE, PGUSER, ...)\n"
	"  --area AREA        where to put the data, within the service area\n"
	"                     (`kerjadekat area show`): \"all\" (the default: every\n"
	"                     village of the service area) or region codes separated\n"
	"                     by commas, each a province (64), regency (64.02),\n"
	"                     kecamatan (64.02.01) or village (64.02.01.2001)\n"
	"  --secret-file PATH file with the daemon's 32-byte key as 64 hex characters,\n"
	"                     for the NIK hashes (default: $KERJADEKAT_SECRET_FILE);\n"
	"                     give the one `serve` uses, so that its duplicate NIK\n"
	"                     check sees the demo seekers\n"
	"  --seekers N        job seekers, 0..10000000 (default 2000)\n"
	"  --employers N      employers, 0..1000000 (default: 3 for every 8 vacancies,\n"
	"                     rounded up); each posts at least one vacancy while\n"
	"                     vacancies last\n"
	"  --vacancies N      vacancies, 0..10000000 (default 400)\n"
	"  --seed N           seed of the generator, 0..2^64-1 (default 1)\n"
	"  --today DATE       make the data as of this day, YYYY-MM-DD in 1900..9998\n"
	"                     (default: the local date); registrations fall in the 60\n"
	"                     days before it, vacancies close 2 to 6 weeks after it\n"
	"  --append           add to a database that already holds seekers or\n"
	"                     employers (refused without it); the new records are\n"
	"                     numbered after the stored ones, and a seeker that\n"
	"                     collides with a stored one is skipped\n"
	"  --help             show this help\n";

struct demo_args {
	const char *conninfo, *secret_file;
	const char *area;
	char area_patterns[KD_DEMO_AREA_PATTERNS_SIZE];
	kd_demo_options options;
	bool append;
};

/* Without --employers, 3 employers for every 8 vacancies: 150 for the default 400. */
#define EMPLOYERS_PER_VACANCY_NUM 3
#define EMPLOYERS_PER_VACANCY_DEN 8
#define MAX_EMPLOYERS 1000000
#define DEFAULT_AREA "all"

static int parse_size(const char *text, const char *option, unsigned long long max,
		      unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v > max) {
		fprintf(stderr, "kerjadekat demo: %s must be a whole number from 0 to %llu\n",
			option, max);
		return kd_error(EINVAL);
	}
	*out = v;
	return kd_ok();
}

static long local_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return kd_date_to_days((kd_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday });
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct demo_args *args)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "area", required_argument, NULL, 'A' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "seekers", required_argument, NULL, 'p' },
		{ "employers", required_argument, NULL, 'e' },
		{ "vacancies", required_argument, NULL, 'v' },
		{ "seed", required_argument, NULL, 'r' },
		{ "today", required_argument, NULL, 't' },
		{ "append", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*args = (struct demo_args){
		.area = DEFAULT_AREA,
		.options = { .seed = 1, .today = local_today(), .vacancies = 400, .seekers = 2000 },
	};
	unsigned long long v = 0;
	kd_date today;
	bool employers_given = false;
	int opt, rc = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			args->conninfo = optarg;
			break;
		case 's':
			args->secret_file = optarg;
			break;
		case 'A':
			args->area = optarg;
			break;
		case 'p':
			rc = parse_size(optarg, "--seekers", 10000000, &v);
			args->options.seekers = (size_t)v;
			break;
		case 'e':
			rc = parse_size(optarg, "--employers", MAX_EMPLOYERS, &v);
			args->options.employers = (size_t)v;
			employers_given = true;
			break;
		case 'v':
			rc = parse_size(optarg, "--vacancies", 10000000, &v);
			args->options.vacancies = (size_t)v;
			break;
		case 'r':
			rc = parse_size(optarg, "--seed", UINT64_MAX, &v);
			args->options.seed = v;
			break;
		case 't':
			rc = kd_date_parse(optarg, &today);
			if (rc == 0 && (today.year < KD_DEMO_FIRST_YEAR || today.year > KD_DEMO_LAST_YEAR))
				rc = kd_error(ERANGE);
			if (rc < 0)
				fprintf(stderr, "kerjadekat demo: --today must be a date from %d to %d,"
					" YYYY-MM-DD\n", KD_DEMO_FIRST_YEAR, KD_DEMO_LAST_YEAR);
			else
				args->options.today = kd_date_to_days(today);
			break;
		case 'a':
			args->append = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
		if (rc < 0)
			return 2;
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	const char *why;
	if (kd_demo_area_patterns(args->area, args->area_patterns, &why) < 0) {
		fprintf(stderr, "kerjadekat demo: --area %s\n", why);
		return 2;
	}
	if (!employers_given) {
		size_t wanted = (args->options.vacancies * EMPLOYERS_PER_VACANCY_NUM +
				 EMPLOYERS_PER_VACANCY_DEN - 1) / EMPLOYERS_PER_VACANCY_DEN;
		args->options.employers = wanted < MAX_EMPLOYERS ? wanted : MAX_EMPLOYERS;
	}
	if (args->options.vacancies > 0 && args->options.employers == 0) {
		fprintf(stderr, "kerjadekat demo: vacancies need at least one employer\n");
		return 2;
	}
	return -1;
}

static bool exec_ok(PGconn *pg, const char *sql)
{
	PGresult *res = kd_cli_exec("demo", pg, sql, 0, NULL);
	PQclear(res);
	return res != NULL;
}

static long long single_number(PGconn *pg, const char *sql, bool *ok)
{
	PGresult *res = kd_cli_exec("demo", pg, sql, 0, NULL);
	*ok = res != NULL;
	long long v = res ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	PQclear(res);
	return v;
}

/*
 * Refuses a database that already has people or firms in it, unless told to
 * add to them; then numbers the new records after the ones stored.
 */
static bool check_target(PGconn *pg, struct demo_args *args)
{
	bool ok;
	long long seekers = single_number(pg, "SELECT count(*) FROM seekers", &ok);
	long long employers = ok ? single_number(pg, "SELECT count(*) FROM employers", &ok) : 0;
	long long vacancies = ok ? single_number(pg, "SELECT count(*) FROM vacancies", &ok) : 0;
	if (!ok)
		return false;
	if ((seekers > 0 || employers > 0) && !args->append) {
		fprintf(stderr, "kerjadekat demo: the database already holds %lld seekers and"
			" %lld employers; pass --append to add the demo data to them\n",
			seekers, employers);
		return false;
	}
	long long last = single_number(pg,
		"SELECT coalesce(max(substring(full_name FROM '^Peserta Demo ([0-9]+)$')::bigint), 0)"
		" FROM seekers", &ok);
	args->options.first_employer = (uint64_t)employers + 1;
	args->options.first_vacancy = (uint64_t)vacancies + 1;
	args->options.first_seeker = (uint64_t)last + 1;
	return ok;
}

static bool copy_employers(PGconn *pg, const kd_demo *demo, long long **ids)
{
	size_t n = kd_demo_employer_count(demo);
	*ids = calloc(n + 1, sizeof(**ids));
	if (!*ids) {
		fprintf(stderr, "kerjadekat demo: out of memory\n");
		return false;
	}
	if (n == 0)
		return true;
	/* Ids come from the table's own sequence, so rows added later never collide. */
	char count[24];
	snprintf(count, sizeof(count), "%zu", n);
	const char *params[] = { count };
	PGresult *res = kd_cli_exec("demo", pg,
		"SELECT nextval(pg_get_serial_sequence('employers', 'id'))"
		" FROM generate_series(1, $1::integer)", 1, params);
	if (!res)
		return false;
	for (size_t i = 0; i < n; i++)
		(*ids)[i] = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
	PQclear(res);
	char sql[512];
	snprintf(sql, sizeof(sql), "COPY employers (%s) FROM STDIN", kd_demo_employer_columns);
	kd_copy copy;
	kd_copy_begin(&copy, pg, sql);
	for (size_t i = 0; i < n; i++)
		kd_demo_copy_employer(&copy, kd_demo_employer_at(demo, i), (*ids)[i]);
	if (kd_copy_end(&copy) < 0) {
		fprintf(stderr, "kerjadekat demo: employers: %s\n", copy.error);
		return false;
	}
	return true;
}

/* Returns the number of vacancies stored, or -1. */
static long copy_vacancies(PGconn *pg, kd_demo *demo, const long long *employer_ids)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "COPY vacancies (%s) FROM STDIN", kd_demo_vacancy_columns);
	kd_copy copy;
	kd_copy_begin(&copy, pg, sql);
	kd_demo_vacancy v;
	while (kd_demo_next_vacancy(demo, &v) > 0)
		kd_demo_copy_vacancy(&copy, &v, employer_ids[v.employer]);
	long stored = kd_copy_end(&copy);
	if (stored < 0)
		fprintf(stderr, "kerjadekat demo: vacancies: %s\n", copy.error);
	return stored < 0 ? -1 : stored;
}

/*
 * Into an empty table the seekers go straight.  When appending they go
 * through a staging table, so that one that collides with a stored seeker
 * (same NIK, id or code) is skipped instead of failing the load.  Returns the
 * number stored, or -1.
 */
static long long copy_seekers(PGconn *pg, kd_demo *demo, const uint8_t key[KD_SECRET_BYTES],
			      bool append)
{
	/* Made-up people get no SMS (schema/migrations/0012_sms.sql). */
	if (!exec_ok(pg, "SET kerjadekat.sms = 'off'"))
		return -1;
	if (append && !exec_ok(pg, "CREATE TEMPORARY TABLE demo_seekers"
				   " (LIKE seekers INCLUDING DEFAULTS) ON COMMIT DROP"))
		return -1;
	char sql[1024];
	snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN", append ? "demo_seekers" : "seekers",
		 kd_demo_seeker_columns);
	kd_copy copy;
	kd_copy_begin(&copy, pg, sql);
	kd_demo_seeker s;
	int rc;
	while ((rc = kd_demo_next_seeker(demo, &s)) > 0 && !copy.failed) {
		rc = kd_demo_copy_seeker(&copy, &s, key);
		if (rc < 0)
			break;
	}
	sodium_memzero(&s, sizeof(s));
	long copied = kd_copy_end(&copy);
	if (copied < 0) {
		fprintf(stderr, "kerjadekat demo: seekers: %s\n", copy.error);
		return -1;
	}
	if (rc < 0) {
		fprintf(stderr, "kerjadekat demo: cannot generate the seekers\n");
		return -1;
	}
	if (!append)
		return copied;
	PGresult *res = kd_cli_exec("demo", pg,
		"INSERT INTO seekers SELECT * FROM demo_seekers ON CONFLICT DO NOTHING", 0, NULL);
	if (!res)
		return -1;
	long long stored = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return stored;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * Turns a pattern of kd_demo_area_patterns() (at least 4 bytes of room) back
 * into the part of --area it came from: "64.02.%" into "64.02", "%" into "all".
 */
static void pattern_to_code(char *pattern)
{
	size_t len = strcspn(pattern, "%");
	if (len == 0) {
		strcpy(pattern, "all");
		return;
	}
	/* A shorter code than a village's stands before ".%". */
	if (pattern[len] == '%')
		len--;
	pattern[len] = '\0';
}

static int load(PGconn *pg, struct demo_args *args, const uint8_t key[KD_SECRET_BYTES])
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	/*
	 * The lock makes the emptiness check hold until commit; registrations
	 * arriving meanwhile wait the few seconds the load takes.
	 */
	if (!exec_ok(pg, "BEGIN") ||
	    !exec_ok(pg, "LOCK TABLE employers, seekers IN SHARE ROW EXCLUSIVE MODE") ||
	    !check_target(pg, args))
		return 1;
	kd_demo_source source = { 0 };
	kd_demo *demo = NULL;
	long long *employer_ids = NULL;
	int status = 1;
	char empty[KD_DEMO_AREA_PATTERNS_SIZE];
	int rc = kd_demo_source_empty_part(pg, args->area_patterns, empty, sizeof(empty));
	if (rc == 1) {
		pattern_to_code(empty);
		fprintf(stderr, "kerjadekat demo: --area %s has no villages in the service area\n",
			empty);
		status = 2;
	}
	if (rc == 0)
		rc = kd_demo_source_load(pg, args->area_patterns, &source);
	if (rc != 0)
		goto out;
	const char *why;
	rc = kd_demo_new(&source.world, &args->options, &demo, &why);
	if (rc < 0) {
		fprintf(stderr, "kerjadekat demo: %s\n", rc == -EINVAL ? why : "out of memory");
		goto out;
	}
	/* Appending to full tables, rows are better checked one by one. */
	int bulk = args->append ? 0 : kd_demo_bulk_begin(pg);
	if (bulk < 0 || !copy_employers(pg, demo, &employer_ids))
		goto out;
	long vacancies = copy_vacancies(pg, demo, employer_ids);
	long long seekers = vacancies < 0 ? -1 : copy_seekers(pg, demo, key, args->append);
	if (seekers < 0 || (bulk == 1 && kd_demo_bulk_end(pg) < 0) || !exec_ok(pg, "COMMIT"))
		goto out;
	long long skipped = (long long)args->options.seekers - seekers;
	printf("loaded %zu employers, %ld vacancies and %lld seekers", kd_demo_employer_count(demo),
	       vacancies, seekers);
	if (skipped > 0)
		printf(" (%lld colliding seekers skipped)", skipped);
	printf(" over %zu villages in %zu kecamatan in %.2f s (seed %" PRIu64 ")\n",
	       source.world.desa_count, source.world.kecamatan_count, seconds_since(&start),
	       args->options.seed);
	status = 0;
out:
	free(employer_ids);
	kd_demo_free(demo);
	kd_demo_source_free(&source);
	return status;
}

int kd_cmd_demo(int argc, char **argv)
{
	struct demo_args args;
	int status = parse_args(argc, argv, &args);
	if (status >= 0)
		return status;
	if (sodium_init() < 0) {
		fprintf(stderr, "kerjadekat demo: cannot initialise libsodium\n");
		return 1;
	}
	uint8_t key[KD_SECRET_BYTES];
	char why[256];
	if (kd_secret_load(args.secret_file, key, why, sizeof(why)) < 0) {
		fprintf(stderr, "kerjadekat demo: %s\n", why);
		return 2;
	}
	PGconn *pg = kd_cli_connect("demo", args.conninfo);
	if (pg == NULL) {
		sodium_memzero(key, sizeof(key));
		return 1;
	}
	status = load(pg, &args, key);
	sodium_memzero(key, sizeof(key));
	PQfinish(pg);
	return status;
}
