/*
 * One PostgreSQL connection: connect, prepare every statement, then run
 * pipeline segments.  The state changes only through conn_set_state().
 *
 * Handle order matters: a poll handle is closed before its socket, so the
 * PGconn is finished in the poll's close callback.  libpq may change
 * sockets while connecting, so PQsocket() is read again after every step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db_hosts.h"
#include "db/db_internal.h"
#include "kd.h"

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 1000
#define CONNECT_TIMEOUT_MS 5000

static void conn_fail(kd_db_conn *conn, const char *why);
static void on_timer(uv_timer_t *timer);
static bool conn_is_listener(const kd_db_conn *conn);

static void conn_set_state(kd_db_conn *conn, kd_conn_state next)
{
	kd_conn_state prev = conn->state;
	conn->state = next;
	switch (next) {
	case KD_CONN_WAITING:
		uv_timer_start(&conn->timer, on_timer, conn->backoff_ms, 0);
		conn->backoff_ms = conn->backoff_ms * 2 > BACKOFF_MAX_MS ?
			BACKOFF_MAX_MS : conn->backoff_ms * 2;
		break;
	case KD_CONN_CONNECTING:
		/* entered again for each host, so each gets the whole timeout */
		uv_timer_start(&conn->timer, on_timer, conn->host_timeout_ms, 0);
		break;
	case KD_CONN_PREPARING:
		uv_timer_start(&conn->timer, on_timer, CONNECT_TIMEOUT_MS, 0);
		break;
	case KD_CONN_READY:
		uv_timer_stop(&conn->timer);
		conn->backoff_ms = BACKOFF_MIN_MS;
		break;
	case KD_CONN_CLOSING:
		uv_timer_stop(&conn->timer);
		break;
	}
	if ((prev == KD_CONN_READY) != (next == KD_CONN_READY))
		kd_db_pool_conn_changed(conn->pool);
	if (next == KD_CONN_READY && conn_is_listener(conn) && conn->pool->options.on_listening)
		conn->pool->options.on_listening(conn->pool, conn->pool->options.arg);
}

static void on_poll_closed(uv_handle_t *handle)
{
	kd_conn_poll *poll = (kd_conn_poll *)handle;
	if (poll->finish_on_close)
		PQfinish(poll->finish_on_close);
	kd_db_pool_handle_closed(poll->pool);
	free(poll);
}

/* Closes the poll handle; the PGconn, if given, is finished after it. */
static void conn_drop_poll(kd_db_conn *conn, PGconn *finish)
{
	if (conn->poll == NULL) {
		if (finish)
			PQfinish(finish);
		return;
	}
	conn->poll->finish_on_close = finish;
	uv_close((uv_handle_t *)&conn->poll->handle, on_poll_closed);
	conn->poll = NULL;
	conn->poll_events = 0;
}

/*
 * Which socket fd names: a descriptor number can be reused at once for a new
 * socket, the device and inode pair not while the old one is open.
 */
static bool socket_identity(int fd, dev_t *dev, ino_t *ino)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return false;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return true;
}

static void on_poll(uv_poll_t *handle, int status, int events);

static bool conn_watch(kd_db_conn *conn, int events)
{
	int fd = PQsocket(conn->pg);
	if (fd < 0)
		return false;
	if (conn->poll != NULL && conn->poll_fd != fd)
		conn_drop_poll(conn, NULL);
	if (conn->poll == NULL) {
		conn->poll = calloc(1, sizeof(*conn->poll));
		if (conn->poll == NULL)
			return false;
		conn->poll->pool = conn->pool;
		if (!socket_identity(fd, &conn->poll_dev, &conn->poll_ino) ||
		    uv_poll_init_socket(conn->pool->loop, &conn->poll->handle, fd) != 0) {
			free(conn->poll);
			conn->poll = NULL;
			return false;
		}
		conn->pool->handles_open++;
		conn->poll->handle.data = conn;
		conn->poll_fd = fd;
		conn->poll_events = 0;
	}
	if (events != conn->poll_events) {
		if (uv_poll_start(&conn->poll->handle, events, on_poll) != 0)
			return false;
		conn->poll_events = events;
	}
	return true;
}

/* Sends buffered output; watches for writability while some remains. */
static bool conn_flush(kd_db_conn *conn)
{
	int rc = PQflush(conn->pg);
	if (rc < 0)
		return false;
	return conn_watch(conn, rc == 1 ? UV_READABLE | UV_WRITABLE : UV_READABLE);
}

/*
 * One connection per pool listens, the first: a NOTIFY reaches every
 * listening session, so more listeners would only repeat each one.
 */
