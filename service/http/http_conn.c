#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"
#include "http/http_log.h"
#include "kd.h"

/*
 * After the last response the connection is half-closed and its input
 * drained for a while before the close: closing a socket with unread input
 * makes the kernel send a reset, which can destroy the response (a 413, say)
 * before the client has read it.
 */
#define LINGER_MS 2000
#define LINGER_MAX_BYTES (1024 * 1024)

/* The timer is armed for no phase (a sentinel outside the framing's). */
#define TIMED_NOTHING KD_FRAMING_COMPLETE

typedef struct kd_http_write {
	uv_write_t req;
	kd_http_conn *conn;
	char *data;             /* owned; NULL for static text */
	bool final;
} kd_http_write;

static void conn_process(kd_http_conn *c);

static kd_http_conn *conn_of_request(kd_http_request *req)
{
	kd_http_framing *f = kd_http_framing_of(req);
	return (kd_http_conn *)((char *)f - offsetof(kd_http_conn, framing));
}

static void conn_free(kd_http_conn *c)
{
	kd_http_server *s = c->server;
	kd_http_framing_free(&c->framing);
	kd_http_server_give_buffer(s, c->in);
	kd_http_server_forget(s, c);
	free(c);
}

static void on_close(uv_handle_t *handle)
{
	kd_http_conn *c = handle->data;
	if (--c->handles_open == 0 && !c->answering)
		conn_free(c);
}

void kd_http_conn_close(kd_http_conn *c)
{
	if (c->state == KD_CONN_CLOSED)
		return;
	c->state = KD_CONN_CLOSED;
	kd_http_server_closed(c->server, c);
	uv_close((uv_handle_t *)&c->tcp, on_close);
	uv_close((uv_handle_t *)&c->timer, on_close);
}

/* Closes the connection when a libuv call failed; true when it did not. */
static bool uv_ok(kd_http_conn *c, int rc)
{
	if (rc < 0)
		kd_http_conn_close(c);
	return rc >= 0;
}

static void on_timer(uv_timer_t *timer);

static bool arm(kd_http_conn *c, uint64_t ms)
{
	return uv_ok(c, uv_timer_start(&c->timer, on_timer, ms, 0));
}

static bool disarm(kd_http_conn *c)
{
	c->timed_phase = TIMED_NOTHING;
	return uv_ok(c, uv_timer_stop(&c->timer));
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	kd_http_conn *c = handle->data;
	(void)suggested;
	/* Reading is on only once earlier input is consumed. */
	if (!c->in)
		c->in = kd_http_server_take_buffer(c->server);
	c->in_start = c->in_end = 0;
	*buf = uv_buf_init(c->in, c->in ? KD_HTTP_READ_BUFFER_SIZE : 0);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	kd_http_conn *c = stream->data;
	(void)buf;
	if (nread == 0)
		return;
	if (c->state == KD_CONN_LINGERING) {
		c->lingered += nread > 0 ? (size_t)nread : 0;
		if (nread < 0 || c->lingered > LINGER_MAX_BYTES)
			kd_http_conn_close(c);
		return;
	}
	/* End of stream or reset: whatever was begun has nobody to answer. */
	if (nread < 0) {
		kd_http_conn_close(c);
		return;
	}
	c->in_end = (size_t)nread;
	conn_process(c);
}

static bool start_reading(kd_http_conn *c)
{
	if (c->reading)
		return true;
	c->reading = true;
	return uv_ok(c, uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read));
}

static bool stop_reading(kd_http_conn *c)
{
	if (!c->reading)
		return true;
	c->reading = false;
	return uv_ok(c, uv_read_stop((uv_stream_t *)&c->tcp));
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	kd_http_conn *c = req->handle->data;
	if (status < 0)
		kd_http_conn_close(c);
}

/*
 * The response has left: linger after the last one, else read the next
 * request.  Inside the handler's call conn_process() is on the stack and
 * goes on by itself (no recursion through pipelined requests).
 */
