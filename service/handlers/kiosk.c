/*
 * The kiosk page: GET / and GET /kiosk/{file}, answered from the files
 * compiled into the binary (kiosk/kiosk_files.h), 304 for a copy the
 * browser has already.  No token: the page holds nothing secret; the
 * kiosk token is pasted in by staff and kept in the browser.  The
 * Content-Security-Policy allows only this origin's scripts, styles and
 * API, so a page that somehow carried foreign markup still runs none of it.
 */
#include "handlers/handlers.h"
#include "kiosk/kiosk_files.h"

/*
 * A short max-age: a kiosk that reloads within a minute needs no network,
 * and a new daemon's page reaches every kiosk a minute later at most.  The
 * ETag (fixed at build time) lets a kiosk revalidate its copy with a 304
 * after that, and lets caches and tests tell versions apart.
 */
#define KIOSK_HEADERS                                                              \
	"Content-Security-Policy: default-src 'self'; script-src 'self'; "         \
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; "             \
	"object-src 'none'; base-uri 'none'; form-action 'none'; "                 \
	"frame-ancestors 'none'\r\n"                                               \
	"X-Content-Type-Options: nosniff\r\n"                                      \
	"Referrer-Policy: no-referrer\r\n"                                         \
	"Cache-Control: max-age=60\r\n"

void kd_handle_kiosk_index(struct kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)app;
	(void)p;
	kd_embedded_serve(req, kd_kiosk_files, kd_kiosk_files_count, "index.html", KIOSK_HEADERS);
}

void kd_handle_kiosk_file(struct kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)app;
	kd_embedded_serve(req, kd_kiosk_files, kd_kiosk_files_count, p->value[0], KIOSK_HEADERS);
}
