/*
 * Static files compiled into the binary by service/embed.py: the kiosk page
 * (kiosk/kiosk_files.h) and the OpenAPI description (openapi/openapi_file.h).
 * The daemon never reads a file to answer a request.  Every table and
 * string is static, generated data: borrowed by every reader, never freed.
 */
#ifndef KD_EMBEDDED_FILE_H
#define KD_EMBEDDED_FILE_H

#include <stddef.h>

#include "http/http_server.h"

typedef struct kd_embedded_file {
	const char *name;          /* the file's name in its table, e.g. "kiosk.js" */
	const char *content_type;  /* from the extension, with charset for text */
	const char *etag;          /* a strong validator, quotes included */
	const unsigned char *data; /* len bytes (NUL after them, not counted) */
	size_t len;
} kd_embedded_file;

/*
 * Answers req with the file called name in files[0..count) (sorted by
 * name): 200 with the file, its Content-Type and ETag, or 304 without a
 * body when the request's If-None-Match names that ETag (or is "*"); 404
 * when there is no such file.  headers is NULL or extra header lines as for
 * kd_http_respond(), sent with the 200 and the 304 alike, so a 304 carries
 * the same caching rules.
 */
void kd_embedded_serve(kd_http_request *req, const kd_embedded_file *files, int count,
		       const char *name, const char *headers);

#endif
