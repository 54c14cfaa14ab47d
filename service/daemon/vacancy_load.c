/*
 * Full loads a page at a time, and single vacancies on NOTIFY.
 *
 * A page is read on the loop and added to the new recommender on the libuv
 * thread pool: indexing a page of 2,000 takes milliseconds, and tens of them
 * for the page during which the index's tables double, which the loop
 * should not spend.  While one page is being added the next one is read, so
 * at any time at most one page is asked for or waiting and one is being
 * added.  Only the worker touches l->building while a page is being added;
 * the loop touches it again after the work's completion callback.
 *
 * The load in progress is app->vacancy_load; a newer load (a reconnect,
 * new reference data) replaces it there.  The old one, no longer current,
 * is freed with everything it built once neither a page read nor a page
 * being added is outstanding.
 *
 * Ordering of NOTIFY'd changes during a full load: the change is applied to
 * the live recommender at once, as always, and its id is remembered; once
 * the new recommender is live each remembered id is read again into it.  A
 * page already read may hold the vacancy as it was before the change, and a
 * page still in flight may have been read before the change committed, so
 * only a read sent after the swap is sure to see it.  Until that read
 * answers (one round trip) the new recommender may show the vacancy as the
 * page had it.
 */
#include "daemon/vacancy_load.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon/app.h"
#include "kd.h"

struct kd_vacancy_load {
	kd_app *app;
	kd_recommender *building;   /* owned until it goes live */
	int64_t after;              /* the last vacancy id read */
	bool asked;                 /* a page is being read */
	bool last_read;             /* a short page came: nothing is above it */
	PGresult *waiting;          /* a page read, to be added next (owned) */
	int64_t waiting_after;      /* the id that page follows */
	uv_work_t adding;           /* adding .added to .building, off the loop */
	bool adding_busy;
	PGresult *added;            /* the page being added (owned) */
	int64_t added_after;
	int added_rc;
	uint64_t added_ns;
	size_t pages;
	uint64_t started_ns;
	uint64_t pages_ns;          /* adding the pages, together */
	uint64_t longest_page_ns;   /* the slowest page's adding */
	int64_t *notified;          /* ids changed meanwhile, to read again */
	size_t n_notified, cap_notified;
};

static void load_free(kd_vacancy_load *l)
{
	PQclear(l->waiting);
	kd_recommender_free_off_loop(l->app->loop, l->building);
	free(l->notified);
	free(l);
}

static bool is_current(const kd_vacancy_load *l)
{
	return l == l->app->vacancy_load && !l->app->stopping;
}

/* For a load no longer current: freed now, or by the last outstanding callback. */
static void retire(kd_vacancy_load *l)
{
	if (l->app->vacancy_load == l)
		l->app->vacancy_load = NULL;
	if (!l->asked && !l->adding_busy)
		load_free(l);
}

static void abandon(kd_vacancy_load *l, const char *why)
{
	fprintf(stderr, "level=warn msg=\"vacancy index load abandoned: %s; the live index stays"
		" until the next reconnect\" pages=%zu\n", why, l->pages);
	l->app->vacancy_load = NULL;
	retire(l);
}

static void on_page(kd_db_job *job, kd_db_outcome outcome, void *arg);

/* Asks for the page after l->after; false when it could not be queued. */
static bool ask_page(kd_vacancy_load *l)
{
	char after[24], rows[24];
	snprintf(after, sizeof(after), "%lld", (long long)l->after);
	snprintf(rows, sizeof(rows), "%d", l->app->options.vacancy_page_rows);
	const char *params[] = { after, rows };
	kd_db_job *job = kd_db_job_new(on_page, l);
	if (job == NULL)
		return false;
	if (kd_db_job_add(job, KD_STMT_RECOMMEND_VACANCIES, 2, params) < 0) {
		kd_db_job_free_unsubmitted(job);
		return false;
	}
	l->asked = kd_db_submit(l->app->db, job, KD_DB_DEADLINE_MS) == 0;
	return l->asked;
}

/* The new recommender goes live; what changed meanwhile is read again. */
static void finish(kd_vacancy_load *l)
{
	kd_app *app = l->app;
	kd_recommender_free_off_loop(app->loop, app->recommender);
	app->recommender = l->building;
	l->building = NULL;
	app->vacancy_load = NULL;
	fprintf(stderr, "level=info msg=\"vacancy index loaded\" vacancies=%zu pages=%zu ms=%llu"
		" pages_ms=%.1f longest_page_ms=%.1f\n", kd_recommender_count(app->recommender),
		l->pages, (unsigned long long)((uv_hrtime() - l->started_ns) / 1000000),
		(double)l->pages_ns / 1e6, (double)l->longest_page_ns / 1e6);
	for (size_t i = 0; i < l->n_notified; i++)
		kd_vacancy_load_one(app, l->notified[i]);
	load_free(l);
}

/* Thread pool: the one place that writes l->building during a load. */
static void add_page(uv_work_t *work)
{
	kd_vacancy_load *l = work->data;
	uint64_t began = uv_hrtime();
	l->added_rc = kd_recommender_apply(l->building, l->added, 0);
	l->added_ns = uv_hrtime() - began;
}

