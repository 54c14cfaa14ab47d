#include "api/routes.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/query.h"
#include "api/respond.h"
#include "daemon/app.h"
#include "handlers/handlers.h"

/* What a route accepts as a request body. */
enum body_rule {
	BODY_NONE,		/* reads none; one sent is ignored */
	BODY_JSON,		/* application/json */
	BODY_JSON_OPTIONAL,	/* application/json, or no body and no Content-Type */
};

typedef struct route {
	const char *pattern;
	enum http_method method;
	kd_route_fn fn;
	bool needs_ready;   /* database and reference data must be up */
	enum body_rule body;
	/*
	 * The handler authorises an API token (kd_auth_require), which checks
	 * the body by kd_routes_body_acceptable() once the role is known: a
	 * caller whose role may not use the route learns nothing more than
	 * 403, whatever it sent.  Other routes' bodies are checked here.
	 */
	bool token;
} route;

static const route routes[] = {
	{ "/v1/health", HTTP_GET, kd_handle_health, false, BODY_NONE, false },
	{ "/v1/openapi.json", HTTP_GET, kd_handle_openapi, false, BODY_NONE, false },
	{ "/v1/kecamatan", HTTP_GET, kd_handle_kecamatan_list, true, BODY_NONE, false },
	{ "/v1/regencies", HTTP_GET, kd_handle_regency_list, true, BODY_NONE, false },
	{ "/v1/kecamatan/{code}/desa", HTTP_GET, kd_handle_desa_list, true, BODY_NONE, false },
	{ "/v1/skills", HTTP_GET, kd_handle_skills_search, true, BODY_NONE, false },
	{ "/v1/seekers", HTTP_POST, kd_handle_seeker_create, true, BODY_JSON, true },
	{ "/v1/seekers/{id}", HTTP_GET, kd_handle_seeker_get, true, BODY_NONE, true },
	{ "/v1/seekers/{id}", HTTP_DELETE, kd_handle_seeker_erase, true, BODY_NONE, true },
	{ "/v1/seekers/{id}/recommendations", HTTP_GET, kd_handle_seeker_recommendations, true, BODY_NONE, true },
	{ "/v1/employers", HTTP_POST, kd_handle_employer_create, true, BODY_JSON, true },
	{ "/v1/vacancies", HTTP_GET, kd_handle_vacancy_list, true, BODY_NONE, true },
	{ "/v1/vacancies", HTTP_POST, kd_handle_vacancy_create, true, BODY_JSON, true },
	{ "/v1/vacancies/{id}", HTTP_PATCH, kd_handle_vacancy_update, true, BODY_JSON, true },
	{ "/v1/match-runs", HTTP_POST, kd_handle_match_run_create, true, BODY_JSON_OPTIONAL, true },
	{ "/v1/match-runs/{id}", HTTP_GET, kd_handle_match_run_get, true, BODY_NONE, true },
	{ "/v1/placements", HTTP_GET, kd_handle_placement_list, true, BODY_NONE, true },
	{ "/v1/placements/{id}/decision", HTTP_POST, kd_handle_placement_decide, true, BODY_JSON, true },
	{ "/v1/status", HTTP_GET, kd_handle_status_moved, false, BODY_NONE, false },
	{ "/v1/status", HTTP_POST, kd_handle_status_lookup, true, BODY_JSON, false },
	{ "/v1/status/decline", HTTP_POST, kd_handle_status_decline, true, BODY_JSON, false },
	{ "/", HTTP_GET, kd_handle_kiosk_index, false, BODY_NONE, false },
	{ "/kiosk/{file}", HTTP_GET, kd_handle_kiosk_file, false, BODY_NONE, false },
	{ "/metrics", HTTP_GET, kd_handle_metrics, false, BODY_NONE, false },
};

