/*
 * Health and the reference data served from memory: the service area's
 * regencies, kecamatan and villages, and the skills taxonomy.  None of
 * these needs a token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/query.h"
#include "api/respond.h"
#include "core/text.h"
#include "daemon/app.h"
#include "handlers/handlers.h"
#include "kd.h"

#define SKILLS_DEFAULT_LIMIT 10
#define SKILLS_MAX_LIMIT 50
/*
 * The longest q, in characters as the API description's maxLength counts
 * them: no term of the taxonomy is longer even in bytes, so a longer q
 * could match nothing.  Each character takes at most four bytes.
 */
#define SKILLS_QUERY_MAX_CHARS (KD_SKILL_TERM_SIZE - 1)
#define SKILLS_QUERY_MAX_BYTES (4 * SKILLS_QUERY_MAX_CHARS)

void kd_handle_health(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	/* Two fixed answers: nothing to build for the most frequent request. */
	if (kd_app_ready(app))
		kd_respond_text(req, 200, "{\"status\":\"ok\",\"database\":\"up\"}", NULL);
	else
		kd_respond_text(req, 503, "{\"status\":\"degraded\",\"database\":\"down\"}",
				"Retry-After: 1\r\n");
}

void kd_handle_regency_list(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	kd_respond_json(req, 200, json_pack("{s:O}", "regencies", app->reference->regencies));
}

static json_t *kecamatan_list(const kd_regions *regions)
{
	size_t count = 0;
	const kd_kecamatan *list = kd_regions_kecamatan_list(regions, &count);
	json_t *items = json_array();
	for (size_t i = 0; i < count; i++) {
		size_t villages = 0;
		kd_regions_desa_of(regions, list[i].code, &villages);
		json_array_append_new(items, json_pack("{s:s, s:s, s:f, s:f, s:I}",
			"code", list[i].code, "name", list[i].name, "lat", list[i].lat,
			"lon", list[i].lon, "villages", (json_int_t)villages));
	}
	return json_pack("{s:o}", "kecamatan", items);
}

/*
 * Built once per reference set: over the nation the list took 15 ms of the
 * loop each time a kiosk started.
 */
void kd_handle_kecamatan_list(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	kd_reference *ref = app->reference;
	if (ref->kecamatan_answer == NULL) {
		json_t *body = kecamatan_list(ref->regions);
		ref->kecamatan_answer = body ? kd_respond_serialise(body) : NULL;
		json_decref(body);
	}
	if (ref->kecamatan_answer == NULL)
		kd_respond_error(req, 500, "internal", "internal error", NULL);
	else
		kd_respond_text(req, 200, ref->kecamatan_answer, NULL);
}

void kd_handle_desa_list(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	const char *code = p->value[0];
	const kd_kecamatan *kec = kd_regions_kecamatan(app->reference->regions, code);
	if (kec == NULL) {
		kd_respond_error(req, 404, "not_found", "no such kecamatan", "code");
		return;
	}
	size_t count = 0;
	const kd_desa *list = kd_regions_desa_of(app->reference->regions, code, &count);
	json_t *items = json_array();
	for (size_t i = 0; i < count; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:f, s:f}",
			"code", list[i].code, "name", list[i].name,
			"kind", kd_desa_kind_name(list[i].kind), "lat", list[i].lat,
			"lon", list[i].lon));
	kd_respond_json(req, 200, json_pack("{s:s, s:s, s:o}", "kecamatan_code", kec->code,
					    "kecamatan_name", kec->name, "desa", items));
}

/*
 * Reads the optional q of GET /v1/skills into q (size bytes, "" when
 * absent): UTF-8 text of at most SKILLS_QUERY_MAX_CHARS characters, without
 * NUL.  Returns false after answering 422 naming q.
 */
static bool read_skills_query(kd_http_request *req, char *q, size_t size)
{
	int rc = kd_query_get(req->query, "q", q, size);
	size_t chars = 0;
	const char *problem = NULL;
	char too_long[48];
	snprintf(too_long, sizeof(too_long), "must be at most %d characters",
		 SKILLS_QUERY_MAX_CHARS);
	if (rc == kd_error(ENOSPC))
		problem = too_long;
	else if (rc < 0)
		problem = "must be percent-encoded text without nul characters";
	else if (kd_text_utf8_length(q, strlen(q), &chars) < 0)
		problem = "must be valid utf-8";
	else if (chars > SKILLS_QUERY_MAX_CHARS)
		problem = too_long;
	if (problem)
		kd_respond_error(req, 422, "validation_failed", problem, "q");
	return problem == NULL;
}

void kd_handle_skills_search(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	static const char *const allowed[] = { "q", "limit", NULL };
	if (!kd_query_names_allowed(req, allowed))
		return;
	char q[SKILLS_QUERY_MAX_BYTES + 1] = "";
	if (!read_skills_query(req, q, sizeof(q)))
		return;
	int limit;
	if (!kd_query_limit(req, SKILLS_DEFAULT_LIMIT, SKILLS_MAX_LIMIT, &limit))
		return;
	const kd_skill *found[SKILLS_MAX_LIMIT];
	size_t n = kd_skills_search(app->reference->skills, q, (size_t)limit, found);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "code", found[i]->code,
			"label", found[i]->label_id, "label_en", found[i]->label_en));
	kd_respond_json(req, 200, json_pack("{s:o}", "skills", items));
}
