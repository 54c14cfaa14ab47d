/*
 * Daemon lifecycle: start, readiness (schema check and reference data on
 * every transition to "database up"), and the orderly shutdown that
 * SIGTERM and SIGINT begin.
 */
#include "daemon/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/heavy_read.h"
#include "api/routes.h"
#include "daemon/notifications.h"
#include "daemon/vacancy_load.h"
#include "db/migrations.h"
#include "kd.h"

#include <sodium.h>


bool kd_app_ready(const kd_app *app)
{
	return kd_db_pool_up(app->db) && app->reference != NULL;
}

kd_validate_ctx kd_app_validate_ctx(const kd_app *app)
{
	time_t now = time(NULL);
	struct tm local;
	localtime_r(&now, &local);
	return (kd_validate_ctx){
		.regions = app->reference->regions,
		.skills = app->reference->skills,
		.today = { local.tm_year + 1900, local.tm_mon + 1, local.tm_mday },
	};
}

void kd_app_refuse_rate(kd_http_request *req, uint64_t wait_ms)
{
	char header[48];
	snprintf(header, sizeof(header), "Retry-After: %llu\r\n",
		 (unsigned long long)(wait_ms + 999) / 1000);
	kd_http_respond_error(req, 429, "rate_limited", "too many requests, retry later", NULL,
			      header);
}

bool kd_app_rate_ok(kd_app *app, kd_ratelimit *limit, kd_http_request *req, int64_t client)
{
	uint64_t wait_ms = kd_ratelimit_take(limit, client, uv_now(app->loop));
	if (wait_ms == 0)
		return true;
	kd_app_refuse_rate(req, wait_ms);
	return false;
}

static void on_reference(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_app *app = arg;
	app->reference_loading = false;
	/* Asked for again meanwhile: this read may predate what changed. */
	if (app->reference_again && !app->stopping) {
		app->reference_again = false;
		kd_app_load_reference(app);
		return;
	}
	if (app->stopping || outcome != KD_DB_OK)
		return;
	const char *why = NULL;
	kd_reference *ref = kd_reference_build(kd_db_job_result(job, 0), kd_db_job_result(job, 1),
					       kd_db_job_result(job, 2), kd_db_job_result(job, 3), &why);
	if (ref != NULL && kd_reference_add_regencies(ref, kd_db_job_result(job, 4), &why) < 0) {
		kd_reference_release(ref);
		ref = NULL;
	}
	if (ref == NULL) {
		fprintf(stderr, "level=error msg=\"cannot load reference data: %s\"\n", why);
		kd_app_stop(app, 1);
		return;
	}
	kd_recommender *rec = kd_recommender_new(ref);
	if (rec == NULL) {
		kd_reference_release(ref);
		return;
	}
	kd_reference_release(app->reference);
	app->reference = ref;
	size_t nkecamatan;
	const kd_kecamatan *kecamatan = kd_regions_kecamatan_list(ref->regions, &nkecamatan);
	for (size_t i = 0; i < nkecamatan; i++)
		kd_metrics_kecamatan(app->metrics, kecamatan[i].code, kecamatan[i].name);
	/* The live recommender, with the reference it holds, answers until
	 * the new one has every vacancy. */
	kd_vacancy_load_all(app, rec);
	fprintf(stderr, "level=info msg=\"ready\" schema_version=%d\n", kd_schema_version);
}

/* The settings without which a 201 could be lost in a crash, or NULL. */
static const char *durability_off(const PGresult *res)
{
	if (strcmp(PQgetvalue(res, 0, 1), "off") == 0)
		return "fsync";
	if (strcmp(PQgetvalue(res, 0, 2), "off") == 0)
		return "synchronous_commit";
	if (strcmp(PQgetvalue(res, 0, 3), "off") == 0)
		return "full_page_writes";
	return NULL;
}

