/*
 * POST /v1/employers (admin).
 */
#include <stdio.h>
#include <stdlib.h>

#include "api/dbreq.h"
#include "api/idempotency.h"
#include "api/pgjson.h"
#include "api/respond.h"
#include "daemon/app.h"
#include "handlers/handlers.h"

static void on_inserted(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (!kd_dbreq_failed_keyed(req, job, outcome))
		kd_respond_json(req, 201, kd_pgjson_id_object(kd_db_job_result(job, 0)));
}

static void create_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			      const kd_route_params *route)
{
	(void)route;
	kd_validate_ctx ctx = kd_app_validate_ctx(app);
	kd_employer_input in;
	kd_field_error err;
	if (kd_validate_employer(req->body, req->body_len, &ctx, &in, &err) < 0) {
		kd_respond_field_error(req, &err);
		return;
	}
	kd_idem_params idem = kd_idem_params_of(req);
	char token[24];
	snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
	const char *params[] = {
		in.name, in.kbli_code, in.desa->code, in.desa->kecamatan->code, in.contact_name,
		in.contact_phone[0] ? in.contact_phone : NULL, in.contact_email,
		token, idem.key, idem.request_hash, req->request_id,
	};
	kd_dbreq_submit(app, req, KD_STMT_EMPLOYER_INSERT, 11, params, on_inserted, req);
	kd_employer_input_release(&in);
}

static void create_keyed(kd_app *app, kd_http_request *req, const kd_principal *who,
			 const kd_route_params *params)
{
	kd_idem_begin(app, req, who, params, create_authorised);
}

void kd_handle_employer_create(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_ADMIN, create_keyed);
}
