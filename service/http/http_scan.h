/*
 * A byte-level check of a request's header section (request line, header
 * lines, empty line) that runs ahead of http-parser.  The packaged
 * http-parser is built without its strict mode and accepts bare LF line
 * endings, obs-fold continuation lines and white space before the colon;
 * these are request smuggling vectors, so they are refused here, and so is
 * a request line that does not end in " HTTP/" DIGIT "." DIGIT, which it
 * checks only in part.  The
 * scanner also enforces the size limits, counting raw bytes as they arrive,
 * so an oversized header section is refused without being buffered.
 */
#ifndef KD_HTTP_SCAN_H
#define KD_HTTP_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http_server.h"

/* " HTTP/1.1": how every request line ends. */
#define KD_HTTP_SCAN_VERSION_LEN 9

typedef enum kd_http_scan_where {
	KD_SCAN_START,        /* nothing yet, or only empty lines */
	KD_SCAN_REQUEST_LINE,
	KD_SCAN_LINE_START,   /* at the first byte of a header line */
	KD_SCAN_NAME,
	KD_SCAN_VALUE,
	KD_SCAN_DONE,         /* the empty line ending the section was seen */
} kd_http_scan_where;

typedef struct kd_http_scan {
	kd_http_scan_where where;
	bool after_cr;
	size_t total;         /* bytes of the section so far */
	size_t line;          /* bytes of the current line, CRLF excluded */
	unsigned fields;
	/* The request line's last bytes, a ring indexed by line length. */
	char version[KD_HTTP_SCAN_VERSION_LEN];
	/* Set when a byte is refused. */
	int status;
	const char *message;  /* static */
} kd_http_scan;

/* Starts a new header section. */
void kd_http_scan_reset(kd_http_scan *scan);

/*
 * Scans data[0..len) and returns the bytes accepted: all of them, or up to
 * and including the LF that ends the section (where becomes KD_SCAN_DONE),
 * or up to but excluding the first refused byte (status is then set to 400,
 * 414 or 431 and message says why).
 */
size_t kd_http_scan_feed(kd_http_scan *scan, const kd_http_limits *limits,
			 const char *data, size_t len);

/* True for the bytes RFC 9110 allows in a token (header names, methods). */
bool kd_http_is_tchar(unsigned char c);

#endif
