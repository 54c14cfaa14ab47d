/*
 * The route table of API v1: path patterns with {placeholders}, the methods
 * each serves, and the handler of each.  Unknown paths get 404, known paths
 * with another method 405 with Allow.
 */
#ifndef KD_ROUTES_H
#define KD_ROUTES_H

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

/* Finds the handler for req and calls it, or answers 404/405/415/503. */
void kd_routes_dispatch(struct kd_app *app, kd_http_request *req);

#endif
