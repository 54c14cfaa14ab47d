/*
 * The daemon's periodic database work: purging idempotency keys older than
 * 7 days, expiring pending offers past their deadline and dropping the
 * results of match runs past their retention.  Every daemon
 * ticks; the housekeeping table (schema/migrations/0013_many_daemons.sql)
 * gives each round to one of them, so N daemons do the work once, in
 * batches small enough to keep each transaction short.  A batch that came
 * back full is followed at once by the next.
 */
#ifndef KD_HOUSEKEEPING_H
#define KD_HOUSEKEEPING_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "db/statements.h"

struct kd_app;

typedef struct kd_housekeeping_task {
	uv_timer_t timer;
	struct kd_app *app;
	const char *name;      /* for the log: "purged idempotency keys" */
	kd_stmt stmt;          /* takes the batch size, then the period in seconds if it wants it */
	int nparams;
	long batch;            /* the most a round does */
	uint64_t every_ms;
	bool busy;             /* a round is in the pool: ticks wait for it */
} kd_housekeeping_task;

typedef struct kd_housekeeping {
	kd_housekeeping_task purge, expiry, retention;
} kd_housekeeping;

/*
 * Initialises the timers on app's loop and starts them: the purge and the
 * retention offered every minute (each done hourly by whichever daemon
 * finds it due), the expiry every expiry_ms.  Stop and close them with the app's other handles.
 */
void kd_housekeeping_start(kd_housekeeping *hk, struct kd_app *app, uint64_t expiry_ms);

/* No further rounds; one in the pool still finishes. */
void kd_housekeeping_stop(kd_housekeeping *hk);

/* Closes the timer handles (after kd_housekeeping_start). */
void kd_housekeeping_close(kd_housekeeping *hk);

#endif
