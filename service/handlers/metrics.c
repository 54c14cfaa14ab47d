/*
 * GET /metrics: the Prometheus text exposition of service/daemon/metrics.h.  It
 * answers whether or not the database is up, and needs the bearer token of
 * --metrics-token-file; without that option the route is off (404), so a
 * daemon never exposes its figures by default.
 */
#include <stdlib.h>

#include "api/respond.h"
#include "daemon/app.h"
#include "daemon/metrics.h"
#include "daemon/metrics_token.h"
#include "db/migrations.h"
#include "handlers/handlers.h"

void kd_handle_metrics(struct kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	(void)p;
	if (!app->options.metrics_token_set) {
		kd_respond_error(req, 404, "not_found",
				 "metrics are off; start serve with --metrics-token-file", NULL);
		return;
	}
	if (!kd_metrics_token_accepts(app->options.metrics_token_hash, req->authorization)) {
		kd_respond_unauthorized(req);
		return;
	}
	kd_http_connection_counts caps = kd_http_server_connection_counts(app->http);
	char instance[80];
	snprintf(instance, sizeof(instance), "%s:%d", app->options.listen_host,
		 app->options.listen_port);
	kd_metrics_gauges g = {
		.in_flight = kd_http_server_inflight(app->http),
		.connections = kd_http_server_connections(app->http),
		.connections_refused_full = caps.refused_full,
		.connections_refused_per_address = caps.refused_per_address,
		.idle_connections_shed = caps.idle_shed,
		.db_up = kd_db_pool_up(app->db),
		.ready = kd_app_ready(app),
		.match_running = app->match_running,
		.pool = kd_db_pool_stats_get(app->db),
		.schema_version = kd_schema_version,
		.instance = instance,
	};
	size_t len;
	char *text = kd_metrics_render(app->metrics, &g, &len);
	if (text == NULL) {
		kd_respond_error(req, 500, "internal", "out of memory", NULL);
		return;
	}
	kd_http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, len,
			"Cache-Control: no-store\r\n");
	free(text);
}
