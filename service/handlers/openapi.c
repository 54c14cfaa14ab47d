/*
 * GET /v1/openapi.json: the API's OpenAPI 3.1 description, compiled into the
 * binary (openapi/openapi_file.h), so the document always describes the
 * daemon that serves it.  No token and no database: client generators and
 * documentation viewers read it before they have either.  It is public, so
 * any origin may fetch it; it carries no credentials and reveals nothing the
 * repository does not.
 */
#include "handlers/handlers.h"
#include "openapi/openapi_file.h"

#define OPENAPI_HEADERS                                                            \
	"Cache-Control: max-age=300\r\n"                                           \
	"Access-Control-Allow-Origin: *\r\n"                                       \
	"X-Content-Type-Options: nosniff\r\n"

void kd_handle_openapi(struct kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)app;
	(void)p;
	kd_embedded_serve(req, kd_openapi_files, kd_openapi_files_count, "openapi.json",
			  OPENAPI_HEADERS);
}
