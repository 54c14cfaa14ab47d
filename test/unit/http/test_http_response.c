#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http/http_log.h"
#include "http/http_response.h"
#include "kd.h"

#define DATE "Sun, 06 Nov 1994 08:49:37 GMT"

static kd_http_response base(void)
{
	return (kd_http_response){
		.status = 201,
		.body = "{\"id\":1}",
		.len = 8,
		.request_id = "req-1",
		.date = DATE,
	};
}

/* Formats r; the result is a NUL-terminated copy for string checks. */
static char *format(const kd_http_response *r, int *rc)
{
	char *out = NULL;
	size_t len = 0;
	*rc = kd_http_response_format(r, &out, &len);
	if (*rc < 0)
		return NULL;
	char *text = malloc(len + 1);
	memcpy(text, out, len);
	text[len] = '\0';
	free(out);
	return text;
}

static void test_keep_alive_response(void **state)
{
	(void)state;
	kd_http_response r = base();
	int rc;
	char *text = format(&r, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text, "HTTP/1.1 201 Created\r\n"
				  "Date: " DATE "\r\n"
				  "Content-Type: application/json\r\n"
				  "Content-Length: 8\r\n"
				  "X-Request-Id: req-1\r\n"
				  "\r\n"
				  "{\"id\":1}");
	free(text);
}

static void test_close_and_extra_headers(void **state)
{
	(void)state;
	kd_http_response r = base();
	r.status = 503;
	r.close = true;
	r.content_type = "text/plain; charset=utf-8";
	r.headers = "Retry-After: 1\r\nCache-Control: no-store\r\n";
	int rc;
	char *text = format(&r, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text, "HTTP/1.1 503 Service Unavailable\r\n"
				  "Date: " DATE "\r\n"
				  "Content-Type: text/plain; charset=utf-8\r\n"
				  "Content-Length: 8\r\n"
				  "X-Request-Id: req-1\r\n"
				  "Connection: close\r\n"
				  "Retry-After: 1\r\n"
				  "Cache-Control: no-store\r\n"
				  "\r\n"
				  "{\"id\":1}");
	free(text);
}

static void test_http10_keep_alive_and_head(void **state)
{
	(void)state;
	kd_http_response r = base();
	r.keep_alive_header = true;
	r.head = true;
	int rc;
	char *text = format(&r, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(text, "\r\nConnection: keep-alive\r\n"));
	/* HEAD: the body's length, but no body. */
	assert_non_null(strstr(text, "\r\nContent-Length: 8\r\n"));
	size_t len = strlen(text);
	assert_true(len > 4);
	assert_string_equal(text + len - 4, "\r\n\r\n");
	free(text);
}

static void test_no_content(void **state)
{
	(void)state;
	static const int statuses[] = { 204, 304 };
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		kd_http_response r = base();
		r.status = statuses[i];
		r.body = NULL;
		r.len = 0;
		int rc;
		char *text = format(&r, &rc);
		assert_int_equal(rc, 0);
		assert_null(strstr(text, "Content-Length"));
		size_t len = strlen(text);
		assert_string_equal(text + len - 4, "\r\n\r\n");
		free(text);
		r.body = "x";
		r.len = 1;
		assert_null(format(&r, &rc));
		assert_int_equal(rc, kd_error(EINVAL));
	}
}

static void test_invalid_responses(void **state)
{
	(void)state;
	static const char *bad_headers[] = {
		"Retry-After: 1",              /* no CRLF */
		"Retry-After: 1\n",            /* bare LF */
		"Retry-After: 1\r\nX",         /* unterminated second line */
		"X-A: a\rb\r\n",               /* CR inside the value */
		"X-A: \x01\r\n",               /* control character */
		"X A: b\r\n",                  /* space in the name */
		": b\r\n",                     /* empty name */
		"Content-Length: 0\r\n",       /* the server writes these */
		"connection: keep-alive\r\n",
		"X-Request-Id: other\r\n",
		"Transfer-Encoding: chunked\r\n",
	};
	for (size_t i = 0; i < KD_ARRAY_LEN(bad_headers); i++) {
		kd_http_response r = base();
		r.headers = bad_headers[i];
		int rc;
		assert_null(format(&r, &rc));
		assert_int_equal(rc, kd_error(EINVAL));
	}
	kd_http_response r = base();
	int rc;
	r.status = 100;
	assert_null(format(&r, &rc));
	r.status = 600;
	assert_null(format(&r, &rc));
	r = base();
	r.content_type = "text/plain\r\nX-Evil: 1";
	assert_null(format(&r, &rc));
	assert_int_equal(rc, kd_error(EINVAL));
	r.content_type = "";
	assert_null(format(&r, &rc));
}

