/*
 * POST /v1/status and POST /v1/status/decline: a job seeker, with no token,
 * reads the offers made to them and declines one, proving who they are by
 * the registration code on their receipt and their birth date, both in the
 * body: a URL ends up in proxies' logs.  An unknown code and a wrong birth
 * date get one identical 404, and the answers carry nothing about the
 * person.  Both routes are rate limited per client address, and the misses
 * on each registration code are limited whatever address they come from,
 * so that neither codes nor birth dates can be tried in bulk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/dbreq.h"
#include "api/query.h"
#include "api/respond.h"
#include "core/date.h"
#include "core/regcode.h"
#include "daemon/app.h"
#include "handlers/decision.h"
#include "handlers/handlers.h"

#define NO_STORE "Cache-Control: no-store\r\n"

static const char *const seeker_reasons[] = {
	"too_far", "wage_too_low", "found_other_work", "personal", "other", NULL,
};

static void not_found(kd_http_request *req)
{
	kd_respond_error(req, 404, "not_found", "no such registration code and birth date", NULL);
}

/* The canonical code and date text; false after answering 422 naming field. */
static bool read_identity(kd_http_request *req, const char *code, const char *birth_date,
			  const char *code_field, char code_out[KD_REGCODE_SIZE],
			  char date_out[KD_DATE_SIZE])
{
	kd_date d;
	if (code == NULL || kd_regcode_parse(code, code_out) < 0) {
		kd_respond_error(req, 422, "validation_failed", "must be a code like XXXX-XXXX",
				 code_field);
		return false;
	}
	if (birth_date == NULL || kd_date_parse(birth_date, &d) < 0) {
		kd_respond_error(req, 422, "validation_failed", "must be a date YYYY-MM-DD",
				 "birth_date");
		return false;
	}
	kd_date_format(d, date_out);
	return true;
}

_Static_assert(crypto_shorthash_KEYBYTES == KD_APP_CODE_KEY_BYTES, "status code key size");

/*
 * One request's attempt on a registration code, counted in
 * app->status_guesses.  It is charged before the database is asked, so
 * that attempts in flight together are all counted, and given back unless
 * it is answered the 404 of a miss.  Every such 404 counts, an unknown code
 * as much as a wrong birth date: were only real codes ever locked, the lock
 * would tell which codes exist.
 */
typedef struct status_attempt {
	kd_app *app;
	kd_http_request *req;
	uint64_t code_key;
} status_attempt;

/* code's key in app->status_guesses: a hash under the daemon's random key. */
static uint64_t code_key(const kd_app *app, const char code[KD_REGCODE_SIZE])
{
	uint8_t hash[crypto_shorthash_BYTES];
	crypto_shorthash(hash, (const unsigned char *)code, strlen(code), app->status_code_key);
	uint64_t key;
	memcpy(&key, hash, sizeof(key));
	return key;
}

/*
 * Begins an attempt on the canonical code.  Returns its context, or NULL
 * after answering 429 (the code has no guess left, so even the right birth
 * date waits) or 503.
 */
static status_attempt *attempt_begin(kd_app *app, kd_http_request *req, const char *code)
{
	uint64_t key = code_key(app, code);
	uint64_t wait_ms = kd_guesslimit_charge(app->status_guesses, key, uv_now(app->loop));
	if (wait_ms > 0) {
		kd_app_refuse_rate(req, wait_ms);
		return NULL;
	}
	status_attempt *a = malloc(sizeof(*a));
	if (a == NULL) {
		kd_guesslimit_refund(app->status_guesses, key, uv_now(app->loop));
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return NULL;
	}
	*a = (status_attempt){ .app = app, .req = req, .code_key = key };
	return a;
}

/* Ends attempt a (freed), which missed when it was answered 404. */
static void attempt_end(status_attempt *a, bool missed)
{
	if (!missed)
		kd_guesslimit_refund(a->app->status_guesses, a->code_key, uv_now(a->app->loop));
	free(a);
}

/* Sends a's statement; a is ended here when it cannot be sent. */
static void attempt_submit(status_attempt *a, kd_stmt stmt, int nparams,
			   const char *const *params, kd_db_job_cb cb)
{
	if (!kd_dbreq_submit(a->app, a->req, stmt, nparams, params, cb, a))
		attempt_end(a, false);
}

static void on_status(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	status_attempt *a = arg;
	bool missed = false;
	if (!kd_dbreq_failed(a->req, job, outcome)) {
		PGresult *res = kd_db_job_result(job, 0);
		missed = PQntuples(res) == 0;
		if (missed)
			not_found(a->req);
		else
			kd_respond_text(a->req, 200, PQgetvalue(res, 0, 0), NO_STORE);
	}
	attempt_end(a, missed);
}

/*
 * The credential once travelled in this URL's query.  It is refused unread
 * with an answer that says where it goes now; no-store, so that no cache
 * keeps the URL that carried it.
 */
