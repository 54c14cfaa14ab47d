/*
 * The job queue in front of the connections: dispatch, shared segments,
 * deadlines and shutdown.  See db_pool.h for the contract.
 */
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "kd.h"

#define QUEUE_MAX 4096
#define DEADLINE_TICK_MS 50

void kd_db_job_free(kd_db_job *job)
{
	for (int i = 0; i < job->nstatements; i++) {
		for (int p = 0; p < job->statements[i].nparams; p++)
			free(job->statements[i].values[p]);
		free(job->statements[i].values);
		PQclear(job->results[i]);
	}
	free(job);
}

kd_db_job *kd_db_job_new(kd_db_job_cb cb, void *arg)
{
	kd_db_job *job = calloc(1, sizeof(*job));
	if (job == NULL)
		return NULL;
	job->cb = cb;
	job->arg = arg;
	job->failed_statement = -1;
	return job;
}

int kd_db_job_add(kd_db_job *job, kd_stmt stmt, int nparams, const char *const *values)
{
	const kd_stmt_def *def = kd_stmt_get(stmt);
	if (def == NULL || def->nparams != nparams || job->nstatements >= KD_DB_JOB_MAX_STATEMENTS)
		return kd_error(E2BIG);
	char **copy = calloc(nparams > 0 ? (size_t)nparams : 1, sizeof(*copy));
	if (copy == NULL)
		return kd_error(ENOMEM);
	for (int i = 0; i < nparams; i++) {
		if (values[i] == NULL)
			continue;
		copy[i] = strdup(values[i]);
		if (copy[i] == NULL) {
			while (i-- > 0)
				free(copy[i]);
			free(copy);
			return kd_error(ENOMEM);
		}
	}
	int n = job->nstatements++;
	job->statements[n].stmt = stmt;
	job->statements[n].nparams = nparams;
	job->statements[n].values = copy;
	return kd_ok();
}

void kd_db_job_free_unsubmitted(kd_db_job *job)
{
	kd_db_job_free(job);
}

void kd_db_job_set_alone(kd_db_job *job)
{
	job->alone = true;
}

PGresult *kd_db_job_result(const kd_db_job *job, int i)
{
	return (i >= 0 && i < job->nstatements) ? job->results[i] : NULL;
}

PGresult *kd_db_job_take_result(kd_db_job *job, int i)
{
	if (i < 0 || i >= job->nstatements)
		return NULL;
	PGresult *res = job->results[i];
	job->results[i] = NULL;
	return res;
}

const char *kd_db_job_sqlstate(const kd_db_job *job)
{
	return job->sqlstate;
}

const char *kd_db_job_constraint(const kd_db_job *job)
{
	return job->constraint;
}

int kd_db_job_failed_statement(const kd_db_job *job)
{
	return job->failed_statement;
}

static void job_answer(kd_db_job *job, kd_db_outcome outcome)
{
	if (!job->answered) {
		job->answered = true;
		job->cb(job, outcome, job->arg);
	}
}

/* Clears what a failed shared segment left so the job can run again. */
static void job_reset(kd_db_job *job)
{
	for (int i = 0; i < job->nstatements; i++) {
		PQclear(job->results[i]);
		job->results[i] = NULL;
	}
	job->sqlstate[0] = '\0';
	job->constraint[0] = '\0';
	job->failed_statement = -1;
	job->segment_end = false;
	job->batch = 0;
	job->batch_failed = false;
	job->result_lost = false;
	job->next = NULL;
}

/* Which queue the job waits in (struct kd_db_pool). */
static kd_db_queue *queue_of(kd_db_pool *pool, const kd_db_job *job)
{
	return kd_db_job_has_batch_form(job) ? &pool->batches : &pool->queue;
}

static unsigned pool_queued(const kd_db_pool *pool)
{
	return pool->queue.length + pool->batches.length;
}

static void pool_requeue_segment(kd_db_pool *pool, kd_db_job *first)
{
	/* Reverse order so the segment keeps its place at the queue's head. */
	kd_db_job *stack[KD_DB_SEGMENT_MAX_JOBS];
	int n = 0;
	for (kd_db_job *job = first, *next; job; job = next) {
		next = job->next;
		job_reset(job);
		stack[n++] = job;
	}
	while (n > 0) {
		kd_db_job *job = stack[--n];
		kd_db_queue_push_front(queue_of(pool, job), job);
	}
}

/*
 * Group commit: the server spends about as much on a statement and its
 * commit as on six rows of a registration batch (docs/performance.md), so
 * a second small batch sent beside one in flight costs more than waiting
 * the fraction of a millisecond that one has left.  Waiting stops when a
 * full batch has gathered, or once the batch in flight is older than
 * batch_wait_ms: one stuck behind a lock must not hold up the rest.
 */
