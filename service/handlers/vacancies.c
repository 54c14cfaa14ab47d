/*
 * POST /v1/vacancies (an employer for itself, an admin for any employer)
 * and PATCH /v1/vacancies/{id} (the owner or an admin).  Another employer's
 * vacancy is "not found", never "forbidden", so ids reveal nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "api/dbreq.h"
#include "api/idempotency.h"
#include "api/pgjson.h"
#include "api/respond.h"
#include "daemon/app.h"
#include "handlers/handlers.h"
#include "handlers/insert_params.h"

static void on_created(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed_keyed(req, job, outcome))
		return;
	PGresult *res = kd_db_job_result(job, 0);
	if (PQntuples(res) == 0)
		kd_respond_error(req, 422, "validation_failed", "no such employer", "employer_id");
	else
		kd_respond_json(req, 201, kd_pgjson_id_object(res));
}

/* The employer a vacancy is posted for; 0 after answering 403/422. */
static int64_t owning_employer(kd_http_request *req, const kd_principal *who, int64_t given)
{
	if (who->role == KD_ROLE_EMPLOYER) {
		if (given != 0 && given != who->employer_id) {
			kd_respond_error(req, 403, "forbidden",
					 "an employer may post only its own vacancies", "employer_id");
			return 0;
		}
		return who->employer_id;
	}
	if (given == 0)
		kd_respond_error(req, 422, "validation_failed", "required for admin tokens",
				 "employer_id");
	return given;
}

static void create_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			      const kd_route_params *route)
{
	(void)route;
	kd_validate_ctx ctx = kd_app_validate_ctx(app);
	kd_vacancy_input in;
	kd_field_error err;
	if (kd_validate_vacancy(req->body, req->body_len, &ctx, &in, &err) < 0) {
		kd_respond_field_error(req, &err);
		return;
	}
	int64_t employer_id = owning_employer(req, who, in.employer_id);
	if (employer_id != 0) {
		char token[24];
		kd_idem_params idem = kd_idem_params_of(req);
		snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
		kd_vacancy_params row;
		kd_vacancy_params_fill(&row, &in, employer_id);
		row.params[15] = token;
		row.params[16] = idem.key;
		row.params[17] = idem.request_hash;
		row.params[18] = who->role == KD_ROLE_ADMIN ? req->request_id : NULL;
		kd_dbreq_submit(app, req, KD_STMT_VACANCY_INSERT, KD_VACANCY_INSERT_PARAMS,
				row.params, on_created, req);
	}
	kd_vacancy_input_release(&in);
}

static void create_keyed(kd_app *app, kd_http_request *req, const kd_principal *who,
			 const kd_route_params *params)
{
	kd_idem_begin(app, req, who, params, create_authorised);
}

void kd_handle_vacancy_create(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_EMPLOYER | KD_ROLE_ADMIN, create_keyed);
}

static void on_updated(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed(req, job, outcome))
		return;
	PGresult *res = kd_db_job_result(job, 0);
	if (PQntuples(res) == 0) {
		kd_respond_error(req, 404, "not_found", "no such vacancy", NULL);
		return;
	}
	json_t *body = json_object();
	json_object_set_new(body, "id", kd_pgjson_integer(res, 0, 0));
	json_object_set_new(body, "openings", kd_pgjson_integer(res, 0, 1));
	json_object_set_new(body, "closes_on", kd_pgjson_text(res, 0, 2));
	json_object_set_new(body, "status", kd_pgjson_text(res, 0, 3));
	kd_respond_json(req, 200, body);
}

static void update_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			      const kd_route_params *route)
{
	long long id;
	if (!kd_respond_parse_id(req, route->value[0], &id))
		return;
	kd_validate_ctx ctx = kd_app_validate_ctx(app);
	kd_vacancy_patch in;
	kd_field_error err;
	if (kd_validate_vacancy_patch(req->body, req->body_len, &ctx, &in, &err) < 0) {
		kd_respond_field_error(req, &err);
		return;
	}
	char id_text[24], owner[24], openings[16], closes_on[KD_DATE_SIZE], token[24];
	snprintf(id_text, sizeof(id_text), "%lld", id);
	snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
	snprintf(owner, sizeof(owner), "%lld", (long long)who->employer_id);
	snprintf(openings, sizeof(openings), "%d", in.openings);
	kd_date_format(in.closes_on, closes_on);
	const char *params[] = {
		id_text, who->role == KD_ROLE_EMPLOYER ? owner : NULL,
		in.set_openings ? openings : NULL, in.set_closes_on ? "t" : "f",
		in.set_closes_on && !in.clear_closes_on ? closes_on : NULL, in.status, token,
		who->role == KD_ROLE_ADMIN ? req->request_id : NULL,
	};
	kd_dbreq_submit(app, req, KD_STMT_VACANCY_UPDATE, 8, params, on_updated, req);
	kd_vacancy_patch_release(&in);
}

void kd_handle_vacancy_update(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_EMPLOYER | KD_ROLE_ADMIN, update_authorised);
}
