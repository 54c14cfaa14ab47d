/*
 * kerjadekat match: reads a run's input, runs the matcher and prints the
 * result.  Reading the input (source_json.c), running (lib/match) and
 * printing (output.c) are separate steps, so another input source plugs in
 * beside the file one.  With --db the run reads and writes the database
 * instead (cmd_match_db.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands/commands.h"
#include "kd.h"
#include "match/cmd_match_db.h"
#include "match/output.h"
#include "match/source.h"

static const char usage_text[] =
	"usage: kerjadekat match --input FILE.json [--mode stable|optimal]\n"
	"                        [--policy FILE.json] [--dump-edges] [--no-timings]\n"
	"                        [--threads N]\n"
	"       kerjadekat match --db CONNINFO [--mode stable|optimal] [--policy FILE.json]\n"
	"\n"
	"Places job seekers into vacancies by skill and distance, same kecamatan\n"
	"first, and prints the placements as one JSON document (docs/matcher.md).\n"
	"\n"
	"  --input FILE.json   seekers, vacancies and an optional travel_km table;\n"
	"                      '-' reads standard input\n"
	"  --db CONNINFO       instead of --input: match the active seekers and open\n"
	"                      vacancies of that database and store the run in\n"
	"                      match_runs, matches and the unplaced seekers; prints the run as\n"
	"                      one line of JSON (docs/operators.md)\n"
	"  --mode MODE         stable (default): deferred acceptance, no blocking pair;\n"
	"                      optimal: maximum total score (strict local priority\n"
	"                      first maximises same-kecamatan placements)\n"
	"  --policy FILE.json  overrides of the policy defaults, for example\n"
	"                      {\"max_distance_km\": 60, \"local_priority\": \"weighted\"}\n"
	"  --dump-edges        also print every candidate pair with both ranks\n"
	"  --no-timings        leave out stats.seconds, so that equal inputs give\n"
	"                      byte-identical output\n"
	"  --threads N         threads for candidate generation, 1..64 (default: the\n"
	"                      number of online CPUs); the output does not depend on it\n"
	"  --help              show this help\n"
	"\n"
	"Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n";

typedef struct match_args {
	const char *input;
	const char *conninfo;
	const char *policy;
	kd_match_mode mode;
	bool dump_edges;
	bool timings;
	unsigned threads;
} match_args;

static int parse_args(int argc, char **argv, match_args *args)
{
	static const struct option options[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "db", required_argument, NULL, 'd' },
		{ "mode", required_argument, NULL, 'm' },
		{ "policy", required_argument, NULL, 'p' },
		{ "dump-edges", no_argument, NULL, 'e' },
		{ "no-timings", no_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	*args = (match_args){
		.mode = KD_MATCH_STABLE,
		.timings = true,
		.threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (unsigned)cpus,
	};
	int opt, mode;
	long threads;
	char *end;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'i':
			args->input = optarg;
			break;
		case 'd':
			args->conninfo = optarg;
			break;
		case 'm':
			if ((mode = kd_match_mode_parse(optarg)) < 0) {
				fprintf(stderr, "kerjadekat match: --mode must be stable or optimal\n");
				return 2;
			}
			args->mode = (kd_match_mode)mode;
			break;
		case 'p':
			args->policy = optarg;
			break;
		case 'e':
			args->dump_edges = true;
			break;
		case 'n':
			args->timings = false;
			break;
		case 't':
			threads = strtol(optarg, &end, 10);
			if (*end != '\0' || threads < 1 || threads > 64) {
				fprintf(stderr, "kerjadekat match: --threads must be 1..64\n");
				return 2;
			}
			args->threads = (unsigned)threads;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (args->input != NULL && args->conninfo != NULL) {
		fputs("kerjadekat match: --input and --db exclude each other\n", stderr);
		return 2;
	}
	if (args->conninfo != NULL && args->dump_edges) {
		fputs("kerjadekat match: --dump-edges needs --input\n", stderr);
		return 2;
	}
	if (optind != argc || (args->input == NULL && args->conninfo == NULL)) {
		fputs(usage_text, stderr);
		return 2;
	}
	return -1;
}

/* The defaults with the overrides of the policy file, if any. */
static int load_policy(const char *path, kd_match_policy *policy)
{
	kd_match_policy_default(policy);
	if (path == NULL)
		return kd_ok();
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		fprintf(stderr, "kerjadekat match: %s: line %d: %s\n", path, jerr.line, jerr.text);
		return kd_error(EINVAL);
	}
	kd_match_error err;
	int rc = kd_match_policy_apply_json(policy, doc, &err);
	json_decref(doc);
	if (rc < 0)
		fprintf(stderr, "kerjadekat match: %s: %s\n", path, err.message);
	return rc;
}

static int read_input(const char *path, kd_match_source *src)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (in == NULL) {
		fprintf(stderr, "kerjadekat match: cannot open %s\n", path);
		return kd_error(EINVAL);
	}
	char err[256];
	int rc = kd_match_source_read_json(src, in, err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (rc < 0)
		fprintf(stderr, "kerjadekat match: %s: %s\n", path, err);
	return rc;
}

/* Runs the matcher over a filled source and prints the result; an exit status. */
static int run_and_print(const match_args *args, const kd_match_policy *policy,
			 const kd_match_source *src, double read_seconds)
{
	kd_match_error err = { "" };
	kd_match_model *model = NULL;
	kd_match_result *result = NULL;
	int rc = kd_match_model_new(policy, src->kecamatan.n, src->travel, src->n_travel,
				    &model, &err);
	if (rc == kd_ok()) {
		kd_match_options options = {
			.mode = args->mode, .keep_edges = args->dump_edges, .threads = args->threads,
		};
		rc = kd_match_run(model, &src->input, &options, &result, &err);
	}
	kd_match_model_free(model);
	if (rc < 0) {
		fprintf(stderr, "kerjadekat match: %s\n", err.message);
		return rc == kd_error(EINVAL) ? 2 : 1;
	}
	kd_match_output output = {
		.edges = args->dump_edges, .timings = args->timings, .read_seconds = read_seconds,
	};
	rc = kd_match_write_json(stdout, src, result, &output);
	kd_match_result_free(result);
	if (rc < 0) {
		fprintf(stderr, "kerjadekat match: cannot write the result\n");
		return 1;
	}
	return 0;
}

int kd_cmd_match(int argc, char **argv)
{
	match_args args;
	int status = parse_args(argc, argv, &args);
	if (status >= 0)
		return status;
	kd_match_policy policy;
	if (load_policy(args.policy, &policy) < 0)
		return 2;
	if (args.conninfo != NULL)
		return kd_match_db_command(args.conninfo, args.mode, args.policy, &policy);
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	kd_match_source src;
	int rc = read_input(args.input, &src);
	if (rc < 0)
		return rc == kd_error(EINVAL) ? 2 : 1;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double read_seconds = (double)(end.tv_sec - start.tv_sec) +
			      (end.tv_nsec - start.tv_nsec) / 1e9;
	status = run_and_print(&args, &policy, &src, read_seconds);
	kd_match_source_free(&src);
	return status;
}
