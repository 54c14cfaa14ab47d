/*
 * A match run over the database, on a connection of its own:
 *
 *  1. a session advisory lock, held for the whole run, which is how a
 *     sweep tells a live run from one whose process died (the database
 *     admits one running row at a time, schema/migrations/0013);
 *  2. BEGIN REPEATABLE READ, note the moment of its snapshot in the run's
 *     row (seekers_as_of), read the input from that one snapshot
 *     (source_db.c), COMMIT: no snapshot is held while the matcher works;
 *  3. kd_match_run();
 *  4. BEGIN (read committed, so that the offers' keys are checked against
 *     the rows as they are now, as PostgreSQL's own checks would), open
 *     the run's own result tables, COPY the placements into one and
 *     the seekers left out for the rarer reasons into the other, COPY the
 *     counts of every reason per kecamatan into unplaced_counts, attach the
 *     tables as the run's partitions, turn the placements into pending
 *     offers, record the figures in the run's row, COMMIT
 *     (schema/migrations/0016_run_results.sql).
 *
 * Any failure rolls everything back and then marks the row failed, with the
 * reason, in a statement of its own.  The lock ends with the session.
 */
#include "match/match_db.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "demo/pg_copy.h"
#include "kd.h"
#include "match/source_db.h"

typedef struct db_run {
	PGconn *pg;
	char id[24];            /* the run id as text, for parameters and COPY */
	char *err;
	size_t errlen;
	double load_seconds, write_seconds;
} db_run;

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static kd_date local_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return (kd_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

/* Keeps the primary message only: details may quote stored values. */
static int server_failed(db_run *r, const char *what, const PGresult *res)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	snprintf(r->err, r->errlen, "%s: %s", what, primary ? primary : PQerrorMessage(r->pg));
	size_t n = strlen(r->err);
	if (n > 0 && r->err[n - 1] == '\n')
		r->err[n - 1] = '\0';
	return kd_error(EIO);
}

