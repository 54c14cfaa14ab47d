/*
 * Heavy reads (pages of a list over many rows) and their fair share of the
 * database pool.  A caller (a token) has at most a few of them at the
 * database at once; its further pages wait in a queue of their own in the
 * daemon and go out as its earlier ones finish.  So a flood of list pages
 * from one caller never fills every pool connection and the shared FIFO
 * behind them while a kiosk's registration waits past its deadline.  A
 * caller whose own queue is full is answered 429 at once.
 */
#ifndef KD_HEAVY_READ_H
#define KD_HEAVY_READ_H

#include <stdbool.h>

#include "api/auth.h"
#include "db/db_pool.h"
#include "http/http_server.h"

struct kd_app;

/* The most parameters a heavy read's statement takes. */
#define KD_HEAVY_READ_MAX_PARAMS 8

/* Pages one caller may have waiting in the daemon beyond those at the database. */
#define KD_HEAVY_READ_MAX_WAITING 64

typedef struct kd_heavy_reads kd_heavy_reads;

/*
 * The bookkeeping for a pool of db_connections connections: each caller
 * gets half of them (at least one).  NULL when out of memory.  The app owns
 * it and frees it with kd_heavy_reads_free() once the loop has ended.
 */
kd_heavy_reads *kd_heavy_reads_new(int db_connections);

void kd_heavy_reads_free(kd_heavy_reads *reads);

/*
 * As kd_dbreq_submit(), for a heavy read on behalf of who: at the database
 * at once, or queued behind who's earlier pages (params are copied).  When
 * who's queue is full, answers 429 ("busy", with Retry-After) and returns
 * false; cb will not run and the caller still owns ctx.  Otherwise cb runs
 * exactly once, as for kd_dbreq_submit(), and owns ctx from then on.
 */
bool kd_heavy_read_submit(struct kd_app *app, kd_http_request *req, const kd_principal *who,
			  kd_stmt stmt, int nparams, const char *const *params, kd_db_job_cb cb,
			  void *ctx);

#endif