static bool conn_is_listener(const kd_db_conn *conn)
{
	return conn == &conn->pool->conns[0] && conn->pool->options.listen != NULL &&
	       conn->pool->options.listen[0] != NULL;
}

/* Its application_name tells operators (and tests) which session it is. */
static bool conn_send_listens(kd_db_conn *conn)
{
	const char *name = "SET application_name = 'kerjadekat listener'";
	if (PQsendQueryParams(conn->pg, name, 0, NULL, NULL, NULL, NULL, 0) != 1) {
		conn_fail(conn, "cannot send listen");
		return false;
	}
	for (const char *const *ch = conn->pool->options.listen; *ch; ch++) {
		char sql[96];
		snprintf(sql, sizeof(sql), "LISTEN %s", *ch);
		if (PQsendQueryParams(conn->pg, sql, 0, NULL, NULL, NULL, NULL, 0) != 1) {
			conn_fail(conn, "cannot send listen");
			return false;
		}
	}
	return true;
}

static void conn_send_prepares(kd_db_conn *conn)
{
	if (PQenterPipelineMode(conn->pg) != 1) {
		conn_fail(conn, "cannot enter pipeline mode");
		return;
	}
	const char *probe = conn->pool->options.probe_sql;
	conn->probe_pending = probe != NULL;
	if (probe && PQsendQueryParams(conn->pg, probe, 0, NULL, NULL, NULL, NULL, 0) != 1) {
		conn_fail(conn, "cannot send probe");
		return;
	}
	for (int i = 0; i < KD_STMT_COUNT; i++) {
		const kd_stmt_def *def = kd_stmt_get((kd_stmt)i);
		if (PQsendPrepare(conn->pg, def->name, def->sql, def->nparams, NULL) != 1) {
			conn_fail(conn, "cannot send prepare");
			return;
		}
	}
	if (conn_is_listener(conn) && !conn_send_listens(conn))
		return;
	if (PQpipelineSync(conn->pg) != 1) {
		conn_fail(conn, "cannot send sync");
		return;
	}
	conn->syncs_pending = 1;
	conn->prepare_failed = false;
	conn_set_state(conn, KD_CONN_PREPARING);
	if (!conn_flush(conn))
		conn_fail(conn, "cannot send prepares");
}

/*
 * Before each PQconnectPoll step, which may close the socket and open the
 * next host's or address's, often under the same descriptor number.
 * Stopping the handle takes the socket out of epoll while it is still open,
 * so no active handle watches a socket being closed (libuv's rule).
 */
static void conn_pause_poll(kd_db_conn *conn)
{
	if (conn->poll != NULL && conn->poll_events != 0) {
		uv_poll_stop(&conn->poll->handle);
		conn->poll_events = 0;
	}
}

/*
 * After each step: one poll handle per socket (libuv's poll.rst), so a
 * handle whose socket libpq has replaced is closed and conn_watch() makes
 * one for the new socket.  Comparing numbers alone is not enough: the
 * kernel drops a closed socket from epoll, but libuv still counts a handle
 * kept for the reused number as registered and, while the events asked for
 * stay the same, never registers the new socket: the attempt would hang.
 */
static void conn_follow_socket(kd_db_conn *conn)
{
	if (conn->poll == NULL)
		return;
	int fd = PQsocket(conn->pg);
	dev_t dev;
	ino_t ino;
	if (fd != conn->poll_fd || !socket_identity(fd, &dev, &ino) ||
	    dev != conn->poll_dev || ino != conn->poll_ino)
		conn_drop_poll(conn, NULL);
}

/*
 * Follows libpq through its host list; true when it has gone on to another
 * host since the last call.  libpq only moves forward, so the first entry
 * from the current one on that matches is where it is (a host listed twice
 * in a row looks like one, which costs one timeout at most).
 */
static bool conn_track_host(kd_db_conn *conn)
{
	if (conn->options == NULL || conn->pg == NULL)
		return false;
	int n = kd_db_hosts_count(conn->options);
	for (int i = conn->host_index; i < n; i++) {
		if (kd_db_hosts_on(conn->options, i, n, PQhost(conn->pg), PQport(conn->pg))) {
			bool moved = i != conn->host_index;
			conn->host_index = i;
			return moved;
		}
	}
	return false;
}

