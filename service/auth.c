#include "auth.h"

#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "app.h"
#include "dbreq.h"
#include "kd.h"
#include "respond.h"
#include "token.h"

#define CACHE_BUCKETS 1024
#define CACHE_MAX_ENTRIES 20000
#define CACHE_TTL_MS (60 * 1000)

typedef struct cache_entry {
	struct cache_entry *next;
	char key_id[KD_TOKEN_KEY_ID_LEN + 1];
	uint8_t hash[KD_TOKEN_HASH_BYTES];
	kd_principal who;
	uint64_t expires;
} cache_entry;

struct kd_token_cache {
	cache_entry *buckets[CACHE_BUCKETS];
	unsigned entries;
};

static unsigned bucket_of(const char *key_id)
{
	/* key ids are random hex: their first characters spread well. */
	return (unsigned)strtoul((char[]){ key_id[0], key_id[1], key_id[2], 0 }, NULL, 16) %
	       CACHE_BUCKETS;
}

kd_token_cache *kd_token_cache_new(void)
{
	return calloc(1, sizeof(kd_token_cache));
}

void kd_token_cache_forget(kd_token_cache *cache, const char *key_id)
{
	for (unsigned b = 0; b < CACHE_BUCKETS; b++) {
		if (key_id && b != bucket_of(key_id))
			continue;
		cache_entry **link = &cache->buckets[b];
		while (*link) {
			cache_entry *e = *link;
			if (key_id == NULL || strcmp(e->key_id, key_id) == 0) {
				*link = e->next;
				sodium_memzero(e, sizeof(*e));
				free(e);
				cache->entries--;
			} else {
				link = &e->next;
			}
		}
	}
}

void kd_token_cache_free(kd_token_cache *cache)
{
	if (cache) {
		kd_token_cache_forget(cache, NULL);
		free(cache);
	}
}

static const cache_entry *cache_find(kd_token_cache *cache, const char *key_id, uint64_t now)
{
	for (cache_entry *e = cache->buckets[bucket_of(key_id)]; e; e = e->next)
		if (strcmp(e->key_id, key_id) == 0)
			return e->expires > now ? e : NULL;
	return NULL;
}

static void cache_put(kd_token_cache *cache, const kd_token_parts *parts, const kd_principal *who,
		      uint64_t now)
{
	kd_token_cache_forget(cache, parts->key_id);
	if (cache->entries >= CACHE_MAX_ENTRIES)
		kd_token_cache_forget(cache, NULL);
	cache_entry *e = calloc(1, sizeof(*e));
	if (e == NULL)
		return;
	memcpy(e->key_id, parts->key_id, sizeof(e->key_id));
	memcpy(e->hash, parts->hash, sizeof(e->hash));
	e->who = *who;
	e->expires = now + CACHE_TTL_MS;
	unsigned b = bucket_of(parts->key_id);
	e->next = cache->buckets[b];
	cache->buckets[b] = e;
	cache->entries++;
}

static void finish(kd_app *app, kd_http_request *req, const kd_route_params *params,
		   unsigned allowed, kd_auth_then then, const kd_principal *who)
{
	if (!(who->role & allowed)) {
		kd_respond_error(req, 403, "forbidden", "this token's role may not do this", NULL);
		return;
	}
	if (kd_app_rate_ok(app, app->request_limit, req, who->token_id))
		then(app, req, who, params);
}

typedef struct lookup {
	kd_app *app;
	kd_http_request *req;
	unsigned allowed;
	kd_auth_then then;
	kd_route_params params;
	kd_token_parts parts;
} lookup;

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

/* Checks the api_tokens row (or its absence) against the presented token. */
static void verify_row(lookup *l, const PGresult *res)
{
	if (PQntuples(res) != 1) {
		kd_respond_unauthorized(l->req);
		return;
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
		return;
	}
	cache_put(l->app->tokens, &l->parts, &who, uv_now(l->app->loop));
	finish(l->app, l->req, &l->params, l->allowed, l->then, &who);
}

static void on_lookup(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	lookup *l = arg;
	if (!kd_dbreq_failed(l->req, job, outcome))
		verify_row(l, kd_db_job_result(job, 0));
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
	const cache_entry *hit = cache_find(app->tokens, parts.key_id, uv_now(app->loop));
	if (hit) {
		bool ok = sodium_memcmp(hit->hash, parts.hash, sizeof(parts.hash)) == 0;
		kd_principal who = hit->who;
		sodium_memzero(&parts, sizeof(parts));
		if (!ok)
			kd_respond_unauthorized(req);
		else
			finish(app, req, params, allowed, then, &who);
		return;
	}
	lookup *l = malloc(sizeof(*l));
	if (l == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	*l = (lookup){ .app = app, .req = req, .allowed = allowed, .then = then,
		       .params = *params, .parts = parts };
	sodium_memzero(&parts, sizeof(parts));
	const char *values[] = { l->parts.key_id };
	if (!kd_dbreq_submit(app, req, KD_STMT_TOKEN_LOOKUP, 1, values, on_lookup, l))
		free(l);
}
