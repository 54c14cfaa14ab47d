#include "api/auth.h"

#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/dbreq.h"
#include "api/respond.h"
#include "api/token.h"
#include "daemon/app.h"
#include "kd.h"

/*
 * A lookup whose answer may predate a revocation is asked again, so that
 * the answer reflects it.  Each notice for its token, or for every token,
 * that comes while it is in flight costs it one more; past this many it is
 * answered 503.
 */
#define MAX_LOOKUPS 3

static void finish(kd_app *app, kd_http_request *req, const kd_route_params *params,
		   unsigned allowed, kd_auth_then then, const kd_principal *who)
{
	if (!(who->role & allowed)) {
		kd_respond_error(req, 403, "forbidden", "this token's role may not do this", NULL);
		return;
	}
	if (kd_app_rate_ok(app, app->request_limit, req, who->token_id) &&
	    kd_routes_body_acceptable(req))
		then(app, req, who, params);
}

typedef struct lookup {
	kd_app *app;
	kd_http_request *req;
	unsigned allowed;
	kd_auth_then then;
	kd_route_params params;
	kd_token_parts parts;
	uint64_t generation;    /* the token cache's when this lookup was sent */
	unsigned attempts;
} lookup;

static void on_lookup(kd_db_job *job, kd_db_outcome outcome, void *arg);

/*
 * Sends the lookup, noting the cache generation first.  Returns false when
 * it could not be queued: the request has been answered 503 and the caller
 * still owns l.
 */
static bool submit_lookup(lookup *l)
{
	l->generation = kd_token_cache_generation(l->app->tokens);
	l->attempts++;
	const char *values[] = { l->parts.key_id };
	return kd_dbreq_submit(l->app, l->req, KD_STMT_TOKEN_LOOKUP, 1, values, on_lookup, l);
}

static kd_role role_parse(const char *s)
{
	if (strcmp(s, "kiosk") == 0)
		return KD_ROLE_KIOSK;
	if (strcmp(s, "employer") == 0)
		return KD_ROLE_EMPLOYER;
	if (strcmp(s, "admin") == 0)
		return KD_ROLE_ADMIN;
	return KD_ROLE_NONE;
}

/*
 * Checks the api_tokens row (or its absence) against the presented token
 * and answers, or continues the request.  Returns true when instead the
 * lookup went to the database again (l then lives on): a valid answer that
 * a revocation notice overtook may be stale.  An invalid answer never is,
 * since a revoked token does not come back.
 */
static bool verify_row(lookup *l, const PGresult *res)
{
	if (PQntuples(res) != 1) {
		kd_respond_unauthorized(l->req);
		return false;
	}
	size_t len = 0;
	unsigned char *stored = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 1), &len);
	bool ok = stored && kd_token_matches(&l->parts, stored, len);
	PQfreemem(stored);
	kd_principal who = {
		.role = role_parse(PQgetvalue(res, 0, 2)),
		.token_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10),
		.employer_id = PQgetisnull(res, 0, 3) ? 0 : strtoll(PQgetvalue(res, 0, 3), NULL, 10),
	};
	if (!ok || who.role == KD_ROLE_NONE) {
		kd_respond_unauthorized(l->req);
		return false;
	}
	int cached = kd_token_cache_put(l->app->tokens, &l->parts, &who, l->generation,
					uv_now(l->app->loop));
	if (cached == kd_error(ESTALE)) {
		if (l->attempts < MAX_LOOKUPS)
			return submit_lookup(l);
		kd_respond_unavailable(l->req, KD_DB_UNAVAILABLE);
		return false;
	}
	/* Not cached for want of memory is only slower: the answer is current. */
	finish(l->app, l->req, &l->params, l->allowed, l->then, &who);
	return false;
}

static void on_lookup(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	lookup *l = arg;
	if (!kd_dbreq_failed(l->req, job, outcome) && verify_row(l, kd_db_job_result(job, 0)))
		return;
	sodium_memzero(&l->parts, sizeof(l->parts));
	free(l);
}

void kd_auth_require(kd_app *app, kd_http_request *req, const kd_route_params *params,
		     unsigned allowed, kd_auth_then then)
{
	kd_token_parts parts;
	if (kd_token_parse_header(req->authorization, &parts) < 0) {
		kd_respond_unauthorized(req);
		return;
	}
	kd_principal who;
	kd_token_cache_result hit = kd_token_cache_find(app->tokens, &parts, uv_now(app->loop),
							&who);
	if (hit != KD_TOKEN_CACHE_MISS) {
		sodium_memzero(&parts, sizeof(parts));
		if (hit == KD_TOKEN_CACHE_INVALID)
			kd_respond_unauthorized(req);
		else
			finish(app, req, params, allowed, then, &who);
		return;
	}
	lookup *l = malloc(sizeof(*l));
	if (l == NULL) {
		sodium_memzero(&parts, sizeof(parts));
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	*l = (lookup){ .app = app, .req = req, .allowed = allowed, .then = then,
		       .params = *params, .parts = parts };
	sodium_memzero(&parts, sizeof(parts));
	if (!submit_lookup(l)) {
		sodium_memzero(&l->parts, sizeof(l->parts));
		free(l);
	}
}