/*
 * The first setting that would copy statement parameters, and with them
 * names, phone numbers, birth dates and codes, into the server log, or
 * NULL; *value is what it is and *want what it must be.  Parameters reach
 * the log with every statement logged for its duration, by log_statement
 * or by sampling (log_parameter_max_length), with a failed one
 * (log_parameter_max_length_on_error), as the failing row or key in an
 * error's DETAIL (log_error_verbosity), and folded into plans as constants
 * (debug_print_plan; auto_explain, unless it is off or not loaded).
 */
static const char *parameters_logged(const PGresult *res, const char **value,
				     const char **want)
{
	static const struct {
		int column;
		const char *name;
		const char *want;
	} safe[] = {
		{ 4, "log_parameter_max_length", "0" },
		{ 5, "log_parameter_max_length_on_error", "0" },
		{ 6, "log_error_verbosity", "terse" },
		{ 7, "debug_print_plan", "off" },
	};
	for (size_t i = 0; i < KD_ARRAY_LEN(safe); i++) {
		*value = PQgetvalue(res, 0, safe[i].column);
		if (strcmp(*value, safe[i].want) != 0) {
			*want = safe[i].want;
			return safe[i].name;
		}
	}
	*value = PQgetvalue(res, 0, 8);
	if (!PQgetisnull(res, 0, 8) && strcmp(*value, "-1") != 0) {
		*want = "-1";
		return "auto_explain.log_min_duration";
	}
	return NULL;
}

/*
 * Every new connection first reads the schema version, the durability
 * settings and the logging settings: a database that is empty, behind or
 * ahead of this binary, one that could lose committed rows, or one that
 * would write personal data into its log, stops the daemon with the reason.
 */
static void on_schema_probe(kd_db_pool *pool, const PGresult *res, void *arg)
{
	(void)pool;
	kd_app *app = arg;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (sqlstate && strcmp(sqlstate, "42P01") == 0)
			fprintf(stderr, "level=error msg=\"database has no schema; run kerjadekat migrate\"\n");
		else
			fprintf(stderr, "level=error msg=\"cannot read the schema version\" sqlstate=%s\n",
				sqlstate ? sqlstate : "-");
		kd_app_stop(app, 1);
		return;
	}
	int version = atoi(PQgetvalue(res, 0, 0));
	if (version != kd_schema_version) {
		fprintf(stderr, "level=error msg=\"database schema is %s: database at version %d,"
			" this binary needs %d%s\"\n",
			version < kd_schema_version ? "behind" : "ahead", version, kd_schema_version,
			version < kd_schema_version ? "; run kerjadekat migrate" : "");
		kd_app_stop(app, 1);
		return;
	}
	const char *unsafe = durability_off(res);
	if (unsafe && !app->options.unsafe_no_durability) {
		fprintf(stderr, "level=error msg=\"database has %s off, so acknowledged rows could be"
			" lost; fix the server or pass --unsafe-no-durability\"\n", unsafe);
		kd_app_stop(app, 1);
		return;
	}
	/*
	 * Unlike durability, no option overrides this: every cluster the
	 * scripts make is set right, and a log once written with someone's
	 * name in it cannot be taken back.
	 */
	const char *value = NULL, *want = NULL;
	const char *logging = parameters_logged(res, &value, &want);
	if (logging) {
		fprintf(stderr, "level=error msg=\"database would write statement parameters"
			" (personal data) to its log: %s is %s, must be %s; fix the server"
			" (docs/deploy.md)\"\n", logging, value, want);
		kd_app_stop(app, 1);
	}
}

void kd_app_load_reference(kd_app *app)
{
	if (app->reference_loading)
		app->reference_again = true;
	if (app->reference_loading || app->stopping)
		return;
	kd_db_job *job = kd_db_job_new(on_reference, app);
	if (job == NULL)
		return;
	static const kd_stmt loads[] = { KD_STMT_LOAD_KECAMATAN, KD_STMT_LOAD_DESA,
					 KD_STMT_LOAD_SKILLS, KD_STMT_LOAD_SYNONYMS,
					 KD_STMT_LOAD_REGENCIES };
	for (size_t i = 0; i < KD_ARRAY_LEN(loads); i++)
		kd_db_job_add(job, loads[i], 0, NULL);
	kd_db_job_set_alone(job);
	if (kd_db_submit(app->db, job, KD_DB_DEADLINE_MS) == 0)
		app->reference_loading = true;
}

