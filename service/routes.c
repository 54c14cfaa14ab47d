#include "routes.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "handlers.h"
#include "query.h"
#include "respond.h"

typedef struct route {
	const char *pattern;
	enum http_method method;
	kd_route_fn fn;
	bool needs_ready;   /* database and reference data must be up */
	bool json_body;
} route;

static const route routes[] = {
	{ "/v1/health", HTTP_GET, kd_handle_health, false, false },
	{ "/v1/openapi.json", HTTP_GET, kd_handle_openapi, false, false },
	{ "/v1/kecamatan", HTTP_GET, kd_handle_kecamatan_list, true, false },
	{ "/v1/kecamatan/{code}/desa", HTTP_GET, kd_handle_desa_list, true, false },
	{ "/v1/skills", HTTP_GET, kd_handle_skills_search, true, false },
	{ "/v1/seekers", HTTP_POST, kd_handle_seeker_create, true, true },
	{ "/v1/seekers/{id}", HTTP_GET, kd_handle_seeker_get, true, false },
	{ "/v1/seekers/{id}", HTTP_DELETE, kd_handle_seeker_erase, true, false },
	{ "/v1/seekers/{id}/recommendations", HTTP_GET, kd_handle_seeker_recommendations, true, false },
	{ "/v1/employers", HTTP_POST, kd_handle_employer_create, true, true },
	{ "/v1/vacancies", HTTP_GET, kd_handle_vacancy_list, true, false },
	{ "/v1/vacancies", HTTP_POST, kd_handle_vacancy_create, true, true },
	{ "/v1/vacancies/{id}", HTTP_PATCH, kd_handle_vacancy_update, true, true },
	{ "/v1/match-runs", HTTP_POST, kd_handle_match_run_create, true, true },
	{ "/v1/match-runs/{id}", HTTP_GET, kd_handle_match_run_get, true, false },
	{ "/v1/placements", HTTP_GET, kd_handle_placement_list, true, false },
	{ "/v1/placements/{id}/decision", HTTP_POST, kd_handle_placement_decide, true, true },
	{ "/v1/status", HTTP_GET, kd_handle_status_get, true, false },
	{ "/v1/status/decline", HTTP_POST, kd_handle_status_decline, true, true },
	{ "/", HTTP_GET, kd_handle_kiosk_index, false, false },
	{ "/kiosk/{file}", HTTP_GET, kd_handle_kiosk_file, false, false },
	{ "/metrics", HTTP_GET, kd_handle_metrics, false, false },
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
	enum http_method method = req->method == HTTP_HEAD ? HTTP_GET : req->method;
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
		if (r->json_body && !is_json(req->content_type)) {
			kd_respond_error(req, 415, "unsupported_media_type",
					 "request body must be application/json", NULL);
			return;
		}
		if (r->needs_ready && !kd_app_ready(app)) {
			kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
			return;
		}
		r->fn(app, req, &params);
		return;
	}
	if (allow[0]) {
		answer_not_allowed(req, allow);
		return;
	}
	kd_respond_error(req, 404, "not_found", "no such resource", NULL);
}