/* Runs one statement; NULL (with the reason in r->err) unless it succeeded. */
static PGresult *exec(db_run *r, const char *what, const char *sql, int nparams,
		      const char *const *params)
{
	PGresult *res = PQexecParams(r->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType status = PQresultStatus(res);
	if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
		return res;
	server_failed(r, what, res);
	PQclear(res);
	return NULL;
}

/*
 * The run's row is already the only running one (0013's index); the lock
 * is what tells the sweep that a live process runs it.  It may be held
 * for a moment by a sweep testing it or by the previous run's session
 * closing, hence the short wait rather than a try.
 */
static int take_lock(db_run *r)
{
	PGresult *res = PQexec(r->pg, "SET lock_timeout = '10s';"
				      " SELECT pg_advisory_lock(hashtext('kerjadekat match'));"
				      " RESET lock_timeout");
	ExecStatusType status = PQresultStatus(res);
	const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	bool timed_out = sqlstate && strcmp(sqlstate, "55P03") == 0;
	if (status == PGRES_COMMAND_OK) {
		PQclear(res);
		return kd_ok();
	}
	if (timed_out)
		snprintf(r->err, r->errlen, "another match run is in progress");
	else
		server_failed(r, "taking the match lock", res);
	PQclear(res);
	return kd_error(timed_out ? EBUSY : EIO);
}

/* Runs a statement that returns nothing worth keeping. */
static int command(db_run *r, const char *what, const char *sql)
{
	PGresult *res = exec(r, what, sql, 0, NULL);
	if (res == NULL)
		return kd_error(EIO);
	PQclear(res);
	return kd_ok();
}

/*
 * Opens the transaction the input is read in and marks the run's row,
 * which must still be running.  The update is the transaction's first
 * statement, so its statement_timestamp() is the moment of the snapshot
 * the input is read from: the views tell from it which seekers the run
 * read.
 */
static int begin_run(db_run *r)
{
	int rc = command(r, "starting the run", "BEGIN ISOLATION LEVEL REPEATABLE READ");
	if (rc < 0)
		return rc;
	const char *params[] = { r->id };
	PGresult *res = exec(r, "locking the run",
		   "UPDATE match_runs SET seekers_as_of = statement_timestamp()"
		   " WHERE id = $1 AND state = 'running'", 1, params);
	if (res == NULL)
		return kd_error(EIO);
	long rows = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	if (rows == 0) {
		snprintf(r->err, r->errlen, "match run %s is not running", r->id);
		return kd_error(ENOENT);
	}
	return kd_ok();
}

static int solve(db_run *r, const kd_match_source *src, kd_match_mode mode,
		 const kd_match_policy *policy, kd_match_result **result)
{
	kd_match_error merr = { "" };
	kd_match_model *model = NULL;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	kd_match_options options = {
		.mode = mode,
		.threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (unsigned)cpus,
	};
	int rc = kd_match_model_new(policy, src->kecamatan.n, src->travel, src->n_travel, &model,
				    &merr);
	if (rc == kd_ok())
		rc = kd_match_run(model, &src->input, &options, result, &merr);
	kd_match_model_free(model);
	if (rc < 0)
		snprintf(r->err, r->errlen, "matcher: %s",
			 merr.message[0] ? merr.message : "out of memory");
	return rc;
}

/* A fixed-point score in points, exactly as `kerjadekat match` prints it. */
static void format_score(char out[32], int64_t units)
{
	uint64_t magnitude = units < 0 ? -(uint64_t)units : (uint64_t)units;
	snprintf(out, 32, "%s%" PRIu64 ".%03" PRIu64, units < 0 ? "-" : "",
		 magnitude / KD_MATCH_SCORE_SCALE, magnitude % KD_MATCH_SCORE_SCALE);
}

typedef struct text_buf {
	char *data;
	size_t len, cap;
} text_buf;

static bool text_put(text_buf *b, char c)
{
	if (b->len + 2 > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 512;
		char *grown = realloc(b->data, cap);
		if (grown == NULL)
			return false;
		b->data = grown;
		b->cap = cap;
	}
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
	return true;
}

/*
 * A text[] literal of skill codes, every element quoted so that no code is
 * ever read as NULL; COPY's own escaping is applied on top by kd_copy_text.
 */
static bool skill_array(text_buf *b, const kd_labels *skills, const int32_t *ids, size_t n)
{
	b->len = 0;
	bool ok = text_put(b, '{');
	for (size_t i = 0; i < n && ok; i++) {
		ok = (i == 0 || text_put(b, ',')) && text_put(b, '"');
		for (const char *p = skills->names[ids[i]]; *p && ok; p++)
			ok = (*p != '"' && *p != '\\' ? true : text_put(b, '\\')) && text_put(b, *p);
		ok = ok && text_put(b, '"');
	}
	return ok && text_put(b, '}');
}

/*
 * Ends a COPY and checks that the server took every row.  A failed
 * kd_copy_begin(), like any later failure, is reported by kd_copy_end().
 */
static int copy_finished(db_run *r, kd_copy *copy, const char *table, size_t expected)
{
	long rows = kd_copy_end(copy);
	if (rows < 0) {
		snprintf(r->err, r->errlen, "writing %s: %s", table, copy->error);
		return kd_error(EIO);
	}
	if ((size_t)rows != expected) {
		snprintf(r->err, r->errlen, "writing %s: %ld rows taken of %zu", table, rows,
			 expected);
		return kd_error(EIO);
	}
	return kd_ok();
}

static int write_matches(db_run *r, const kd_match_source *src, const kd_match_result *res)
{
	int32_t matched[2 * KD_MATCH_MAX_VACANCY_SKILLS], missing[KD_MATCH_MAX_VACANCY_SKILLS];
	text_buf matched_text = { 0 }, missing_text = { 0 };
	kd_copy copy;
	char sql[192];
	snprintf(sql, sizeof(sql),
		 "COPY matches_run_%s (run_id, seeker_id, vacancy_id, score, distance_km,"
		 " same_kecamatan, matched_skills, missing_optional_skills, seeker_kecamatan)"
		 " FROM STDIN", r->id);
	kd_copy_begin(&copy, r->pg, sql);
	for (size_t i = 0; i < res->n_assignments && !copy.failed; i++) {
		const kd_match_assignment *a = &res->assignments[i];
		const kd_match_seeker *s = &src->input.seekers[a->seeker];
		const kd_match_vacancy *v = &src->input.vacancies[a->vacancy];
		size_t n_missing;
		size_t n_matched = kd_match_explain_skills(s, v, matched, missing, &n_missing);
		if (!skill_array(&matched_text, &src->skills, matched, n_matched) ||
		    !skill_array(&missing_text, &src->skills, missing, n_missing)) {
			/* kd_copy_end() then aborts the COPY with this reason. */
			snprintf(copy.error, sizeof(copy.error), "out of memory");
			copy.failed = true;
			break;
		}
		char score[32];
		format_score(score, a->score);
		kd_copy_text(&copy, r->id);
		kd_copy_format(&copy, "%" PRId64, s->id);
		kd_copy_format(&copy, "%" PRId64, v->id);
		kd_copy_text(&copy, score);
		kd_copy_format(&copy, "%.3f", a->distance_km);
		kd_copy_text(&copy, a->same_kecamatan ? "t" : "f");
		kd_copy_text(&copy, matched_text.data);
		kd_copy_text(&copy, missing_text.data);
		kd_copy_text(&copy, src->kecamatan.names[s->kecamatan]);
		kd_copy_row_end(&copy);
	}
	free(matched_text.data);
	free(missing_text.data);
	return copy_finished(r, &copy, "matches", res->n_assignments);
}

/*
 * The reason left unlisted: the commoner of the two that the matcher
 * decides (an incomplete profile is always listed, being what a kiosk can
 * fix).  Listing the rarer keeps the rows few whichever way a region leans.
 */
static kd_match_reason unlisted_reason(const kd_match_stats *st)
{
	return st->outcompeted > st->no_feasible_vacancy ? KD_MATCH_REASON_OUTCOMPETED :
							   KD_MATCH_REASON_NO_FEASIBLE_VACANCY;
}

/* Every seeker left out for another reason than unlisted. */
static int write_listed(db_run *r, const kd_match_source *src, const kd_match_result *res,
			kd_match_reason unlisted)
{
	kd_copy copy;
	char sql[96];
	snprintf(sql, sizeof(sql),
		 "COPY unplaced_listed_run_%s (run_id, seeker_id, reason) FROM STDIN", r->id);
	kd_copy_begin(&copy, r->pg, sql);
	size_t listed = 0;
	for (size_t i = 0; i < res->n_unassigned && !copy.failed; i++) {
		const kd_match_unassigned *u = &res->unassigned[i];
		if (u->reason == unlisted)
			continue;
		kd_copy_text(&copy, r->id);
		kd_copy_format(&copy, "%" PRId64, src->input.seekers[u->seeker].id);
		kd_copy_text(&copy, kd_match_reason_name(u->reason));
		kd_copy_row_end(&copy);
		listed++;
	}
	return copy_finished(r, &copy, "unplaced_listed", listed);
}

enum { N_REASONS = KD_MATCH_REASON_OUTCOMPETED + 1 };

/* How many seekers each reason left out in each kecamatan, one row per non-zero count. */
static int write_counts(db_run *r, const kd_match_source *src, const kd_match_result *res)
{
	size_t n_kecamatan = src->kecamatan.n;
	size_t *counts = calloc(n_kecamatan * N_REASONS + 1, sizeof(*counts));
	if (counts == NULL) {
		snprintf(r->err, r->errlen, "out of memory");
		return kd_error(ENOMEM);
	}
	for (size_t i = 0; i < res->n_unassigned; i++) {
		const kd_match_unassigned *u = &res->unassigned[i];
		uint32_t k = src->input.seekers[u->seeker].kecamatan;
		/* The database's seekers all have one (a foreign key): never reached. */
		if (k >= n_kecamatan) {
			free(counts);
			snprintf(r->err, r->errlen, "writing unplaced_counts: a seeker has no kecamatan");
			return kd_error(EINVAL);
		}
		counts[(size_t)k * N_REASONS + u->reason]++;
	}
	kd_copy copy;
	kd_copy_begin(&copy, r->pg,
		      "COPY unplaced_counts (run_id, kecamatan_code, reason, seekers) FROM STDIN");
	size_t rows = 0;
	for (size_t k = 0; k < n_kecamatan && !copy.failed; k++) {
		for (int reason = 0; reason < N_REASONS; reason++) {
			size_t n = counts[k * N_REASONS + reason];
			if (n == 0)
				continue;
			kd_copy_text(&copy, r->id);
			kd_copy_text(&copy, src->kecamatan.names[k]);
			kd_copy_text(&copy, kd_match_reason_name((kd_match_reason)reason));
			kd_copy_format(&copy, "%zu", n);
			kd_copy_row_end(&copy);
			rows++;
		}
	}
	free(counts);
	return copy_finished(r, &copy, "unplaced_counts", rows);
}

/*
 * Turns the run's assignments, just written to matches, into pending offers
 * with the same explanation, each to be decided within the policy's days;
 * the keys they name are checked once for the run where the database
 * allows it (schema/migrations/0021_offers_stored_by_set.sql, 0023), and
 * their messages are left to the SMS rounds (0022).
 */
static int write_placements(db_run *r, const kd_match_policy *policy,
			    const kd_match_result *res)
{
	char days[16];
	snprintf(days, sizeof(days), "%u", (unsigned)policy->decision_days);
	const char *params[] = { r->id, days };
	PGresult *done = exec(r, "writing placements",
			      "SELECT match_offers_store($1, $2::integer)", 2, params);
	if (done == NULL)
		return kd_error(EIO);
	long rows = strtol(PQgetvalue(done, 0, 0), NULL, 10);
	PQclear(done);
	if (rows < 0 || (size_t)rows != res->n_assignments) {
		snprintf(r->err, r->errlen, "writing placements: %ld rows of %zu", rows,
			 res->n_assignments);
		return kd_error(EIO);
	}
	return kd_ok();
}

/* Runs SELECT fn($1) for the run: opening or attaching its result tables. */
static int results_call(db_run *r, const char *what, const char *sql)
{
	const char *params[] = { r->id };
	PGresult *done = exec(r, what, sql, 1, params);
	if (done == NULL)
		return kd_error(EIO);
	PQclear(done);
	return kd_ok();
}

/*
 * Everything the run keeps, attached as its partitions only once written,
 * so that no reader waits on the COPY (schema/migrations/0016).
 */
static int write_results(db_run *r, const kd_match_source *src, const kd_match_result *res,
			 const kd_match_policy *policy)
{
	int rc = results_call(r, "opening the run's results", "SELECT match_results_open($1)");
	if (rc == kd_ok())
		rc = write_matches(r, src, res);
	if (rc == kd_ok())
		rc = write_listed(r, src, res, unlisted_reason(&res->stats));
	if (rc == kd_ok())
		rc = write_counts(r, src, res);
	if (rc == kd_ok())
		rc = results_call(r, "attaching the run's results",
				  "SELECT match_results_attach($1)");
	if (rc == kd_ok())
		rc = write_placements(r, policy, res);
	return rc;
}

/* Seconds to the millisecond and kilometres to the metre. */
static json_t *rounded(double x)
{
	return json_real(round(x * 1000) / 1000);
}

/* The run's stats column: the matcher's counts and the time of each phase. */
static char *stats_text(const db_run *r, const kd_match_result *res)
{
	const kd_match_stats *st = &res->stats;
	json_t *stats = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o,"
		" s:{s:I, s:I, s:I},"
		" s:{s:o, s:o, s:o, s:o, s:o, s:o}}",
		"seekers", (json_int_t)st->seekers,
		"seekers_complete", (json_int_t)st->seekers_complete,
		"vacancies", (json_int_t)st->vacancies,
		"vacancies_open", (json_int_t)st->vacancies_open,
		"openings", (json_int_t)st->openings,
		"candidate_pairs", (json_int_t)st->edges,
		"assigned", (json_int_t)st->assigned,
		"assigned_same_kecamatan", (json_int_t)st->assigned_same_kecamatan,
		"mean_distance_km",
		st->assigned ? rounded(st->distance_km_sum / (double)st->assigned) : json_null(),
		"unassigned",
		"incomplete_profile", (json_int_t)st->incomplete_profile,
		"no_feasible_vacancy", (json_int_t)st->no_feasible_vacancy,
		"outcompeted", (json_int_t)st->outcompeted,
		"seconds",
		"load", rounded(r->load_seconds),
		"prepare", rounded(st->phase_seconds[KD_MATCH_PHASE_PREPARE]),
		"candidates", rounded(st->phase_seconds[KD_MATCH_PHASE_CANDIDATES]),
		"solve", rounded(st->phase_seconds[KD_MATCH_PHASE_SOLVE]),
		"result", rounded(st->phase_seconds[KD_MATCH_PHASE_RESULT]),
		"write", rounded(r->write_seconds));
	char *text = stats ? json_dumps(stats, JSON_COMPACT | JSON_REAL_PRECISION(9)) : NULL;
	json_decref(stats);
	return text;
}

