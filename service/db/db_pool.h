/*
 * A pool of PostgreSQL connections driven by libuv, using libpq's
 * asynchronous API in pipeline mode.  Nothing here ever blocks the loop.
 *
 * Work is submitted as jobs.  A job is a short list of prepared statements
 * (see statements.h) that must succeed or fail together.  The pool sends
 * the jobs queued while every connection was busy (and the registrations
 * of one turn of the loop) as one pipeline segment ending in a single sync,
 * so the jobs share one implicit transaction and one commit: under load,
 * many kiosk registrations cost one WAL flush.  Jobs of a statement with a
 * batch form go out just before the loop next waits for events, and while
 * one batch of them is in flight the next waits for it (batch_wait_ms);
 * others go at once.  A job's callback runs only after the sync that ends
 * its transaction has been answered, so KD_DB_OK means committed.  When one
 * statement of a shared segment fails, the job that failed is told so and
 * the others are run again on their own.
 *
 * Connections are (re)opened with backoff; while none is ready, jobs wait in
 * the queue until their deadline and then fail with KD_DB_UNAVAILABLE.  A
 * connection with a job still in flight at its deadline (KD_DB_UNKNOWN) is
 * dropped and reopened.  A multi-host conninfo is tried host by host, each
 * with its own timeout (connect_timeout, else 5 s).
 */
#ifndef KD_DB_POOL_H
#define KD_DB_POOL_H

#include <stdbool.h>
#include <stdint.h>
#include <libpq-fe.h>
#include <uv.h>

#include "db/statements.h"

typedef struct kd_db_pool kd_db_pool;
typedef struct kd_db_job kd_db_job;

typedef enum kd_db_outcome {
	KD_DB_OK,          /* every statement ran and the transaction committed */
	KD_DB_SQL_ERROR,   /* the server refused a statement; nothing committed */
	KD_DB_UNAVAILABLE, /* never sent: no connection before the deadline */
	KD_DB_UNKNOWN,     /* sent, then the connection or the deadline was lost
			    * before the commit was confirmed: it may have committed */
} kd_db_outcome;

/*
 * Called once per job, on the loop thread.  The job and its results are
 * valid until the callback returns; the pool frees them afterwards.
 */
typedef void (*kd_db_job_cb)(kd_db_job *job, kd_db_outcome outcome, void *arg);

typedef struct kd_db_pool_options {
	const char *conninfo;      /* borrowed; NULL or "" means libpq defaults */
	int connections;           /* 1..64 */
	/*
	 * How long jobs with a batch form wait for one such batch in flight to
	 * commit, so that they go out together after it (group commit); 0
	 * sends them at once.  Checked every 50 ms.
	 */
	uint64_t batch_wait_ms;
	/* Called on every change between "no connection ready" and "some ready". */
	void (*on_state)(kd_db_pool *pool, bool up, void *arg);
	/*
	 * Run on every new connection before its statements are prepared, so
	 * the caller can check the database they need: on_probe gets the
	 * probe's result (borrowed; PGRES_TUPLES_OK, or an error whose SQLSTATE
	 * tells why).  A probe ended from outside (SQLSTATE class 08 or 57, or
	 * none) is not passed on: that connection is made again instead.  The
	 * probe is borrowed and must outlive the pool.
	 */
	const char *probe_sql;
	void (*on_probe)(kd_db_pool *pool, const PGresult *res, void *arg);
	/* Channels the pool's first connection LISTENs to (NULL-terminated;
	 * borrowed, must outlive the pool; plain identifiers). */
	const char *const *listen;
	/* Called for each NOTIFY on one of those channels. */
	void (*on_notify)(kd_db_pool *pool, const char *channel, const char *payload, void *arg);
	/*
	 * Called each time the listening connection is ready again: whatever
	 * was notified while it was away (or on another server before a
	 * failover: NOTIFY is not replicated) was missed.
	 */
	void (*on_listening)(kd_db_pool *pool, void *arg);
	void *arg;
} kd_db_pool_options;

/* Creates the pool and starts connecting; returns NULL on allocation failure. */
kd_db_pool *kd_db_pool_new(uv_loop_t *loop, const kd_db_pool_options *options);

/* True while at least one connection is ready for work. */
bool kd_db_pool_up(const kd_db_pool *pool);

/* Counts for /metrics and logs. */
typedef struct kd_db_pool_stats {
	int ready, connecting, broken;
	unsigned queued, in_flight;
} kd_db_pool_stats;
kd_db_pool_stats kd_db_pool_stats_get(const kd_db_pool *pool);

/*
 * Fails every queued and in-flight job, closes the connections and calls
 * done(arg) once every handle is closed; the pool is freed before done runs.
 */
void kd_db_pool_close(kd_db_pool *pool, void (*done)(void *arg), void *arg);

/* A new job with no statements; NULL on allocation failure. */
kd_db_job *kd_db_job_new(kd_db_job_cb cb, void *arg);

/*
 * Appends a prepared statement with text parameters to the job.  values[i]
 * may be NULL (SQL NULL); every value is copied.  Returns kd_error(E2BIG)
 * when the job is full or the parameter count does not match the statement.
 */
int kd_db_job_add(kd_db_job *job, kd_stmt stmt, int nparams, const char *const *values);

/* Frees a job that was never submitted. */
void kd_db_job_free_unsubmitted(kd_db_job *job);

/* Keeps the job out of shared segments (for work that must not be retried). */
void kd_db_job_set_alone(kd_db_job *job);

/*
 * Queues the job; the pool owns it from here.  timeout_ms bounds the time to
 * the callback.  Returns kd_error(ENOSPC) when the queue is full (the job is
 * freed and its callback never runs).
 */
int kd_db_submit(kd_db_pool *pool, kd_db_job *job, uint64_t timeout_ms);

/* The result of statement i (borrowed, valid in the callback), or NULL. */
PGresult *kd_db_job_result(const kd_db_job *job, int i);

/*
 * The result of statement i, now the caller's to PQclear (new; the job
 * keeps NULL in its place), or NULL.  In the callback, for a result that
 * must outlive it.
 */
PGresult *kd_db_job_take_result(kd_db_job *job, int i);

/* The SQLSTATE of the statement that failed ("" when none). */
const char *kd_db_job_sqlstate(const kd_db_job *job);

/* The constraint or unique index the failed statement broke ("" when none). */
const char *kd_db_job_constraint(const kd_db_job *job);

/* The statement that failed, or -1. */
int kd_db_job_failed_statement(const kd_db_job *job);

#endif
