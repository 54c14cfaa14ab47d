/*
 * Response helpers for handlers: JSON bodies, the error shape
 * {"error":{"code","message","field"}} and the database failure answers.
 * Each call answers the request, after which it must not be touched, and
 * ends the request's idempotency record first (see idempotency.h).
 */
#ifndef KD_RESPOND_H
#define KD_RESPOND_H

#include <stdbool.h>
#include <jansson.h>

#include "core/validate.h"

#include "db/db_pool.h"
#include "http/http_server.h"

/* Answers with body serialised compactly; body is stolen. */
void kd_respond_json(kd_http_request *req, int status, json_t *body);

/* The same with extra header lines ("Name: value\r\n"...); borrowed. */
void kd_respond_json_with(kd_http_request *req, int status, json_t *body, const char *headers);

/* The compact serialisation every answer uses; a new string (free()), or NULL. */
char *kd_respond_serialise(const json_t *body);

/* Answers with a JSON text already serialised (borrowed). */
void kd_respond_text(kd_http_request *req, int status, const char *json, const char *headers);

/* 204 with no body. */
void kd_respond_no_content(kd_http_request *req);

/* Answers with the error shape; field may be NULL. */
void kd_respond_error(kd_http_request *req, int status, const char *code, const char *message,
		      const char *field);

/* 503 with Retry-After for KD_DB_UNAVAILABLE and KD_DB_UNKNOWN. */
void kd_respond_unavailable(kd_http_request *req, kd_db_outcome outcome);

/* 500 for a failure that is ours, logged by sqlstate only. */
void kd_respond_internal(kd_http_request *req, const char *sqlstate);

/* The identical 401 for a missing, malformed, unknown or revoked token. */
void kd_respond_unauthorized(kd_http_request *req);

/* Answers a validation failure from lib/core/validate.h. */
void kd_respond_field_error(kd_http_request *req, const kd_field_error *err);

/*
 * Parses a positive decimal id from a path segment (no sign, no leading
 * zero).  Returns false after answering 404: a malformed id names nothing.
 */
bool kd_respond_parse_id(kd_http_request *req, const char *text, long long *id);

#endif
