#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"
#include "kd.h"

#define LISTEN_BACKLOG 511

kd_http_limits kd_http_limits_default(void)
{
	return (kd_http_limits){
		.max_header_bytes = 16 * 1024,
		.max_request_line = 8 * 1024,
		.max_header_field = 8 * 1024,
		.max_header_fields = 64,
		.max_body = 64 * 1024,
		.header_timeout_ms = 10 * 1000,
		.body_timeout_ms = 10 * 1000,
		.idle_timeout_ms = 60 * 1000,
		.send_timeout_ms = 10 * 1000,
		.max_connections = 1024,
	};
}

static void free_handle_data(uv_handle_t *handle)
{
	free(handle->data);
}

kd_http_server *kd_http_server_new(uv_loop_t *loop, const kd_http_limits *limits,
				   kd_http_handler handler, void *arg)
{
	if (sodium_init() < 0)
		return NULL;
	kd_http_server *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = loop;
	s->limits = limits ? *limits : kd_http_limits_default();
	s->handler = handler;
	s->arg = arg;
	s->accepting = true;
	if (uv_tcp_init(loop, &s->listener) < 0) {
		free(s);
		return NULL;
	}
	s->listener.data = s;
	s->finisher.data = s;
	if (uv_timer_init(loop, &s->finisher) < 0) {
		uv_close((uv_handle_t *)&s->listener, free_handle_data);
		return NULL;
	}
	s->handles_open = 2;
	return s;
}

static void maybe_finish(kd_http_server *s)
{
	if (!s->closing || s->handles_open > 0 || s->nconns > 0)
		return;
	void (*done)(void *) = s->done;
	void *done_arg = s->done_arg;
	free(s);
	if (done)
		done(done_arg);
}

static void on_handle_closed(uv_handle_t *handle)
{
	kd_http_server *s = handle->data;
	s->handles_open--;
	maybe_finish(s);
}

void kd_http_server_forget(kd_http_server *s, kd_http_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	maybe_finish(s);
}

/*
 * Past the cap a connection is accepted and closed at once: leaving it in
 * the backlog would stop libuv from accepting anything else.
 */
static void reject(kd_http_server *s)
{
	uv_tcp_t *tcp = malloc(sizeof(*tcp));
	if (!tcp || uv_tcp_init(s->loop, tcp) < 0) {
		free(tcp);
		return;
	}
	tcp->data = tcp;
	if (uv_accept((uv_stream_t *)&s->listener, (uv_stream_t *)tcp) < 0)
		fprintf(stderr, "http: accept failed while over the connection cap\n");
	uv_close((uv_handle_t *)tcp, free_handle_data);
}

static void on_connection(uv_stream_t *listener, int status)
{
	kd_http_server *s = listener->data;
	if (status < 0) {
		/*
		 * libuv has already shed the pending connections (its EMFILE
		 * reserve descriptor) and polls again; only the log needs a limit.
		 */
		uint64_t now = uv_now(s->loop);
		if (now >= s->accept_error_quiet_until) {
			s->accept_error_quiet_until = now + 1000;
			fprintf(stderr, "http: accept failed: %s\n", uv_strerror(status));
		}
		return;
	}
	if (s->nconns >= s->limits.max_connections)
		reject(s);
	else
		kd_http_conn_accept(s);
}

int kd_http_server_listen(kd_http_server *s, const char *host, int port)
{
	struct sockaddr_storage addr;
	if (!host || port < 0 || port > 65535)
		return kd_error(EINVAL);
	if (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) != 0 &&
	    uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr) != 0)
		return kd_error(EINVAL);
	/* libuv's errors are negative errno values on Unix, as ours are. */
	int rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
	if (rc < 0)
		return rc;
	rc = uv_listen((uv_stream_t *)&s->listener, LISTEN_BACKLOG, on_connection);
	if (rc < 0)
		return rc;
	return kd_ok();
}

int kd_http_server_port(const kd_http_server *s)
{
	struct sockaddr_storage addr;
	int len = sizeof(addr);
	int rc = uv_tcp_getsockname(&s->listener, (struct sockaddr *)&addr, &len);
	if (rc < 0)
		return rc;
	if (addr.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&addr)->sin_port);
	if (addr.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
	return kd_error(EAFNOSUPPORT);
}

void kd_http_server_stop_accepting(kd_http_server *s)
{
	if (!s->accepting)
		return;
	s->accepting = false;
	uv_close((uv_handle_t *)&s->listener, on_handle_closed);
	/* Freeing happens in close callbacks, so the list stays intact here. */
	for (kd_http_conn *c = s->conns; c; c = c->next)
		kd_http_conn_drain(c);
}

size_t kd_http_server_inflight(const kd_http_server *s)
{
	return s->inflight;
}

unsigned kd_http_server_connections(const kd_http_server *s)
{
	return s->nconns;
}

int kd_http_server_trust_proxies(kd_http_server *s, const kd_ipaddr *proxies, size_t count)
{
	if (count > KD_HTTP_MAX_PROXIES)
		return kd_error(E2BIG);
	if (count)
		memcpy(s->proxies, proxies, count * sizeof(*proxies));
	s->nproxies = count;
	return kd_ok();
}

void kd_http_server_observe(kd_http_server *s, kd_http_observer observer, void *arg)
{
	s->observer = observer;
	s->observer_arg = arg;
}

void kd_http_server_close(kd_http_server *s, void (*done)(void *arg), void *arg)
{
	kd_http_server_stop_accepting(s);
	s->closing = true;
	s->done = done;
	s->done_arg = arg;
	for (kd_http_conn *c = s->conns; c; c = c->next)
		kd_http_conn_close(c);
	uv_close((uv_handle_t *)&s->finisher, on_handle_closed);
}

const char *kd_http_server_date(kd_http_server *s)
{
	time_t now = time(NULL);
	if (now != s->date_time || !s->date[0]) {
		s->date_time = now;
		kd_http_date(now, s->date);
	}
	return s->date;
}
