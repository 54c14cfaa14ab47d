/*
 * What GET /metrics reports: counters and histograms the daemon keeps from
 * its start (answers by route, method and status with their latency,
 * registrations per kecamatan, match runs with their duration) and the
 * gauges read at scrape time (in-flight requests, connections, the
 * database pool).  Label values come only from fixed sets (route patterns,
 * methods, statuses, kecamatan codes), never from what a client sent, so
 * the number of series stays bounded and nothing personal reaches them.
 * Everything here lives on the loop thread.
 */
#ifndef KD_METRICS_H
#define KD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db_pool.h"

typedef struct kd_metrics kd_metrics;

/* New and empty; NULL on allocation failure.  start_time is Unix seconds. */
kd_metrics *kd_metrics_new(double start_time);
void kd_metrics_free(kd_metrics *metrics);

/*
 * Counts one answer.  route is a route pattern that outlives the metrics
 * (NULL: no route matched) and method a static method name (NULL: the
 * request line was unreadable); both are kept by pointer.
 */
void kd_metrics_answer(kd_metrics *metrics, const char *route, const char *method, int status,
		       uint64_t elapsed_ns);

/*
 * Makes sure the kecamatan has its registration series, at 0 until its
 * first registration; code and name are copied.
 */
void kd_metrics_kecamatan(kd_metrics *metrics, const char *code, const char *name);

/* Counts one committed registration in the kecamatan (code copied). */
void kd_metrics_registration(kd_metrics *metrics, const char *code);

/* Counts one match run that ended, with the seconds its worker took. */
void kd_metrics_match_run(kd_metrics *metrics, bool succeeded, double seconds);

/*
 * One round of the SMS timer (service/daemon/sms_worker.c): inbox rows read and
 * messages handed to Gammu in it, and the delivery totals after it.
 */
typedef struct kd_metrics_sms {
	uint64_t inbox, handed;
	uint64_t queued, sending, sent, failed;
} kd_metrics_sms;

/* Counts an SMS round and keeps its totals for the next scrape. */
void kd_metrics_sms_round(kd_metrics *metrics, const kd_metrics_sms *round);

/* The state of the daemon at scrape time. */
typedef struct kd_metrics_gauges {
	size_t in_flight;
	unsigned connections;
	/* Since the start: connections refused by the caps, idle ones closed early. */
	uint64_t connections_refused_full;
	uint64_t connections_refused_per_address;
	uint64_t idle_connections_shed;
	bool db_up;
	bool ready;
	bool match_running;
	kd_db_pool_stats pool;
	int schema_version;
	/* The daemon's listen address (borrowed): which of N daemons this is. */
	const char *instance;
} kd_metrics_gauges;

/*
 * The exposition text (new, the caller frees it) with its length, or NULL
 * on allocation failure.
 */
char *kd_metrics_render(const kd_metrics *metrics, const kd_metrics_gauges *gauges,
			size_t *len);

#endif