static void response_sent(kd_http_conn *c)
{
	c->answered++;
	if (!disarm(c))
		return;
	if (c->close_after) {
		c->state = KD_CONN_LINGERING;
		c->in_start = c->in_end = 0;
		if (uv_ok(c, uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, on_shutdown)) &&
		    arm(c, LINGER_MS))
			start_reading(c);
		return;
	}
	kd_http_framing_next(&c->framing);
	c->state = KD_CONN_READING;
	if (!c->dispatching)
		conn_process(c);
}

static void on_write(uv_write_t *req, int status)
{
	kd_http_write *w = (kd_http_write *)req;
	kd_http_conn *c = w->conn;
	bool final = w->final;
	free(w->data);
	free(w);
	if (c->state == KD_CONN_CLOSED)
		return;
	if (status < 0) {
		kd_http_conn_close(c);
		return;
	}
	if (final)
		response_sent(c);
}

/* Queues len bytes of data (owned, or static when final is false). */
static bool queue_write(kd_http_conn *c, char *data, size_t len, bool final)
{
	kd_http_write *w = malloc(sizeof(*w));
	if (!w) {
		if (final)
			free(data);
		kd_http_conn_close(c);
		return false;
	}
	w->conn = c;
	w->data = final ? data : NULL;
	w->final = final;
	uv_buf_t buf = uv_buf_init(data, (unsigned)len);
	int rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_write);
	if (rc < 0) {
		free(w->data);
		free(w);
		kd_http_conn_close(c);
		return false;
	}
	return true;
}

static uint64_t phase_timeout(const kd_http_conn *c, kd_http_framing_phase phase)
{
	const kd_http_limits *l = &c->server->limits;
	switch (phase) {
	case KD_FRAMING_IDLE:
		/* A new connection gets no keep-alive grace before its first byte. */
		return c->answered ? l->idle_timeout_ms : l->header_timeout_ms;
	case KD_FRAMING_HEADERS:
		return l->header_timeout_ms;
	default:
		return l->body_timeout_ms;
	}
}

/* Reads the peer's address: its client number and whether it is a trusted proxy. */
static void identify_peer(kd_http_conn *c)
{
	struct sockaddr_storage addr;
	int len = sizeof(addr);
	kd_ipaddr peer;
	c->client = 0;
	c->via_proxy = false;
	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&addr, &len) < 0 ||
	    kd_ipaddr_from_sockaddr((struct sockaddr *)&addr, &peer) < 0)
		return;
	c->client = kd_ipaddr_client(&peer);
	for (size_t i = 0; i < c->server->nproxies; i++)
		if (kd_ipaddr_equal(&peer, &c->server->proxies[i]))
			c->via_proxy = true;
}

/* The client a request stands for: the peer, or whom a trusted proxy forwarded for. */
static int64_t client_of(const kd_http_conn *c)
{
	if (!c->via_proxy)
		return c->client;
	const char *forwarded = kd_http_framing_last_header(&c->framing, "X-Forwarded-For");
	kd_ipaddr origin;
	if (forwarded == NULL || kd_ipaddr_last_forwarded(forwarded, &origin) < 0)
		return c->client;
	return kd_ipaddr_client(&origin);
}

/* Hands the request, or the framing's error, to whoever answers it. */
static void dispatch(kd_http_conn *c, bool error)
{
	kd_http_framing *f = &c->framing;
	kd_http_server *s = c->server;
	kd_http_server_idle(s, c, false);
	if (!disarm(c))
		return;
	c->state = KD_CONN_ANSWERING;
	c->answering = true;
	c->from_handler = !error;
	c->dispatching = true;
	if (error) {
		kd_http_respond_error(&f->req, f->status, kd_http_status_code(f->status),
				      f->message, NULL, NULL);
	} else {
		s->inflight++;
		f->req.client = client_of(c);
		s->handler(&f->req, s->arg);
	}
	c->dispatching = false;
	/*
	 * Reading stays off while the answer is awaited or being written (no
	 * read callback could have come during the call itself); an answer
	 * already sent leaves it on, saving two epoll_ctl calls a request.
	 */
	if (c->state == KD_CONN_ANSWERING || c->state == KD_CONN_WRITING)
		stop_reading(c);
}