static void conn_step_connect(kd_db_conn *conn)
{
	conn_pause_poll(conn);
	PostgresPollingStatusType polling = PQconnectPoll(conn->pg);
	conn_follow_socket(conn);
	if (conn_track_host(conn))
		conn_set_state(conn, KD_CONN_CONNECTING);
	switch (polling) {
	case PGRES_POLLING_READING:
		if (!conn_watch(conn, UV_READABLE))
			conn_fail(conn, "cannot watch socket");
		break;
	case PGRES_POLLING_WRITING:
		if (!conn_watch(conn, UV_WRITABLE))
			conn_fail(conn, "cannot watch socket");
		break;
	case PGRES_POLLING_OK:
		conn_send_prepares(conn);
		break;
	default:
		conn_fail(conn, PQerrorMessage(conn->pg));
		break;
	}
}

/* Copies libpq's text into out as one logfmt-safe quoted value. */
static void log_value(char *out, size_t size, const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p && n + 1 < size; p++)
		out[n++] = (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) ? ' ' : *p;
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/*
 * libpq prints server notices (a terminated session's FATAL among them) on
 * stderr as they come; keep the log one logfmt stream instead.
 */
static void conn_notice(void *arg, const char *message)
{
	(void)arg;
	char msg[256];
	log_value(msg, sizeof(msg), message);
	fprintf(stderr, "level=notice msg=\"database notice\" text=\"%s\"\n", msg);
}

/* Detaches the PGconn, for the caller to finish once its poll handle is closed. */
static PGconn *conn_take_pg(kd_db_conn *conn)
{
	PGconn *pg = conn->pg;
	conn->pg = NULL;
	PQconninfoFree(conn->options);
	conn->options = NULL;
	conn->host_index = 0;
	return pg;
}

/*
 * Takes over pg, just returned by PQconnectStart*() (which has already made
 * the first step), and waits for its socket.  Its effective options (with
 * libpq's defaults and the environment filled in) give the host list that
 * conn_track_host() follows.
 */
static void conn_begin(kd_db_conn *conn, PGconn *pg)
{
	conn->pg = pg;
	if (pg == NULL || PQstatus(pg) == CONNECTION_BAD || PQsetnonblocking(pg, 1) != 0) {
		conn_fail(conn, pg ? PQerrorMessage(pg) : "out of memory");
		return;
	}
	PQsetNoticeProcessor(pg, conn_notice, NULL);
	/* Without the options (out of memory) the attempt has one timeout for all hosts. */
	conn->options = PQconninfo(pg);
	conn->host_index = 0;
	conn->host_timeout_ms = kd_db_hosts_timeout_ms(conn->options, CONNECT_TIMEOUT_MS);
	conn_track_host(conn);
	conn_set_state(conn, KD_CONN_CONNECTING);
	/* libpq's contract: behave as if PQconnectPoll had asked for writing. */
	if (!conn_watch(conn, UV_WRITABLE))
		conn_fail(conn, "cannot watch socket");
}

static void conn_connect(kd_db_conn *conn)
{
	conn_begin(conn, PQconnectStart(conn->pool->conninfo));
}

/*
 * A host took its whole timeout without finishing the connection: it
 * accepted and never answered, or froze.  PQconnectPoll never enforces
 * connect_timeout (only libpq's blocking PQconnectdb does), and libpq has
 * no call to leave one host for the next in the middle of an attempt.  So
 * this PGconn is given up and a new one started with the same effective
 * options but only the hosts after this one (a host's remaining addresses
 * are skipped with it); libpq's order and target_session_attrs still rule
 * the rest.  When no host is left the attempt fails, and the next one,
 * after backoff, starts again from the first host.
 */
static void conn_next_host(kd_db_conn *conn)
{
	int n = conn->options ? kd_db_hosts_count(conn->options) : 0, next = conn->host_index + 1;
	if (next >= n) {
		conn_fail(conn, "connection attempt timed out");
		return;
	}
	PGconn *pg = kd_db_hosts_start_from(conn->options, next);
	if (pg == NULL) {
		conn_fail(conn, "out of memory");
		return;
	}
	conn_drop_poll(conn, conn_take_pg(conn));
	conn_begin(conn, pg);
}

static void on_timer(uv_timer_t *timer)
{
	kd_db_conn *conn = timer->data;
	if (conn->state == KD_CONN_WAITING)
		conn_connect(conn);
	else if (conn->state == KD_CONN_CONNECTING)
		conn_next_host(conn);
	else if (conn->state == KD_CONN_PREPARING)
		conn_fail(conn, "connection attempt timed out");
}

