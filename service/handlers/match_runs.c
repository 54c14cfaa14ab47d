/*
 * POST /v1/match-runs and GET /v1/match-runs/{id} (admin).  A run reads
 * and writes the whole database, so it goes to the libuv thread pool with
 * a connection of its own; the loop keeps serving meanwhile.  One run at a
 * time, whichever daemon starts it: the database refuses a second running
 * row (0013), and that refusal is the 409.  An Idempotency-Key works as for every POST: the 202 is
 * kept with the run's row, so a retry gets it again instead of a new run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dbreq.h"
#include "api/idempotency.h"
#include "api/pgjson.h"
#include "api/respond.h"
#include "daemon/app.h"
#include "handlers/handlers.h"
#include "match/match_db.h"

typedef struct match_work {
	uv_work_t work;
	kd_app *app;
	kd_http_request *req;   /* until the 202 */
	int64_t run_id;
	kd_match_mode mode;
	kd_match_policy policy;
	char *conninfo;
	uint64_t worker_ns;     /* the run's time on the worker thread */
	int rc;
	char err[192];
} match_work;

static void run_in_worker(uv_work_t *work)
{
	match_work *w = work->data;
	uint64_t start = uv_hrtime();
	w->rc = kd_match_db_execute(w->conninfo, w->run_id, w->mode, &w->policy, w->err,
				    sizeof(w->err));
	w->worker_ns = uv_hrtime() - start;
}

static void run_finished(uv_work_t *work, int status)
{
	match_work *w = work->data;
	w->app->match_running = false;
	kd_metrics_match_run(w->app->metrics, status == 0 && w->rc == 0, (double)w->worker_ns / 1e9);
	if (status == 0 && w->rc == 0)
		fprintf(stderr, "level=info msg=\"match run done\" run_id=%lld\n",
			(long long)w->run_id);
	else
		fprintf(stderr, "level=error msg=\"match run failed\" run_id=%lld reason=\"%s\"\n",
			(long long)w->run_id, status == 0 ? w->err : uv_strerror(status));
	free(w->conninfo);
	free(w);
}

static void on_created(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	match_work *w = arg;
	kd_http_request *req = w->req;
	bool unique = kd_dbreq_unique_violated(job, outcome);
	bool run_taken = unique &&
			 strcmp(kd_db_job_constraint(job), "match_runs_one_running") == 0;
	if (unique || kd_dbreq_failed(req, job, outcome)) {
		free(w->conninfo);
		free(w);
		if (run_taken)
			kd_respond_error(req, 409, "run_in_progress", "a match run is already in progress",
					 NULL);
		/* Another daemon stored the same key first: its answer is replayed. */
		else if (unique)
			kd_idem_recheck(req);
		return;
	}
	PGresult *res = kd_db_job_result(job, 1);
	w->run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	w->work.data = w;
	int rc = uv_queue_work(w->app->loop, &w->work, run_in_worker, run_finished);
	if (rc < 0) {
		fprintf(stderr, "level=error msg=\"cannot queue match run\" reason=\"%s\"\n",
			uv_strerror(rc));
		kd_respond_error(req, 503, "unavailable", "cannot start a match run now", NULL);
		free(w->conninfo);
		free(w);
		return;
	}
	w->app->match_running = true;
	char location[64];
	snprintf(location, sizeof(location), "Location: /v1/match-runs/%lld\r\n",
		 (long long)w->run_id);
	/* The statement's text, the very one kept under an Idempotency-Key. */
	kd_respond_text(req, 202, PQgetvalue(res, 0, 1), location);
}