static void test_error_body(void **state)
{
	(void)state;
	size_t len;
	char *body = kd_http_error_body("validation", "birth date does not match", "nik", &len);
	assert_string_equal(body, "{\"error\":{\"code\":\"validation\","
				  "\"message\":\"birth date does not match\",\"field\":\"nik\"}}");
	assert_int_equal(len, strlen(body));
	free(body);
	body = kd_http_error_body("bad_request", "say \"why\"", NULL, &len);
	assert_string_equal(body,
			    "{\"error\":{\"code\":\"bad_request\",\"message\":\"say \\\"why\\\"\"}}");
	free(body);
	/* What a client sent can never keep an error from being answered. */
	body = kd_http_error_body("unknown_field", "unknown query parameter", "a\xff\xc3",
				  &len);
	assert_string_equal(body, "{\"error\":{\"code\":\"unknown_field\","
				  "\"message\":\"unknown query parameter\",\"field\":\"a??\"}}");
	free(body);
	body = kd_http_error_body("validation_failed", "\xe2\x82: unknown key", "caf\xc3\xa9",
				  &len);
	assert_string_equal(body, "{\"error\":{\"code\":\"validation_failed\","
				  "\"message\":\"??: unknown key\",\"field\":\"caf\xc3\xa9\"}}");
	free(body);
	assert_string_equal(kd_http_status_code(431), "header_fields_too_large");
	assert_string_equal(kd_http_status_code(413), "payload_too_large");
}

static void test_date(void **state)
{
	(void)state;
	char date[KD_HTTP_DATE_LEN + 1];
	kd_http_date(784111777, date);
	assert_string_equal(date, DATE);
	kd_http_date(951782400, date); /* a leap day */
	assert_string_equal(date, "Tue, 29 Feb 2000 00:00:00 GMT");
}

static void test_log_line(void **state)
{
	(void)state;
	kd_http_log_entry e = {
		.time = {.tv_sec = 1714532645, .tv_nsec = 678900000},
		.request_id = "4f0c9a1b2c3d4e5f",
		.method = "POST",
		.route = "/v1/seekers/{id}",
		.status = 201,
		.elapsed_ns = 3141593,
		.bytes = 312,
	};
	char line[256];
	size_t n = kd_http_log_format(line, sizeof(line), &e);
	assert_string_equal(line, "time=2024-05-01T03:04:05.678Z request_id=4f0c9a1b2c3d4e5f "
				  "method=POST route=/v1/seekers/{id} status=201 ms=3.141 bytes=312\n");
	assert_int_equal(n, strlen(line));

	e.method = NULL;
	e.route = NULL;
	e.elapsed_ns = 12000000000ull;
	kd_http_log_format(line, sizeof(line), &e);
	assert_non_null(strstr(line, " method=- route=- status=201 ms=12000.000 "));

	e.route = "/v1/a b\"c";
	kd_http_log_format(line, sizeof(line), &e);
	assert_non_null(strstr(line, " route=\"/v1/a b\\\"c\" status="));

	/* Short buffers behave like snprintf. */
	char tiny[16];
	assert_int_equal(kd_http_log_format(tiny, sizeof(tiny), &e), strlen(line));
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_alive_response),
		cmocka_unit_test(test_close_and_extra_headers),
		cmocka_unit_test(test_http10_keep_alive_and_head),
		cmocka_unit_test(test_no_content),
		cmocka_unit_test(test_invalid_responses),
		cmocka_unit_test(test_error_body),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_log_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
