/*
 * kerjadekat serve: parses options, loads the secret and runs the daemon.
 */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/resource.h>

#include "commands/commands.h"
#include "daemon/app.h"
#include "daemon/vacancy_load.h"
#include "kd.h"

static const char usage_text[] =
	"usage: kerjadekat serve [--listen HOST:PORT] [--db CONNINFO] [--db-connections N]\n"
	"                        [--secret-file PATH] [--metrics-token-file PATH] ...\n"
	"\n"
	"Runs the HTTP API.  Starts even when the database is down and answers 503\n"
	"until it is up; refuses a database whose schema version differs from this\n"
	"binary's, or whose settings would write statement parameters (personal\n"
	"data) into its log: log_parameter_max_length and\n"
	"log_parameter_max_length_on_error must be 0, log_error_verbosity terse,\n"
	"debug_print_plan off and auto_explain off.  SIGTERM or SIGINT stops\n"
	"accepting, lets in-flight requests finish (at most 10 s) and exits 0.\n"
	"\n"
	"  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080;\n"
	"                       IPv6 as [::1]:8080)\n"
	"  --db CONNINFO        libpq connection string; without it libpq's defaults\n"
	"                       apply (PGHOST, PGPORT, PGDATABASE, PGUSER, ...)\n"
	"  --db-connections N   database connections in the pool, 1..64 (default 4)\n"
	"  --db-batch-wait MS   while registrations sent together as one statement\n"
	"                       are in flight, later ones wait for their commit to\n"
	"                       go out together, for at most this long, 0..4000\n"
	"                       (default 100; 0 sends them at once).  16 waiting go\n"
	"                       at once on another connection\n"
	"  --secret-file PATH   file with the 32-byte key as 64 hex characters, used for\n"
	"                       keyed NIK hashes (default: $KERJADEKAT_SECRET_FILE).\n"
	"                       Make one with: head -c 32 /dev/urandom | od -An -tx1 |\n"
	"                       tr -d ' \\n' > secret && chmod 600 secret\n"
	"  --rate-limit-registrations N\n"
	"                       registrations a minute per token (default 120)\n"
	"  --rate-limit-requests N\n"
	"                       authenticated requests a minute per token (default 1200);\n"
	"                       both allow bursts of a quarter of that at once and\n"
	"                       answer 429 with Retry-After beyond\n"
	"  --rate-limit-status N\n"
	"                       requests a minute per client address to the routes\n"
	"                       without a token, /v1/status and /v1/status/decline\n"
	"                       (default 30; bursts of a quarter of that)\n"
	"  --trusted-proxy ADDRESS[,ADDRESS...]\n"
	"                       reverse proxies (IP addresses, at most 16 in all; the\n"
	"                       option may be repeated) whose X-Forwarded-For names\n"
	"                       the client for the per-address limit: the last\n"
	"                       address in it, the one the proxy added, counts.\n"
	"                       Without it every request behind a proxy shares the\n"
	"                       proxy's limit\n"
	"  --max-connections N  client connections open at once, 1..65536 (default\n"
	"                       1024).  Past 3/4 of it, keep-alive connections idle\n"
	"                       for 2 s are closed; at the cap, a new connection\n"
	"                       takes the place of the one idle longest, or is\n"
	"                       closed at once when none is idle\n"
	"  --max-connections-per-address N\n"
	"                       client connections open at once from one IP address\n"
	"                       (IPv6: one /64), 1..65536 (default 128); one more is\n"
	"                       closed at once, without an answer.  Connections from\n"
	"                       a --trusted-proxy address are not capped, since\n"
	"                       every client behind it shares its address: cap\n"
	"                       connections per client at the proxy\n"
	"  --metrics-token-file PATH\n"
	"                       turns GET /metrics on: Prometheus figures for callers\n"
	"                       sending \"Authorization: Bearer <the file's one line>\"\n"
	"                       (32 to 256 printable characters; without this option\n"
	"                       /metrics answers 404)\n"
	"  --placement-expiry-interval SECONDS\n"
	"                       how often pending offers past their deadline are\n"
	"                       marked expired, 1..86400 (default 60)\n"
	"  --sms-interval SECONDS\n"
	"                       how often queued SMS are handed to Gammu SMSD and its\n"
	"                       inbox is read (its tables in schema gammu of this\n"
	"                       database, docs/deploy.md), 1..3600; without this\n"
	"                       option messages are queued but not handed over\n"
	"  --vacancy-page-rows N\n"
	"                       open vacancies read per database round trip while\n"
	"                       the recommendation index is (re)built, 1..1000000\n"
	"                       (default 2000); the old index answers until the\n"
	"                       new one is complete.  Small values are for tests\n"
	"  --unsafe-no-durability\n"
	"                       start even when the database has fsync,\n"
	"                       synchronous_commit or full_page_writes off (a crash\n"
	"                       could then lose registrations already answered 201;\n"
	"                       for throwaway test clusters only)\n"
	"  --help               show this help\n";

