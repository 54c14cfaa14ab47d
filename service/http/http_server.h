/*
 * The HTTP/1.1 server: keep-alive connections on libuv, requests framed by
 * http-parser with our own stricter checks (see http_scan.h), bodies by
 * Content-Length only.  Requests on one connection are handed to the handler
 * strictly one at a time and answered in order.
 *
 * A handler receives a complete request and answers it exactly once with
 * kd_http_respond() or kd_http_respond_error(), right away or later from
 * another callback (after a database round trip).  The request stays valid
 * until then, even when the client has gone away in the meantime (the
 * response is then dropped).  Every response carries Content-Length,
 * Content-Type, Date and X-Request-Id, plus "Connection: close" when the
 * server closes the connection after it.
 *
 * The server answers framing faults itself, with the JSON error body and
 * "Connection: close", and never hands such requests to the handler: 400
 * for malformed syntax (bare LF or CR, obs-fold, white space before a colon,
 * control characters, a bad or repeated Content-Length, a repeated Host,
 * Content-Type, Authorization or Idempotency-Key, no Host in HTTP/1.1, a
 * target that is neither origin nor absolute form), 408 for header or body
 * timeouts, 411 for any Transfer-Encoding, 413 for a Content-Length over the
 * limit (before reading the body), 414, 417 for an Expect other than
 * 100-continue, 431 and 505 (see kd_http_limits).
 *
 * One access log line per request goes to stderr (see http_log.h).
 */
#ifndef KD_HTTP_SERVER_H
#define KD_HTTP_SERVER_H

#include <http_parser.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/ipaddr.h"

/* Longest X-Request-Id the server echoes. */
#define KD_HTTP_REQUEST_ID_MAX 64

typedef struct kd_http_server kd_http_server;

/*
 * A complete request as the handler sees it.  Every pointer is borrowed from
 * the server and valid until the request is answered; strings are
 * NUL-terminated.  Handlers write only route and user.
 */
typedef struct kd_http_request {
	enum http_method method;
	/* Path without query or fragment, as sent (percent-encoding kept). */
	const char *path;
	/* Text after '?' (possibly empty), or NULL when the target had none. */
	const char *query;
	/* Header values with surrounding white space removed, NULL when absent. */
	const char *content_type;
	const char *authorization;
	const char *idempotency_key;
	/* The body (never NULL; "" when empty), NUL-terminated after body_len. */
	const char *body;
	size_t body_len;
	/* The client's X-Request-Id when sane, else 16 random hex digits. */
	const char *request_id;
	/*
	 * uv_hrtime() when the server began reading the request: when its
	 * first byte arrived, or for a pipelined request when its turn came.
	 */
	uint64_t received_ns;
	/*
	 * Set by the handler to the route pattern it matched, e.g.
	 * "/v1/seekers/{id}" (a string that outlives the request); the access
	 * log prints it, or "-" while NULL.  The path itself is never logged.
	 */
	const char *route;
	/*
	 * A number standing for the client's IP address (not its port), for
	 * per-address limits: kd_ipaddr_client() of the peer, or of the address
	 * a trusted proxy forwarded for (kd_http_server_trust_proxies()); 0 when
	 * the address is unknown.  Never logged.
	 */
	int64_t client;
	/* Free for the handler. */
	void *user;
	/*
	 * Set by the handler, or NULL: called once as the request is answered,
	 * at the start of kd_http_respond() whichever helper answers, for what
	 * must act when every request ends (an idempotency claim).  It must not
	 * answer req.
	 */
	void (*on_end)(struct kd_http_request *req);
} kd_http_request;

/*
 * The value of the first header called name (compared without regard to
 * case), or NULL.  Borrowed like the request's other strings.
 */
const char *kd_http_request_header(const kd_http_request *req, const char *name);

/* Called on the loop thread once per complete request. */
typedef void (*kd_http_handler)(kd_http_request *req, void *arg);

/*
 * Answers req with status and body (len bytes, copied; body may be NULL when
 * len is 0).  content_type NULL means "application/json".  headers is NULL or
 * extra header lines, each "Name: value\r\n" (borrowed for the call): names
 * must be tokens, values must hold no control characters but tab, and none
 * may be a header the server writes itself (Content-Length, Content-Type,
 * Date, X-Request-Id, Connection, Transfer-Encoding); a response that breaks
 * these rules is replaced by a 500.  A 204 or 304 goes out without
 * Content-Length or body.  HEAD requests get the headers only.  After the
 * call the request belongs to the server again and must not be touched.
 */
void kd_http_respond(kd_http_request *req, int status, const char *content_type,
		     const void *body, size_t len, const char *headers);

/*
 * Answers req with status and the JSON body
 * {"error":{"code":code,"message":message,"field":field}}, "field" left out
 * when field is NULL.  Strings are borrowed for the call; otherwise as
 * kd_http_respond().
 */
