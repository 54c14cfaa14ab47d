#include "http/http_framing.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http_request_id.h"
#include "kd.h"

enum token { TOKEN_NONE, TOKEN_URL, TOKEN_NAME, TOKEN_VALUE };

/*
 * Headers that must not appear twice: RFC 9112 requires it of Host and
 * Content-Length, and two values for the others would let a proxy and this
 * server disagree about who the client is or what it sent.
 */
static const struct {
	const char *name;
	const char *duplicate;
} singletons[] = {
	{"host", "duplicate host header"},
	{"content-length", "duplicate content-length header"},
	{"content-type", "duplicate content-type header"},
	{"authorization", "duplicate authorization header"},
	{"idempotency-key", "duplicate idempotency-key header"},
};

static const char empty_body[] = "";

kd_http_framing *kd_http_framing_of(kd_http_request *req)
{
	return (kd_http_framing *)((char *)req - offsetof(kd_http_framing, req));
}

static int fail(kd_http_framing *f, int status, const char *message)
{
	if (f->status == 0) {
		f->status = status;
		f->message = message;
	}
	return -1;
}

/*
 * Stored strings take no more room than the raw bytes they come from, which
 * the scanner bounds, so the two checks below only guard the arithmetic.
 */
static int append(kd_http_framing *f, const char *data, size_t len)
{
	if (len > f->arena_cap - f->arena_len)
		return fail(f, 431, "header section too large");
	memcpy(f->arena + f->arena_len, data, len);
	f->arena_len += len;
	return 0;
}

static int terminate(kd_http_framing *f)
{
	if (f->arena_len == f->arena_cap)
		return fail(f, 431, "header section too large");
	f->arena[f->arena_len++] = '\0';
	return 0;
}

static int check_name(kd_http_framing *f, const char *name)
{
	if (strcasecmp(name, "transfer-encoding") == 0)
		return fail(f, 411, "transfer-encoding is not supported");
	for (size_t i = 0; i < KD_ARRAY_LEN(singletons); i++) {
		if (strcasecmp(name, singletons[i].name) != 0)
			continue;
		if (f->singletons_seen & (1u << i))
			return fail(f, 400, singletons[i].duplicate);
		f->singletons_seen |= 1u << i;
	}
	return 0;
}

/* Ends the string the parser was writing. */
static int finish_token(kd_http_framing *f)
{
	int token = f->token;
	f->token = TOKEN_NONE;
	if (token == TOKEN_NONE)
		return 0;
	if (token == TOKEN_VALUE) {
		size_t start = f->fields[f->nfields - 1].value;
		while (f->arena_len > start && (f->arena[f->arena_len - 1] == ' ' ||
						f->arena[f->arena_len - 1] == '\t'))
			f->arena_len--;
	}
	if (terminate(f) < 0)
		return -1;
	if (token != TOKEN_NAME)
		return 0;
	/* The name's NUL doubles as the value until a value arrives. */
	f->fields[f->nfields - 1].value = (uint32_t)(f->arena_len - 1);
	return check_name(f, f->arena + f->fields[f->nfields - 1].name);
}

static kd_http_framing *framing(http_parser *parser)
{
	return parser->data;
}

static int on_url(http_parser *parser, const char *at, size_t len)
{
	kd_http_framing *f = framing(parser);
	f->method_known = true;
	f->token = TOKEN_URL;
	return append(f, at, len);
}

static int on_header_field(http_parser *parser, const char *at, size_t len)
{
	kd_http_framing *f = framing(parser);
	if (f->token != TOKEN_NAME) {
		if (finish_token(f) < 0)
			return -1;
		if (f->nfields == f->limits->max_header_fields)
			return fail(f, 431, "too many header fields");
		f->fields[f->nfields].name = (uint32_t)f->arena_len;
		f->fields[f->nfields].value = (uint32_t)f->arena_len;
		f->nfields++;
		f->token = TOKEN_NAME;
	}
	return append(f, at, len);
}

static int on_header_value(http_parser *parser, const char *at, size_t len)
{
	kd_http_framing *f = framing(parser);
	if (f->token != TOKEN_VALUE) {
		if (finish_token(f) < 0)
			return -1;
		f->fields[f->nfields - 1].value = (uint32_t)f->arena_len;
		f->token = TOKEN_VALUE;
	}
	return append(f, at, len);
}

/* The value of the first header line called name, or of the last when last is set. */
static const char *find_header(const kd_http_framing *f, const char *name, bool last)
{
	const char *found = NULL;
	for (unsigned i = 0; i < f->nfields; i++) {
		if (strcasecmp(f->arena + f->fields[i].name, name) == 0) {
			found = f->arena + f->fields[i].value;
			if (!last)
				break;
		}
	}
	return found;
}

