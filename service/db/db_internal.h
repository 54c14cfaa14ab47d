/*
 * Shared between db_pool.c (queue, deadlines, public API) and db_conn.c
 * (one connection's state machine).  Not for use outside service/db/.
 */
#ifndef KD_DB_INTERNAL_H
#define KD_DB_INTERNAL_H

#include <sys/types.h>

#include "db/db_pool.h"

#define KD_DB_JOB_MAX_STATEMENTS 6
#define KD_DB_SEGMENT_MAX_JOBS 64
/*
 * Jobs with a batch form waiting that go out at once, even while a batch
 * sent less than batch_wait_ms ago is still in flight: enough to spread
 * the server's fixed cost of a statement and a commit thin.
 */
#define KD_DB_BATCH_FULL 16

struct kd_db_job {
	kd_db_job *next;
	kd_db_job_cb cb;
	void *arg;
	uint64_t deadline;         /* uv_now() milliseconds */
	int nstatements;
	struct {
		kd_stmt stmt;
		int nparams;
		char **values;
	} statements[KD_DB_JOB_MAX_STATEMENTS];
	PGresult *results[KD_DB_JOB_MAX_STATEMENTS];
	char sqlstate[6];
	char constraint[64];       /* the one a failed statement broke, or "" */
	int failed_statement;
	bool alone;
	bool segment_end;          /* last job before a sync */
	/*
	 * More than 1: this job and the batch - 1 after it went out as one
	 * batch statement (kd_stmt_batch_of()); batch_failed when it failed,
	 * which makes every one of them a bystander, to be run again alone.
	 */
	int batch;
	bool batch_failed;
	bool result_lost;          /* its share of a batch's answer could not be kept */
	bool answered;             /* callback already ran (deadline passed in flight) */
	uint64_t sent_at;          /* uv_now() when the segment it begins went out */
};

/* Jobs waiting for a connection, oldest first. */
typedef struct kd_db_queue {
	kd_db_job *head, *tail;
	unsigned length;
} kd_db_queue;

typedef enum kd_conn_state {
	KD_CONN_WAITING,    /* backoff timer running before the next attempt */
	KD_CONN_CONNECTING, /* PQconnectPoll in progress */
	KD_CONN_PREPARING,  /* statements being prepared */
	KD_CONN_READY,
	KD_CONN_CLOSING,    /* handles closing; freed in their close callbacks */
} kd_conn_state;

/* A poll handle owns the PGconn it may have to finish once closed. */
typedef struct kd_conn_poll {
	uv_poll_t handle;
	kd_db_pool *pool;
	PGconn *finish_on_close;
} kd_conn_poll;

typedef struct kd_db_conn {
	kd_db_pool *pool;
	PGconn *pg;
	kd_conn_poll *poll;     /* heap: replaced when libpq changes socket */
	int poll_fd;
	dev_t poll_dev;         /* with poll_ino, which socket poll_fd named */
	ino_t poll_ino;
	int poll_events;
	uv_timer_t timer;       /* backoff, per-host connect, or prepare timeout */
	kd_conn_state state;
	PQconninfoOption *options; /* pg's effective options: its host list */
	int host_index;         /* host of that list pg is on now */
	unsigned host_timeout_ms;
	unsigned backoff_ms;
	kd_db_job *inflight_head, *inflight_tail;
	kd_db_job *reading;     /* job whose results are arriving */
	int reading_statement;
	int syncs_pending;
	bool prepare_failed;
	bool probe_pending;     /* the probe's result is the next one */
} kd_db_conn;

struct kd_db_pool {
	uv_loop_t *loop;
	kd_db_pool_options options;
	char *conninfo;
	kd_db_conn *conns;
	int nconns;
	int handles_open;
	kd_db_queue queue;         /* jobs without a batch form: out at once */
	/*
	 * Jobs with a batch form (statements.h, kd_stmt_batch_of()): they go
	 * out just before the loop next waits for events (uv_prepare), not one
	 * by one as they come, so the registrations read in one turn of the
	 * loop share a segment, a statement and a commit.  While a batch sent
	 * less than options.batch_wait_ms ago is in flight they wait for it,
	 * unless KD_DB_BATCH_FULL of them do (pool_batches_wait()).
	 */
	kd_db_queue batches;
	uv_timer_t deadline_timer;
	uv_prepare_t dispatcher;
	bool dispatch_pending;
	bool up;
	bool closing;
	void (*closed)(void *arg);
	void *closed_arg;
};

/* db_queue.c: the queue owns the jobs in it, linked through job->next. */
void kd_db_queue_push(kd_db_queue *queue, kd_db_job *job);
void kd_db_queue_push_front(kd_db_queue *queue, kd_db_job *job);
/* The oldest job, unlinked, or NULL when empty. */
kd_db_job *kd_db_queue_pop(kd_db_queue *queue);
/*
 * Unlinks the next segment (linked through next, the last one marked
 * segment_end): one job that must run alone, or up to
 * KD_DB_SEGMENT_MAX_JOBS that may share a transaction.  NULL when empty.
 */
kd_db_job *kd_db_queue_take_segment(kd_db_queue *queue);
/* Unlinks every job whose deadline is not after now, as a list in queue order. */
kd_db_job *kd_db_queue_take_expired(kd_db_queue *queue, uint64_t now);

/* db_conn.c */
void kd_db_conn_start(kd_db_conn *conn);
/* Sends the jobs as one segment ending in a sync; false if the connection broke. */
bool kd_db_conn_send(kd_db_conn *conn, kd_db_job *first);
void kd_db_conn_close(kd_db_conn *conn);
/* Drops the connection (its in-flight jobs are lost) and reconnects after backoff. */
void kd_db_conn_drop(kd_db_conn *conn, const char *why);

/* db_conn_batch.c */
/* A job of one statement that has a batch form (kd_stmt_batch_of()). */
bool kd_db_job_has_batch_form(const kd_db_job *job);
/*
 * How many jobs from job on, within its segment, can go out as one batch
 * statement: jobs of one and the same statement that has a batch form.
 */
int kd_db_batch_run(const kd_db_job *job);
/* Sends the n jobs from job on as one batch statement; false if libpq refused. */
bool kd_db_batch_send(PGconn *pg, kd_db_job *job, int n);
/* Gives each job of the batch at head its own one-row answer from res (taken). */
void kd_db_batch_store_result(kd_db_job *head, PGresult *res);

/* db_pool.c, called by db_conn.c */
void kd_db_pool_conn_changed(kd_db_pool *pool);
void kd_db_pool_segment_done(kd_db_pool *pool, kd_db_job *first, bool committed);
void kd_db_pool_segment_lost(kd_db_pool *pool, kd_db_job *first);
void kd_db_pool_handle_closed(kd_db_pool *pool);
void kd_db_job_free(kd_db_job *job);

#endif
