/*
 * GET /v1/placements and POST /v1/placements/{id}/decision: the offers
 * match runs made, for the employer whose vacancy each is on (and admins).
 * Another employer's placement is "not found", never "forbidden".  The
 * statements build each item as JSON themselves (statements.c), so that a
 * decision's answer and the copy kept under its Idempotency-Key are the
 * same text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dbreq.h"
#include "api/heavy_read.h"
#include "api/idempotency.h"
#include "api/query.h"
#include "api/respond.h"
#include "daemon/app.h"
#include "handlers/decision.h"
#include "handlers/handlers.h"

#define LIST_DEFAULT_LIMIT 20
#define LIST_MAX_LIMIT 100
#define NO_STORE "Cache-Control: no-store\r\n"

static const char *const states[] = {
	"pending", "accepted", "rejected", "declined", "expired", NULL,
};

static const char *const employer_reasons[] = {
	"skills_mismatch", "qualification_mismatch", "position_filled", "no_show",
	"failed_interview", "documents_incomplete", "other", NULL,
};

static bool listed(const char *const *names, const char *s)
{
	for (; *names; names++)
		if (strcmp(*names, s) == 0)
			return true;
	return false;
}

typedef struct list_request {
	kd_http_request *req;
	int limit;
} list_request;

/* Appends s to the growing body; false when out of memory. */
static bool append(char **body, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > *cap) {
		size_t grown = *cap ? *cap : 1024;
		while (*len + n + 1 > grown)
			grown *= 2;
		char *p = realloc(*body, grown);
		if (p == NULL)
			return false;
		*body = p;
		*cap = grown;
	}
	memcpy(*body + *len, s, n + 1);
	*len += n;
	return true;
}

static void on_list(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	list_request *l = arg;
	if (kd_dbreq_failed(l->req, job, outcome)) {
		free(l);
		return;
	}
	PGresult *res = kd_db_job_result(job, 0);
	int n = PQntuples(res);
	char *body = NULL;
	size_t len = 0, cap = 0;
	bool ok = append(&body, &len, &cap, "{\"placements\":[");
	for (int i = 0; i < n && ok; i++)
		ok = (i == 0 || append(&body, &len, &cap, ",")) &&
		     append(&body, &len, &cap, PQgetvalue(res, i, 1));
	ok = ok && append(&body, &len, &cap, "],\"next_cursor\":");
	if (n == l->limit)
		ok = ok && append(&body, &len, &cap, "\"") &&
		     append(&body, &len, &cap, PQgetvalue(res, n - 1, 0)) &&
		     append(&body, &len, &cap, "\"");
	else
		ok = ok && append(&body, &len, &cap, "null");
	ok = ok && append(&body, &len, &cap, "}");
	if (ok)
		kd_respond_text(l->req, 200, body, NO_STORE);
	else
		kd_respond_unavailable(l->req, KD_DB_UNAVAILABLE);
	free(body);
	free(l);
}

/* A non-negative decimal query value; false after answering 422. */
static bool read_id_param(kd_http_request *req, const char *name, char out[24], bool *present)
{
	int rc = kd_query_get(req->query, name, out, 24);
	*present = rc > 0;
	if (rc == 0)
		return true;
	char *end = NULL;
	errno = 0;
	long long v = rc > 0 ? strtoll(out, &end, 10) : -1;
	if (rc < 0 || end == out || *end != '\0' || v < 0 || errno == ERANGE) {
		kd_respond_error(req, 422, "validation_failed", "must be a non-negative integer",
				 name);
		return false;
	}
	snprintf(out, 24, "%lld", v);
	return true;
}