static bool pool_batches_wait(const kd_db_pool *pool, uint64_t now)
{
	if (pool->batches.length >= KD_DB_BATCH_FULL)
		return false;
	for (int i = 0; i < pool->nconns; i++) {
		const kd_db_conn *conn = &pool->conns[i];
		const kd_db_job *first = conn->inflight_head;
		if (conn->syncs_pending > 0 && first != NULL && kd_db_job_has_batch_form(first) &&
		    now - first->sent_at < pool->options.batch_wait_ms)
			return true;
	}
	return false;
}

static void pool_dispatch(kd_db_pool *pool)
{
	uint64_t now = uv_now(pool->loop);
	/* The listening connection (the first) last, so that notifications
	 * wait behind as little work as possible. */
	for (int i = pool->nconns - 1; i >= 0; i--) {
		kd_db_conn *conn = &pool->conns[i];
		if (conn->state != KD_CONN_READY || conn->syncs_pending > 0)
			continue;
		kd_db_queue *from = &pool->queue;
		if (from->head == NULL)
			from = pool_batches_wait(pool, now) ? NULL : &pool->batches;
		kd_db_job *segment = from ? kd_db_queue_take_segment(from) : NULL;
		if (segment == NULL)
			return;
		segment->sent_at = now;
		if (!kd_db_conn_send(conn, segment))
			pool_requeue_segment(pool, segment);
	}
}

void kd_db_pool_segment_done(kd_db_pool *pool, kd_db_job *first, bool committed)
{
	bool shared = first->next != NULL;
	kd_db_job *done = NULL, **done_tail = &done;
	for (kd_db_job *job = first, *next; job; job = next) {
		next = job->next;
		if (!committed && job->failed_statement < 0 && shared && !job->answered) {
			/* Innocent bystander of another job's error: run it alone. */
			job_reset(job);
			job->alone = true;
			kd_db_queue_push_front(queue_of(pool, job), job);
			continue;
		}
		job->next = NULL;
		*done_tail = job;
		done_tail = &job->next;
	}
	/*
	 * The connection is free: what waits goes out before the answers are
	 * written, so the server works on it meanwhile.
	 */
	pool_dispatch(pool);
	for (kd_db_job *job = done, *next; job; job = next) {
		next = job->next;
		if (committed)
			job_answer(job, job->result_lost ? KD_DB_UNKNOWN : KD_DB_OK);
		else
			job_answer(job, job->failed_statement >= 0 ? KD_DB_SQL_ERROR : KD_DB_UNKNOWN);
		kd_db_job_free(job);
	}
}

void kd_db_pool_segment_lost(kd_db_pool *pool, kd_db_job *first)
{
	for (kd_db_job *job = first, *next; job; job = next) {
		next = job->next;
		job_answer(job, KD_DB_UNKNOWN);
		kd_db_job_free(job);
	}
	pool_dispatch(pool);
}

void kd_db_pool_conn_changed(kd_db_pool *pool)
{
	bool up = false;
	for (int i = 0; i < pool->nconns; i++)
		up |= pool->conns[i].state == KD_CONN_READY;
	if (up != pool->up) {
		pool->up = up;
		if (pool->options.on_state)
			pool->options.on_state(pool, up, pool->options.arg);
	}
	pool_dispatch(pool);
}

static void answer_all(kd_db_job *list, kd_db_outcome outcome)
{
	for (kd_db_job *job = list, *next; job; job = next) {
		next = job->next;
		job_answer(job, outcome);
		kd_db_job_free(job);
	}
}

static void pool_expire(kd_db_pool *pool, uint64_t now)
{
	answer_all(kd_db_queue_take_expired(&pool->queue, now), KD_DB_UNAVAILABLE);
	answer_all(kd_db_queue_take_expired(&pool->batches, now), KD_DB_UNAVAILABLE);
	/*
	 * In flight: answer now, and drop the connection.  A server that has
	 * not answered by the deadline is frozen, cut off or overloaded; kept,
	 * the connection would hold its queue of jobs for as long as that
	 * lasts (minutes, on a frozen primary) while a reconnect could reach
	 * whichever host answers, and the pool would count it as up.
	 */
	for (int i = 0; i < pool->nconns; i++) {
		kd_db_conn *conn = &pool->conns[i];
		bool expired = false;
		for (kd_db_job *job = conn->inflight_head; job; job = job->next) {
			if (job->deadline <= now) {
				job_answer(job, KD_DB_UNKNOWN);
				expired = true;
			}
		}
		if (expired && conn->state == KD_CONN_READY)
			kd_db_conn_drop(conn, "no answer to a job before its deadline");
	}
}

static void on_dispatch(uv_prepare_t *prepare)
{
	kd_db_pool *pool = prepare->data;
	uv_prepare_stop(prepare);
	pool->dispatch_pending = false;
	pool_dispatch(pool);
}

