/*
 * Raw bytes through the request framing (service/http/http_framing.h), fed
 * the way the connection layer feeds it: in reads of any size, each request
 * answered and kd_http_framing_next() called before the bytes after it are
 * fed again, the connection closed after an error, and a request the stream
 * leaves unfinished failed with the timeout's 408.
 *
 * The first input byte steers the run; the rest is what the client sent.
 * With bit 7 of that byte set the framing uses the server's default limits,
 * otherwise the tight ones below, which bring every size limit within reach
 * of small inputs.  Bits 0..2 give the largest read (1 to 128 bytes) and
 * bits 3..6 seed the sizes of the reads.
 *
 * The stream is framed twice, in one read and cut into many, and the two
 * traces of outcomes must be equal: what the server makes of a stream may
 * not depend on how the network cut it.  Every request and every error is
 * checked against the contracts of http_framing.h and http_server.h, and
 * its response is built as the server would build it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "fuzz_check.h"
#include "http/http_framing.h"
#include "http/http_request_id.h"
#include "http/http_response.h"
#include "http/http_scan.h"

#define MODE_DEFAULT_LIMITS 0x80

static kd_http_limits default_limits, tight_limits;

/* Everything the framing made of a stream, as comparable bytes. */
typedef struct trace {
	char *text;
	size_t len, cap;
} trace;

static void trace_add(trace *t, const void *data, size_t len)
{
	if (len > t->cap - t->len) {
		size_t cap = t->cap ? t->cap : 1024;
		while (cap - t->len < len)
			cap *= 2;
		t->text = realloc(t->text, cap);
		FUZZ_CHECK(t->text != NULL);
		t->cap = cap;
	}
	memcpy(t->text + t->len, data, len);
	t->len += len;
}

static void trace_printf(trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void trace_printf(trace *t, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	FUZZ_CHECK(n >= 0 && (size_t)n < sizeof(line));
	trace_add(t, line, (size_t)n);
}

/* Header strings hold no control characters but tab, so lines stay lines. */
static void trace_string(trace *t, const char *label, const char *value)
{
	trace_printf(t, "%s=", label);
	if (value)
		trace_add(t, value, strlen(value));
	else
		trace_add(t, "(none)", 6);
	trace_add(t, "\n", 1);
}

/* The sizes of the reads a stream arrives in. */
typedef struct reads {
	uint32_t state;     /* xorshift32 */
	size_t max;         /* 0: the whole stream in one read */
} reads;

static size_t next_read(reads *r, size_t left)
{
	if (r->max == 0)
		return left;
	r->state ^= r->state << 13;
	r->state ^= r->state >> 17;
	r->state ^= r->state << 5;
	size_t n = 1 + r->state % r->max;
	return n < left ? n : left;
}

static bool is_field_value(const char *value)
{
	size_t len = strlen(value);
	if (len > 0 && strchr(" \t", value[0]))
		return false;
	if (len > 0 && strchr(" \t", value[len - 1]))
		return false;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	}
	return true;
}

static bool is_token(const char *name)
{
	if (!*name)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (!kd_http_is_tchar(*p))
			return false;
	}
	return true;
}

static unsigned count_fields(const kd_http_framing *f, const char *name)
{
	unsigned n = 0;
	for (unsigned i = 0; i < f->nfields; i++)
		n += strcasecmp(f->arena + f->fields[i].name, name) == 0;
	return n;
}

/* The response to req is built as kd_http_respond() would build it. */
static void check_response(const kd_http_framing *f, int status, const char *body, size_t len)
{
	char date[KD_HTTP_DATE_LEN + 1];
	kd_http_date(0, date);
	kd_http_response r = {
		.status = status,
		.body = body,
		.len = len,
		.request_id = f->req.request_id,
		.date = date,
		.close = !f->keep_alive,
		.keep_alive_header = f->keep_alive && f->parser.http_minor == 0,
		.head = f->method_known && f->req.method == HTTP_HEAD,
	};
	char *out, status_line[32];
	size_t outlen;
	FUZZ_CHECK(kd_http_response_format(&r, &out, &outlen) == 0);
	int n = snprintf(status_line, sizeof(status_line), "HTTP/1.1 %d ", status);
	FUZZ_CHECK(outlen > (size_t)n && memcmp(out, status_line, (size_t)n) == 0);
	free(out);
}

