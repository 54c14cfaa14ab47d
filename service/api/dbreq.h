/*
 * The database round trip of a request handler, with the failure answers
 * every handler gives the same way.
 */
#ifndef KD_DBREQ_H
#define KD_DBREQ_H

#include <stdbool.h>

#include "db/db_pool.h"
#include "http/http_server.h"

struct kd_app;

/*
 * Submits one statement for req with the request deadline; cb gets ctx.
 * When the job cannot be queued, answers 503 and returns false: cb will
 * not run and the caller still owns ctx.
 */
bool kd_dbreq_submit(struct kd_app *app, kd_http_request *req, kd_stmt stmt, int nparams,
		     const char *const *params, kd_db_job_cb cb, void *ctx);

/*
 * In a job callback: when outcome is not KD_DB_OK, answers req (503 for an
 * unavailable database, an unknown outcome or a refusal of the moment such
 * as a read-only database; 422 naming desa_code for a place outside the
 * service area; 500 for a statement the server refused) and returns true.
 */
bool kd_dbreq_failed(kd_http_request *req, kd_db_job *job, kd_db_outcome outcome);

/* True when the job's statement broke a unique key (SQLSTATE 23505). */
bool kd_dbreq_unique_violated(const kd_db_job *job, kd_db_outcome outcome);

/*
 * kd_dbreq_failed() for a write stored under the request's Idempotency-Key:
 * a broken unique key means another daemon stored the same key first (or
 * an id collided), so the key is looked up again (kd_idem_recheck), which
 * answers in time.  True when req is taken care of.
 */
bool kd_dbreq_failed_keyed(kd_http_request *req, kd_db_job *job, kd_db_outcome outcome);

#endif
