/*
 * Request framing for one connection, without sockets: bytes go in, complete
 * requests or framing errors come out.  The transport (http_conn.c) feeds
 * what it reads; unit tests feed byte strings split any way they like and
 * get the same events.
 *
 * After a KD_FRAMING_REQUEST event the framing is paused with the bytes
 * after the request left unconsumed (pipelining); the transport keeps them,
 * answers the request, calls kd_http_framing_next() and feeds them again.
 * After a KD_FRAMING_ERROR event the connection must be answered with the
 * error status and closed.
 */
#ifndef KD_HTTP_FRAMING_H
#define KD_HTTP_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http_scan.h"
#include "http/http_server.h"

typedef enum kd_http_framing_event {
	KD_FRAMING_MORE,    /* every byte was consumed; more are needed */
	KD_FRAMING_REQUEST, /* req is complete */
	KD_FRAMING_ERROR,   /* status and message say why; close after answering */
} kd_http_framing_event;

typedef enum kd_http_framing_phase {
	KD_FRAMING_IDLE,     /* no byte of the next request yet */
	KD_FRAMING_HEADERS,  /* within the request line or headers */
	KD_FRAMING_BODY,     /* headers done, body incomplete */
	KD_FRAMING_COMPLETE, /* a request or an error waits to be answered */
} kd_http_framing_phase;

typedef struct kd_http_field {
	uint32_t name, value;  /* offsets of NUL-terminated strings in arena */
} kd_http_field;

typedef struct kd_http_framing {
	kd_http_request req;
	const kd_http_limits *limits;  /* borrowed; must outlive the framing */
	http_parser parser;
	kd_http_scan scan;
	kd_http_framing_phase phase;
	/* Request target and header strings, allocated per request. */
	char *arena;
	size_t arena_len, arena_cap;
	kd_http_field *fields;
	unsigned nfields;
	int token;                     /* which string the parser is writing */
	unsigned singletons_seen;
	bool headers_done;
	char *body;                    /* owned; NULL while body is "" */
	size_t body_received;
	bool method_known;             /* parser.method is meaningful */
	bool keep_alive;               /* the connection may carry another request */
	bool expect_continue;          /* the client waits for "100 Continue" */
	int status;                    /* error status, 0 while none */
	const char *message;           /* static error message */
	char request_id[KD_HTTP_REQUEST_ID_MAX + 1];
} kd_http_framing;

/*
 * Prepares f for a connection's first request.  Returns kd_ok(), or
 * kd_error(ENOMEM); libsodium must be initialised.
 */
int kd_http_framing_init(kd_http_framing *f, const kd_http_limits *limits);

/* Releases what f owns; the request is gone afterwards. */
void kd_http_framing_free(kd_http_framing *f);

/*
 * Consumes data[0..len) up to the end of the current request and returns the
 * number of bytes consumed; *event says what happened.  Calling it again
 * after a REQUEST or ERROR event, before kd_http_framing_next(), consumes
 * nothing and repeats the event.
 */
size_t kd_http_framing_feed(kd_http_framing *f, const char *data, size_t len,
			    kd_http_framing_event *event);

/* Forgets the answered request and resumes at the next one. */
void kd_http_framing_next(kd_http_framing *f);

/*
 * Turns the request in progress into an error (a timeout, say): phase
 * becomes KD_FRAMING_COMPLETE with status and message (static) set.
 */
void kd_http_framing_fail(kd_http_framing *f, int status, const char *message);

/*
 * The value of the last header line called name in the request being
 * framed (compared without regard to case), or NULL.  Borrowed like
 * kd_http_request_header()'s.
 */
const char *kd_http_framing_last_header(const kd_http_framing *f, const char *name);

/* The framing that holds req (which must come from one). */
kd_http_framing *kd_http_framing_of(kd_http_request *req);

#endif
