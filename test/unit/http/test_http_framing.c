#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "http/http_framing.h"
#include "http/http_request_id.h"

static kd_http_limits limits;

/* What a framing made of some input, as text, so runs can be compared. */
typedef struct outcome {
	kd_http_framing_event event;
	int status;
	size_t consumed;
	char summary[512];
} outcome;

static void summarise(kd_http_framing *f, outcome *o)
{
	const kd_http_request *r = &f->req;
	if (o->event != KD_FRAMING_REQUEST) {
		/* How far an error's stream was read does not matter: it is closed. */
		snprintf(o->summary, sizeof(o->summary), "event=%d status=%d", o->event, o->status);
		return;
	}
	snprintf(o->summary, sizeof(o->summary),
		 "method=%s path=%s query=%s type=%s auth=%s key=%s empty=%s body=%.*s ka=%d "
		 "consumed=%zu",
		 http_method_str(r->method), r->path, r->query ? r->query : "(null)",
		 r->content_type ? r->content_type : "(null)",
		 r->authorization ? r->authorization : "(null)",
		 r->idempotency_key ? r->idempotency_key : "(null)",
		 kd_http_request_header(r, "x-empty") ? kd_http_request_header(r, "x-empty") : "(null)",
		 (int)r->body_len, r->body,
		 f->keep_alive, o->consumed);
}

/*
 * Feeds text cut at cuts[0..ncuts) (ascending offsets) until an event other
 * than MORE; the framing is left as the event left it.
 */
static outcome feed_cut(kd_http_framing *f, const char *text, size_t len, const size_t *cuts,
			size_t ncuts)
{
	outcome o = {.event = KD_FRAMING_MORE};
	size_t start = 0;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;
		size_t used = kd_http_framing_feed(f, text + start, end - start, &o.event);
		o.consumed = start + used;
		if (o.event != KD_FRAMING_MORE)
			break;
		assert_int_equal(used, end - start);
		start = end;
	}
	o.status = f->status;
	summarise(f, &o);
	return o;
}

static outcome feed_text(kd_http_framing *f, const char *text, size_t len)
{
	return feed_cut(f, text, len, NULL, 0);
}

/* A fresh framing fed the whole text; the caller frees it. */
static outcome run(kd_http_framing *f, const char *text)
{
	assert_int_equal(kd_http_framing_init(f, &limits), 0);
	return feed_text(f, text, strlen(text));
}

static int expect_status(const char *text, size_t len)
{
	kd_http_framing f;
	assert_int_equal(kd_http_framing_init(&f, &limits), 0);
	outcome o = feed_text(&f, text, len);
	int status = o.event == KD_FRAMING_ERROR ? o.status : o.event == KD_FRAMING_REQUEST ? 0 : -1;
	if (o.event == KD_FRAMING_ERROR) {
		/* Errors are answerable: an id and a message are always there. */
		assert_non_null(f.req.request_id);
		assert_non_null(f.message);
		assert_int_equal(f.phase, KD_FRAMING_COMPLETE);
		assert_false(f.keep_alive);
	}
	kd_http_framing_free(&f);
	return status;
}

static int status_of(const char *text)
{
	return expect_status(text, strlen(text));
}

static bool is_random_id(const char *id)
{
	if (strlen(id) != KD_HTTP_REQUEST_ID_RANDOM)
		return false;
	for (const char *p = id; *p; p++) {
		if (*p < 'a' || *p > 'z')
			return false;
	}
	return true;
}

static int setup(void **state)
{
	(void)state;
	limits = kd_http_limits_default();
	return sodium_init() < 0 ? -1 : 0;
}