static void conn_store_result(kd_db_conn *conn, PGresult *res)
{
	kd_db_job *job = conn->reading;
	int i = conn->reading_statement;
	if (job == NULL || i >= job->nstatements) {
		PQclear(res);
		return;
	}
	if (job->batch > 1) {
		kd_db_batch_store_result(job, res);
		return;
	}
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		PQclear(job->results[i]);
		job->results[i] = res;
		return;
	case PGRES_PIPELINE_ABORTED:
		break;
	default:
		if (job->failed_statement < 0) {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
			snprintf(job->sqlstate, sizeof(job->sqlstate), "%s", state ? state : "XX000");
			snprintf(job->constraint, sizeof(job->constraint), "%s",
				 constraint ? constraint : "");
			job->failed_statement = i;
		}
		break;
	}
	PQclear(res);
}

/* A NULL result ends one statement's results. */
static void conn_next_statement(kd_db_conn *conn)
{
	kd_db_job *job = conn->reading;
	if (job == NULL)
		return;
	if (job->batch > 1) {
		/* One statement stood for the batch's jobs, one each. */
		for (int n = job->batch; n > 0 && job != NULL; n--)
			job = job->next;
		conn->reading = job;
		conn->reading_statement = 0;
		return;
	}
	if (++conn->reading_statement >= job->nstatements) {
		conn->reading = job->next;
		conn->reading_statement = 0;
	}
}

static void conn_segment_synced(kd_db_conn *conn)
{
	kd_db_job *first = conn->inflight_head, *last = first;
	bool committed = true;
	conn->syncs_pending--;
	if (first == NULL)
		return;
	for (;; last = last->next) {
		if (last->failed_statement >= 0 || last->batch_failed)
			committed = false;
		if (last->segment_end || last->next == NULL)
			break;
	}
	conn->inflight_head = last->next;
	if (conn->inflight_head == NULL)
		conn->inflight_tail = NULL;
	last->next = NULL;
	/* Aborted statements need not end in a NULL result: resynchronise here. */
	conn->reading = conn->inflight_head;
	conn->reading_statement = 0;
	kd_db_pool_segment_done(conn->pool, first, committed);
}

/*
 * An error that ended the session or the statement from outside (an
 * administrator, a shutdown, a cancel, a dropped network; libpq's own
 * errors carry no SQLSTATE) says nothing about the database itself.
 */
static bool result_ended_from_outside(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	return state == NULL || strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0;
}

/*
 * The caller judges the database by the probe, so a probe ended from
 * outside is not shown to it: the connection fails and is made again.
 */
static void conn_deliver_probe(kd_db_conn *conn, const PGresult *res)
{
	kd_db_pool *pool = conn->pool;
	conn->probe_pending = false;
	if (PQresultStatus(res) == PGRES_FATAL_ERROR && result_ended_from_outside(res))
		return;
	if (pool->options.on_probe)
		pool->options.on_probe(pool, res, pool->options.arg);
}

static void conn_read_results(kd_db_conn *conn)
{
	while (conn->syncs_pending > 0 && !PQisBusy(conn->pg)) {
		PGresult *res = PQgetResult(conn->pg);
		if (conn->state == KD_CONN_PREPARING) {
			if (res == NULL)
				continue;
			ExecStatusType st = PQresultStatus(res);
			if (conn->probe_pending) {
				conn_deliver_probe(conn, res);
				if (st == PGRES_FATAL_ERROR)
					conn->prepare_failed = true;
				PQclear(res);
				continue;
			}
			if (st == PGRES_FATAL_ERROR) {
				fprintf(stderr, "level=error msg=\"cannot prepare statement\" sqlstate=%s\n",
					PQresultErrorField(res, PG_DIAG_SQLSTATE));
				conn->prepare_failed = true;
			}
			PQclear(res);
			if (st == PGRES_PIPELINE_SYNC) {
				conn->syncs_pending--;
				if (conn->prepare_failed) {
					conn_fail(conn, "statements could not be prepared");
					return;
				}
				conn_set_state(conn, KD_CONN_READY);
				return;
			}
			continue;
		}
		if (res == NULL) {
			conn_next_statement(conn);
			continue;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			conn_segment_synced(conn);
			/* The pool may have sent the next segment from its callback. */
			if (conn->state != KD_CONN_READY)
				return;
			continue;
		}
		conn_store_result(conn, res);
	}
}

static void conn_read_notifies(kd_db_conn *conn)
{
	PGnotify *n;
	while ((n = PQnotifies(conn->pg)) != NULL) {
		if (conn->pool->options.on_notify)
			conn->pool->options.on_notify(conn->pool, n->relname, n->extra,
						      conn->pool->options.arg);
		PQfreemem(n);
	}
}

