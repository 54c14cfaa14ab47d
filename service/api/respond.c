#include "api/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


char *kd_respond_serialise(const json_t *body)
{
	return json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
}

void kd_respond_text(kd_http_request *req, int status, const char *json, const char *headers)
{
	kd_http_respond(req, status, "application/json", json, strlen(json), headers);
}

void kd_respond_no_content(kd_http_request *req)
{
	kd_http_respond(req, 204, NULL, NULL, 0, NULL);
}

void kd_respond_json_with(kd_http_request *req, int status, json_t *body, const char *headers)
{
	char *text = kd_respond_serialise(body);
	json_decref(body);
	if (text == NULL) {
		kd_respond_error(req, 500, "internal", "internal error", NULL);
		return;
	}
	kd_respond_text(req, status, text, headers);
	free(text);
}

void kd_respond_json(kd_http_request *req, int status, json_t *body)
{
	kd_respond_json_with(req, status, body, NULL);
}

void kd_respond_error(kd_http_request *req, int status, const char *code, const char *message,
		      const char *field)
{
	kd_http_respond_error(req, status, code, message, field, NULL);
}

void kd_respond_unavailable(kd_http_request *req, kd_db_outcome outcome)
{
	kd_http_respond_error(req, 503, "database_unavailable",
			      outcome == KD_DB_UNKNOWN ?
				      "database connection lost; the outcome is unknown, retry" :
				      "database unavailable, retry later",
			      NULL, "Retry-After: 1\r\n");
}

void kd_respond_internal(kd_http_request *req, const char *sqlstate)
{
	fprintf(stderr, "level=error msg=\"unexpected database error\" request_id=%s sqlstate=%s\n",
		req->request_id, sqlstate && *sqlstate ? sqlstate : "-");
	kd_http_respond_error(req, 500, "internal", "internal error", NULL, NULL);
}

void kd_respond_unauthorized(kd_http_request *req)
{
	kd_http_respond_error(req, 401, "unauthorized", "missing or invalid token", NULL,
			      "WWW-Authenticate: Bearer\r\n");
}

/* Parses a positive decimal id path segment; false after answering 404. */
bool kd_respond_parse_id(kd_http_request *req, const char *text, long long *id)
{
	char *end = NULL;
	*id = strtoll(text, &end, 10);
	if (end == text || *end != '\0' || *id <= 0 || text[0] == '+' || text[0] == '0') {
		kd_respond_error(req, 404, "not_found", "no such resource", NULL);
		return false;
	}
	return true;
}


void kd_respond_field_error(kd_http_request *req, const kd_field_error *err)
{
	kd_respond_error(req, err->status, err->code, err->message,
			 err->field[0] ? err->field : NULL);
}