static int record_done(db_run *r, const kd_match_result *res)
{
	const kd_match_stats *st = &res->stats;
	char seekers[24], vacancies[24], assigned[24], same[24], total[32];
	snprintf(seekers, sizeof(seekers), "%zu", st->seekers);
	snprintf(vacancies, sizeof(vacancies), "%zu", st->vacancies);
	snprintf(assigned, sizeof(assigned), "%zu", st->assigned);
	snprintf(same, sizeof(same), "%zu", st->assigned_same_kecamatan);
	format_score(total, res->total_score);
	char *stats = stats_text(r, res);
	if (stats == NULL) {
		snprintf(r->err, r->errlen, "out of memory");
		return kd_error(ENOMEM);
	}
	const char *params[] = { r->id, seekers, vacancies, assigned, same, total, stats,
				 kd_match_reason_name(unlisted_reason(st)) };
	PGresult *done = exec(r, "recording the run",
		"UPDATE match_runs SET state = 'done', finished_at = clock_timestamp(),"
		" seekers = $2, vacancies = $3, assigned = $4, same_kecamatan = $5,"
		" total_score = $6, stats = $7, unlisted_reason = $8"
		" WHERE id = $1 AND state = 'running'", 8, params);
	free(stats);
	if (done == NULL)
		return kd_error(EIO);
	PQclear(done);
	return command(r, "committing the run", "COMMIT");
}

