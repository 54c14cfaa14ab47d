#include "daemon/sms_worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/app.h"

/* Messages handed and inbox rows read per round, so that one round's
 * transaction stays short however much has piled up. */
#define SMS_BATCH "200"
/* Offers whose messages a round queues: 25 rounds' hand-over, so the queue
 * stays well ahead of Gammu, in about a third of a second a round. */
#define SMS_OFFERS_BATCH "5000"

enum { COL_INBOX, COL_REMINDERS, COL_HANDED, COL_QUEUED, COL_SENDING, COL_SENT, COL_FAILED };

static uint64_t column_u64(const PGresult *res, int col)
{
	return strtoull(PQgetvalue(res, 0, col), NULL, 10);
}

static void on_round(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_sms_worker *worker = arg;
	worker->busy = false;
	if (outcome != KD_DB_OK) {
		/* An outage is reported by the pool itself; a refused round
		 * (Gammu's tables not loaded, say) is said once until it heals. */
		if (outcome == KD_DB_SQL_ERROR && !worker->failing)
			fprintf(stderr, "level=warn msg=\"sms round failed\" sqlstate=%s%s\n",
				kd_db_job_sqlstate(job),
				strcmp(kd_db_job_sqlstate(job), "P0001") == 0
					? " hint=\"gammu tables missing\"" : "");
		worker->failing = outcome == KD_DB_SQL_ERROR;
		return;
	}
	if (worker->failing)
		fprintf(stderr, "level=info msg=\"sms rounds working again\"\n");
	worker->failing = false;
	const PGresult *offered = kd_db_job_result(job, 0);
	const PGresult *res = kd_db_job_result(job, 1);
	if (PQntuples(offered) != 1 || PQntuples(res) != 1)
		return;
	kd_metrics_sms round = {
		.inbox = column_u64(res, COL_INBOX),
		.handed = column_u64(res, COL_HANDED),
		.queued = column_u64(res, COL_QUEUED),
		.sending = column_u64(res, COL_SENDING),
		.sent = column_u64(res, COL_SENT),
		.failed = column_u64(res, COL_FAILED),
	};
	kd_metrics_sms_round(worker->app->metrics, &round);
	uint64_t reminders = column_u64(res, COL_REMINDERS);
	uint64_t offers = column_u64(offered, 0);
	if (round.inbox || round.handed || reminders || offers)
		fprintf(stderr,
			"level=info msg=\"sms round\" inbox=%llu reminders=%llu offers=%llu"
			" handed=%llu\n",
			(unsigned long long)round.inbox, (unsigned long long)reminders,
			(unsigned long long)offers, (unsigned long long)round.handed);
}

/* Runs on the loop: the round itself is a pool job, never a wait here. */
static void on_tick(uv_timer_t *timer)
{
	kd_sms_worker *worker = timer->data;
	if (worker->busy || !kd_app_ready(worker->app))
		return;
	kd_db_job *job = kd_db_job_new(on_round, worker);
	if (job == NULL)
		return;
	const char *offers[] = { SMS_OFFERS_BATCH };
	const char *params[] = { SMS_BATCH };
	if (kd_db_job_add(job, KD_STMT_SMS_OFFERS, 1, offers) < 0 ||
	    kd_db_job_add(job, KD_STMT_SMS_TICK, 1, params) < 0) {
		kd_db_job_free_unsubmitted(job);
		return;
	}
	/* Alone: a failing round must not send other jobs round again. */
	kd_db_job_set_alone(job);
	if (kd_db_submit(worker->app->db, job, KD_DB_DEADLINE_MS) == 0)
		worker->busy = true;
}

void kd_sms_worker_start(kd_sms_worker *worker, struct kd_app *app, uint64_t interval_ms)
{
	worker->app = app;
	worker->busy = false;
	worker->failing = false;
	uv_timer_init(app->loop, &worker->timer);
	worker->timer.data = worker;
	if (interval_ms > 0)
		uv_timer_start(&worker->timer, on_tick, interval_ms, interval_ms);
}

void kd_sms_worker_stop(kd_sms_worker *worker)
{
	uv_timer_stop(&worker->timer);
}

static void on_closed(uv_handle_t *handle)
{
	(void)handle;
}

void kd_sms_worker_close(kd_sms_worker *worker)
{
	uv_close((uv_handle_t *)&worker->timer, on_closed);
}