/* The request id is the client's when it is sane, else random letters. */
static void check_request_id(const kd_http_framing *f, trace *t)
{
	const char *id = f->req.request_id;
	FUZZ_CHECK(id != NULL && kd_http_request_id_is_sane(id, strlen(id)));
	const char *client = f->headers_done ? kd_http_request_header(&f->req, "x-request-id")
					     : NULL;
	if (client && strcmp(client, id) == 0) {
		trace_string(t, "request_id", id);
		return;
	}
	FUZZ_CHECK(!client || !kd_http_request_id_is_sane(client, strlen(client)));
	FUZZ_CHECK(strlen(id) == KD_HTTP_REQUEST_ID_RANDOM &&
		   strspn(id, "abcdefghijklmnopqrstuvwxyz") == KD_HTTP_REQUEST_ID_RANDOM);
	trace_string(t, "request_id", "(random)");
}

static void check_error(const kd_http_framing *f, trace *t)
{
	/* What the framing answers bad input with (408: our timeout). */
	static const int documented[] = { 400, 408, 411, 413, 414, 417, 431, 505 };
	size_t i = 0;
	while (i < sizeof(documented) / sizeof(documented[0]) && documented[i] != f->status)
		i++;
	FUZZ_CHECK(i < sizeof(documented) / sizeof(documented[0]));
	FUZZ_CHECK(f->message != NULL && f->message[0] != '\0');
	FUZZ_CHECK(!f->keep_alive && !f->expect_continue);
	FUZZ_CHECK(f->req.path != NULL && f->req.body != NULL && f->req.body_len == 0);
	trace_printf(t, "error status=%d message=%s\n", f->status, f->message);
	check_request_id(f, t);

	size_t len;
	char *body = kd_http_error_body(kd_http_status_code(f->status), f->message, NULL, &len);
	FUZZ_CHECK(body != NULL);
	check_response(f, f->status, body, len);
	free(body);
}

static void check_fields(const kd_http_framing *f, trace *t)
{
	static const char *const singletons[] = {
		"host", "content-length", "content-type", "authorization", "idempotency-key",
	};
	FUZZ_CHECK(f->nfields <= f->limits->max_header_fields);
	for (unsigned i = 0; i < f->nfields; i++) {
		const char *name = f->arena + f->fields[i].name;
		const char *value = f->arena + f->fields[i].value;
		FUZZ_CHECK(is_token(name) && is_field_value(value));
		trace_printf(t, "field ");
		trace_string(t, name, value);
	}
	FUZZ_CHECK(count_fields(f, "transfer-encoding") == 0);
	for (size_t i = 0; i < sizeof(singletons) / sizeof(singletons[0]); i++)
		FUZZ_CHECK(count_fields(f, singletons[i]) <= 1);
	if (f->parser.http_minor == 1)
		FUZZ_CHECK(kd_http_request_header(&f->req, "host") != NULL);
}