static void on_page_added(uv_work_t *work, int status);

/*
 * Moves a current load on: the waiting page goes to the thread pool, the
 * next page is asked for, and once the last page is in the load finishes.
 */
static void advance(kd_vacancy_load *l)
{
	if (!l->adding_busy && l->waiting) {
		l->added = l->waiting;
		l->added_after = l->waiting_after;
		l->waiting = NULL;
		l->adding.data = l;
		if (uv_queue_work(l->app->loop, &l->adding, add_page, on_page_added) < 0) {
			PQclear(l->added);
			l->added = NULL;
			abandon(l, "a page could not be handed to the thread pool");
			return;
		}
		l->adding_busy = true;
	}
	if (l->asked || l->waiting)
		return;
	if (!l->last_read) {
		if (!ask_page(l))
			abandon(l, "the next page could not be queued");
	} else if (!l->adding_busy) {
		finish(l);
	}
}

static void on_page_added(uv_work_t *work, int status)
{
	(void)status;   /* never cancelled */
	kd_vacancy_load *l = work->data;
	l->adding_busy = false;
	PQclear(l->added);
	l->added = NULL;
	if (!is_current(l)) {
		retire(l);
		return;
	}
	if (l->added_rc < 0)
		fprintf(stderr, "level=warn msg=\"vacancies left out of recommendations\""
			" page_after_id=%lld\n", (long long)l->added_after);
	l->pages++;
	l->pages_ns += l->added_ns;
	if (l->added_ns > l->longest_page_ns)
		l->longest_page_ns = l->added_ns;
	advance(l);
}

static void on_page(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_vacancy_load *l = arg;
	l->asked = false;
	if (!is_current(l)) {
		/* Superseded by a newer load, or the daemon is stopping. */
		retire(l);
		return;
	}
	PGresult *res = outcome == KD_DB_OK ? kd_db_job_take_result(job, 0) : NULL;
	if (res == NULL) {
		abandon(l, outcome == KD_DB_SQL_ERROR ? "the database refused a page" :
			   "a page got no answer (database down or past the deadline)");
		return;
	}
	int rows = PQntuples(res);
	/* A short page is the last: there is nothing above its last id. */
	l->last_read = rows < l->app->options.vacancy_page_rows;
	l->waiting = res;
	l->waiting_after = l->after;
	if (rows > 0)
		l->after = strtoll(PQgetvalue(res, rows - 1, 0), NULL, 10);
	advance(l);
}

void kd_vacancy_load_all(kd_app *app, kd_recommender *rec)
{
	kd_vacancy_load *l = calloc(1, sizeof(*l));
	if (l == NULL) {
		kd_recommender_free(rec);
		return;
	}
	*l = (kd_vacancy_load){ .app = app, .building = rec, .started_ns = uv_hrtime() };
	/* The load it replaces is freed by its own last callback. */
	app->vacancy_load = l;
	if (!ask_page(l))
		abandon(l, "the first page could not be queued");
}

/* Remembers id for reading again once the new recommender is live. */
static void remember(kd_vacancy_load *l, int64_t id)
{
	if (l->n_notified == l->cap_notified) {
		size_t cap = l->cap_notified ? 2 * l->cap_notified : 64;
		int64_t *grown = realloc(l->notified, cap * sizeof(*grown));
		if (grown == NULL) {
			fprintf(stderr, "level=warn msg=\"vacancy change may be missed until the next"
				" reload\" id=%lld\n", (long long)id);
			return;
		}
		l->notified = grown;
		l->cap_notified = cap;
	}
	l->notified[l->n_notified++] = id;
}

typedef struct vacancy_read {
	kd_app *app;
	int64_t id;
	kd_recommender *into;
} vacancy_read;

static void on_vacancy(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	vacancy_read *r = arg;
	/* When another recommender went live meanwhile the answer is dropped:
	 * the full load that made it either read its pages after this change
	 * or remembered the id and reads it again. */
	if (outcome == KD_DB_OK && r->into == r->app->recommender &&
	    kd_recommender_apply(r->into, kd_db_job_result(job, 0), r->id) < 0)
		fprintf(stderr, "level=warn msg=\"vacancy left out of recommendations\" id=%lld\n",
			(long long)r->id);
	free(r);
}

void kd_vacancy_load_one(kd_app *app, int64_t id)
{
	if (app->vacancy_load)
		remember(app->vacancy_load, id);
	if (app->recommender == NULL)
		return;
	vacancy_read *r = malloc(sizeof(*r));
	kd_db_job *job = r ? kd_db_job_new(on_vacancy, r) : NULL;
	char text[24];
	snprintf(text, sizeof(text), "%lld", (long long)id);
	const char *params[] = { text };
	if (job == NULL || kd_db_job_add(job, KD_STMT_RECOMMEND_VACANCY, 1, params) < 0) {
		if (job)
			kd_db_job_free_unsubmitted(job);
		free(r);
		return;
	}
	*r = (vacancy_read){ .app = app, .id = id, .into = app->recommender };
	if (kd_db_submit(app->db, job, KD_DB_DEADLINE_MS) < 0)
		free(r);
}
