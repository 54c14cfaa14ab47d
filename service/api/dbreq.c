#include "api/dbreq.h"

#include <stdlib.h>
#include <string.h>

#include "api/idempotency.h"
#include "api/respond.h"
#include "daemon/app.h"

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

/*
 * Refusals that say the database cannot take the work now, not that the
 * request is wrong: read-only (25006), shutting down or starting (57P0x),
 * out of resources (53), serialization or deadlock (40), connection (08).
 */
static bool sqlstate_transient(const char *state)
{
	return strcmp(state, "25006") == 0 || strncmp(state, "57P0", 4) == 0 ||
	       strncmp(state, "53", 2) == 0 || strncmp(state, "40", 2) == 0 ||
	       strncmp(state, "08", 2) == 0;
}

/*
 * Raised by the database for a seeker or vacancy whose village lies outside
 * the service area (schema/migrations/0015_regions_indonesia.sql).  This
 * daemon's cached area let it through, so it is a moment old; the
 * database's answer is the one every daemon shares.
 */
#define SQLSTATE_OUTSIDE_AREA "KDA01"

bool kd_dbreq_failed(kd_http_request *req, kd_db_job *job, kd_db_outcome outcome)
{
	if (outcome == KD_DB_OK)
		return false;
	if (outcome == KD_DB_SQL_ERROR &&
	    strcmp(kd_db_job_sqlstate(job), SQLSTATE_OUTSIDE_AREA) == 0)
		kd_respond_error(req, 422, "validation_failed", "outside the service area",
				 "desa_code");
	else if (outcome == KD_DB_SQL_ERROR && sqlstate_transient(kd_db_job_sqlstate(job)))
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
	else if (outcome == KD_DB_SQL_ERROR)
		kd_respond_internal(req, kd_db_job_sqlstate(job));
	else
		kd_respond_unavailable(req, outcome);
	return true;
}

bool kd_dbreq_unique_violated(const kd_db_job *job, kd_db_outcome outcome)
{
	return outcome == KD_DB_SQL_ERROR && strcmp(kd_db_job_sqlstate(job), "23505") == 0;
}

bool kd_dbreq_failed_keyed(kd_http_request *req, kd_db_job *job, kd_db_outcome outcome)
{
	if (kd_dbreq_unique_violated(job, outcome)) {
		kd_idem_recheck(req);
		return true;
	}
	return kd_dbreq_failed(req, job, outcome);
}