static void on_db_state(kd_db_pool *pool, bool up, void *arg)
{
	(void)pool;
	(void)arg;
	fprintf(stderr, "level=%s msg=\"database %s\"\n", up ? "info" : "warn", up ? "up" : "down");
	/* The reference data is read when the listening connection is back
	 * (notifications.c), which every way back up includes. */
}

static void on_request(kd_http_request *req, void *arg)
{
	kd_routes_dispatch(arg, req);
}

static void on_answered(const kd_http_request *req, const char *method, int status,
			uint64_t elapsed_ns, void *arg)
{
	kd_app *app = arg;
	kd_metrics_answer(app->metrics, req->route, method, status, elapsed_ns);
}

static void on_handle_closed(uv_handle_t *handle)
{
	(void)handle;
}

static void on_pool_closed(void *arg)
{
	kd_app *app = arg;
	app->db = NULL;
	uv_close((uv_handle_t *)&app->drain_timer, on_handle_closed);
	kd_housekeeping_close(&app->housekeeping);
	kd_sms_worker_close(&app->sms);
	uv_close((uv_handle_t *)&app->sigterm, on_handle_closed);
	uv_close((uv_handle_t *)&app->sigint, on_handle_closed);
}

static void on_http_closed(void *arg)
{
	kd_app *app = arg;
	app->http = NULL;
	kd_db_pool_close(app->db, on_pool_closed, app);
}

static void app_finish(kd_app *app)
{
	uv_timer_stop(&app->drain_timer);
	kd_housekeeping_stop(&app->housekeeping);
	kd_sms_worker_stop(&app->sms);
	if (app->http)
		kd_http_server_close(app->http, on_http_closed, app);
}

static void on_drain_tick(uv_timer_t *timer)
{
	kd_app *app = timer->data;
	if (kd_http_server_inflight(app->http) == 0 || uv_now(app->loop) >= app->drain_deadline)
		app_finish(app);
}

void kd_app_stop(kd_app *app, int exit_status)
{
	if (app->stopping)
		return;
	app->stopping = true;
	app->exit_status = exit_status;
	fprintf(stderr, "level=info msg=\"stopping\" in_flight=%zu\n",
		kd_http_server_inflight(app->http));
	kd_http_server_stop_accepting(app->http);
	app->drain_deadline = uv_now(app->loop) + app->options.drain_ms;
	uv_timer_start(&app->drain_timer, on_drain_tick, 0, 20);
}

static void on_signal(uv_signal_t *handle, int signum)
{
	(void)signum;
	kd_app_stop(handle->data, 0);
}

/*
 * Misses (404s) per registration code on the status routes, from any
 * address: five, then one more every five minutes.  The lock holds for the
 * code's owner too, so it is kept short: a stranger holding someone's code
 * can delay them by minutes, not shut them out for the day.  65536 entries
 * of 16 bytes; flooding them with other codes to push one out costs far
 * more requests than the guesses it buys back.
 */
#define STATUS_GUESSES 5
#define STATUS_GUESS_REGAIN_MS (5 * 60 * 1000)
#define STATUS_GUESS_SLOTS 65536