/* req is complete after size bytes (empty lines before it included). */
static void check_request(const kd_http_framing *f, size_t size, trace *t)
{
	const kd_http_request *req = &f->req;
	FUZZ_CHECK(f->status == 0 && f->method_known && f->headers_done);
	FUZZ_CHECK(f->parser.http_major == 1 && f->parser.http_minor <= 1);
	FUZZ_CHECK(strcmp(http_method_str(req->method), "<unknown>") != 0);
	FUZZ_CHECK(req->path != NULL && req->path[0] == '/');
	FUZZ_CHECK(req->body != NULL && req->body[req->body_len] == '\0');
	FUZZ_CHECK(req->body_len <= f->limits->max_body && f->body_received == req->body_len);
	FUZZ_CHECK(size <= f->limits->max_header_bytes + req->body_len);
	FUZZ_CHECK(req->content_type == kd_http_request_header(req, "content-type"));
	FUZZ_CHECK(req->authorization == kd_http_request_header(req, "authorization"));
	FUZZ_CHECK(req->idempotency_key == kd_http_request_header(req, "idempotency-key"));

	trace_printf(t, "request %s minor=%u keep_alive=%d\n", http_method_str(req->method),
		     f->parser.http_minor, f->keep_alive);
	trace_string(t, "path", req->path);
	trace_string(t, "query", req->query);
	check_fields(f, t);
	check_request_id(f, t);
	trace_printf(t, "body=%zu:", req->body_len);
	trace_add(t, req->body, req->body_len);
	trace_add(t, "\n", 1);

	check_response(f, 200, "{}", 2);
}

/* Frames stream[0..len) arriving in reads r, as a connection would. */
static void frame(const kd_http_limits *limits, const char *stream, size_t len, reads *r,
		  trace *t)
{
	kd_http_framing f;
	FUZZ_CHECK(kd_http_framing_init(&f, limits) == 0);
	size_t fed = 0, received = 0, request_start = 0;
	while (fed < len) {
		if (fed == received)
			received += next_read(r, len - received);
		kd_http_framing_event event, again;
		size_t used = kd_http_framing_feed(&f, stream + fed, received - fed, &event);
		FUZZ_CHECK(used <= received - fed);
		fed += used;
		if (event == KD_FRAMING_MORE) {
			FUZZ_CHECK(fed == received);
			continue;
		}
		FUZZ_CHECK(f.phase == KD_FRAMING_COMPLETE);
		/* Until the answer, feeding consumes nothing and repeats the event. */
		FUZZ_CHECK(kd_http_framing_feed(&f, stream + fed, received - fed, &again) == 0);
		FUZZ_CHECK(again == event);
		if (event == KD_FRAMING_ERROR) {
			check_error(&f, t);
			kd_http_framing_free(&f);
			return;
		}
		FUZZ_CHECK(event == KD_FRAMING_REQUEST && used > 0);
		check_request(&f, fed - request_start, t);
		kd_http_framing_next(&f);
		request_start = fed;
	}
	trace_printf(t, "end phase=%d\n", (int)f.phase);
	/* A client that stops inside a request is answered at the timeout. */
	if (f.phase != KD_FRAMING_IDLE) {
		kd_http_framing_fail(&f, 408, "request timed out");
		check_error(&f, t);
	}
	kd_http_framing_free(&f);
}

static void dump(const char *label, const trace *t)
{
	fprintf(stderr, "--- %s\n", label);
	fwrite(t->text, 1, t->len, stderr);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	default_limits = kd_http_limits_default();
	tight_limits = default_limits;
	tight_limits.max_header_bytes = 600;
	tight_limits.max_request_line = 200;
	tight_limits.max_header_field = 160;
	tight_limits.max_header_fields = 8;
	tight_limits.max_body = 300;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t mode = data[0];
	const char *stream = (const char *)data + 1;
	size_t len = size - 1;
	const kd_http_limits *limits = mode & MODE_DEFAULT_LIMITS ? &default_limits : &tight_limits;

	trace whole = { 0 }, split = { 0 };
	reads one = { .max = 0 };
	reads many = { .state = 0x9e3779b9u ^ ((mode >> 3) & 0x0fu), .max = 1u << (mode & 7) };
	frame(limits, stream, len, &one, &whole);
	frame(limits, stream, len, &many, &split);
	/* Both traces end with a line: neither text is NULL. */
	bool same = whole.len == split.len && memcmp(whole.text, split.text, whole.len) == 0;
	if (!same) {
		dump("in one read", &whole);
		dump("in many reads", &split);
	}
	FUZZ_CHECK(same);
	free(whole.text);
	free(split.text);
	return 0;
}
