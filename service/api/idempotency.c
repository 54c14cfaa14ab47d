#include "api/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/dbreq.h"
#include "api/respond.h"
#include "daemon/app.h"

#define KEY_MAX 255
#define HASH_BYTES 32
#define MAX_RECHECKS 3

/*
 * One request under a key.  The records of requests still being answered
 * form a list in the app: at most a few hundred at once, so a scan is
 * cheaper than a table.
 */
typedef struct kd_idem {
	struct kd_idem *next;
	kd_app *app;
	kd_http_request *req;
	int64_t token_id;
	kd_principal who;
	kd_route_params params;
	kd_auth_then proceed;
	int rechecks;
	uint8_t hash[HASH_BYTES];
	char hash_text[2 + 2 * HASH_BYTES + 1];
} kd_idem;

static bool key_valid(const char *key)
{
	size_t len = strlen(key);
	if (len == 0 || len > KEY_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return false;
	return true;
}

static bool in_flight(const kd_app *app, int64_t token_id, const char *key)
{
	for (const kd_idem *r = app->idempotent; r; r = r->next)
		if (r->token_id == token_id && strcmp(r->req->idempotency_key, key) == 0)
			return true;
	return false;
}

/* Method, path and body, each length-prefixed so no two requests collide. */
static void request_hash(const kd_http_request *req, uint8_t out[HASH_BYTES])
{
	crypto_generichash_state st;
	const char *method = http_method_str(req->method);
	uint64_t lens[3] = { strlen(method), strlen(req->path), req->body_len };
	crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)lens, sizeof(lens));
	crypto_generichash_update(&st, (const unsigned char *)method, lens[0]);
	crypto_generichash_update(&st, (const unsigned char *)req->path, lens[1]);
	crypto_generichash_update(&st, (const unsigned char *)req->body, lens[2]);
	crypto_generichash_final(&st, out, HASH_BYTES);
}

/* req's completion hook: the claim ends with the answer, whoever gives it. */
static void release(kd_http_request *req)
{
	kd_idem *r = req->user;
	if (r == NULL)
		return;
	req->user = NULL;
	for (kd_idem **link = &r->app->idempotent; *link; link = &(*link)->next) {
		if (*link == r) {
			*link = r->next;
			break;
		}
	}
	free(r);
}

kd_idem_params kd_idem_params_of(const kd_http_request *req)
{
	const kd_idem *r = req->user;
	if (r == NULL)
		return (kd_idem_params){ NULL, NULL };
	return (kd_idem_params){ req->idempotency_key, r->hash_text };
}

static void replay(kd_http_request *req, const PGresult *res)
{
	size_t len = 0;
	unsigned char *stored = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 0), &len);
	const kd_idem *r = req->user;
	bool same = stored && len == HASH_BYTES && sodium_memcmp(stored, r->hash, HASH_BYTES) == 0;
	PQfreemem(stored);
	if (!same) {
		kd_respond_error(req, 422, "idempotency_key_reused",
				 "this idempotency key was used with another request",
				 "Idempotency-Key");
		return;
	}
	int status = atoi(PQgetvalue(res, 0, 1));
	const char *body = PQgetvalue(res, 0, 2);
	char headers[320] = "Idempotent-Replayed: true\r\n";
	if (!PQgetisnull(res, 0, 3))
		snprintf(headers + strlen(headers), sizeof(headers) - strlen(headers),
			 "Location: %.255s\r\n", PQgetvalue(res, 0, 3));
	kd_http_respond(req, status, "application/json", body, strlen(body), headers);
}

static void on_lookup(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed(req, job, outcome))
		return;
	PGresult *res = kd_db_job_result(job, 0);
	if (PQntuples(res) == 1) {
		replay(req, res);
		return;
	}
	kd_idem *r = req->user;
	r->proceed(r->app, req, &r->who, &r->params);
}

static void submit_lookup(kd_app *app, kd_http_request *req, const kd_idem *r)
{
	char token[24];
	snprintf(token, sizeof(token), "%lld", (long long)r->token_id);
	const char *values[] = { token, req->idempotency_key };
	kd_dbreq_submit(app, req, KD_STMT_IDEMPOTENCY_GET, 2, values, on_lookup, req);
}

void kd_idem_recheck(kd_http_request *req)
{
	kd_idem *r = req->user;
	if (r == NULL || ++r->rechecks > MAX_RECHECKS) {
		kd_respond_unavailable(req, KD_DB_UNKNOWN);
		return;
	}
	submit_lookup(r->app, req, r);
}

void kd_idem_begin(kd_app *app, kd_http_request *req, const kd_principal *who,
		   const kd_route_params *params, kd_auth_then proceed)
{
	const char *key = req->idempotency_key;
	if (key == NULL) {
		proceed(app, req, who, params);
		return;
	}
	if (!key_valid(key)) {
		kd_respond_error(req, 422, "validation_failed",
				 "must be 1 to 255 visible ASCII characters", "Idempotency-Key");
		return;
	}
	if (in_flight(app, who->token_id, key)) {
		kd_respond_error(req, 409, "in_progress",
				 "a request with this idempotency key is still in progress",
				 "Idempotency-Key");
		return;
	}
	kd_idem *r = calloc(1, sizeof(*r));
	if (r == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	*r = (kd_idem){ .next = app->idempotent, .app = app, .req = req, .token_id = who->token_id,
			.who = *who, .params = *params, .proceed = proceed };
	request_hash(req, r->hash);
	memcpy(r->hash_text, "\\x", 2);
	sodium_bin2hex(r->hash_text + 2, sizeof(r->hash_text) - 2, r->hash, HASH_BYTES);
	app->idempotent = r;
	req->user = r;
	req->on_end = release;
	submit_lookup(app, req, r);
}
