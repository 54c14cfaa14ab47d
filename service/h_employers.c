/*
 * POST /v1/employers (admin).
 */
#include <stdlib.h>

#include "app.h"
#include "dbreq.h"
#include "handlers.h"
#include "pgjson.h"
#include "respond.h"

static void on_inserted(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (!kd_dbreq_failed(req, job, outcome))
		kd_respond_json(req, 201, kd_pgjson_id_object(kd_db_job_result(job, 0)));
}

static void create_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			      const kd_route_params *route)
{
	(void)who;
	(void)route;
	kd_validate_ctx ctx = kd_app_validate_ctx(app);
	kd_employer_input in;
	kd_field_error err;
	if (kd_validate_employer(req->body, req->body_len, &ctx, &in, &err) < 0) {
		kd_respond_field_error(req, &err);
		return;
	}
	const char *params[] = {
		in.name, in.kbli_code, in.desa->code, in.desa->kecamatan->code, in.contact_name,
		in.contact_phone[0] ? in.contact_phone : NULL, in.contact_email,
	};
	kd_dbreq_submit(app, req, KD_STMT_EMPLOYER_INSERT, 7, params, on_inserted, req);
	kd_employer_input_release(&in);
}

void kd_handle_employer_create(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_ADMIN, create_authorised);
}
