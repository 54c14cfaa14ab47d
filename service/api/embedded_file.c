#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/embedded_file.h"
#include "api/respond.h"

static int compare_name(const void *name, const void *file)
{
	return strcmp(name, ((const kd_embedded_file *)file)->name);
}

static const kd_embedded_file *find(const kd_embedded_file *files, int count, const char *name)
{
	return count > 0 ? bsearch(name, files, (size_t)count, sizeof(*files), compare_name) : NULL;
}

/*
 * If-None-Match is "*" or a comma-separated list of entity tags; it is
 * compared weakly (RFC 9110, 13.1.2), so "W/" in front of a tag is ignored.
 */
static bool names_etag(const char *if_none_match, const char *etag)
{
	size_t etag_len = strlen(etag);
	const char *p = if_none_match;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *end = p;
		while (*end && *end != ',')
			end++;
		const char *last = end;
		while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
			last--;
		size_t len = (size_t)(last - p);
		if (len == 1 && *p == '*')
			return true;
		if (len > 2 && strncmp(p, "W/", 2) == 0) {
			p += 2;
			len -= 2;
		}
		if (len == etag_len && memcmp(p, etag, len) == 0)
			return true;
		p = end;
	}
	return false;
}

void kd_embedded_serve(kd_http_request *req, const kd_embedded_file *files, int count,
		       const char *name, const char *headers)
{
	const kd_embedded_file *f = find(files, count, name);
	if (f == NULL) {
		kd_respond_error(req, 404, "not_found", "no such resource", NULL);
		return;
	}
	/* The callers' headers are fixed strings of a few hundred bytes. */
	char all[1024];
	int n = snprintf(all, sizeof(all), "%sETag: %s\r\n", headers ? headers : "", f->etag);
	if (n < 0 || (size_t)n >= sizeof(all)) {
		kd_respond_error(req, 500, "internal", "response headers too long", NULL);
		return;
	}
	const char *if_none_match = kd_http_request_header(req, "If-None-Match");
	if (if_none_match && names_etag(if_none_match, f->etag))
		kd_http_respond(req, 304, f->content_type, NULL, 0, all);
	else
		kd_http_respond(req, 200, f->content_type, f->data, f->len, all);
}