/* Segment-wise match; a {placeholder} takes one non-empty segment. */
static bool pattern_match(const char *pattern, const char *path, kd_route_params *params)
{
	int n = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		const char *pend = strchrnul(pattern, '/');
		const char *send = strchrnul(path, '/');
		size_t plen = (size_t)(pend - pattern), slen = (size_t)(send - path);
		if (plen > 1 && pattern[0] == '{') {
			if (slen == 0 || slen >= KD_ROUTE_PARAM_SIZE || n >= KD_ROUTE_MAX_PARAMS)
				return false;
			memcpy(params->value[n], path, slen);
			params->value[n++][slen] = '\0';
		} else if (plen != slen || memcmp(pattern, path, plen) != 0) {
			return false;
		}
		pattern = pend;
		path = send;
	}
	return *pattern == '\0' && *path == '\0';
}

static bool is_json(const char *content_type)
{
	if (content_type == NULL)
		return false;
	static const char json[] = "application/json";
	if (strncasecmp(content_type, json, sizeof(json) - 1) != 0)
		return false;
	const char *rest = content_type + sizeof(json) - 1;
	while (*rest == ' ')
		rest++;
	return *rest == '\0' || *rest == ';';
}

/* GET routes answer HEAD too. */
static enum http_method served_method(const kd_http_request *req)
{
	return req->method == HTTP_HEAD ? HTTP_GET : req->method;
}

static bool body_fits(enum body_rule rule, const kd_http_request *req)
{
	switch (rule) {
	case BODY_NONE:
		return true;
	case BODY_JSON_OPTIONAL:
		if (req->body_len == 0 && req->content_type == NULL)
			return true;
		return is_json(req->content_type);
	case BODY_JSON:
		return is_json(req->content_type);
	}
	return false;
}

bool kd_routes_body_acceptable(kd_http_request *req)
{
	enum http_method method = served_method(req);
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const route *r = &routes[i];
		if (r->pattern != req->route || r->method != method)
			continue;
		if (body_fits(r->body, req))
			return true;
		kd_respond_error(req, 415, "unsupported_media_type",
				 "request body must be application/json", NULL);
		return false;
	}
	return true;
}

static void answer_not_allowed(kd_http_request *req, const char *allow)
{
	char header[128];
	snprintf(header, sizeof(header), "Allow: %s\r\n", allow);
	kd_http_respond_error(req, 405, "method_not_allowed", "method not allowed", NULL, header);
}

/* Tokens in URLs end up in proxy logs and browser history: never accept one. */
static bool token_in_query(kd_http_request *req)
{
	static const char *const names[] = { "access_token", "token", "api_key", "key" };
	char value[8];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (kd_query_get(req->query, names[i], value, sizeof(value)) != 0) {
			kd_respond_error(req, 400, "token_in_query",
					 "send the token in the Authorization header, never in the URL",
					 names[i]);
			return true;
		}
	}
	return false;
}

void kd_routes_dispatch(struct kd_app *app, kd_http_request *req)
{
	if (token_in_query(req))
		return;
	kd_route_params params;
	char allow[96] = "";
	enum http_method method = served_method(req);
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const route *r = &routes[i];
		memset(&params, 0, sizeof(params));
		if (!pattern_match(r->pattern, req->path, &params))
			continue;
		req->route = r->pattern;
		if (r->method != method) {
			const char *name = http_method_str(r->method);
			if (strstr(allow, name) == NULL) {
				size_t len = strlen(allow);
				snprintf(allow + len, sizeof(allow) - len, "%s%s", len ? ", " : "", name);
				if (r->method == HTTP_GET)
					strncat(allow, ", HEAD", sizeof(allow) - strlen(allow) - 1);
			}
			continue;
		}
		if (r->needs_ready && !kd_app_ready(app)) {
			kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
			return;
		}
		if (!r->token && !kd_routes_body_acceptable(req))
			return;
		r->fn(app, req, &params);
		return;
	}
	if (allow[0]) {
		answer_not_allowed(req, allow);
		return;
	}
	kd_respond_error(req, 404, "not_found", "no such resource", NULL);
}
