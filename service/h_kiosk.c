/*
 * The kiosk page: GET / and GET /kiosk/{file}, answered from the files
 * compiled into the binary (kiosk/kiosk_files.h).  No token: the page holds
 * nothing secret; the kiosk token is pasted in by staff and kept in the
 * browser.  The Content-Security-Policy allows only this origin's scripts,
 * styles and API, so a page that somehow carried foreign markup still runs
 * none of it.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "kiosk/kiosk_files.h"
#include "respond.h"

#define KIOSK_HEADERS                                                              \
	"Content-Security-Policy: default-src 'self'; script-src 'self'; "         \
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; "             \
	"object-src 'none'; base-uri 'none'; form-action 'none'; "                 \
	"frame-ancestors 'none'\r\n"                                               \
	"X-Content-Type-Options: nosniff\r\n"                                      \
	"Referrer-Policy: no-referrer\r\n"                                         \
	"Cache-Control: max-age=60\r\n"

static const kd_kiosk_file *find_file(const char *name)
{
	for (int i = 0; i < kd_kiosk_file_count; i++) {
		if (strcmp(kd_kiosk_files[i].name, name) == 0)
			return &kd_kiosk_files[i];
	}
	return NULL;
}

/*
 * A short max-age: a kiosk that reloads within a minute needs no network,
 * and a new daemon's page reaches every kiosk a minute later at most.  The
 * ETag (fixed at build time) lets caches and tests tell versions apart.
 */
static void answer_file(kd_http_request *req, const kd_kiosk_file *f)
{
	char headers[512];
	snprintf(headers, sizeof(headers), KIOSK_HEADERS "ETag: %s\r\n", f->etag);
	kd_http_respond(req, 200, f->content_type, f->data, f->len, headers);
}

void kd_handle_kiosk_index(struct kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)app;
	(void)p;
	const kd_kiosk_file *f = find_file("index.html");
	if (f == NULL) {
		kd_respond_error(req, 404, "not_found", "no such resource", NULL);
		return;
	}
	answer_file(req, f);
}

void kd_handle_kiosk_file(struct kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)app;
	const kd_kiosk_file *f = find_file(p->value[0]);
	if (f == NULL) {
		kd_respond_error(req, 404, "not_found", "no such resource", NULL);
		return;
	}
	answer_file(req, f);
}