static void on_dispatcher_closed(uv_handle_t *handle)
{
	kd_db_pool_handle_closed(handle->data);
}

/* Also where batches held by pool_batches_wait() go once its wait is over. */
static void on_deadline_tick(uv_timer_t *timer)
{
	kd_db_pool *pool = timer->data;
	pool_expire(pool, uv_now(pool->loop));
	if (!pool->closing)
		pool_dispatch(pool);
}

static void on_deadline_timer_closed(uv_handle_t *handle)
{
	kd_db_pool_handle_closed(handle->data);
}

kd_db_pool *kd_db_pool_new(uv_loop_t *loop, const kd_db_pool_options *options)
{
	if (options->connections < 1 || options->connections > 64)
		return NULL;
	kd_db_pool *pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return NULL;
	pool->loop = loop;
	pool->options = *options;
	pool->conninfo = strdup(options->conninfo ? options->conninfo : "");
	pool->conns = calloc((size_t)options->connections, sizeof(*pool->conns));
	if (pool->conninfo == NULL || pool->conns == NULL) {
		free(pool->conninfo);
		free(pool->conns);
		free(pool);
		return NULL;
	}
	pool->options.conninfo = pool->conninfo;
	pool->nconns = options->connections;
	uv_timer_init(loop, &pool->deadline_timer);
	pool->deadline_timer.data = pool;
	pool->handles_open++;
	uv_timer_start(&pool->deadline_timer, on_deadline_tick, DEADLINE_TICK_MS, DEADLINE_TICK_MS);
	uv_prepare_init(loop, &pool->dispatcher);
	pool->dispatcher.data = pool;
	pool->handles_open++;
	for (int i = 0; i < pool->nconns; i++) {
		pool->conns[i].pool = pool;
		uv_timer_init(loop, &pool->conns[i].timer);
		pool->handles_open++;
		kd_db_conn_start(&pool->conns[i]);
	}
	return pool;
}

bool kd_db_pool_up(const kd_db_pool *pool)
{
	return pool->up;
}

kd_db_pool_stats kd_db_pool_stats_get(const kd_db_pool *pool)
{
	kd_db_pool_stats st = { 0 };
	for (int i = 0; i < pool->nconns; i++) {
		const kd_db_conn *conn = &pool->conns[i];
		if (conn->state == KD_CONN_READY)
			st.ready++;
		else if (conn->state == KD_CONN_CONNECTING || conn->state == KD_CONN_PREPARING)
			st.connecting++;
		else
			st.broken++;
		for (const kd_db_job *job = conn->inflight_head; job; job = job->next)
			st.in_flight++;
	}
	st.queued = pool_queued(pool);
	return st;
}

int kd_db_submit(kd_db_pool *pool, kd_db_job *job, uint64_t timeout_ms)
{
	if (pool->closing || pool_queued(pool) >= QUEUE_MAX || job->nstatements == 0) {
		kd_db_job_free(job);
		return kd_error(ENOSPC);
	}
	job->deadline = uv_now(pool->loop) + timeout_ms;
	/*
	 * Only jobs that can share a batch statement wait for the end of the
	 * loop's turn.  Any other goes out at once, after those waiting: so
	 * the registrations of the turn take a connection before a slow read
	 * can, and two reads still take two connections.
	 */
	bool batchable = kd_db_job_has_batch_form(job);
	if (!batchable && pool->dispatch_pending)
		pool_dispatch(pool);
	kd_db_queue_push(queue_of(pool, job), job);
	if (!batchable) {
		pool_dispatch(pool);
	} else if (!pool->dispatch_pending) {
		pool->dispatch_pending = true;
		uv_prepare_start(&pool->dispatcher, on_dispatch);
	}
	return kd_ok();
}

void kd_db_pool_handle_closed(kd_db_pool *pool)
{
	if (--pool->handles_open > 0 || !pool->closing)
		return;
	void (*done)(void *) = pool->closed;
	void *arg = pool->closed_arg;
	free(pool->conns);
	free(pool->conninfo);
	free(pool);
	if (done)
		done(arg);
}

void kd_db_pool_close(kd_db_pool *pool, void (*done)(void *arg), void *arg)
{
	pool->closing = true;
	pool->closed = done;
	pool->closed_arg = arg;
	kd_db_job *job;
	while ((job = kd_db_queue_pop(&pool->queue)) != NULL ||
	       (job = kd_db_queue_pop(&pool->batches)) != NULL) {
		job_answer(job, KD_DB_UNAVAILABLE);
		kd_db_job_free(job);
	}
	uv_close((uv_handle_t *)&pool->deadline_timer, on_deadline_timer_closed);
	uv_close((uv_handle_t *)&pool->dispatcher, on_dispatcher_closed);
	for (int i = 0; i < pool->nconns; i++)
		kd_db_conn_close(&pool->conns[i]);
}
