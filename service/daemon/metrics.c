#include "daemon/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "kd.h"
#include "metrics/exposition.h"
#include "metrics/histogram.h"

/* Seconds: from a cached health check to a request that hit the 5 s database deadline. */
static const double request_bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
					 0.25, 0.5, 1, 2.5, 5, 10 };
/* Seconds: a small regency run takes well under one, a province's minutes. */
static const double match_bounds[] = { 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600 };

typedef struct answer_count {
	const char *route, *method;
	int status;
	uint64_t count;
} answer_count;

typedef struct route_latency {
	const char *route, *method;
	kd_histogram seconds;
} route_latency;

typedef struct kecamatan_count {
	char code[KD_KECAMATAN_CODE_SIZE];
	char *name;
	uint64_t count;
} kecamatan_count;

/* Grown by doubling. */
typedef struct growing {
	void *items;
	size_t count, cap;
} growing;

struct kd_metrics {
	double start_time;
	growing answers;     /* answer_count */
	growing latencies;   /* route_latency */
	growing kecamatan;   /* kecamatan_count */
	uint64_t match_runs_done, match_runs_failed;
	kd_histogram match_seconds;
	bool sms_seen;          /* the SMS timer has finished a round */
	kd_metrics_sms sms;     /* its counters summed, its totals the latest */
};

/* A new zeroed slot at the end, or NULL when it cannot grow. */
static void *grow(growing *g, size_t size)
{
	if (g->count == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		void *items = realloc(g->items, cap * size);
		if (items == NULL)
			return NULL;
		g->items = items;
		g->cap = cap;
	}
	void *slot = (char *)g->items + g->count++ * size;
	memset(slot, 0, size);
	return slot;
}

kd_metrics *kd_metrics_new(double start_time)
{
	kd_metrics *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->start_time = start_time;
	kd_histogram_init(&m->match_seconds, match_bounds, KD_ARRAY_LEN(match_bounds));
	return m;
}

void kd_metrics_free(kd_metrics *m)
{
	if (m == NULL)
		return;
	kecamatan_count *k = m->kecamatan.items;
	for (size_t i = 0; i < m->kecamatan.count; i++)
		free(k[i].name);
	free(m->answers.items);
	free(m->latencies.items);
	free(m->kecamatan.items);
	free(m);
}

static answer_count *answer_slot(kd_metrics *m, const char *route, const char *method,
				 int status)
{
	answer_count *a = m->answers.items;
	for (size_t i = 0; i < m->answers.count; i++)
		if (a[i].route == route && a[i].method == method && a[i].status == status)
			return &a[i];
	answer_count *slot = grow(&m->answers, sizeof(*slot));
	if (slot)
		*slot = (answer_count){ .route = route, .method = method, .status = status };
	return slot;
}

static route_latency *latency_slot(kd_metrics *m, const char *route, const char *method)
{
	route_latency *l = m->latencies.items;
	for (size_t i = 0; i < m->latencies.count; i++)
		if (l[i].route == route && l[i].method == method)
			return &l[i];
	route_latency *slot = grow(&m->latencies, sizeof(*slot));
	if (slot) {
		slot->route = route;
		slot->method = method;
		kd_histogram_init(&slot->seconds, request_bounds, KD_ARRAY_LEN(request_bounds));
	}
	return slot;
}

void kd_metrics_answer(kd_metrics *m, const char *route, const char *method, int status,
		       uint64_t elapsed_ns)
{
	answer_count *a = answer_slot(m, route, method, status);
	if (a)
		a->count++;
	route_latency *l = latency_slot(m, route, method);
	if (l)
		kd_histogram_observe(&l->seconds, (double)elapsed_ns / 1e9);
}

/*
 * Where code is, or would go, among the kecamatan kept in code order: a
 * registration looks its kecamatan up, and over the nation there are 7,285.
 */
