#include "daemon/housekeeping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/app.h"
#include "kd.h"

/* Rows per round: a few hundred milliseconds of work at most. */
#define BATCH 10000

/* Runs whose results one retention round drops: each is two DROP TABLEs. */
#define RETENTION_BATCH 20

/* The purge and the retention are offered every minute, done hourly (0013, 0016). */
#define HOURLY_OFFER_MS (60 * 1000)

/* A full batch leaves more behind: the next round follows after this. */
#define AGAIN_MS 100

static void on_tick(uv_timer_t *timer);

static void on_round(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_housekeeping_task *task = arg;
	task->busy = false;
	if (outcome != KD_DB_OK)
		return;
	const PGresult *res = kd_db_job_result(job, 0);
	/* NULL: another daemon had this round. */
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0))
		return;
	long long done = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	if (done > 0)
		fprintf(stderr, "level=info msg=\"%s\" count=%lld\n", task->name, done);
	if (done >= task->batch && !task->app->stopping)
		uv_timer_start(&task->timer, on_tick, AGAIN_MS, task->every_ms);
}

static void on_tick(uv_timer_t *timer)
{
	kd_housekeeping_task *task = timer->data;
	kd_app *app = task->app;
	if (task->busy || !kd_app_ready(app))
		return;
	kd_db_job *job = kd_db_job_new(on_round, task);
	if (job == NULL)
		return;
	char batch[24], every[24];
	snprintf(batch, sizeof(batch), "%ld", task->batch);
	snprintf(every, sizeof(every), "%llu", (unsigned long long)(task->every_ms / 1000));
	const char *params[] = { batch, every };
	if (kd_db_job_add(job, task->stmt, task->nparams, params) < 0) {
		kd_db_job_free_unsubmitted(job);
		return;
	}
	kd_db_job_set_alone(job);
	if (kd_db_submit(app->db, job, KD_DB_DEADLINE_MS) == 0)
		task->busy = true;
}

static void task_start(kd_housekeeping_task *task, kd_app *app, const char *name,
		       kd_stmt stmt, int nparams, long batch, uint64_t every_ms)
{
	*task = (kd_housekeeping_task){ .app = app, .name = name, .stmt = stmt,
					.nparams = nparams, .batch = batch, .every_ms = every_ms };
	uv_timer_init(app->loop, &task->timer);
	task->timer.data = task;
	uv_timer_start(&task->timer, on_tick, every_ms, every_ms);
}

void kd_housekeeping_start(kd_housekeeping *hk, kd_app *app, uint64_t expiry_ms)
{
	task_start(&hk->purge, app, "purged idempotency keys", KD_STMT_IDEMPOTENCY_PURGE, 1, BATCH,
		   HOURLY_OFFER_MS);
	task_start(&hk->expiry, app, "expired placements", KD_STMT_PLACEMENT_EXPIRE, 2, BATCH,
		   expiry_ms);
	task_start(&hk->retention, app, "dropped match run results", KD_STMT_RESULT_RETENTION, 1,
		   RETENTION_BATCH, HOURLY_OFFER_MS);
}

void kd_housekeeping_stop(kd_housekeeping *hk)
{
	uv_timer_stop(&hk->purge.timer);
	uv_timer_stop(&hk->expiry.timer);
	uv_timer_stop(&hk->retention.timer);
}

static void on_closed(uv_handle_t *handle)
{
	(void)handle;
}

void kd_housekeeping_close(kd_housekeeping *hk)
{
	uv_close((uv_handle_t *)&hk->purge.timer, on_closed);
	uv_close((uv_handle_t *)&hk->expiry.timer, on_closed);
	uv_close((uv_handle_t *)&hk->retention.timer, on_closed);
}