/* Everything after the lock: the read, the matcher and the write. */
static int run_phases(db_run *r, kd_match_mode mode, const kd_match_policy *policy)
{
	int rc = begin_run(r);
	if (rc < 0)
		return rc;
	double start = seconds_now();
	kd_match_source src;
	rc = kd_match_source_read_db(&src, r->pg, local_today(), r->err, r->errlen);
	if (rc < 0)
		return rc;
	rc = command(r, "ending the read", "COMMIT");
	if (rc < 0) {
		kd_match_source_free(&src);
		return rc;
	}
	r->load_seconds = seconds_now() - start;
	kd_match_result *result = NULL;
	rc = solve(r, &src, mode, policy, &result);
	if (rc == kd_ok()) {
		start = seconds_now();
		rc = command(r, "starting the write", "BEGIN");
		if (rc == kd_ok())
			rc = write_results(r, &src, result, policy);
		r->write_seconds = seconds_now() - start;
	}
	if (rc == kd_ok())
		rc = record_done(r, result);
	kd_match_result_free(result);
	kd_match_source_free(&src);
	return rc;
}

/*
 * Rolls back whatever is open and marks the run failed with r->err.  A
 * broken connection is reset once, so that a run cut off from the server
 * still gets its reason recorded when the server comes back at once.
 */