static const char *lookup(const kd_http_framing *f, const char *name)
{
	return find_header(f, name, false);
}

const char *kd_http_framing_last_header(const kd_http_framing *f, const char *name)
{
	return find_header(f, name, true);
}

const char *kd_http_request_header(const kd_http_request *req, const char *name)
{
	return lookup(kd_http_framing_of((kd_http_request *)req), name);
}

/* Splits the request target in place into path and query. */
static int split_target(kd_http_framing *f)
{
	char *url = f->arena;
	size_t len = strlen(url);
	struct http_parser_url u;
	http_parser_url_init(&u);
	/* Origin form, or absolute form which RFC 9112 3.2.2 obliges us to take. */
	if (len == 0 || http_parser_parse_url(url, len, 0, &u) != 0)
		return fail(f, 400, "invalid request target");
	if (url[0] != '/' && !(u.field_set & (1 << UF_SCHEMA)))
		return fail(f, 400, "invalid request target");

	f->req.path = "/";
	if (u.field_set & (1 << UF_PATH)) {
		f->req.path = url + u.field_data[UF_PATH].off;
		url[u.field_data[UF_PATH].off + u.field_data[UF_PATH].len] = '\0';
	}
	f->req.query = NULL;
	if (u.field_set & (1 << UF_QUERY)) {
		f->req.query = url + u.field_data[UF_QUERY].off;
		url[u.field_data[UF_QUERY].off + u.field_data[UF_QUERY].len] = '\0';
	}
	return 0;
}

static int check_expect(kd_http_framing *f, uint64_t body_len)
{
	const char *expect = lookup(f, "expect");
	if (!expect)
		return 0;
	if (strcasecmp(expect, "100-continue") != 0)
		return fail(f, 417, "unsupported expectation");
	/* HTTP/1.0 clients do not know the interim response (RFC 9110 10.1.1). */
	f->expect_continue = f->parser.http_minor == 1 && body_len > 0;
	return 0;
}

static int on_headers_complete(http_parser *parser)
{
	kd_http_framing *f = framing(parser);
	if (finish_token(f) < 0)
		return -1;
	f->headers_done = true;
	if (parser->http_major != 1 || parser->http_minor > 1)
		return fail(f, 505, "http version not supported");
	if (parser->uses_transfer_encoding || (parser->flags & F_CHUNKED))
		return fail(f, 411, "transfer-encoding is not supported");
	if (split_target(f) < 0)
		return -1;
	if (parser->http_minor == 1 && !lookup(f, "host"))
		return fail(f, 400, "missing host header");

	uint64_t body_len = 0;
	if (parser->flags & F_CONTENTLENGTH)
		body_len = parser->content_length;
	if (body_len > f->limits->max_body)
		return fail(f, 413, "request body too large");
	if (check_expect(f, body_len) < 0)
		return -1;

	f->keep_alive = http_should_keep_alive(parser) && !parser->upgrade;
	f->req.method = (enum http_method)parser->method;
	f->req.content_type = lookup(f, "content-type");
	f->req.authorization = lookup(f, "authorization");
	f->req.idempotency_key = lookup(f, "idempotency-key");
	f->req.body = empty_body;
	f->req.body_len = (size_t)body_len;
	if (body_len > 0) {
		f->body = malloc((size_t)body_len + 1);
		if (!f->body)
			return fail(f, 503, "out of memory");
		f->body[body_len] = '\0';
		f->req.body = f->body;
		f->phase = KD_FRAMING_BODY;
	}
	return 0;
}

static int on_body(http_parser *parser, const char *at, size_t len)
{
	kd_http_framing *f = framing(parser);
	/* http-parser never passes more than Content-Length bytes. */
	memcpy(f->body + f->body_received, at, len);
	f->body_received += len;
	return 0;
}

static int on_message_complete(http_parser *parser)
{
	kd_http_framing *f = framing(parser);
	kd_http_request_id_choose(lookup(f, "x-request-id"), f->request_id);
	f->req.request_id = f->request_id;
	f->phase = KD_FRAMING_COMPLETE;
	http_parser_pause(parser, 1);
	return 0;
}

static const http_parser_settings settings = {
	.on_url = on_url,
	.on_header_field = on_header_field,
	.on_header_value = on_header_value,
	.on_headers_complete = on_headers_complete,
	.on_body = on_body,
	.on_message_complete = on_message_complete,
};