static void test_simple_get(void **state)
{
	(void)state;
	kd_http_framing f;
	const char *text = "GET /v1/skills?q=las HTTP/1.1\r\nHost: kiosk.test\r\n\r\n";
	outcome o = run(&f, text);
	assert_int_equal(o.event, KD_FRAMING_REQUEST);
	assert_int_equal(o.consumed, strlen(text));
	assert_int_equal(f.req.method, HTTP_GET);
	assert_string_equal(f.req.path, "/v1/skills");
	assert_string_equal(f.req.query, "q=las");
	assert_string_equal(f.req.body, "");
	assert_int_equal(f.req.body_len, 0);
	assert_null(f.req.content_type);
	assert_null(f.req.authorization);
	assert_null(f.req.idempotency_key);
	assert_null(f.req.route);
	assert_true(f.keep_alive);
	assert_true(is_random_id(f.req.request_id));
	assert_true(f.req.received_ns > 0);
	kd_http_framing_free(&f);
}

static void test_post_headers_and_body(void **state)
{
	(void)state;
	kd_http_framing f;
	outcome o = run(&f, "POST /v1/seekers HTTP/1.1\r\n"
			    "Host: kiosk.test\r\n"
			    "Content-Type: application/json \r\n"
			    "Authorization:Bearer kd_abc.def\r\n"
			    "Idempotency-Key: \t k-1 \t\r\n"
			    "X-Request-Id: kiosk-7:42\r\n"
			    "X-Empty:\r\n"
			    "Content-Length: 13\r\n"
			    "\r\n"
			    "{\"nik\":\"x\"}\r\n");
	assert_int_equal(o.event, KD_FRAMING_REQUEST);
	assert_int_equal(f.req.method, HTTP_POST);
	assert_string_equal(f.req.path, "/v1/seekers");
	assert_null(f.req.query);
	assert_string_equal(f.req.content_type, "application/json");
	assert_string_equal(f.req.authorization, "Bearer kd_abc.def");
	assert_string_equal(f.req.idempotency_key, "k-1");
	assert_string_equal(f.req.request_id, "kiosk-7:42");
	assert_int_equal(f.req.body_len, 13);
	assert_memory_equal(f.req.body, "{\"nik\":\"x\"}\r\n", 13);
	assert_int_equal(f.req.body[13], '\0');
	assert_string_equal(kd_http_request_header(&f.req, "content-TYPE"), "application/json");
	assert_string_equal(kd_http_request_header(&f.req, "x-empty"), "");
	assert_null(kd_http_request_header(&f.req, "x-missing"));
	kd_http_framing_free(&f);
}

static void test_first_and_last_of_a_repeated_header(void **state)
{
	(void)state;
	kd_http_framing f;
	outcome o = run(&f, "GET /v1/status HTTP/1.1\r\n"
			    "Host: kiosk.test\r\n"
			    "X-Forwarded-For: 192.0.2.1\r\n"
			    "X-Other: between\r\n"
			    "x-forwarded-for: 198.51.100.7, 203.0.113.2\r\n"
			    "\r\n");
	assert_int_equal(o.event, KD_FRAMING_REQUEST);
	assert_string_equal(kd_http_request_header(&f.req, "X-Forwarded-For"), "192.0.2.1");
	assert_string_equal(kd_http_framing_last_header(&f, "X-Forwarded-For"),
			    "198.51.100.7, 203.0.113.2");
	assert_string_equal(kd_http_framing_last_header(&f, "x-other"), "between");
	assert_null(kd_http_framing_last_header(&f, "x-missing"));
	kd_http_framing_free(&f);
}

static void test_absolute_form_and_fragment(void **state)
{
	(void)state;
	kd_http_framing f;
	outcome o = run(&f, "GET http://kiosk.test/v1/health?x=1#top HTTP/1.1\r\n"
			    "Host: kiosk.test\r\n\r\n");
	assert_int_equal(o.event, KD_FRAMING_REQUEST);
	assert_string_equal(f.req.path, "/v1/health");
	assert_string_equal(f.req.query, "x=1");
	kd_http_framing_free(&f);

	o = run(&f, "GET http://kiosk.test HTTP/1.1\r\nHost: kiosk.test\r\n\r\n");
	assert_int_equal(o.event, KD_FRAMING_REQUEST);
	assert_string_equal(f.req.path, "/");
	kd_http_framing_free(&f);
}

