/*
 * Who is calling: the bearer token of a request, checked against
 * api_tokens.  Verified tokens are cached for a short while (token_cache.h)
 * so that most requests need no database round trip; a revocation reaches
 * every daemon through NOTIFY on the channel KD_AUTH_CHANNEL and drops the
 * cache entry at once, and a lookup answered after a revocation notice is
 * asked again rather than cached, so the revocation wins.
 */
#ifndef KD_AUTH_H
#define KD_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "api/principal.h"
#include "api/routes.h"
#include "api/token_cache.h"
#include "http/http_server.h"

#define KD_AUTH_CHANNEL "kd_token_revoked"

struct kd_app;

/*
 * Continues a request once its caller is known.  Called exactly once:
 * with the principal when the token is valid, its role is among `allowed`
 * (a mask of kd_role), its rate allows the request and the request's body
 * is what its route accepts (kd_routes_body_acceptable); otherwise auth has
 * already answered the request (401, 403, 429, 415 or 503, checked in that
 * order) and `then` is not called.
 */
typedef void (*kd_auth_then)(struct kd_app *app, kd_http_request *req, const kd_principal *who,
			     const kd_route_params *params);
void kd_auth_require(struct kd_app *app, kd_http_request *req, const kd_route_params *params,
		     unsigned allowed, kd_auth_then then);

#endif
