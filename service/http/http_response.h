/*
 * Response serialisation, without sockets: the status line, the headers the
 * server always writes, the handler's extra headers and the body, in one
 * buffer ready for a single write.
 */
#ifndef KD_HTTP_RESPONSE_H
#define KD_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "http/http_server.h"

/* Length of an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT". */
#define KD_HTTP_DATE_LEN 29

/* The interim response to "Expect: 100-continue". */
#define KD_HTTP_CONTINUE "HTTP/1.1 100 Continue\r\n\r\n"

typedef struct kd_http_response {
	int status;                    /* 200..599 */
	const char *content_type;      /* NULL means application/json */
	const void *body;
	size_t len;
	const char *headers;           /* NULL or extra lines, see kd_http_respond() */
	const char *request_id;
	const char *date;              /* KD_HTTP_DATE_LEN characters */
	bool close;                    /* the connection closes after it */
	bool keep_alive_header;        /* an HTTP/1.0 client asked to keep it open */
	bool head;                     /* headers only, Content-Length still the body's */
} kd_http_response;

/*
 * Serialises r into a new buffer (*out, freed by the caller with free()) of
 * *outlen bytes.  A 204 or 304 gets neither Content-Length nor body.
 * Returns kd_ok(), kd_error(EINVAL) for a status out of range, a body on a
 * 204 or 304 or an extra header that is malformed or one the server writes
 * itself, or kd_error(ENOMEM).
 */
int kd_http_response_format(const kd_http_response *r, char **out, size_t *outlen);

/*
 * The JSON error body {"error":{"code":...,"message":...,"field":...}} as a
 * new string (freed with free()) of *len bytes, "field" left out when NULL.
 * A message or field may carry what a client sent, so one that is not valid
 * UTF-8 is written with every byte that begins no character as '?', never
 * refused.  Returns NULL only when memory runs out.
 */
char *kd_http_error_body(const char *code, const char *message, const char *field,
			 size_t *len);

/* The error code the server uses for its own responses with this status. */
const char *kd_http_status_code(int status);

/* Writes the IMF-fixdate of t and a NUL into out. */
void kd_http_date(time_t t, char out[KD_HTTP_DATE_LEN + 1]);

#endif
