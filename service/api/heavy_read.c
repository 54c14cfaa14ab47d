#include "api/heavy_read.h"

#include <stdlib.h>
#include <string.h>

#include "api/respond.h"
#include "core/fairshare.h"
#include "daemon/app.h"

/* One heavy read, from its submission until its callback has run. */
typedef struct heavy_read {
	struct heavy_read *next;  /* in the waiting queue */
	kd_app *app;
	kd_http_request *req;
	int64_t caller;
	kd_stmt stmt;
	int nparams;
	char *params[KD_HEAVY_READ_MAX_PARAMS];
	kd_db_job_cb cb;
	void *ctx;
} heavy_read;

struct kd_heavy_reads {
	kd_fairshare *share;
	/* Every caller's waiting pages in arrival order; a caller's own pages
	 * keep their order, which is all fairness needs. */
	heavy_read *head, *tail;
};

kd_heavy_reads *kd_heavy_reads_new(int db_connections)
{
	kd_heavy_reads *reads = calloc(1, sizeof(*reads));
	if (reads == NULL)
		return NULL;
	reads->share = kd_fairshare_new(db_connections > 1 ? (unsigned)db_connections / 2 : 1);
	if (reads->share == NULL) {
		free(reads);
		return NULL;
	}
	return reads;
}

static void read_free(heavy_read *h)
{
	for (int i = 0; i < h->nparams; i++)
		free(h->params[i]);
	free(h);
}

void kd_heavy_reads_free(kd_heavy_reads *reads)
{
	if (reads == NULL)
		return;
	while (reads->head) {
		heavy_read *h = reads->head;
		reads->head = h->next;
		read_free(h);
	}
	kd_fairshare_free(reads->share);
	free(reads);
}

static void on_done(kd_db_job *job, kd_db_outcome outcome, void *arg);

/*
 * Sends h to the database; h holds one of its caller's units.  When the
 * pool refuses it, h's callback runs at once with KD_DB_UNAVAILABLE (which
 * answers 503), as it would for a job the database never ran.
 */
static void submit_page(heavy_read *h)
{
	kd_db_job *job = kd_db_job_new(on_done, h);
	if (job != NULL && kd_db_job_add(job, h->stmt, h->nparams,
					 (const char *const *)h->params) < 0) {
		kd_db_job_free_unsubmitted(job);
		job = NULL;
	}
	/* kd_db_submit frees a job it refuses. */
	if (job == NULL || kd_db_submit(h->app->db, job, KD_DB_DEADLINE_MS) != 0)
		on_done(NULL, KD_DB_UNAVAILABLE, h);
}

/* Sends the caller's next waiting page, if any, now that a unit is free. */
static void send_next(kd_heavy_reads *reads, int64_t caller)
{
	heavy_read *prev = NULL;
	for (heavy_read *h = reads->head; h; prev = h, h = h->next) {
		if (h->caller != caller)
			continue;
		if (!kd_fairshare_take(reads->share, caller))
			return;
		if (prev)
			prev->next = h->next;
		else
			reads->head = h->next;
		if (reads->tail == h)
			reads->tail = prev;
		h->next = NULL;
		submit_page(h);
		return;
	}
}

static void on_done(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	heavy_read *h = arg;
	kd_heavy_reads *reads = h->app->heavy_reads;
	int64_t caller = h->caller;
	kd_db_job_cb cb = h->cb;
	void *ctx = h->ctx;
	kd_fairshare_give(reads->share, caller);
	read_free(h);
	cb(job, outcome, ctx);
	send_next(reads, caller);
}

static unsigned waiting_of(const kd_heavy_reads *reads, int64_t caller)
{
	unsigned n = 0;
	for (const heavy_read *h = reads->head; h; h = h->next)
		n += h->caller == caller;
	return n;
}

bool kd_heavy_read_submit(kd_app *app, kd_http_request *req, const kd_principal *who,
			  kd_stmt stmt, int nparams, const char *const *params, kd_db_job_cb cb,
			  void *ctx)
{
	kd_heavy_reads *reads = app->heavy_reads;
	bool now = kd_fairshare_take(reads->share, who->token_id);
	if (!now && waiting_of(reads, who->token_id) >= KD_HEAVY_READ_MAX_WAITING) {
		kd_http_respond_error(req, 429, "busy",
				      "too many list requests at once for this token, retry later",
				      NULL, "Retry-After: 1\r\n");
		return false;
	}
	heavy_read *h = calloc(1, sizeof(*h));
	bool ok = h != NULL && nparams <= KD_HEAVY_READ_MAX_PARAMS;
	if (ok) {
		*h = (heavy_read){ .app = app, .req = req, .caller = who->token_id, .stmt = stmt,
				   .nparams = nparams, .cb = cb, .ctx = ctx };
		for (int i = 0; i < nparams && ok; i++)
			ok = params[i] == NULL || (h->params[i] = strdup(params[i])) != NULL;
	}
	if (!ok) {
		if (h)
			read_free(h);
		if (now)
			kd_fairshare_give(reads->share, who->token_id);
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return false;
	}
	if (now) {
		submit_page(h);
		return true;
	}
	if (reads->tail)
		reads->tail->next = h;
	else
		reads->head = h;
	reads->tail = h;
	return true;
}