static size_t kecamatan_place(const kd_metrics *m, const char *code, bool *found)
{
	const kecamatan_count *k = m->kecamatan.items;
	size_t lo = 0, hi = m->kecamatan.count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int order = strcmp(k[mid].code, code);
		if (order == 0) {
			*found = true;
			return mid;
		}
		if (order < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

void kd_metrics_kecamatan(kd_metrics *m, const char *code, const char *name)
{
	if (strlen(code) >= KD_KECAMATAN_CODE_SIZE)
		return;
	bool found;
	size_t at = kecamatan_place(m, code, &found);
	char *copy = strdup(name);
	if (copy == NULL)
		return;
	if (!found) {
		if (grow(&m->kecamatan, sizeof(kecamatan_count)) == NULL) {
			free(copy);
			return;
		}
		kecamatan_count *k = m->kecamatan.items;
		memmove(&k[at + 1], &k[at], (m->kecamatan.count - 1 - at) * sizeof(*k));
		k[at] = (kecamatan_count){ 0 };
		memcpy(k[at].code, code, strlen(code) + 1);
	}
	kecamatan_count *k = (kecamatan_count *)m->kecamatan.items + at;
	free(k->name);
	k->name = copy;
}

void kd_metrics_registration(kd_metrics *m, const char *code)
{
	bool found;
	size_t at = kecamatan_place(m, code, &found);
	if (found)
		((kecamatan_count *)m->kecamatan.items)[at].count++;
}

void kd_metrics_match_run(kd_metrics *m, bool succeeded, double seconds)
{
	if (succeeded) {
		m->match_runs_done++;
		kd_histogram_observe(&m->match_seconds, seconds);
	} else {
		m->match_runs_failed++;
	}
}

static const char *route_label(const char *route)
{
	return route ? route : "unmatched";
}

static void render_http(kd_expo *w, const kd_metrics *m, const kd_metrics_gauges *g)
{
	kd_expo_family(w, "kerjadekat_http_requests_total", KD_EXPO_COUNTER,
		       "HTTP answers by route pattern, method and status.");
	const answer_count *a = m->answers.items;
	for (size_t i = 0; i < m->answers.count; i++) {
		char status[8];
		snprintf(status, sizeof(status), "%d", a[i].status);
		kd_expo_label labels[] = { { "route", route_label(a[i].route) },
					   { "method", a[i].method ? a[i].method : "unknown" },
					   { "status", status } };
		kd_expo_sample_u64(w, "kerjadekat_http_requests_total", labels, 3, a[i].count);
	}
	kd_expo_family(w, "kerjadekat_http_request_duration_seconds", KD_EXPO_HISTOGRAM,
		       "Time from a request's first byte to its answer, by route pattern and method.");
	const route_latency *l = m->latencies.items;
	for (size_t i = 0; i < m->latencies.count; i++) {
		kd_expo_label labels[] = { { "route", route_label(l[i].route) },
					   { "method", l[i].method ? l[i].method : "unknown" } };
		kd_expo_histogram(w, "kerjadekat_http_request_duration_seconds", labels, 2,
				  &l[i].seconds);
	}
	kd_expo_family(w, "kerjadekat_http_requests_in_flight", KD_EXPO_GAUGE,
		       "Requests being handled and not yet answered.");
	kd_expo_sample_u64(w, "kerjadekat_http_requests_in_flight", NULL, 0, g->in_flight);
	kd_expo_family(w, "kerjadekat_http_connections", KD_EXPO_GAUGE,
		       "Client connections open, idle keep-alive ones included.");
	kd_expo_sample_u64(w, "kerjadekat_http_connections", NULL, 0, g->connections);
	kd_expo_family(w, "kerjadekat_http_connections_refused_total", KD_EXPO_COUNTER,
		       "Client connections closed at once, by the cap that refused them.");
	kd_expo_label full = { "cap", "server" }, per_address = { "cap", "per_address" };
	kd_expo_sample_u64(w, "kerjadekat_http_connections_refused_total", &full, 1,
			   g->connections_refused_full);
	kd_expo_sample_u64(w, "kerjadekat_http_connections_refused_total", &per_address, 1,
			   g->connections_refused_per_address);
	kd_expo_family(w, "kerjadekat_http_idle_connections_shed_total", KD_EXPO_COUNTER,
		       "Idle keep-alive connections closed early, to make room near the cap.");
	kd_expo_sample_u64(w, "kerjadekat_http_idle_connections_shed_total", NULL, 0,
			   g->idle_connections_shed);
}

static void render_db(kd_expo *w, const kd_metrics_gauges *g)
{
	kd_expo_family(w, "kerjadekat_db_up", KD_EXPO_GAUGE,
		       "1 while at least one database connection is ready.");
	kd_expo_sample_u64(w, "kerjadekat_db_up", NULL, 0, g->db_up);
	kd_expo_family(w, "kerjadekat_db_connections", KD_EXPO_GAUGE,
		       "Database pool connections by state.");
	const struct { const char *state; int count; } states[] = {
		{ "ready", g->pool.ready }, { "connecting", g->pool.connecting },
		{ "broken", g->pool.broken },
	};
	for (size_t i = 0; i < KD_ARRAY_LEN(states); i++) {
		kd_expo_label label = { "state", states[i].state };
		kd_expo_sample_u64(w, "kerjadekat_db_connections", &label, 1,
				   (uint64_t)states[i].count);
	}
	kd_expo_family(w, "kerjadekat_db_jobs_queued", KD_EXPO_GAUGE,
		       "Database jobs waiting for a free connection.");
	kd_expo_sample_u64(w, "kerjadekat_db_jobs_queued", NULL, 0, g->pool.queued);
	kd_expo_family(w, "kerjadekat_db_jobs_in_flight", KD_EXPO_GAUGE,
		       "Database jobs sent and not yet answered.");
	kd_expo_sample_u64(w, "kerjadekat_db_jobs_in_flight", NULL, 0, g->pool.in_flight);
}

void kd_metrics_sms_round(kd_metrics *m, const kd_metrics_sms *round)
{
	uint64_t inbox = m->sms.inbox + round->inbox, handed = m->sms.handed + round->handed;
	m->sms = *round;
	m->sms.inbox = inbox;
	m->sms.handed = handed;
	m->sms_seen = true;
}

/* Only once the SMS timer has run: a daemon without it has nothing to say. */
static void render_sms(kd_expo *w, const kd_metrics *m)
{
	if (!m->sms_seen)
		return;
	kd_expo_family(w, "kerjadekat_sms_messages", KD_EXPO_GAUGE,
		       "SMS in the outbox by delivery state, as of the SMS timer's last round.");
	const char *states[] = { "queued", "sending", "sent", "failed" };
	const uint64_t counts[] = { m->sms.queued, m->sms.sending, m->sms.sent, m->sms.failed };
	for (size_t i = 0; i < 4; i++) {
		kd_expo_label state = { "state", states[i] };
		kd_expo_sample_u64(w, "kerjadekat_sms_messages", &state, 1, counts[i]);
	}
	kd_expo_family(w, "kerjadekat_sms_handed_total", KD_EXPO_COUNTER,
		       "SMS this daemon handed to Gammu SMSD.");
	kd_expo_sample_u64(w, "kerjadekat_sms_handed_total", NULL, 0, m->sms.handed);
	kd_expo_family(w, "kerjadekat_sms_inbox_read_total", KD_EXPO_COUNTER,
		       "Incoming SMS this daemon read from Gammu SMSD's inbox.");
	kd_expo_sample_u64(w, "kerjadekat_sms_inbox_read_total", NULL, 0, m->sms.inbox);
}

static void render_domain(kd_expo *w, const kd_metrics *m, const kd_metrics_gauges *g)
{
	kd_expo_family(w, "kerjadekat_registrations_total", KD_EXPO_COUNTER,
		       "Job seeker registrations committed by this daemon, by kecamatan.");
	const kecamatan_count *k = m->kecamatan.items;
	for (size_t i = 0; i < m->kecamatan.count; i++) {
		kd_expo_label labels[] = { { "kecamatan", k[i].code },
					   { "kecamatan_name", k[i].name } };
		kd_expo_sample_u64(w, "kerjadekat_registrations_total", labels, 2, k[i].count);
	}
	kd_expo_family(w, "kerjadekat_match_runs_total", KD_EXPO_COUNTER,
		       "Match runs this daemon finished, by outcome.");
	kd_expo_label done = { "outcome", "done" }, failed = { "outcome", "failed" };
	kd_expo_sample_u64(w, "kerjadekat_match_runs_total", &done, 1, m->match_runs_done);
	kd_expo_sample_u64(w, "kerjadekat_match_runs_total", &failed, 1, m->match_runs_failed);
	kd_expo_family(w, "kerjadekat_match_run_duration_seconds", KD_EXPO_HISTOGRAM,
		       "Time a successful match run took on the worker thread.");
	kd_expo_histogram(w, "kerjadekat_match_run_duration_seconds", NULL, 0, &m->match_seconds);
	kd_expo_family(w, "kerjadekat_match_run_running", KD_EXPO_GAUGE,
		       "1 while a match run is on the thread pool.");
	kd_expo_sample_u64(w, "kerjadekat_match_run_running", NULL, 0, g->match_running);
	render_sms(w, m);
}

char *kd_metrics_render(const kd_metrics *m, const kd_metrics_gauges *g, size_t *len)
{
	kd_expo w;
	kd_expo_init(&w);
	char schema[12];
	snprintf(schema, sizeof(schema), "%d", g->schema_version);
	kd_expo_family(&w, "kerjadekat_build_info", KD_EXPO_GAUGE,
		       "Always 1; the labels name the binary's version, the schema version and"
		       " the daemon (its listen address).");
	kd_expo_label build[] = { { "version", KD_VERSION }, { "schema_version", schema },
				  { "daemon", g->instance ? g->instance : "" } };
	kd_expo_sample_u64(&w, "kerjadekat_build_info", build, 3, 1);
	kd_expo_family(&w, "kerjadekat_start_time_seconds", KD_EXPO_GAUGE,
		       "When the daemon started, in Unix seconds.");
	kd_expo_sample(&w, "kerjadekat_start_time_seconds", NULL, 0, m->start_time);
	kd_expo_family(&w, "kerjadekat_ready", KD_EXPO_GAUGE,
		       "1 when the database is up and the reference data is loaded.");
	kd_expo_sample_u64(&w, "kerjadekat_ready", NULL, 0, g->ready);
	render_http(&w, m, g);
	render_db(&w, g);
	render_domain(&w, m, g);
	return kd_expo_finish(&w, len);
}