static void record_failure(db_run *r)
{
	if (PQstatus(r->pg) != CONNECTION_OK)
		PQreset(r->pg);
	if (PQstatus(r->pg) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(r->pg) != PQTRANS_IDLE)
		PQclear(PQexec(r->pg, "ROLLBACK"));
	const char *params[] = { r->id, r->err };
	PQclear(PQexecParams(r->pg,
		"UPDATE match_runs SET state = 'failed', finished_at = clock_timestamp(),"
		" error = $2 WHERE id = $1 AND state = 'running'", 2, NULL, params, NULL, NULL, 0));
}

int kd_match_db_execute(const char *conninfo, int64_t run_id, kd_match_mode mode,
			const kd_match_policy *policy, char *err, size_t errlen)
{
	db_run r = { .err = err, .errlen = errlen };
	snprintf(r.id, sizeof(r.id), "%" PRId64, run_id);
	r.pg = PQconnectdb(conninfo ? conninfo : "");
	if (PQstatus(r.pg) != CONNECTION_OK) {
		server_failed(&r, "cannot connect to the database", NULL);
		PQfinish(r.pg);
		return kd_error(EIO);
	}
	PQclear(PQexec(r.pg, "SET client_min_messages = warning;"
			     " SET application_name = 'kerjadekat match'"));
	int rc = take_lock(&r);
	if (rc == kd_ok())
		rc = run_phases(&r, mode, policy);
	if (rc < 0)
		record_failure(&r);
	PQfinish(r.pg);
	return rc;
}
