/*
 * A connection's side of batch statements (statements.h,
 * kd_stmt_batch_of()): which jobs of a segment go out together, sending
 * them as one statement, and handing each job its share of the answer.
 */
#include <stdlib.h>

#include "db/db_batch.h"
#include "db/db_internal.h"
#include "kd.h"

/* Parameters of a statement with a batch form, at most. */
#define KD_DB_BATCH_MAX_PARAMS 32

bool kd_db_job_has_batch_form(const kd_db_job *job)
{
	return job->nstatements == 1 && kd_stmt_batch_of(job->statements[0].stmt) != KD_STMT_COUNT;
}

/*
 * How many jobs from job on (within its segment) can go out as one batch
 * statement: jobs of a single statement that has a batch form, the same.
 */
int kd_db_batch_run(const kd_db_job *job)
{
	if (!kd_db_job_has_batch_form(job))
		return 1;
	int n = 1;
	for (const kd_db_job *next = job; !next->segment_end && next->next != NULL; next = next->next) {
		const kd_db_job *candidate = next->next;
		if (candidate->nstatements != 1 ||
		    candidate->statements[0].stmt != job->statements[0].stmt)
			break;
		n++;
	}
	return n;
}

/* Sends the n jobs from job on as one batch statement; false if libpq refused. */
bool kd_db_batch_send(PGconn *pg, kd_db_job *job, int n)
{
	char **rows[KD_DB_SEGMENT_MAX_JOBS];
	kd_db_job *member = job;
	for (int i = 0; i < n; i++, member = member->next)
		rows[i] = member->statements[0].values;
	const kd_stmt_def *def = kd_stmt_get(kd_stmt_batch_of(job->statements[0].stmt));
	int nparams = job->statements[0].nparams;
	if (def->nparams != nparams || nparams > KD_DB_BATCH_MAX_PARAMS)
		return false;
	char *columns[KD_DB_BATCH_MAX_PARAMS];
	bool built = true;
	for (int c = 0; c < nparams; c++) {
		columns[c] = kd_db_text_array_column((char *const *const *)rows, n, c);
		built = built && columns[c] != NULL;
	}
	int sent = built ? PQsendQueryPrepared(pg, def->name, nparams,
					      (const char *const *)columns, NULL, NULL, 0) : 0;
	for (int c = 0; c < nparams; c++)
		free(columns[c]);
	if (sent != 1)
		return false;
	job->batch = n;
	return true;
}

/*
 * A batch statement's answer, one row (ord, value) per job in order: each
 * job gets the one-row, one-column answer its own statement would have
 * given.
 */
void kd_db_batch_store_result(kd_db_job *head, PGresult *res)
{
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
		break;
	case PGRES_PIPELINE_ABORTED:
		PQclear(res);
		return;
	default:
		/* Nobody's own fault yet: each job will run again alone. */
		head->batch_failed = true;
		PQclear(res);
		return;
	}
	PGresAttDesc column = {
		.name = PQfname(res, 1),
		.format = 0,
		.typid = PQftype(res, 1),
		.typlen = PQfsize(res, 1),
		.atttypmod = PQfmod(res, 1),
	};
	kd_db_job *job = head;
	for (int row = 0; row < head->batch && job != NULL; row++, job = job->next) {
		PGresult *own = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
		if (own == NULL || PQnfields(res) != 2 || row >= PQntuples(res) ||
		    PQsetResultAttrs(own, 1, &column) != 1 ||
		    PQsetvalue(own, 0, 0, PQgetisnull(res, row, 1) ? NULL : PQgetvalue(res, row, 1),
			       PQgetisnull(res, row, 1) ? -1 : PQgetlength(res, row, 1)) != 1) {
			/* Out of memory: the job's answer is lost, as on a broken connection. */
			PQclear(own);
			own = NULL;
			job->result_lost = true;
		}
		PQclear(job->results[0]);
		job->results[0] = own;
	}
	PQclear(res);
}