static void test_head_and_leading_empty_lines(void **state)
{
	(void)state;
	kd_http_framing f;
	outcome o = run(&f, "\r\n\r\nHEAD /v1/health HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_int_equal(o.event, KD_FRAMING_REQUEST);
	assert_int_equal(f.req.method, HTTP_HEAD);
	assert_true(f.method_known);
	kd_http_framing_free(&f);
}

/* A request line of exactly n bytes. */
static char *request_line_of(size_t n)
{
	const char *head = "GET /", *tail = " HTTP/1.1";
	size_t fill = n - strlen(head) - strlen(tail);
	char *text = malloc(n + 32);
	char *p = text;
	p += sprintf(p, "%s", head);
	memset(p, 'a', fill);
	p += fill;
	sprintf(p, "%s\r\nHost: t\r\n\r\n", tail);
	return text;
}

static void test_request_line_limit(void **state)
{
	(void)state;
	char *ok = request_line_of(limits.max_request_line);
	char *over = request_line_of(limits.max_request_line + 1);
	assert_int_equal(status_of(ok), 0);
	assert_int_equal(status_of(over), 414);
	free(ok);
	free(over);
}

/* A request with one header line of exactly n bytes. */
static char *header_line_of(size_t n)
{
	char *text = malloc(n + 64);
	char *p = text + sprintf(text, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: ");
	size_t fill = n - strlen("X-Big: ");
	memset(p, 'v', fill);
	sprintf(p + fill, "\r\n\r\n");
	return text;
}

static void test_header_field_limit(void **state)
{
	(void)state;
	char *ok = header_line_of(limits.max_header_field);
	char *over = header_line_of(limits.max_header_field + 1);
	assert_int_equal(status_of(ok), 0);
	assert_int_equal(status_of(over), 431);
	free(ok);
	free(over);
}

static char *with_fields(unsigned n)
{
	char *text = malloc(64 + (size_t)n * 16);
	char *p = text + sprintf(text, "GET / HTTP/1.1\r\nHost: t\r\n");
	for (unsigned i = 1; i < n; i++)
		p += sprintf(p, "X-F%u: %u\r\n", i, i);
	sprintf(p, "\r\n");
	return text;
}

static void test_header_count_limit(void **state)
{
	(void)state;
	char *ok = with_fields(limits.max_header_fields);
	char *over = with_fields(limits.max_header_fields + 1);
	assert_int_equal(status_of(ok), 0);
	assert_int_equal(status_of(over), 431);
	free(ok);
	free(over);
}

static void test_header_section_limit(void **state)
{
	(void)state;
	/* Every line within its own limit, the section over the total. */
	size_t line = 6000;
	char *text = malloc(4 * line);
	char *p = text + sprintf(text, "GET / HTTP/1.1\r\nHost: t\r\n");
	for (int i = 0; i < 3; i++) {
		p += sprintf(p, "X-%d: ", i);
		memset(p, 'v', line - 10);
		p += line - 10;
		p += sprintf(p, "\r\n");
	}
	sprintf(p, "\r\n");
	assert_true(strlen(text) > limits.max_header_bytes);
	assert_int_equal(status_of(text), 431);
	free(text);
}

static void test_body_limit(void **state)
{
	(void)state;
	char head[128];
	snprintf(head, sizeof(head), "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n",
		 limits.max_body);
	size_t hlen = strlen(head);
	char *text = malloc(hlen + limits.max_body);
	memcpy(text, head, hlen);
	memset(text + hlen, 'b', limits.max_body);
	assert_int_equal(expect_status(text, hlen + limits.max_body), 0);
	free(text);

	/* Over the limit: refused on the headers alone, before any body byte. */
	snprintf(head, sizeof(head), "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n",
		 limits.max_body + 1);
	kd_http_framing f;
	outcome o = run(&f, head);
	assert_int_equal(o.event, KD_FRAMING_ERROR);
	assert_int_equal(o.status, 413);
	kd_http_framing_free(&f);
}

static void test_transfer_encoding_refused(void **state)
{
	(void)state;
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
				   "3\r\nabc\r\n0\r\n\r\n"), 411);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\ntransfer-encoding: gzip\r\n\r\n"), 411);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding:\r\n\r\n"), 411);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
				   "Content-Length: 3\r\n\r\nabc"), 411);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
				   "Transfer-Encoding: chunked\r\n\r\nabc"), 411);
}