static void conn_process(kd_http_conn *c)
{
	kd_http_framing *f = &c->framing;
	kd_http_framing_event event;
	for (;;) {
		size_t avail = c->in_end - c->in_start;
		const char *data = avail ? c->in + c->in_start : NULL;
		c->in_start += kd_http_framing_feed(f, data, avail, &event);
		if (event == KD_FRAMING_MORE)
			break;
		dispatch(c, event == KD_FRAMING_ERROR);
		/* Answered and sent during the call: on to the next request. */
		if (c->state != KD_CONN_READING)
			return;
	}
	/* Waiting for a keep-alive request: a candidate to make room for others. */
	kd_http_server_idle(c->server, c, f->phase == KD_FRAMING_IDLE && c->answered > 0);
	/* Idle connections keep no buffer: a thousand of them cost little. */
	if (f->phase == KD_FRAMING_IDLE) {
		kd_http_server_give_buffer(c->server, c->in);
		c->in = NULL;
	}
	if (f->expect_continue) {
		f->expect_continue = false;
		if (!queue_write(c, (char *)KD_HTTP_CONTINUE, strlen(KD_HTTP_CONTINUE), false))
			return;
	}
	if (f->phase != c->timed_phase) {
		c->timed_phase = f->phase;
		if (!arm(c, phase_timeout(c, f->phase)))
			return;
	}
	start_reading(c);
}

static void on_timer(uv_timer_t *timer)
{
	kd_http_conn *c = timer->data;
	if (c->state != KD_CONN_READING || c->framing.phase == KD_FRAMING_IDLE) {
		/* Idle, a response the client does not take, or the linger ended. */
		kd_http_conn_close(c);
		return;
	}
	kd_http_framing_fail(&c->framing, 408, "request timed out");
	dispatch(c, true);
	if (c->state == KD_CONN_READING)
		conn_process(c);
}

void kd_http_conn_drain(kd_http_conn *c)
{
	if (c->state == KD_CONN_READING && c->framing.phase == KD_FRAMING_IDLE)
		kd_http_conn_close(c);
}

void kd_http_conn_accept(kd_http_server *s)
{
	kd_http_conn *c = calloc(1, sizeof(*c));
	if (!c || kd_http_framing_init(&c->framing, &s->limits) < 0 ||
	    uv_tcp_init(s->loop, &c->tcp) < 0) {
		if (c)
			kd_http_framing_free(&c->framing);
		free(c);
		fprintf(stderr, "http: cannot set up a connection\n");
		return;
	}
	c->server = s;
	c->state = KD_CONN_READING;
	c->timed_phase = TIMED_NOTHING;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	c->tcp.data = c;
	c->timer.data = c;
	c->handles_open = 1;
	if (uv_timer_init(s->loop, &c->timer) < 0) {
		c->state = KD_CONN_CLOSED;
		kd_http_server_closed(s, c);
		uv_close((uv_handle_t *)&c->tcp, on_close);
		return;
	}
	c->handles_open = 2;
	if (uv_ok(c, uv_accept((uv_stream_t *)&s->listener, (uv_stream_t *)&c->tcp)) &&
	    uv_ok(c, uv_tcp_nodelay(&c->tcp, 1))) {
		identify_peer(c);
		/* Refused like at the connection cap: closed at once, no answer. */
		if (!kd_http_server_admit(s, c)) {
			kd_http_conn_close(c);
			return;
		}
		conn_process(c);
	}
}