int kd_http_framing_init(kd_http_framing *f, const kd_http_limits *limits)
{
	memset(f, 0, sizeof(*f));
	f->limits = limits;
	f->fields = calloc(limits->max_header_fields ? limits->max_header_fields : 1,
			   sizeof(*f->fields));
	if (!f->fields)
		return kd_error(ENOMEM);
	http_parser_init(&f->parser, HTTP_REQUEST);
	f->parser.data = f;
	kd_http_scan_reset(&f->scan);
	f->phase = KD_FRAMING_IDLE;
	return kd_ok();
}

static void release_request(kd_http_framing *f)
{
	free(f->arena);
	free(f->body);
	f->arena = NULL;
	f->body = NULL;
}

void kd_http_framing_free(kd_http_framing *f)
{
	release_request(f);
	free(f->fields);
	f->fields = NULL;
}

void kd_http_framing_next(kd_http_framing *f)
{
	release_request(f);
	memset(&f->req, 0, sizeof(f->req));
	f->arena_len = f->arena_cap = 0;
	f->nfields = 0;
	f->token = TOKEN_NONE;
	f->singletons_seen = 0;
	f->headers_done = false;
	f->body_received = 0;
	f->method_known = false;
	f->keep_alive = false;
	f->expect_continue = false;
	f->status = 0;
	f->message = NULL;
	kd_http_scan_reset(&f->scan);
	f->phase = KD_FRAMING_IDLE;
	http_parser_pause(&f->parser, 0);
}

void kd_http_framing_fail(kd_http_framing *f, int status, const char *message)
{
	fail(f, status, message);
	f->req.method = f->method_known ? (enum http_method)f->parser.method : HTTP_GET;
	f->req.path = f->req.path ? f->req.path : "";
	f->req.body = empty_body;
	f->req.body_len = 0;
	kd_http_request_id_choose(f->headers_done ? lookup(f, "x-request-id") : NULL,
				  f->request_id);
	f->req.request_id = f->request_id;
	f->keep_alive = false;
	f->expect_continue = false;
	f->phase = KD_FRAMING_COMPLETE;
}

/* The first byte of a request arrived. */
static int begin(kd_http_framing *f)
{
	f->req.received_ns = uv_hrtime();
	f->phase = KD_FRAMING_HEADERS;
	f->arena_cap = f->limits->max_header_bytes + 1;
	f->arena = malloc(f->arena_cap);
	if (!f->arena)
		return fail(f, 503, "out of memory");
	return 0;
}

static void parser_failed(kd_http_framing *f, enum http_errno err)
{
	/* A callback that failed has set the status already. */
	if (err == HPE_INVALID_TRANSFER_ENCODING)
		fail(f, 411, "transfer-encoding is not supported");
	else if (err == HPE_HEADER_OVERFLOW)
		fail(f, 431, "header section too large");
	else
		fail(f, 400, http_errno_description(err));
}

size_t kd_http_framing_feed(kd_http_framing *f, const char *data, size_t len,
			    kd_http_framing_event *event)
{
	size_t used = 0;
	*event = KD_FRAMING_MORE;
	if (f->phase == KD_FRAMING_COMPLETE) {
		*event = f->status ? KD_FRAMING_ERROR : KD_FRAMING_REQUEST;
		return 0;
	}
	if (len > 0 && f->phase == KD_FRAMING_IDLE && begin(f) < 0)
		goto error;
	while (used < len) {
		size_t chunk = len - used;
		if (f->scan.where != KD_SCAN_DONE)
			chunk = kd_http_scan_feed(&f->scan, f->limits, data + used, chunk);
		/*
		 * The parser sees the bytes before a refused one first, so the
		 * earliest fault in the stream decides the status however the
		 * stream was split.  Zero bytes would mean end of stream to it.
		 */
		if (chunk > 0) {
			size_t parsed = http_parser_execute(&f->parser, &settings,
							    data + used, chunk);
			enum http_errno err = HTTP_PARSER_ERRNO(&f->parser);
			used += parsed;
			if (err == HPE_PAUSED) {
				*event = KD_FRAMING_REQUEST;
				return used;
			}
			if (err != HPE_OK) {
				parser_failed(f, err);
				goto error;
			}
			if (parsed != chunk) {
				fail(f, 400, "malformed request");
				goto error;
			}
		}
		if (f->scan.status) {
			fail(f, f->scan.status, f->scan.message);
			goto error;
		}
	}
	return used;

error:
	kd_http_framing_fail(f, f->status, f->message);
	*event = KD_FRAMING_ERROR;
	return used;
}
