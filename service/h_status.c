/*
 * GET /v1/status and POST /v1/status/decline: a job seeker, with no token,
 * reads the offers made to them and declines one, proving who they are by
 * the registration code on their receipt and their birth date.  An unknown
 * code and a wrong birth date get one identical 404, the answers carry
 * nothing about the person, and both routes are rate limited per client
 * address so that codes cannot be tried in bulk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/date.h"
#include "core/regcode.h"
#include "dbreq.h"
#include "decision.h"
#include "handlers.h"
#include "query.h"
#include "respond.h"

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

static void on_status(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed(req, job, outcome))
		return;
	PGresult *res = kd_db_job_result(job, 0);
	if (PQntuples(res) == 0)
		not_found(req);
	else
		kd_respond_text(req, 200, PQgetvalue(res, 0, 0), NO_STORE);
}

void kd_handle_status_get(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	if (!kd_app_rate_ok(app, app->status_limit, req, req->client))
		return;
	static const char *const allowed[] = { "code", "birth_date", NULL };
	const char *unknown = kd_query_unknown(req->query, allowed);
	if (unknown) {
		kd_respond_error(req, 422, "unknown_field", "unknown query parameter", unknown);
		return;
	}
	char code_text[32], date_text[32], code[KD_REGCODE_SIZE], date[KD_DATE_SIZE];
	bool has_code = kd_query_get(req->query, "code", code_text, sizeof(code_text)) > 0;
	bool has_date = kd_query_get(req->query, "birth_date", date_text, sizeof(date_text)) > 0;
	if (!read_identity(req, has_code ? code_text : NULL, has_date ? date_text : NULL, "code",
			   code, date))
		return;
	const char *params[] = { code, date };
	kd_dbreq_submit(app, req, KD_STMT_STATUS_GET, 2, params, on_status, req);
}

static void on_declined(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed(req, job, outcome))
		return;
	if (!kd_decision_respond(req, kd_db_job_result(job, 0)))
		not_found(req);
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
	const char *key;
	json_t *value;
	json_object_foreach(doc, key, value) {
		if (!known_field(key)) {
			kd_respond_error(req, 422, "unknown_field", "unknown field", key);
			return;
		}
	}
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
	json_t *r = json_object_get(doc, "reason_code");
	const char *reason = json_is_null(r) ? NULL : json_string_value(r);
	if (r != NULL && !json_is_null(r) && (reason == NULL || !seeker_reason(reason))) {
		kd_respond_error(req, 422, "validation_failed", "unknown reason code", "reason_code");
		return;
	}
	snprintf(placement, sizeof(placement), "%lld", (long long)json_integer_value(id));
	const char *params[] = { code, date, placement, reason };
	kd_dbreq_submit(app, req, KD_STMT_STATUS_DECLINE, 4, params, on_declined, req);
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