static void log_answer(kd_http_conn *c, int status, size_t bytes)
{
	kd_http_framing *f = &c->framing;
	kd_http_log_entry e = {
		.request_id = f->req.request_id,
		.method = f->method_known ? http_method_str(f->req.method) : NULL,
		.route = f->req.route,
		.status = status,
		.elapsed_ns = uv_hrtime() - f->req.received_ns,
		.bytes = bytes,
	};
	clock_gettime(CLOCK_REALTIME, &e.time);
	kd_http_log_write(&e);
	kd_http_server *s = c->server;
	if (s->observer)
		s->observer(&f->req, e.method, status, e.elapsed_ns, s->observer_arg);
}

static const char fallback_body[] =
	"{\"error\":{\"code\":\"internal\",\"message\":\"response could not be built\"}}";

void kd_http_respond(kd_http_request *req, int status, const char *content_type,
		     const void *body, size_t len, const char *headers)
{
	if (req->on_end) {
		void (*on_end)(kd_http_request *) = req->on_end;
		req->on_end = NULL;
		on_end(req);
	}
	kd_http_conn *c = conn_of_request(req);
	kd_http_framing *f = &c->framing;
	kd_http_server *s = c->server;
	assert(c->answering);
	c->answering = false;
	if (c->from_handler)
		s->inflight--;

	if (c->state == KD_CONN_CLOSED) {
		log_answer(c, status, 0);
		if (c->handles_open == 0)
			conn_free(c);
		return;
	}
	kd_http_response r = {
		.status = status,
		.content_type = content_type,
		.body = body,
		.len = len,
		.headers = headers,
		.request_id = req->request_id,
		.date = kd_http_server_date(s),
		.close = !f->keep_alive || !s->accepting,
		.head = f->method_known && req->method == HTTP_HEAD,
	};
	r.keep_alive_header = !r.close && f->parser.http_minor == 0;
	char *out;
	size_t outlen;
	int rc = kd_http_response_format(&r, &out, &outlen);
	if (rc == kd_error(EINVAL)) {
		fprintf(stderr, "http: handler for %s built an invalid response (status %d)\n",
			req->route ? req->route : "-", status);
		r.status = 500;
		r.content_type = NULL;
		r.body = fallback_body;
		r.len = strlen(fallback_body);
		r.headers = NULL;
		rc = kd_http_response_format(&r, &out, &outlen);
	}
	if (rc < 0) {
		log_answer(c, r.status, 0);
		kd_http_conn_close(c);
		return;
	}
	c->close_after = r.close;
	c->state = KD_CONN_WRITING;
	/*
	 * Most answers fit the socket's buffer: written at once, they need no
	 * write request, no callback on the next loop turn and no timer.  An
	 * answer given later (after a database round trip) with a pipelined
	 * request already read behind it goes the long way, so that the next
	 * request's handler never runs inside whatever callback answered this
	 * one.  The log line is written after the answer, which then waits for
	 * no log write, and before the connection moves on to the next request.
	 */
	int sent = UV_EAGAIN;
	if (c->dispatching || c->in_start >= c->in_end)
		sent = uv_try_write((uv_stream_t *)&c->tcp, &(uv_buf_t){ .base = out, .len = outlen },
				    1);
	log_answer(c, r.status, outlen);
	if (sent == (int)outlen) {
		free(out);
		response_sent(c);
		return;
	}
	if (sent < 0 && sent != UV_EAGAIN && sent != UV_ENOSYS) {
		free(out);
		kd_http_conn_close(c);
		return;
	}
	if (sent > 0) {
		memmove(out, out + sent, outlen - (size_t)sent);
		outlen -= (size_t)sent;
	}
	if (arm(c, s->limits.send_timeout_ms))
		queue_write(c, out, outlen, true);
	else
		free(out);
}

void kd_http_respond_error(kd_http_request *req, int status, const char *code,
			   const char *message, const char *field, const char *headers)
{
	size_t len;
	char *body = kd_http_error_body(code, message, field, &len);
	if (!body) {
		kd_http_respond(req, 500, NULL, fallback_body, strlen(fallback_body), NULL);
		return;
	}
	kd_http_respond(req, status, NULL, body, len, headers);
	free(body);
}