void kd_handle_status_moved(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)app;
	(void)p;
	kd_http_respond_error(req, 410, "moved",
			      "send code and birth_date in the body of POST /v1/status, "
			      "never in the URL",
			      NULL, NO_STORE);
}

/* True when every key of doc (a JSON object, borrowed) is known; otherwise
 * answers 422 naming the first unknown one and returns false. */
static bool only_known_fields(kd_http_request *req, json_t *doc, bool (*known)(const char *))
{
	const char *key;
	json_t *value;
	json_object_foreach(doc, key, value) {
		if (!known(key)) {
			kd_respond_error(req, 422, "unknown_field", "unknown field", key);
			return false;
		}
	}
	return true;
}

/* Whether key is a field of the POST /v1/status body. */
static bool known_lookup_field(const char *key)
{
	return strcmp(key, "code") == 0 || strcmp(key, "birth_date") == 0;
}

/* Answers the lookup that doc (a JSON object, borrowed) asks for. */
static void lookup(kd_app *app, kd_http_request *req, json_t *doc)
{
	if (!only_known_fields(req, doc, known_lookup_field))
		return;
	char code[KD_REGCODE_SIZE], date[KD_DATE_SIZE];
	if (!read_identity(req, json_string_value(json_object_get(doc, "code")),
			   json_string_value(json_object_get(doc, "birth_date")), "code", code,
			   date))
		return;
	status_attempt *a = attempt_begin(app, req, code);
	if (a == NULL)
		return;
	const char *params[] = { code, date };
	attempt_submit(a, KD_STMT_STATUS_GET, 2, params, on_status);
}

/*
 * The person's offers for {"code", "birth_date"}: 200, or the one 404 for
 * an unknown code and a wrong birth date alike.
 */
void kd_handle_status_lookup(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	if (!kd_app_rate_ok(app, app->status_limit, req, req->client))
		return;
	/* A credential put in the query would reach the logs all the same. */
	static const char *const no_names[] = { NULL };
	if (!kd_query_names_allowed(req, no_names))
		return;
	json_error_t jerr;
	json_t *doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || !json_is_object(doc))
		kd_respond_error(req, 400, "malformed_json", "body must be a json object", NULL);
	else
		lookup(app, req, doc);
	json_decref(doc);
}

static void on_declined(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	status_attempt *a = arg;
	bool missed = false;
	if (!kd_dbreq_failed(a->req, job, outcome)) {
		missed = !kd_decision_respond(a->req, kd_db_job_result(job, 0));
		if (missed)
			not_found(a->req);
	}
	attempt_end(a, missed);
}

static bool known_field(const char *key)
{
	return strcmp(key, "registration_code") == 0 || strcmp(key, "birth_date") == 0 ||
	       strcmp(key, "placement_id") == 0 || strcmp(key, "reason_code") == 0;
}

static bool seeker_reason(const char *s)
{
	for (const char *const *r = seeker_reasons; *r; r++)
		if (strcmp(*r, s) == 0)
			return true;
	return false;
}

static void decline(kd_app *app, kd_http_request *req, json_t *doc)
{
	if (!only_known_fields(req, doc, known_field))
		return;
	char code[KD_REGCODE_SIZE], date[KD_DATE_SIZE], placement[24];
	if (!read_identity(req, json_string_value(json_object_get(doc, "registration_code")),
			   json_string_value(json_object_get(doc, "birth_date")),
			   "registration_code", code, date))
		return;
	json_t *id = json_object_get(doc, "placement_id");
	if (!json_is_integer(id) || json_integer_value(id) < 1) {
		kd_respond_error(req, 422, "validation_failed", "must be a positive integer",
				 "placement_id");
		return;
	}
	/* No reason is said by leaving the field out: it is not nullable. */
	json_t *r = json_object_get(doc, "reason_code");
	const char *reason = json_string_value(r);
	if (json_is_null(r)) {
		kd_respond_error(req, 422, "validation_failed", "must not be null", "reason_code");
		return;
	}
	if (r != NULL && (reason == NULL || !seeker_reason(reason))) {
		kd_respond_error(req, 422, "validation_failed", "unknown reason code", "reason_code");
		return;
	}
	status_attempt *a = attempt_begin(app, req, code);
	if (a == NULL)
		return;
	snprintf(placement, sizeof(placement), "%lld", (long long)json_integer_value(id));
	const char *params[] = { code, date, placement, reason };
	attempt_submit(a, KD_STMT_STATUS_DECLINE, 4, params, on_declined);
}

void kd_handle_status_decline(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	if (!kd_app_rate_ok(app, app->status_limit, req, req->client))
		return;
	json_error_t jerr;
	json_t *doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || !json_is_object(doc))
		kd_respond_error(req, 400, "malformed_json", "body must be a json object", NULL);
	else
		decline(app, req, doc);
	json_decref(doc);
}
