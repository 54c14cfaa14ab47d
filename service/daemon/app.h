/*
 * The running daemon: one loop, one HTTP server, one database pool, the
 * reference data and the token cache.  Everything here lives on the loop
 * thread.
 */
#ifndef KD_APP_H
#define KD_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "api/auth.h"
#include "core/guesslimit.h"
#include "core/ratelimit.h"
#include "core/validate.h"
#include "daemon/housekeeping.h"
#include "daemon/metrics.h"
#include "daemon/metrics_token.h"
#include "daemon/recommender.h"
#include "daemon/reference.h"
#include "daemon/secret.h"
#include "daemon/sms_worker.h"
#include "db/db_pool.h"
#include "http/http_server.h"

/* How long a request may wait for the database before it is answered 503. */
#define KD_DB_DEADLINE_MS 5000

/* The random key that hides registration codes in the status guess limit. */
#define KD_APP_CODE_KEY_BYTES 16

typedef struct kd_app_options {
	const char *listen_host;  /* borrowed */
	int listen_port;
	const char *conninfo;     /* borrowed; NULL means libpq defaults */
	int db_connections;
	uint64_t db_batch_wait_ms;        /* kd_db_pool_options.batch_wait_ms */
	uint64_t drain_ms;        /* shutdown grace for in-flight requests */
	double requests_per_minute;       /* per token, any authenticated request */
	double registrations_per_minute;  /* per token, POST /v1/seekers */
	double status_per_minute;         /* per client address, the /v1/status routes */
	kd_ipaddr proxies[KD_HTTP_MAX_PROXIES]; /* trusted to name the client */
	size_t nproxies;
	unsigned max_connections;             /* client connections; 0: the default */
	unsigned max_connections_per_address; /* from one address; 0: the default */
	uint64_t placement_expiry_ms;     /* how often pending offers past their deadline expire */
	uint64_t sms_interval_ms;         /* how often the SMS timer runs; 0: never */
	bool unsafe_no_durability;        /* accept fsync etc. off (tests only) */
	int vacancy_page_rows;            /* rows per page of a full vacancy load */
	bool metrics_token_set;           /* GET /metrics is on */
	uint8_t metrics_token_hash[KD_METRICS_TOKEN_HASH_BYTES];
} kd_app_options;

typedef struct kd_app {
	uv_loop_t *loop;
	kd_app_options options;
	uint8_t secret[KD_SECRET_BYTES];
	kd_http_server *http;
	kd_db_pool *db;
	kd_reference *reference;  /* NULL until loaded */
	kd_recommender *recommender; /* NULL until the first full load is in */
	struct kd_vacancy_load *vacancy_load; /* the full load in progress, or NULL */
	bool reference_loading;
	bool reference_again;     /* asked for while loading: load once more */
	kd_token_cache *tokens;
	kd_metrics *metrics;
	kd_ratelimit *request_limit;
	kd_ratelimit *registration_limit;
	kd_ratelimit *status_limit;
	kd_guesslimit *status_guesses; /* status misses per registration code */
	uint8_t status_code_key[KD_APP_CODE_KEY_BYTES]; /* hides the codes in it */
	struct kd_heavy_reads *heavy_reads;  /* list pages, shared fairly among tokens */
	struct kd_idem *idempotent;  /* keyed requests being answered */
	uv_signal_t sigterm, sigint;
	uv_timer_t drain_timer;
	kd_housekeeping housekeeping;
	kd_sms_worker sms;
	uint64_t drain_deadline;
	bool match_running;       /* a match run is on the thread pool */
	bool stopping;
	int exit_status;
} kd_app;

/*
 * Starts listening and connecting; returns kd_error() (with a message on
 * stderr) when the address cannot be bound.  The caller runs the loop;
 * kd_app_run returns the exit status once shutdown completes.
 */
int kd_app_start(kd_app *app, uv_loop_t *loop, const kd_app_options *options,
		 const uint8_t secret[KD_SECRET_BYTES]);
int kd_app_run(kd_app *app);

/* Begins the orderly shutdown (what SIGTERM does) with the given status. */
void kd_app_stop(kd_app *app, int exit_status);

/*
 * What request validation needs: the loaded reference data (borrowed; the
 * app must be ready) and today's date in local time (set TZ for the served
 * area, e.g. TZ=Asia/Makassar).
 */
kd_validate_ctx kd_app_validate_ctx(const kd_app *app);

/*
 * Spends one action of the caller from limit; when none is left, answers
 * 429 with Retry-After and returns false.
 */
bool kd_app_rate_ok(kd_app *app, kd_ratelimit *limit, kd_http_request *req, int64_t client);

/* Answers 429 rate_limited with a Retry-After covering wait_ms. */
void kd_app_refuse_rate(kd_http_request *req, uint64_t wait_ms);

/* True when the database is reachable and the reference data loaded. */
bool kd_app_ready(const kd_app *app);

/*
 * Reads the reference data again and, once it is in, every open vacancy
 * (daemon/vacancy_load.h).
 */
void kd_app_load_reference(kd_app *app);


#endif