void kd_http_respond_error(kd_http_request *req, int status, const char *code,
			   const char *message, const char *field, const char *headers);

typedef struct kd_http_limits {
	size_t max_header_bytes;   /* request line plus header lines: else 431 */
	size_t max_request_line;   /* else 414 */
	size_t max_header_field;   /* one header line, name and value: else 431 */
	unsigned max_header_fields;/* else 431 */
	size_t max_body;           /* Content-Length above it: 413, body unread */
	uint64_t header_timeout_ms;/* first byte to end of headers: else 408 */
	uint64_t body_timeout_ms;  /* end of headers to end of body: else 408 */
	uint64_t idle_timeout_ms;  /* between keep-alive requests: silent close */
	uint64_t send_timeout_ms;  /* a response not taken by the client: close */
	/*
	 * Connections open at once.  A new one past it takes the place of the
	 * keep-alive connection idle the longest, or is closed at once
	 * without an answer when none is idle.
	 */
	unsigned max_connections;
	/*
	 * Connections open at once from one client address (0: no such cap),
	 * counted by kd_ipaddr_client() of the peer; one past it is closed at
	 * once without an answer.  Trusted proxies (kd_http_server_trust_proxies())
	 * are exempt: every client behind them shares their address.
	 */
	unsigned max_connections_per_address;
	/*
	 * Once more than 3/4 of max_connections are open, keep-alive
	 * connections idle this long are closed, not after idle_timeout_ms.
	 */
	uint64_t crowded_idle_timeout_ms;
} kd_http_limits;

/*
 * The defaults: headers 16 KiB, request line 8 KiB, header line 8 KiB, 64
 * header fields, body 64 KiB, header and body timeouts 10 s, idle 60 s
 * (2 s when crowded), send 10 s, 1024 connections, 128 from one address.
 */
kd_http_limits kd_http_limits_default(void);

/*
 * A server on loop, not yet listening.  limits is copied (NULL means the
 * defaults); handler(req, arg) is called for every request.  Returns NULL on
 * allocation or libuv failure.
 */
kd_http_server *kd_http_server_new(uv_loop_t *loop, const kd_http_limits *limits,
				   kd_http_handler handler, void *arg);

/*
 * Binds host (an IPv4 or IPv6 literal) and port (0 for an ephemeral one) and
 * starts accepting.  Returns kd_ok() or kd_error(E), e.g. kd_error(EINVAL)
 * for a bad address or kd_error(EADDRINUSE).
 */
int kd_http_server_listen(kd_http_server *server, const char *host, int port);

/* The bound port, or kd_error(E) when not listening. */
int kd_http_server_port(const kd_http_server *server);

/*
 * Closes the listener and idle keep-alive connections; requests already
 * begun are still served, their responses ending with "Connection: close".
 * Safe to call more than once.
 */
void kd_http_server_stop_accepting(kd_http_server *server);

/* Requests handed to the handler and not yet answered. */
size_t kd_http_server_inflight(const kd_http_server *server);

/* Client connections open now, idle keep-alive ones included. */
unsigned kd_http_server_connections(const kd_http_server *server);

/* What the connection caps did since the server was made. */
typedef struct kd_http_connection_counts {
	uint64_t refused_full;        /* max_connections open and none idle */
	uint64_t refused_per_address; /* the address held max_connections_per_address */
	uint64_t idle_shed;           /* idle keep-alive closed early: crowded or full */
} kd_http_connection_counts;

kd_http_connection_counts kd_http_server_connection_counts(const kd_http_server *server);

/*
 * Called once for every answer the server sends or drops, framing errors
 * included, right where the access log line is written: req (borrowed for
 * the call; route NULL when no route matched), method NULL when the request
 * line was unreadable, the status sent and the time since the request began.
 */
typedef void (*kd_http_observer)(const kd_http_request *req, const char *method, int status,
				 uint64_t elapsed_ns, void *arg);

#define KD_HTTP_MAX_PROXIES 16

/*
 * Trusts the reverse proxies at proxies[0..count) (copied; count at most
 * KD_HTTP_MAX_PROXIES) to name the client in X-Forwarded-For: a request
 * from one of them gets as kd_http_request.client the last address of its
 * last X-Forwarded-For line, the one the proxy appended, or the proxy's own
 * when that is missing or not an address.  Connections accepted later are
 * judged by the new list.  Returns kd_ok() or kd_error(E2BIG).
 */
int kd_http_server_trust_proxies(kd_http_server *server, const kd_ipaddr *proxies,
				 size_t count);

/* Sets the one observer (NULL for none). */
void kd_http_server_observe(kd_http_server *server, kd_http_observer observer, void *arg);

/*
 * Stops accepting, closes every connection and calls done(arg) from the loop
 * once every handle is closed and every request handed out has been
 * answered (those answers are dropped).  The server is freed before done
 * runs.  Call it once.
 */
void kd_http_server_close(kd_http_server *server, void (*done)(void *arg), void *arg);

#endif
