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
		.max_connections_per_address = 128,
		.crowded_idle_timeout_ms = 2 * 1000,
	};
}

static void free_handle_data(uv_handle_t *handle)
{
	free(handle->data);
}

static void maybe_finish(kd_http_server *s)
{
	if (!s->closing || s->handles_open > 0 || s->nconns > 0)
		return;
	void (*done)(void *) = s->done;
	void *done_arg = s->done_arg;
	while (s->nspare > 0)
		free(s->spare[--s->nspare]);
	kd_peer_count_free(s->peers);
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
	/* Never more addresses than connections: the table is sized once. */
	s->peers = kd_peer_count_new(s->limits.max_connections);
	if (!s->peers) {
		free(s);
		return NULL;
	}
	s->listener.data = s;
	s->shedder.data = s;
	s->finisher.data = s;
	/* A timer's initialisation cannot fail; the listener's is checked. */
	uv_timer_init(loop, &s->shedder);
	uv_timer_init(loop, &s->finisher);
	s->handles_open = 2;
	if (uv_tcp_init(loop, &s->listener) < 0) {
		/* The timers' close callbacks free the server. */
		s->closing = true;
		s->accepting = false;
		uv_close((uv_handle_t *)&s->shedder, on_handle_closed);
		uv_close((uv_handle_t *)&s->finisher, on_handle_closed);
		return NULL;
	}
	s->handles_open = 3;
	return s;
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
	/* Only closed connections are freed. */
	s->nclosing--;
	maybe_finish(s);
}

/* Connections whose socket is still open. */
static unsigned open_connections(const kd_http_server *s)
{
	return s->nconns - s->nclosing;
}

static void on_shed_timer(uv_timer_t *timer);

/*
 * While crowded, the timer is due when the longest-idle connection has
 * waited crowded_idle_timeout_ms; otherwise it is off.  Connections that
 * join the idle list later have waited less, so one timer serves them all.
 */
static void schedule_shedding(kd_http_server *s)
{
	if (s->closing)
		return;
	if (!s->crowded || !s->idle_oldest) {
		uv_timer_stop(&s->shedder);
		return;
	}
	uint64_t due = s->idle_oldest->idle_since + s->limits.crowded_idle_timeout_ms;
	uint64_t now = uv_now(s->loop);
	uv_timer_start(&s->shedder, on_shed_timer, due > now ? due - now : 0, 0);
}

static void shed(kd_http_server *s, kd_http_conn *c)
{
	s->counts.idle_shed++;
	kd_http_conn_close(c);
}

static void on_shed_timer(uv_timer_t *timer)
{
	kd_http_server *s = timer->data;
	uint64_t now = uv_now(s->loop);
	while (s->crowded && s->idle_oldest &&
	       now - s->idle_oldest->idle_since >= s->limits.crowded_idle_timeout_ms)
		shed(s, s->idle_oldest);
	schedule_shedding(s);
}

/*
 * Crowded past 3/4 of the cap: idle keep-alive connections then hold places
 * that new clients need, so they are closed after a short wait instead of
 * the usual idle timeout.
 */
static void update_crowding(kd_http_server *s)
{
	bool crowded = (uint64_t)open_connections(s) * 4 > (uint64_t)s->limits.max_connections * 3;
	if (crowded != s->crowded) {
		s->crowded = crowded;
		schedule_shedding(s);
	}
}

void kd_http_server_idle(kd_http_server *s, kd_http_conn *c, bool idle)
{
	if (idle == c->idle_listed)
		return;
	c->idle_listed = idle;
	if (idle) {
		c->idle_since = uv_now(s->loop);
		c->idle_next = NULL;
		c->idle_prev = s->idle_newest;
		if (s->idle_newest)
			s->idle_newest->idle_next = c;
		else
			s->idle_oldest = c;
		s->idle_newest = c;
		if (s->idle_oldest == c)
			schedule_shedding(s);
		return;
	}
	if (c->idle_prev)
		c->idle_prev->idle_next = c->idle_next;
	else
		s->idle_oldest = c->idle_next;
	if (c->idle_next)
		c->idle_next->idle_prev = c->idle_prev;
	else
		s->idle_newest = c->idle_prev;
	c->idle_prev = c->idle_next = NULL;
}

bool kd_http_server_admit(kd_http_server *s, kd_http_conn *c)
{
	unsigned per_address = s->limits.max_connections_per_address;
	bool capped = !c->via_proxy && per_address > 0;
	if (capped && kd_peer_count_get(s->peers, c->client) >= per_address) {
		s->counts.refused_per_address++;
		return false;
	}
	/* c itself is open already; room is needed only beyond the others. */
	if (open_connections(s) > s->limits.max_connections) {
		if (!s->idle_oldest) {
			s->counts.refused_full++;
			return false;
		}
		shed(s, s->idle_oldest);
	}
	if (capped) {
		if (kd_peer_count_add(s->peers, c->client) < 0) {
			s->counts.refused_full++;
			return false;
		}
		c->peer_counted = true;
	}
	update_crowding(s);
	return true;
}

void kd_http_server_closed(kd_http_server *s, kd_http_conn *c)
{
	s->nclosing++;
	kd_http_server_idle(s, c, false);
	if (c->peer_counted) {
		c->peer_counted = false;
		kd_peer_count_remove(s->peers, c->client);
	}
	update_crowding(s);
}

/*
 * Past the cap, with no idle connection to make room, a connection is
 * accepted and closed at once: leaving it in the backlog would stop libuv
 * from accepting anything else.
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
	/*
	 * With an idle connection to give way, the new one is accepted and
	 * admitted (or refused) by kd_http_server_admit() once its address is
	 * known: a client refused for its own address must not push anyone
	 * else out.
	 */
	if (open_connections(s) >= s->limits.max_connections && !s->idle_oldest) {
		s->counts.refused_full++;
		reject(s);
	} else {
		kd_http_conn_accept(s);
	}
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

kd_http_connection_counts kd_http_server_connection_counts(const kd_http_server *s)
{
	return s->counts;
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
	uv_close((uv_handle_t *)&s->shedder, on_handle_closed);
	for (kd_http_conn *c = s->conns; c; c = c->next)
		kd_http_conn_close(c);
	uv_close((uv_handle_t *)&s->finisher, on_handle_closed);
}

char *kd_http_server_take_buffer(kd_http_server *s)
{
	if (s->nspare > 0)
		return s->spare[--s->nspare];
	return malloc(KD_HTTP_READ_BUFFER_SIZE);
}

void kd_http_server_give_buffer(kd_http_server *s, char *buffer)
{
	if (buffer == NULL)
		return;
	if (s->nspare < KD_HTTP_SPARE_BUFFERS && !s->closing)
		s->spare[s->nspare++] = buffer;
	else
		free(buffer);
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
