#include "dbreq.h"

#include <stdlib.h>

#include "app.h"
#include "respond.h"

bool kd_dbreq_submit(kd_app *app, kd_http_request *req, kd_stmt stmt, int nparams,
		     const char *const *params, kd_db_job_cb cb, void *ctx)
{
	kd_db_job *job = kd_db_job_new(cb, ctx);
	if (job != NULL && kd_db_job_add(job, stmt, nparams, params) < 0) {
		kd_db_job_free_unsubmitted(job);
		job = NULL;
	}
	/* kd_db_submit frees a job it refuses. */
	if (job != NULL && kd_db_submit(app->db, job, KD_DB_DEADLINE_MS) == 0)
		return true;
	kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
	return false;
}

bool kd_dbreq_failed(kd_http_request *req, kd_db_job *job, kd_db_outcome outcome)
{
	if (outcome == KD_DB_OK)
		return false;
	if (outcome == KD_DB_SQL_ERROR)
		kd_respond_internal(req, kd_db_job_sqlstate(job));
	else
		kd_respond_unavailable(req, outcome);
	return true;
}
