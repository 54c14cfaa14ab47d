/*
 * The route table of API v1: path patterns with {placeholders}, the methods
 * each serves, and the handler of each.  Unknown paths get 404, known paths
 * with another method 405 with Allow.
 */
#ifndef KD_ROUTES_H
#define KD_ROUTES_H

#include <stdbool.h>

#include "http/http_server.h"

struct kd_app;

#define KD_ROUTE_MAX_PARAMS 2
#define KD_ROUTE_PARAM_SIZE 64

/* Path placeholders of the matched route, in order, NUL-terminated. */
typedef struct kd_route_params {
	char value[KD_ROUTE_MAX_PARAMS][KD_ROUTE_PARAM_SIZE];
} kd_route_params;

typedef void (*kd_route_fn)(struct kd_app *app, kd_http_request *req,
			    const kd_route_params *params);

/*
 * Finds the handler for req and calls it, or answers 400 (a token in the
 * query), 404, 405, 503 or, for a route without a token, 415.  The order
 * of the checks is the order of these answers: a route's roles are checked
 * before its body (see kd_routes_body_acceptable).
 */
void kd_routes_dispatch(struct kd_app *app, kd_http_request *req);

/*
 * Checks that the body of req, a request already dispatched, is what its
 * route accepts: application/json where it reads JSON; for a route whose
 * body is optional, no body without Content-Type as well.  Returns false
 * after answering 415.  kd_auth_require() calls it once the caller's role
 * is allowed, so that the wrong role gets 403 whatever the body.
 */
bool kd_routes_body_acceptable(kd_http_request *req);

#endif