/* Reads {"mode": ..., "policy": {...}}; false after answering 400/422. */
static bool read_request(kd_http_request *req, match_work *w, char **policy_text)
{
	json_error_t jerr;
	json_t *doc = req->body_len ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr)
				    : json_object();
	if (doc == NULL || !json_is_object(doc)) {
		json_decref(doc);
		kd_respond_error(req, 400, "malformed_json", "body must be a json object", NULL);
		return false;
	}
	const char *key;
	json_t *value;
	json_object_foreach(doc, key, value) {
		if (strcmp(key, "mode") != 0 && strcmp(key, "policy") != 0) {
			kd_respond_error(req, 422, "unknown_field", "unknown field", key);
			json_decref(doc);
			return false;
		}
	}
	json_t *mode = json_object_get(doc, "mode");
	int m = mode ? (json_is_string(mode) ? kd_match_mode_parse(json_string_value(mode)) : -1)
		     : KD_MATCH_STABLE;
	if (m < 0) {
		kd_respond_error(req, 422, "validation_failed", "must be stable or optimal", "mode");
		json_decref(doc);
		return false;
	}
	w->mode = (kd_match_mode)m;
	kd_match_policy_default(&w->policy);
	json_t *policy = json_object_get(doc, "policy");
	kd_match_error merr;
	if (policy && (!json_is_object(policy) ||
		       kd_match_policy_apply_json(&w->policy, policy, &merr) < 0)) {
		kd_respond_error(req, 422, "validation_failed",
				 json_is_object(policy) ? merr.message : "must be an object", "policy");
		json_decref(doc);
		return false;
	}
	*policy_text = policy ? kd_respond_serialise(policy) : strdup("{}");
	json_decref(doc);
	if (*policy_text == NULL)
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
	return *policy_text != NULL;
}

static void create_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			      const kd_route_params *route)
{
	(void)route;
	match_work *w = calloc(1, sizeof(*w));
	char *policy_text = NULL;
	if (w == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	if (!read_request(req, w, &policy_text)) {
		free(w);
		return;
	}
	w->app = app;
	w->conninfo = strdup(app->options.conninfo ? app->options.conninfo : "");
	w->req = req;
	char token[24];
	snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
	kd_idem_params idem = kd_idem_params_of(req);
	const char *params[] = { kd_match_mode_name(w->mode), policy_text, token, req->request_id,
				 idem.key, idem.request_hash };
	kd_db_job *job = w->conninfo ? kd_db_job_new(on_created, w) : NULL;
	if (job && (kd_db_job_add(job, KD_STMT_MATCH_RUN_SWEEP, 0, NULL) < 0 ||
		    kd_db_job_add(job, KD_STMT_MATCH_RUN_CREATE, 6, params) < 0)) {
		kd_db_job_free_unsubmitted(job);
		job = NULL;
	}
	free(policy_text);
	/* kd_db_submit frees a job it refuses. */
	if (job == NULL || kd_db_submit(app->db, job, KD_DB_DEADLINE_MS) < 0) {
		free(w->conninfo);
		free(w);
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
}

static void create_keyed(kd_app *app, kd_http_request *req, const kd_principal *who,
			 const kd_route_params *params)
{
	kd_idem_begin(app, req, who, params, create_authorised);
}

void kd_handle_match_run_create(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_ADMIN, create_keyed);
}

static void on_run(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed(req, job, outcome))
		return;
	PGresult *res = kd_db_job_result(job, 0);
	if (PQntuples(res) == 0) {
		kd_respond_error(req, 404, "not_found", "no such match run", NULL);
		return;
	}
	static const char *const names[] = {
		"id", "mode", "policy", "state", "started_at", "finished_at", "seekers",
		"vacancies", "assigned", "same_kecamatan", "total_score", "stats", "error",
	};
	json_t *(*const convert[])(const PGresult *, int, int) = {
		kd_pgjson_integer, kd_pgjson_text, kd_pgjson_json, kd_pgjson_text, kd_pgjson_text,
		kd_pgjson_text, kd_pgjson_integer, kd_pgjson_integer, kd_pgjson_integer,
		kd_pgjson_integer, kd_pgjson_real, kd_pgjson_json, kd_pgjson_text,
	};
	json_t *body = json_object();
	for (size_t c = 0; c < sizeof(names) / sizeof(names[0]); c++)
		json_object_set_new(body, names[c], convert[c](res, 0, (int)c));
	kd_respond_json(req, 200, body);
}

static void get_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			   const kd_route_params *route)
{
	(void)who;
	long long id;
	if (!kd_respond_parse_id(req, route->value[0], &id))
		return;
	char text[24];
	snprintf(text, sizeof(text), "%lld", id);
	const char *params[] = { text };
	kd_dbreq_submit(app, req, KD_STMT_MATCH_RUN_GET, 1, params, on_run, req);
}

void kd_handle_match_run_get(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_ADMIN, get_authorised);
}