/* A whole decimal number from min to max and nothing else, into *value. */
static bool parse_whole(const char *text, long min, long max, long *value)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (*end != '\0' || end == text || v < min || v > max)
		return false;
	*value = v;
	return true;
}

/* Splits "host:port" or "[v6]:port"; host is written into host (size hostlen). */
static int parse_listen(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || close[1] != ':' || (size_t)(close - s - 1) >= hostlen)
			return -1;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || (size_t)(colon - s) >= hostlen || colon == s)
			return -1;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	long p;
	if (!parse_whole(colon + 1, 1, 65535, &p))
		return -1;
	*port = (int)p;
	return 0;
}

/*
 * The connection cap (1024 by default) plus database sockets and files
 * exceed the usual soft limit of 1024 descriptors: raise it to the hard limit.
 */
static void raise_fd_limit(void)
{
	struct rlimit lim;
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
		lim.rlim_cur = lim.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
			fprintf(stderr, "level=warn msg=\"cannot raise the open file limit\"\n");
	}
}

/* Appends the comma-separated addresses in list to opts->proxies. */
static int add_proxies(const char *list, kd_app_options *opts)
{
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (opts->nproxies == KD_HTTP_MAX_PROXIES ||
		    kd_ipaddr_parse(p, len, &opts->proxies[opts->nproxies]) < 0)
			return kd_error(EINVAL);
		opts->nproxies++;
		if (comma == NULL)
			return kd_ok();
		p = comma + 1;
	}
}

