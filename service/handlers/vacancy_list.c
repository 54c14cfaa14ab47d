/*
 * GET /v1/vacancies: open vacancies, newest-last, with keyset paging on id.
 * Kiosks and admins see every open vacancy; an employer sees its own.
 * Filters: kecamatan, skill, and disability_friendly (so a kiosk can show a
 * seeker with a disability the vacancies whose employers invite them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dbreq.h"
#include "api/heavy_read.h"
#include "api/pgjson.h"
#include "api/query.h"
#include "api/respond.h"
#include "daemon/app.h"
#include "handlers/handlers.h"

#define LIST_DEFAULT_LIMIT 20
#define LIST_MAX_LIMIT 100

typedef struct list_request {
	kd_http_request *req;
	int limit;
} list_request;

static json_t *vacancy_json(const PGresult *res, int i)
{
	static const char *const names[] = {
		"id", "employer_id", "employer_name", "title", "kbji_code", "desa_code",
		"kecamatan_code", "lat", "lon", "min_education", "openings", "wage_min",
		"wage_max", "closes_on", "disability_friendly", "required_skills",
		"optional_skills",
	};
	json_t *(*const convert[])(const PGresult *, int, int) = {
		kd_pgjson_integer, kd_pgjson_integer, kd_pgjson_text, kd_pgjson_text,
		kd_pgjson_text, kd_pgjson_text, kd_pgjson_text, kd_pgjson_real, kd_pgjson_real,
		kd_pgjson_text, kd_pgjson_integer, kd_pgjson_integer, kd_pgjson_integer,
		kd_pgjson_text, kd_pgjson_bool, kd_pgjson_json, kd_pgjson_json,
	};
	json_t *v = json_object();
	for (size_t c = 0; c < sizeof(names) / sizeof(names[0]); c++)
		json_object_set_new(v, names[c], convert[c](res, i, (int)c));
	return v;
}

static void on_list(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	list_request *l = arg;
	if (!kd_dbreq_failed(l->req, job, outcome)) {
		PGresult *res = kd_db_job_result(job, 0);
		int n = PQntuples(res);
		json_t *items = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(items, vacancy_json(res, i));
		json_t *next = n == l->limit ? kd_pgjson_text(res, n - 1, 0) : json_null();
		kd_respond_json(l->req, 200, json_pack("{s:o, s:o}", "vacancies", items,
						       "next_cursor", next));
	}
	free(l);
}

/* Reads an optional parameter; false after answering 422. */
static bool query_param(kd_http_request *req, const char *name, char *out, size_t outlen,
			bool *present)
{
	int rc = kd_query_get(req->query, name, out, outlen);
	if (rc < 0) {
		kd_respond_error(req, 422, "validation_failed", "malformed query parameter", name);
		return false;
	}
	*present = rc > 0;
	return true;
}

static void list_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			    const kd_route_params *route)
{
	(void)route;
	static const char *const allowed[] = { "kecamatan", "skill", "disability_friendly",
					       "limit", "cursor", NULL };
	if (!kd_query_names_allowed(req, allowed))
		return;
	char kecamatan[32], skill[128], cursor[24], skill_id[16], limit_text[16], employer[24];
	char friendly[8];
	bool has_kecamatan, has_skill, has_friendly;
	int limit;
	long long after;
	if (!query_param(req, "kecamatan", kecamatan, sizeof(kecamatan), &has_kecamatan) ||
	    !query_param(req, "skill", skill, sizeof(skill), &has_skill) ||
	    !query_param(req, "disability_friendly", friendly, sizeof(friendly), &has_friendly) ||
	    !kd_query_cursor(req, "cursor", &after) ||
	    !kd_query_limit(req, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, &limit))
		return;
	if (has_friendly && strcmp(friendly, "true") != 0 && strcmp(friendly, "false") != 0) {
		kd_respond_error(req, 422, "validation_failed", "must be true or false",
				 "disability_friendly");
		return;
	}
	if (has_kecamatan && kd_regions_kecamatan(app->reference->regions, kecamatan) == NULL) {
		kd_respond_error(req, 422, "validation_failed", "unknown kecamatan code", "kecamatan");
		return;
	}
	const kd_skill *s = has_skill ? kd_skills_lookup(app->reference->skills, skill) : NULL;
	if (has_skill && s == NULL) {
		kd_respond_error(req, 422, "validation_failed", "unknown skill", "skill");
		return;
	}
	if (s)
		snprintf(skill_id, sizeof(skill_id), "%d", s->id);
	snprintf(cursor, sizeof(cursor), "%lld", after);
	snprintf(limit_text, sizeof(limit_text), "%d", limit);
	snprintf(employer, sizeof(employer), "%lld", (long long)who->employer_id);
	const char *params[] = {
		has_kecamatan ? kecamatan : NULL, s ? skill_id : NULL, cursor, limit_text,
		who->role == KD_ROLE_EMPLOYER ? employer : NULL,
		has_friendly ? friendly : NULL,
	};
	list_request *l = malloc(sizeof(*l));
	if (l == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	*l = (list_request){ .req = req, .limit = limit };
	if (!kd_heavy_read_submit(app, req, who, KD_STMT_VACANCY_LIST, 6, params, on_list, l))
		free(l);
}

void kd_handle_vacancy_list(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_KIOSK | KD_ROLE_EMPLOYER | KD_ROLE_ADMIN,
			list_authorised);
}
