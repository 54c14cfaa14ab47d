/*
 * Who is calling: the bearer token of a request, checked against
 * api_tokens.  Verified tokens are cached for a short while so that most
 * requests need no database round trip; a revocation reaches every daemon
 * through NOTIFY on the channel KD_AUTH_CHANNEL and drops the cache entry
 * at once.
 */
#ifndef KD_AUTH_H
#define KD_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http_server.h"
#include "routes.h"

#define KD_AUTH_CHANNEL "kd_token_revoked"

typedef enum kd_role {
	KD_ROLE_NONE = 0,
	KD_ROLE_KIOSK = 1 << 0,
	KD_ROLE_EMPLOYER = 1 << 1,
	KD_ROLE_ADMIN = 1 << 2,
} kd_role;

typedef struct kd_principal {
	kd_role role;
	int64_t token_id;
	int64_t employer_id;   /* employer tokens only, else 0 */
} kd_principal;

typedef struct kd_token_cache kd_token_cache;
struct kd_app;

kd_token_cache *kd_token_cache_new(void);
void kd_token_cache_free(kd_token_cache *cache);
/* Forgets one key id (revocation) or, with NULL, every entry. */
void kd_token_cache_forget(kd_token_cache *cache, const char *key_id);

/*
 * Continues a request once its caller is known.  Called exactly once:
 * with the principal when the token is valid and its role is among
 * `allowed` (a mask of kd_role); otherwise auth has already answered the
 * request (401, 403 or 503) and `then` is not called.
 */
typedef void (*kd_auth_then)(struct kd_app *app, kd_http_request *req, const kd_principal *who,
			     const kd_route_params *params);
void kd_auth_require(struct kd_app *app, kd_http_request *req, const kd_route_params *params,
		     unsigned allowed, kd_auth_then then);

#endif