static void list_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			    const kd_route_params *route)
{
	(void)route;
	static const char *const allowed[] = { "state", "vacancy_id", "limit", "cursor", NULL };
	if (!kd_query_names_allowed(req, allowed))
		return;
	char state[16], vacancy[24], cursor[24], limit_text[16], employer[24];
	bool has_vacancy;
	int limit;
	long long after;
	int has_state = kd_query_get(req->query, "state", state, sizeof(state));
	if (has_state < 0 || (has_state > 0 && !listed(states, state))) {
		kd_respond_error(req, 422, "validation_failed",
				 "must be pending, accepted, rejected, declined or expired", "state");
		return;
	}
	if (!read_id_param(req, "vacancy_id", vacancy, &has_vacancy) ||
	    !kd_query_cursor(req, "cursor", &after) ||
	    !kd_query_limit(req, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, &limit))
		return;
	char token[24];
	snprintf(cursor, sizeof(cursor), "%lld", after);
	snprintf(limit_text, sizeof(limit_text), "%d", limit);
	snprintf(employer, sizeof(employer), "%lld", (long long)who->employer_id);
	snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
	const char *params[] = {
		has_state > 0 ? state : NULL, has_vacancy ? vacancy : NULL,
		cursor, limit_text, req->request_id, token, employer,
	};
	bool for_employer = who->role == KD_ROLE_EMPLOYER;
	list_request *l = malloc(sizeof(*l));
	if (l == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	*l = (list_request){ .req = req, .limit = limit };
	if (!kd_heavy_read_submit(app, req, who,
				  for_employer ? KD_STMT_PLACEMENT_LIST_EMPLOYER : KD_STMT_PLACEMENT_LIST,
				  for_employer ? 7 : 6, params, on_list, l))
		free(l);
}

void kd_handle_placement_list(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_EMPLOYER | KD_ROLE_ADMIN, list_authorised);
}

/*
 * The answer to a decision: the item when it changed, else 404 for a
 * placement that is not the caller's, 409 for one already decided or past
 * its deadline.
 */
static void on_decided(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed_keyed(req, job, outcome))
		return;
	if (!kd_decision_respond(req, kd_db_job_result(job, 0)))
		kd_respond_error(req, 404, "not_found", "no such placement", NULL);
}

/*
 * Reads {"decision": "accepted"|"rejected", "reason_code": ...}; false
 * after answering 400 or 422.  The strings point into *doc (new).
 */
static bool read_decision(kd_http_request *req, json_t **doc, const char **decision,
			  const char **reason)
{
	json_error_t jerr;
	*doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (*doc == NULL || !json_is_object(*doc)) {
		kd_respond_error(req, 400, "malformed_json", "body must be a json object", NULL);
		return false;
	}
	const char *key;
	json_t *value;
	json_object_foreach(*doc, key, value) {
		if (strcmp(key, "decision") != 0 && strcmp(key, "reason_code") != 0) {
			kd_respond_error(req, 422, "unknown_field", "unknown field", key);
			return false;
		}
	}
	*decision = json_string_value(json_object_get(*doc, "decision"));
	if (*decision == NULL ||
	    (strcmp(*decision, "accepted") != 0 && strcmp(*decision, "rejected") != 0)) {
		kd_respond_error(req, 422, "validation_failed", "must be accepted or rejected",
				 "decision");
		return false;
	}
	/* No reason is said by leaving the field out: it is not nullable. */
	json_t *r = json_object_get(*doc, "reason_code");
	*reason = json_string_value(r);
	if (json_is_null(r)) {
		kd_respond_error(req, 422, "validation_failed", "must not be null", "reason_code");
		return false;
	}
	if (r != NULL && (*reason == NULL || !listed(employer_reasons, *reason))) {
		kd_respond_error(req, 422, "validation_failed", "unknown reason code", "reason_code");
		return false;
	}
	return true;
}

static void decide_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			      const kd_route_params *route)
{
	long long id;
	if (!kd_respond_parse_id(req, route->value[0], &id))
		return;
	json_t *doc = NULL;
	const char *decision, *reason;
	if (read_decision(req, &doc, &decision, &reason)) {
		char id_text[24], owner[24], token[24];
		kd_idem_params idem = kd_idem_params_of(req);
		snprintf(id_text, sizeof(id_text), "%lld", id);
		snprintf(owner, sizeof(owner), "%lld", (long long)who->employer_id);
		snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
		const char *params[] = {
			id_text, who->role == KD_ROLE_EMPLOYER ? owner : NULL, decision, reason,
			token, idem.key, idem.request_hash,
			who->role == KD_ROLE_ADMIN ? req->request_id : NULL,
		};
		kd_dbreq_submit(app, req, KD_STMT_PLACEMENT_DECIDE, 8, params, on_decided, req);
	}
	json_decref(doc);
}

static void decide_keyed(kd_app *app, kd_http_request *req, const kd_principal *who,
			 const kd_route_params *params)
{
	kd_idem_begin(app, req, who, params, decide_authorised);
}

void kd_handle_placement_decide(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_EMPLOYER | KD_ROLE_ADMIN, decide_keyed);
}
