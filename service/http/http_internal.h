/*
 * Shared between http_server.c (listener, lifecycle) and http_conn.c (one
 * connection's transport).  Not for use outside service/http/.
 */
#ifndef KD_HTTP_INTERNAL_H
#define KD_HTTP_INTERNAL_H

#include <stdbool.h>
#include <time.h>
#include <uv.h>

#include "http/http_framing.h"
#include "http/http_response.h"
#include "http/http_server.h"
#include "http/peer_count.h"

typedef struct kd_http_conn kd_http_conn;

/* One read never holds more; the framing copies what it keeps. */
#define KD_HTTP_READ_BUFFER_SIZE 16384

/*
 * Read buffers of connections gone idle are kept for the next request
 * rather than freed, up to this many: a malloc and free of 16 KiB per
 * request made glibc trim and grow the heap, page faults included.
 */
#define KD_HTTP_SPARE_BUFFERS 64

struct kd_http_server {
	uv_loop_t *loop;
	kd_http_limits limits;
	kd_http_handler handler;
	void *arg;
	uv_tcp_t listener;
	/*
	 * Never started; closed last by kd_http_server_close() so that done()
	 * always runs from a close callback, even when nothing else is open.
	 */
	uv_timer_t finisher;
	unsigned handles_open;      /* listener, shedder and finisher */
	bool accepting;             /* kd_http_server_stop_accepting() not called */
	bool closing;
	/*
	 * Started only while crowded (more than 3/4 of max_connections open):
	 * fires when the longest-idle keep-alive connection has been idle
	 * crowded_idle_timeout_ms.
	 */
	uv_timer_t shedder;
	bool crowded;
	kd_http_conn *conns;        /* every connection not yet freed */
	unsigned nconns;
	unsigned nclosing;          /* of those, closed and waiting to be freed */
	/* Keep-alive connections waiting for their next request, longest idle first. */
	kd_http_conn *idle_oldest, *idle_newest;
	kd_peer_count *peers;       /* open connections by client address, proxies left out */
	kd_http_connection_counts counts;
	size_t inflight;
	kd_http_observer observer;
	void *observer_arg;
	void (*done)(void *arg);
	void *done_arg;
	time_t date_time;
	char date[KD_HTTP_DATE_LEN + 1];
	uint64_t accept_error_quiet_until; /* uv_now() ms */
	kd_ipaddr proxies[KD_HTTP_MAX_PROXIES]; /* kd_http_server_trust_proxies() */
	size_t nproxies;
	char *spare[KD_HTTP_SPARE_BUFFERS]; /* read buffers no connection holds */
	unsigned nspare;
};

typedef enum kd_http_conn_state {
	KD_CONN_READING,    /* waiting for or reading a request */
	KD_CONN_ANSWERING,  /* a request waits for kd_http_respond() */
	KD_CONN_WRITING,    /* the response is being written */
	KD_CONN_LINGERING,  /* last response sent: reading to the client's close */
	KD_CONN_CLOSED,     /* handles closing or closed */
} kd_http_conn_state;

struct kd_http_conn {
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_shutdown_t shutdown;
	kd_http_server *server;
	kd_http_conn *prev, *next;
	kd_http_framing framing;
	kd_http_conn_state state;
	kd_http_framing_phase timed_phase; /* what the timer is armed for */
	unsigned handles_open;
	bool reading;
	bool answering;         /* kd_http_respond() still to come */
	bool from_handler;      /* the request went to the handler (counts as inflight) */
	bool close_after;       /* the response being written is the last */
	bool dispatching;       /* inside the handler's call: a response sent at
				 * once lets conn_process() go on by itself */
	unsigned answered;      /* requests answered on this connection */
	size_t lingered;        /* bytes discarded while lingering */
	int64_t client;         /* the peer's kd_ipaddr_client() */
	bool via_proxy;         /* the peer is a trusted proxy */
	bool peer_counted;      /* counted in server->peers until closed */
	bool idle_listed;       /* in the server's idle list */
	kd_http_conn *idle_prev, *idle_next;
	uint64_t idle_since;    /* uv_now() when it began waiting, while listed */
	char *in;               /* read buffer; bytes [in_start, in_end) unparsed */
	size_t in_start, in_end;
};

/* http_conn.c: accepts a pending connection on the listener. */
void kd_http_conn_accept(kd_http_server *server);

/* Closes conn at once, silently. */
void kd_http_conn_close(kd_http_conn *conn);

/* Closes conn if it waits between requests; others finish their current one. */
void kd_http_conn_drain(kd_http_conn *conn);

/* http_server.c: conn is being freed; unlinks it. */
void kd_http_server_forget(kd_http_server *server, kd_http_conn *conn);

/*
 * Decides whether a connection just accepted, its peer identified, may
 * stay: false when its address holds its share already, or when the server
 * is full and no idle connection can make room (the caller then closes it).
 * The longest-idle keep-alive connection is closed to make room.
 */
bool kd_http_server_admit(kd_http_server *server, kd_http_conn *conn);

/* conn has just been closed: it leaves the idle list and the address count. */
void kd_http_server_closed(kd_http_server *server, kd_http_conn *conn);

/*
 * conn waits for its next keep-alive request (it joins the idle list, once)
 * or no longer does (it leaves it).
 */
void kd_http_server_idle(kd_http_server *server, kd_http_conn *conn, bool idle);

/* A read buffer of KD_HTTP_READ_BUFFER_SIZE bytes, or NULL. */
char *kd_http_server_take_buffer(kd_http_server *server);

/* Takes back a buffer of kd_http_server_take_buffer() (NULL is ignored). */
void kd_http_server_give_buffer(kd_http_server *server, char *buffer);

/* The Date header value for now (borrowed, valid until the next call). */
const char *kd_http_server_date(kd_http_server *server);

#endif