static void on_poll(uv_poll_t *handle, int status, int events)
{
	kd_db_conn *conn = handle->data;
	if (status < 0)
		events = UV_READABLE | UV_WRITABLE;
	if (conn->state == KD_CONN_CONNECTING) {
		conn_step_connect(conn);
		return;
	}
	if (conn->state != KD_CONN_PREPARING && conn->state != KD_CONN_READY)
		return;
	if ((events & UV_WRITABLE) && !conn_flush(conn)) {
		conn_fail(conn, "cannot write to the server");
		return;
	}
	if (events & UV_READABLE) {
		if (PQconsumeInput(conn->pg) != 1) {
			conn_fail(conn, PQerrorMessage(conn->pg));
			return;
		}
		conn_read_notifies(conn);
		conn_read_results(conn);
		/*
		 * A notification that came in the same read as results is parsed
		 * only while they are taken: deliver it now, not on the next
		 * read, which an idle connection may not see for a long time.
		 */
		if (conn->pg != NULL)
			conn_read_notifies(conn);
		if (conn->pg != NULL && PQstatus(conn->pg) == CONNECTION_BAD)
			conn_fail(conn, "connection lost");
	}
}

/* Logs once per outage, not once per retry, to keep logs readable. */
static void conn_log_failure(kd_db_conn *conn, const char *why)
{
	if (conn->backoff_ms > BACKOFF_MIN_MS)
		return;
	char msg[256];
	log_value(msg, sizeof(msg), why);
	fprintf(stderr, "level=warn msg=\"database connection failed\" reason=\"%s\"\n", msg);
}

static void conn_fail(kd_db_conn *conn, const char *why)
{
	if (conn->state == KD_CONN_CLOSING)
		return;
	conn_log_failure(conn, why);
	kd_db_job *lost = conn->inflight_head;
	conn->inflight_head = conn->inflight_tail = conn->reading = NULL;
	conn->reading_statement = 0;
	conn->syncs_pending = 0;
	conn_drop_poll(conn, conn_take_pg(conn));
	if (!conn->pool->closing)
		conn_set_state(conn, KD_CONN_WAITING);
	if (lost)
		kd_db_pool_segment_lost(conn->pool, lost);
}

static void on_timer_closed(uv_handle_t *handle)
{
	kd_db_conn *conn = handle->data;
	kd_db_pool_handle_closed(conn->pool);
}

void kd_db_conn_drop(kd_db_conn *conn, const char *why)
{
	conn_fail(conn, why);
}

void kd_db_conn_start(kd_db_conn *conn)
{
	conn->backoff_ms = BACKOFF_MIN_MS;
	conn->timer.data = conn;
	conn->state = KD_CONN_WAITING;
	conn_connect(conn);
}

bool kd_db_conn_send(kd_db_conn *conn, kd_db_job *first)
{
	kd_db_job *job = first;
	for (;; job = job->next) {
		int run = kd_db_batch_run(job);
		if (run > 1) {
			if (!kd_db_batch_send(conn->pg, job, run))
				goto broken;
			for (int n = 1; n < run; n++)
				job = job->next;
			if (job->segment_end)
				break;
			continue;
		}
		for (int i = 0; i < job->nstatements; i++) {
			const kd_stmt_def *def = kd_stmt_get(job->statements[i].stmt);
			if (PQsendQueryPrepared(conn->pg, def->name, job->statements[i].nparams,
						(const char *const *)job->statements[i].values,
						NULL, NULL, 0) != 1)
				goto broken;
		}
		if (job->segment_end)
			break;
	}
	if (PQpipelineSync(conn->pg) != 1)
		goto broken;
	if (conn->inflight_tail)
		conn->inflight_tail->next = first;
	else
		conn->inflight_head = first;
	conn->inflight_tail = job;
	if (conn->reading == NULL) {
		conn->reading = first;
		conn->reading_statement = 0;
	}
	conn->syncs_pending++;
	if (!conn_flush(conn)) {
		conn_fail(conn, "cannot write to the server");
		return false;
	}
	return true;
broken:
	/* Nothing of this segment is in flight yet; the caller requeues it. */
	conn_fail(conn, PQerrorMessage(conn->pg));
	return false;
}

void kd_db_conn_close(kd_db_conn *conn)
{
	kd_db_job *lost = conn->inflight_head;
	conn->inflight_head = conn->inflight_tail = conn->reading = NULL;
	conn_drop_poll(conn, conn_take_pg(conn));
	conn_set_state(conn, KD_CONN_CLOSING);
	uv_close((uv_handle_t *)&conn->timer, on_timer_closed);
	if (lost)
		kd_db_pool_segment_lost(conn->pool, lost);
}