int kd_app_start(kd_app *app, uv_loop_t *loop, const kd_app_options *options,
		 const uint8_t secret[KD_SECRET_BYTES])
{
	memset(app, 0, sizeof(*app));
	app->loop = loop;
	app->options = *options;
	memcpy(app->secret, secret, KD_SECRET_BYTES);
	app->tokens = kd_token_cache_new();
	app->metrics = kd_metrics_new((double)time(NULL));
	app->request_limit = kd_ratelimit_new(options->requests_per_minute,
					      options->requests_per_minute / 4);
	app->registration_limit = kd_ratelimit_new(options->registrations_per_minute,
						   options->registrations_per_minute / 4);
	app->status_limit = kd_ratelimit_new(options->status_per_minute,
					     options->status_per_minute / 4);
	if (app->request_limit == NULL || app->registration_limit == NULL ||
	    app->status_limit == NULL)
		return kd_error(EINVAL);
	app->status_guesses = kd_guesslimit_new(STATUS_GUESSES, STATUS_GUESS_REGAIN_MS,
						STATUS_GUESS_SLOTS);
	if (app->status_guesses == NULL)
		return kd_error(ENOMEM);
	randombytes_buf(app->status_code_key, sizeof(app->status_code_key));
	app->heavy_reads = kd_heavy_reads_new(options->db_connections);
	if (app->heavy_reads == NULL)
		return kd_error(ENOMEM);
	kd_http_limits limits = kd_http_limits_default();
	if (options->max_connections)
		limits.max_connections = options->max_connections;
	if (options->max_connections_per_address)
		limits.max_connections_per_address = options->max_connections_per_address;
	app->http = kd_http_server_new(loop, &limits, on_request, app);
	if (app->tokens == NULL || app->http == NULL || app->metrics == NULL)
		return kd_error(ENOMEM);
	kd_http_server_observe(app->http, on_answered, app);
	int trusted = kd_http_server_trust_proxies(app->http, options->proxies, options->nproxies);
	if (trusted < 0)
		return trusted;
	int rc = kd_http_server_listen(app->http, options->listen_host, options->listen_port);
	if (rc < 0) {
		fprintf(stderr, "kerjadekat serve: cannot listen on %s:%d: %s\n",
			options->listen_host, options->listen_port, uv_strerror(rc));
		return rc;
	}
	kd_db_pool_options db = {
		.listen = kd_notification_channels,
		.probe_sql = kd_stmt_get(KD_STMT_SCHEMA_VERSION)->sql,
		.on_probe = on_schema_probe,
		.conninfo = options->conninfo,
		.connections = options->db_connections,
		.batch_wait_ms = options->db_batch_wait_ms,
		.on_state = on_db_state,
		.on_notify = kd_notifications_on_notify,
		.on_listening = kd_notifications_on_listening,
		.arg = app,
	};
	app->db = kd_db_pool_new(loop, &db);
	if (app->db == NULL)
		return kd_error(ENOMEM);
	uv_timer_init(loop, &app->drain_timer);
	app->drain_timer.data = app;
	kd_housekeeping_start(&app->housekeeping, app, app->options.placement_expiry_ms);
	kd_sms_worker_start(&app->sms, app, app->options.sms_interval_ms);
	uv_signal_init(loop, &app->sigterm);
	uv_signal_init(loop, &app->sigint);
	app->sigterm.data = app->sigint.data = app;
	if ((rc = uv_signal_start(&app->sigterm, on_signal, SIGTERM)) < 0 ||
	    (rc = uv_signal_start(&app->sigint, on_signal, SIGINT)) < 0)
		return rc;
	fprintf(stderr, "level=info msg=\"listening\" address=%s:%d\n", options->listen_host,
		options->listen_port);
	return kd_ok();
}

int kd_app_run(kd_app *app)
{
	int rc = uv_run(app->loop, UV_RUN_DEFAULT);
	if (rc != 0)
		fprintf(stderr, "level=warn msg=\"loop ended with active handles\"\n");
	kd_recommender_free(app->recommender);
	kd_reference_release(app->reference);
	kd_token_cache_free(app->tokens);
	kd_metrics_free(app->metrics);
	kd_ratelimit_free(app->request_limit);
	kd_ratelimit_free(app->registration_limit);
	kd_ratelimit_free(app->status_limit);
	kd_guesslimit_free(app->status_guesses);
	kd_heavy_reads_free(app->heavy_reads);
	sodium_memzero(app->secret, sizeof(app->secret));
	fprintf(stderr, "level=info msg=\"stopped\" status=%d\n", app->exit_status);
	return app->exit_status;
}