static void test_content_length_errors(void **state)
{
	(void)state;
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
				   "Content-Length: 3\r\n\r\nabc"), 400);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
				   "content-length: 4\r\n\r\nabcd"), 400);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3x\r\n\r\nabc"), 400);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n"), 400);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: +3\r\n\r\nabc"), 400);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3 4\r\n\r\nabc"), 400);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\nContent-Length:\r\n\r\n"), 400);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: t\r\n"
				   "Content-Length: 99999999999999999999999\r\n\r\n"), 400);
}

static void test_versions(void **state)
{
	(void)state;
	assert_int_equal(status_of("GET / HTTP/2.0\r\nHost: t\r\n\r\n"), 505);
	assert_int_equal(status_of("GET / HTTP/1.2\r\nHost: t\r\n\r\n"), 505);
	assert_int_equal(status_of("GET / HTTP/3.1\r\nHost: t\r\n\r\n"), 505);
	/* Malformed versions, HTTP/0.9's missing one included. */
	assert_int_equal(status_of("GET /\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.10\r\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTX/1.1\r\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / http/1.1\r\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("GET /  HTTP/1.1 \r\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.0\r\n\r\n"), 0);
}

static void test_lax_syntax_refused(void **state)
{
	(void)state;
	/* obs-fold */
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\nX-A: one\r\n two\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\nX-A: one\r\n\ttwo\r\n\r\n"), 400);
	/* white space before the first header line */
	assert_int_equal(status_of("GET / HTTP/1.1\r\n Host: t\r\n\r\n"), 400);
	/* bare LF, anywhere in the section */
	assert_int_equal(status_of("GET / HTTP/1.1\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\n\n"), 400);
	assert_int_equal(status_of("\nGET / HTTP/1.1\r\nHost: t\r\n\r\n"), 400);
	/* bare CR */
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\rX-A: b\r\n\r\n"), 400);
	/* white space before the colon */
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost : t\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost\t: t\r\n\r\n"), 400);
	/* a line without colon, an empty name */
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\nNoColon\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\n: v\r\n\r\n"), 400);
	/* control characters */
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\nX-A: \x01\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\nX-A: \x7f\r\n\r\n"), 400);
	assert_int_equal(status_of("GET /\x01 HTTP/1.1\r\nHost: t\r\n\r\n"), 400);
}

static void test_nul_refused(void **state)
{
	(void)state;
	static const char in_value[] = "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\0b\r\n\r\n";
	static const char in_name[] = "GET / HTTP/1.1\r\nHost: t\r\nX-\0A: ab\r\n\r\n";
	static const char in_line[] = "GET /a\0b HTTP/1.1\r\nHost: t\r\n\r\n";
	assert_int_equal(expect_status(in_value, sizeof(in_value) - 1), 400);
	assert_int_equal(expect_status(in_name, sizeof(in_name) - 1), 400);
	assert_int_equal(expect_status(in_line, sizeof(in_line) - 1), 400);
}

static void test_target_method_host(void **state)
{
	(void)state;
	assert_int_equal(status_of("GET / HTTP/1.1\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\nAuthorization: a\r\n"
				   "Authorization: b\r\n\r\n"), 400);
	assert_int_equal(status_of("CONNECT kiosk.test:443 HTTP/1.1\r\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("BREW / HTTP/1.1\r\nHost: t\r\n\r\n"), 400);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: t\r\nExpect: 200-ok\r\n\r\n"), 417);
}

static void test_keep_alive(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool keep_alive;
	} cases[] = {
		{"GET / HTTP/1.1\r\nHost: t\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nHost: t\r\nConnection: CLOSE\r\n\r\n", false},
		{"GET / HTTP/1.0\r\n\r\n", false},
		{"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kd_http_framing f;
		outcome o = run(&f, cases[i].text);
		assert_int_equal(o.event, KD_FRAMING_REQUEST);
		assert_int_equal(f.keep_alive, cases[i].keep_alive);
		kd_http_framing_free(&f);
	}
}

static void test_pipelining_in_order(void **state)
{
	(void)state;
	const char *text = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n"
			   "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
			   "GET /c?z HTTP/1.1\r\nHost: t\r\n\r\n"
			   "GET /d HT";
	size_t len = strlen(text), at = 0;
	kd_http_framing f;
	assert_int_equal(kd_http_framing_init(&f, &limits), 0);
	static const char *paths[] = {"/a", "/b", "/c"};
	for (int i = 0; i < 3; i++) {
		outcome o = feed_text(&f, text + at, len - at);
		assert_int_equal(o.event, KD_FRAMING_REQUEST);
		assert_string_equal(f.req.path, paths[i]);
		if (i == 1)
			assert_memory_equal(f.req.body, "hello", 5);
		/* Paused: feeding again consumes nothing and repeats the event. */
		kd_http_framing_event again;
		assert_int_equal(kd_http_framing_feed(&f, text, len, &again), 0);
		assert_int_equal(again, KD_FRAMING_REQUEST);
		at += o.consumed;
		kd_http_framing_next(&f);
	}
	outcome o = feed_text(&f, text + at, len - at);
	assert_int_equal(o.event, KD_FRAMING_MORE);
	assert_int_equal(f.phase, KD_FRAMING_HEADERS);
	kd_http_framing_free(&f);
}

/* Every split point into two feeds, and random splits into many, give one outcome. */
static void check_splits(const char *text, size_t len)
{
	kd_http_framing f;
	assert_int_equal(kd_http_framing_init(&f, &limits), 0);
	outcome whole = feed_text(&f, text, len);
	kd_http_framing_free(&f);

	for (size_t cut = 0; cut <= len; cut++) {
		assert_int_equal(kd_http_framing_init(&f, &limits), 0);
		outcome o = feed_cut(&f, text, len, &cut, 1);
		assert_string_equal(o.summary, whole.summary);
		kd_http_framing_free(&f);
	}
	for (int round = 0; round < 200; round++) {
		size_t cuts[8], n = (size_t)(rand() % 8);
		for (size_t i = 0; i < n; i++)
			cuts[i] = (size_t)rand() % (len + 1);
		for (size_t i = 1; i < n; i++) {
			for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
				size_t t = cuts[j];
				cuts[j] = cuts[j - 1];
				cuts[j - 1] = t;
			}
		}
		assert_int_equal(kd_http_framing_init(&f, &limits), 0);
		outcome o = feed_cut(&f, text, len, cuts, n);
		assert_string_equal(o.summary, whole.summary);
		kd_http_framing_free(&f);
	}
}

static void test_random_splits(void **state)
{
	(void)state;
	srand(20240501);
	static const char *texts[] = {
		"POST /v1/seekers?dry=1 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
		"Authorization: Bearer kd_x.y\r\nIdempotency-Key: k1\r\nX-Empty:\r\n"
		"Content-Length: 16\r\n\r\n"
		"{\"nama\":\"Peserta Uji\"}",
		"GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n",
		"\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\nX-A: one\r\n two\r\n\r\n",
		"GET / HTTP/1.1\r\nHost : t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\nX: y\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc",
		"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
		"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 70000\r\n\r\nabc",
		"GET / HTTP/2.0\r\nHost: t\r\n\r\n",
		"GET / HTTX/1.1\r\nHost: t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\nX-A: \x01\r\nTransfer-Encoding: chunked\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_splits(texts[i], strlen(texts[i]));
}

static void test_request_id(void **state)
{
	(void)state;
	char sixty_four[65], sixty_five[66];
	memset(sixty_four, 'a', 64);
	sixty_four[64] = '\0';
	memset(sixty_five, 'b', 65);
	sixty_five[65] = '\0';

	assert_true(kd_http_request_id_is_sane("a", 1));
	assert_true(kd_http_request_id_is_sane("Kiosk-01.tenggarong_2:x", 23));
	assert_true(kd_http_request_id_is_sane(sixty_four, 64));
	assert_false(kd_http_request_id_is_sane(sixty_five, 65));
	assert_false(kd_http_request_id_is_sane("", 0));
	assert_false(kd_http_request_id_is_sane("a b", 3));
	assert_false(kd_http_request_id_is_sane("a\"b", 3));
	assert_false(kd_http_request_id_is_sane("a=b", 3));
	/* Digits are counted in all, so no separator can carry a NIK, a phone
	 * number or a birth date into the logs and audit_log. */
	assert_true(kd_http_request_id_is_sane("kiosk-7:42", 10));
	assert_true(kd_http_request_id_is_sane("a1b2c3", 6));
	static const char *const personal[] = {
		"6402061705990001",		/* NIK */
		"nik-6402074-7059900-07",	/* NIK split by dashes */
		"6402.0747.0599.0007",
		"n6402a0747b0599c0007",		/* split by letters */
		"081234567890", "0812-3456-7890", "0812.3456.7890", "req-081234567890",
		"62-812-3456-7890", "62:812:3456:7890", "tel_0812_3456_7890",
		"1999-05-07", "07-05-1999", "07.05.99", "7-5-99", "dob:19990507",
		"x1234567-1234567", "x12345678", "a1b2c3d4",
		"0a1b2c3d-4e5f-6789-abcd-ef01234e5f67",	/* a UUID: 22 digits */
		"64020747-0599-0007-aaaa-bbbbccccdddd",	/* a NIK dressed as one */
	};
	for (size_t i = 0; i < sizeof(personal) / sizeof(personal[0]); i++)
		assert_false(kd_http_request_id_is_sane(personal[i], strlen(personal[i])));
	/* The international form is refused for its '+' and spaces already. */
	assert_false(kd_http_request_id_is_sane("+62 812 3456 7890", 17));

	char id[KD_HTTP_REQUEST_ID_MAX + 1], other[KD_HTTP_REQUEST_ID_MAX + 1];
	kd_http_request_id_choose(sixty_four, id);
	assert_string_equal(id, sixty_four);
	kd_http_request_id_choose(sixty_five, id);
	assert_true(is_random_id(id));
	kd_http_request_id_choose(NULL, id);
	kd_http_request_id_choose(NULL, other);
	assert_true(is_random_id(id));
	assert_string_not_equal(id, other);

	/* Ids drawn across many refills of the random pool: letters only, and
	 * each letter about as often as any other (expected 6,154 each; the
	 * bound is 24 standard deviations away). */
	size_t counts[26] = { 0 };
	for (int n = 0; n < 10000; n++) {
		kd_http_request_id_choose(NULL, id);
		assert_true(is_random_id(id));
		for (const char *c = id; *c; c++)
			counts[*c - 'a']++;
	}
	for (int letter = 0; letter < 26; letter++) {
		assert_true(counts[letter] > 4300);
		assert_true(counts[letter] < 8000);
	}

	const struct {
		const char *header;
		const char *expect; /* NULL: a random id */
	} cases[] = {
		{"X-Request-Id: abc-123\r\n", "abc-123"},
		{"x-request-id: a b\r\n", NULL},
		{"X-Request-Id:\r\n", NULL},
		{"X-Request-Id: caf\xc3\xa9\r\n", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "GET / HTTP/1.1\r\nHost: t\r\n%s\r\n", cases[i].header);
		kd_http_framing f;
		outcome o = run(&f, text);
		assert_int_equal(o.event, KD_FRAMING_REQUEST);
		if (cases[i].expect)
			assert_string_equal(f.req.request_id, cases[i].expect);
		else
			assert_true(is_random_id(f.req.request_id));
		kd_http_framing_free(&f);
	}

	/* An error after the headers still echoes the client's id. */
	kd_http_framing f;
	outcome o = run(&f, "POST / HTTP/1.1\r\nHost: t\r\nX-Request-Id: big-1\r\n"
			    "Content-Length: 999999\r\n\r\n");
	assert_int_equal(o.status, 413);
	assert_string_equal(f.req.request_id, "big-1");
	kd_http_framing_free(&f);
}

static void test_phases_and_timeout(void **state)
{
	(void)state;
	kd_http_framing f;
	assert_int_equal(kd_http_framing_init(&f, &limits), 0);
	assert_int_equal(f.phase, KD_FRAMING_IDLE);
	outcome o = feed_text(&f, "POST /x HTTP/1.1\r\nHo", 20);
	assert_int_equal(o.event, KD_FRAMING_MORE);
	assert_int_equal(f.phase, KD_FRAMING_HEADERS);
	const char *rest = "st: t\r\nContent-Length: 4\r\n\r\nab";
	o = feed_text(&f, rest, strlen(rest));
	assert_int_equal(o.event, KD_FRAMING_MORE);
	assert_int_equal(f.phase, KD_FRAMING_BODY);

	kd_http_framing_fail(&f, 408, "request timed out");
	assert_int_equal(f.phase, KD_FRAMING_COMPLETE);
	assert_int_equal(f.status, 408);
	assert_false(f.keep_alive);
	assert_true(f.method_known);
	assert_int_equal(f.req.method, HTTP_POST);
	kd_http_framing_event event;
	assert_int_equal(kd_http_framing_feed(&f, "cd", 2, &event), 0);
	assert_int_equal(event, KD_FRAMING_ERROR);
	kd_http_framing_free(&f);
}

static void test_expect_continue(void **state)
{
	(void)state;
	kd_http_framing f;
	assert_int_equal(kd_http_framing_init(&f, &limits), 0);
	const char *head = "POST /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
			   "Content-Length: 2\r\n\r\n";
	outcome o = feed_text(&f, head, strlen(head));
	assert_int_equal(o.event, KD_FRAMING_MORE);
	assert_true(f.expect_continue);
	kd_http_framing_free(&f);

	o = run(&f, "POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
	assert_false(f.expect_continue);
	kd_http_framing_free(&f);
	o = run(&f, "POST /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n\r\n");
	assert_int_equal(o.event, KD_FRAMING_REQUEST);
	assert_false(f.expect_continue);
	kd_http_framing_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_post_headers_and_body),
		cmocka_unit_test(test_first_and_last_of_a_repeated_header),
		cmocka_unit_test(test_absolute_form_and_fragment),
		cmocka_unit_test(test_head_and_leading_empty_lines),
		cmocka_unit_test(test_request_line_limit),
		cmocka_unit_test(test_header_field_limit),
		cmocka_unit_test(test_header_count_limit),
		cmocka_unit_test(test_header_section_limit),
		cmocka_unit_test(test_body_limit),
		cmocka_unit_test(test_transfer_encoding_refused),
		cmocka_unit_test(test_content_length_errors),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_lax_syntax_refused),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_target_method_host),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_pipelining_in_order),
		cmocka_unit_test(test_random_splits),
		cmocka_unit_test(test_request_id),
		cmocka_unit_test(test_phases_and_timeout),
		cmocka_unit_test(test_expect_continue),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
