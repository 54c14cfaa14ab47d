#include "http/http_response.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text_clean.h"
#include "http/http_scan.h"
#include "kd.h"

static const char *const reserved[] = {
	"content-length", "content-type", "date", "x-request-id", "connection",
	"transfer-encoding",
};

static bool is_field_char(unsigned char c)
{
	return (c >= 0x20 && c != 0x7f) || c == '\t';
}

static bool reserved_name(const char *name, size_t len)
{
	for (size_t i = 0; i < KD_ARRAY_LEN(reserved); i++) {
		if (strlen(reserved[i]) == len && strncasecmp(name, reserved[i], len) == 0)
			return true;
	}
	return false;
}

/* Checks "Name: value\r\n" lines; the handler's text goes out verbatim. */
static bool valid_header_lines(const char *p)
{
	while (*p) {
		const char *name = p;
		while (kd_http_is_tchar((unsigned char)*p))
			p++;
		if (p == name || *p != ':' || reserved_name(name, (size_t)(p - name)))
			return false;
		for (p++; is_field_char((unsigned char)*p); p++)
			;
		if (p[0] != '\r' || p[1] != '\n')
			return false;
		p += 2;
	}
	return true;
}

static bool valid_value(const char *value)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (!is_field_char(*p))
			return false;
	}
	return true;
}

/* Same rule for the content type, which the server writes on the handler's behalf. */
static bool valid_content_type(const char *type)
{
	return *type && valid_value(type);
}

/* Sized in advance by kd_http_response_format(), so puts never overflow. */
typedef struct out_buf {
	char *data;
	size_t len;
} out_buf;

static void put(out_buf *b, const char *s, size_t n)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void put_str(out_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_header(out_buf *b, const char *name, const char *value)
{
	put_str(b, name);
	put(b, ": ", 2);
	put_str(b, value);
	put(b, "\r\n", 2);
}

int kd_http_response_format(const kd_http_response *r, char **out, size_t *outlen)
{
	const char *type = r->content_type ? r->content_type : "application/json";
	/* A 304's Content-Length would have to be the 200's: none is simpler. */
	bool no_content = r->status == 204 || r->status == 304;
	if (r->status < 200 || r->status > 599 || !valid_content_type(type) ||
	    (no_content && r->len > 0))
		return kd_error(EINVAL);

	/* Fixed text: status line, header names, separators and numbers. */
	size_t cap = 256 + strlen(type) + strlen(r->request_id) + strlen(r->date);
	if (r->headers) {
		if (!valid_header_lines(r->headers))
			return kd_error(EINVAL);
		cap += strlen(r->headers);
	}
	bool with_body = !r->head && !no_content;
	if (with_body)
		cap += r->len;

	out_buf b = {malloc(cap), 0};
	if (!b.data)
		return kd_error(ENOMEM);
	char line[64];
	const char *reason = http_status_str((enum http_status)r->status);
	put(&b, line, (size_t)snprintf(line, sizeof(line), "HTTP/1.1 %d ", r->status));
	put_str(&b, reason);
	put(&b, "\r\n", 2);
	put_header(&b, "Date", r->date);
	put_header(&b, "Content-Type", type);
	if (!no_content) {
		snprintf(line, sizeof(line), "%zu", r->len);
		put_header(&b, "Content-Length", line);
	}
	put_header(&b, "X-Request-Id", r->request_id);
	if (r->close)
		put_header(&b, "Connection", "close");
	else if (r->keep_alive_header)
		put_header(&b, "Connection", "keep-alive");
	if (r->headers)
		put_str(&b, r->headers);
	put(&b, "\r\n", 2);
	if (with_body && r->len > 0)
		put(&b, r->body, r->len);
	*out = b.data;
	*outlen = b.len;
	return kd_ok();
}

/*
 * text as a JSON string; when it is not valid UTF-8 (jansson refuses it), a
 * clean copy instead, so that no client's bytes can keep an error from
 * being answered.  NULL only when memory runs out.
 */
static json_t *json_client_text(const char *text)
{
	json_t *string = json_string(text);
	if (string)
		return string;
	size_t len = strlen(text);
	char *clean = malloc(len + 1);
	if (!clean)
		return NULL;
	kd_text_clean_copy(text, len, clean, len + 1);
	string = json_string(clean);
	free(clean);
	return string;
}

char *kd_http_error_body(const char *code, const char *message, const char *field,
			 size_t *len)
{
	json_t *error = json_pack("{s:s, s:o}", "code", code, "message",
				  json_client_text(message));
	if (!error)
		return NULL;
	if (field && json_object_set_new(error, "field", json_client_text(field)) < 0) {
		json_decref(error);
		return NULL;
	}
	json_t *root = json_pack("{s:o}", "error", error);
	if (!root)
		return NULL;
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (text)
		*len = strlen(text);
	return text;
}

const char *kd_http_status_code(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 408: return "request_timeout";
	case 411: return "length_required";
	case 413: return "payload_too_large";
	case 414: return "uri_too_long";
	case 417: return "expectation_failed";
	case 431: return "header_fields_too_large";
	case 500: return "internal";
	case 503: return "unavailable";
	case 505: return "http_version_not_supported";
	}
	return status < 500 ? "bad_request" : "internal";
}

void kd_http_date(time_t t, char out[KD_HTTP_DATE_LEN + 1])
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	char text[64];
	gmtime_r(&t, &tm);
	/* Spelled out because strftime's names follow the locale. */
	snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT",
		 days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	memcpy(out, text, KD_HTTP_DATE_LEN);
	out[KD_HTTP_DATE_LEN] = '\0';
}
