/*
 * The access log: one logfmt line per answered request on stderr, e.g.
 *   time=2024-05-01T03:04:05.678Z request_id=4f0c9a1b2c3d4e5f method=POST
 *   route=/v1/seekers status=201 ms=3.141 bytes=312
 * (one line).  Only these fields are written; paths, query strings and
 * header values other than the request id never reach the log, because they
 * may carry personal data.
 */
#ifndef KD_HTTP_LOG_H
#define KD_HTTP_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct kd_http_log_entry {
	struct timespec time;    /* CLOCK_REALTIME when answered */
	const char *request_id;
	const char *method;      /* NULL when the request line was not understood */
	const char *route;       /* NULL when no handler named one */
	int status;
	uint64_t elapsed_ns;     /* first byte of the request to the answer */
	size_t bytes;            /* response bytes queued, 0 when dropped */
} kd_http_log_entry;

/*
 * Formats the line, newline included, into buf like snprintf: returns the
 * length it needed, and buf holds a NUL-terminated prefix when len is short.
 */
size_t kd_http_log_format(char *buf, size_t len, const kd_http_log_entry *e);

/* Writes the line to stderr in one call, so lines from one process never interleave. */
void kd_http_log_write(const kd_http_log_entry *e);

#endif