int kd_cmd_serve(int argc, char **argv)
{
	static const struct option options[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "db-connections", required_argument, NULL, 'c' },
		{ "db-batch-wait", required_argument, NULL, 'B' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "rate-limit-registrations", required_argument, NULL, 'R' },
		{ "rate-limit-requests", required_argument, NULL, 'Q' },
		{ "rate-limit-status", required_argument, NULL, 'S' },
		{ "trusted-proxy", required_argument, NULL, 'P' },
		{ "max-connections", required_argument, NULL, 'C' },
		{ "max-connections-per-address", required_argument, NULL, 'A' },
		{ "placement-expiry-interval", required_argument, NULL, 'E' },
		{ "sms-interval", required_argument, NULL, 'G' },
		{ "metrics-token-file", required_argument, NULL, 'M' },
		{ "vacancy-page-rows", required_argument, NULL, 'V' },
		{ "unsafe-no-durability", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char host[64] = "127.0.0.1";
	kd_app_options opts = {
		.listen_host = host, .listen_port = 8080, .db_connections = 4,
		.db_batch_wait_ms = 100, .drain_ms = 10000,
		.requests_per_minute = 1200, .registrations_per_minute = 120,
		.status_per_minute = 30, .placement_expiry_ms = 60 * 1000,
		.vacancy_page_rows = KD_VACANCY_PAGE_ROWS,
	};
	const char *secret_file = NULL, *metrics_token_file = NULL;
	int opt;
	char *end;
	long whole;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (parse_listen(optarg, host, sizeof(host), &opts.listen_port) < 0) {
				fprintf(stderr, "kerjadekat serve: --listen must be HOST:PORT\n");
				return 2;
			}
			break;
		case 'd':
			opts.conninfo = optarg;
			break;
		case 'c':
			if (!parse_whole(optarg, 1, 64, &whole)) {
				fprintf(stderr, "kerjadekat serve: --db-connections must be 1..64\n");
				return 2;
			}
			opts.db_connections = (int)whole;
			break;
		case 'B':
			if (!parse_whole(optarg, 0, 4000, &whole)) {
				fprintf(stderr, "kerjadekat serve: --db-batch-wait must be"
					" 0..4000 milliseconds\n");
				return 2;
			}
			opts.db_batch_wait_ms = (uint64_t)whole;
			break;
		case 's':
			secret_file = optarg;
			break;
		case 'R':
		case 'Q': {
			double v = strtod(optarg, &end);
			if (*end != '\0' || !(v >= 4) || v > 1e7) {
				fprintf(stderr, "kerjadekat serve: --%s must be a number from 4 to 10000000\n",
					opt == 'R' ? "rate-limit-registrations" : "rate-limit-requests");
				return 2;
			}
			*(opt == 'R' ? &opts.registrations_per_minute : &opts.requests_per_minute) = v;
			break;
		}
		case 'S': {
			double v = strtod(optarg, &end);
			if (*end != '\0' || !(v >= 4) || v > 1e7) {
				fprintf(stderr, "kerjadekat serve: --rate-limit-status must be a number"
					" from 4 to 10000000\n");
				return 2;
			}
			opts.status_per_minute = v;
			break;
		}
		case 'P':
			if (add_proxies(optarg, &opts) < 0) {
				fprintf(stderr, "kerjadekat serve: --trusted-proxy must be IP addresses"
					" separated by commas, at most %d in all\n", KD_HTTP_MAX_PROXIES);
				return 2;
			}
			break;
		case 'C':
		case 'A':
			if (!parse_whole(optarg, 1, 65536, &whole)) {
				fprintf(stderr, "kerjadekat serve: --%s must be 1..65536\n",
					opt == 'C' ? "max-connections" : "max-connections-per-address");
				return 2;
			}
			*(opt == 'C' ? &opts.max_connections : &opts.max_connections_per_address) =
				(unsigned)whole;
			break;
		case 'E':
			if (!parse_whole(optarg, 1, 86400, &whole)) {
				fprintf(stderr, "kerjadekat serve: --placement-expiry-interval must be"
					" 1..86400 seconds\n");
				return 2;
			}
			opts.placement_expiry_ms = (uint64_t)whole * 1000;
			break;
		case 'G':
			if (!parse_whole(optarg, 1, 3600, &whole)) {
				fprintf(stderr, "kerjadekat serve: --sms-interval must be"
					" 1..3600 seconds\n");
				return 2;
			}
			opts.sms_interval_ms = (uint64_t)whole * 1000;
			break;
		case 'V':
			if (!parse_whole(optarg, 1, 1000000, &whole)) {
				fprintf(stderr, "kerjadekat serve: --vacancy-page-rows must be"
					" 1..1000000\n");
				return 2;
			}
			opts.vacancy_page_rows = (int)whole;
			break;
		case 'M':
			metrics_token_file = optarg;
			break;
		case 'U':
			opts.unsafe_no_durability = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "kerjadekat serve: cannot initialise libsodium\n");
		return 1;
	}
	uint8_t secret[KD_SECRET_BYTES];
	char why[256];
	if (kd_secret_load(secret_file, secret, why, sizeof(why)) < 0) {
		fprintf(stderr, "kerjadekat serve: %s\n"
			"make one with: head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > secret"
			" && chmod 600 secret\n", why);
		return 2;
	}
	if (metrics_token_file) {
		if (kd_metrics_token_load(metrics_token_file, opts.metrics_token_hash, why,
					  sizeof(why)) < 0) {
			fprintf(stderr, "kerjadekat serve: %s\n", why);
			return 2;
		}
		opts.metrics_token_set = true;
	}
	raise_fd_limit();
	/*
	 * A replaced recommendation index (millions of small blocks) is freed
	 * on a worker thread.  With glibc's fastbins those blocks pile up and
	 * the next large free consolidates them all under the arena lock the
	 * loop allocates under: 0.7 s without an answer at 10^6 vacancies.
	 * Without fastbins each free holds the lock only briefly; the per-thread
	 * cache still serves the loop's small allocations.
	 */
	mallopt(M_MXFAST, 0);
	static kd_app app;
	uv_loop_t *loop = uv_default_loop();
	int rc = kd_app_start(&app, loop, &opts, secret);
	sodium_memzero(secret, sizeof(secret));
	if (rc < 0)
		return 1;
	return kd_app_run(&app);
}
