#include "http/http_log.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * The line is written by hand, not by snprintf: the access log is written
 * once per request, and printf's format interpretation was the largest
 * user-space cost of a trivial one.  test_http_log.c checks it byte for byte
 * against the printf formulation it replaced.
 */

/* Longest line written by hand: fixed text and the longest values below. */
#define LINE_MAX_BYTES 512
#define ID_MAX 128
#define METHOD_MAX 32
#define ROUTE_MAX 160

/* A bare logfmt value: no quoting needed. */
static bool is_plain(const char *s)
{
	if (!*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p >= 0x7f)
			return false;
	}
	return true;
}

static char *put(char *out, const char *s, size_t n)
{
	memcpy(out, s, n);
	return out + n;
}

#define PUT_LITERAL(out, s) put((out), (s), sizeof(s) - 1)

/* value in decimal, at least width digits (zero-padded). */
static char *put_uint(char *out, unsigned long long value, int width)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	while (n < width)
		digits[n++] = '0';
	while (n > 0)
		*out++ = digits[--n];
	return out;
}

static char *put_int(char *out, long long value)
{
	if (value < 0) {
		*out++ = '-';
		return put_uint(out, 0ULL - (unsigned long long)value, 1);
	}
	return put_uint(out, (unsigned long long)value, 1);
}

/*
 * Routes are the handlers' own constants, but a line that a stray space or
 * quote in one could break would mislead whoever parses the log: such a
 * route is quoted, its quotes and backslashes escaped and its control
 * characters written as '?', at most 159 bytes in all.
 */
static char *put_route(char *out, const char *route)
{
	if (is_plain(route))
		return put(out, route, strlen(route));
	char *start = out;
	*out++ = '"';
	for (const unsigned char *p = (const unsigned char *)route;
	     *p && (size_t)(out - start) < 160 - 3; p++) {
		if (*p == '"' || *p == '\\')
			*out++ = '\\';
		*out++ = (*p < ' ' || *p == 0x7f) ? '?' : (char)*p;
	}
	*out++ = '"';
	return out;
}

/*
 * "time=YYYY-MM-DDTHH:MM:SS." for one second, kept between calls: requests
 * answered within the same second share it.
 */
typedef struct time_prefix {
	time_t sec;
	bool valid;
	size_t len;
	char text[64];
} time_prefix;

static _Thread_local time_prefix cached_prefix;

static const time_prefix *prefix_for(time_t sec)
{
	time_prefix *p = &cached_prefix;
	if (p->valid && p->sec == sec)
		return p;
	struct tm tm;
	p->sec = sec;
	if (gmtime_r(&sec, &tm) == NULL) {
		p->valid = false;
		return p;
	}
	int n = snprintf(p->text, sizeof(p->text), "time=%04d-%02d-%02dT%02d:%02d:%02d.",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
	p->valid = n > 0 && (size_t)n < sizeof(p->text);
	p->len = p->valid ? (size_t)n : 0;
	return p;
}

/* The printf formulation, for values the fast path does not take. */
static size_t format_slow(char *buf, size_t len, const kd_http_log_entry *e, const char *method,
			  const char *route)
{
	struct tm tm;
	gmtime_r(&e->time.tv_sec, &tm);
	int head = snprintf(buf, len,
			    "time=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ request_id=%s method=%s route=",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec, e->time.tv_nsec / 1000000L, e->request_id, method);
	size_t n = head < 0 ? 0 : (size_t)head;
	char quoted[ROUTE_MAX];
	if (!is_plain(route))
		*put_route(quoted, route) = '\0';
	int rest = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0,
			    "%s status=%d ms=%llu.%03llu bytes=%zu\n",
			    is_plain(route) ? route : quoted, e->status,
			    (unsigned long long)(e->elapsed_ns / 1000000),
			    (unsigned long long)(e->elapsed_ns / 1000 % 1000), e->bytes);
	return n + (rest < 0 ? 0 : (size_t)rest);
}

size_t kd_http_log_format(char *buf, size_t len, const kd_http_log_entry *e)
{
	const char *method = e->method ? e->method : "-";
	const char *route = e->route ? e->route : "-";
	if (strnlen(e->request_id, ID_MAX + 1) > ID_MAX ||
	    strnlen(method, METHOD_MAX + 1) > METHOD_MAX ||
	    strnlen(route, ROUTE_MAX + 1) > ROUTE_MAX || e->time.tv_nsec < 0 ||
	    e->time.tv_nsec >= 1000000000L)
		return format_slow(buf, len, e, method, route);
	const time_prefix *prefix = prefix_for(e->time.tv_sec);
	if (!prefix->valid)
		return format_slow(buf, len, e, method, route);
	char line[LINE_MAX_BYTES];
	char *out = line;
	out = put(out, prefix->text, prefix->len);
	out = put_uint(out, (unsigned long long)(e->time.tv_nsec / 1000000L), 3);
	out = PUT_LITERAL(out, "Z request_id=");
	out = put(out, e->request_id, strlen(e->request_id));
	out = PUT_LITERAL(out, " method=");
	out = put(out, method, strlen(method));
	out = PUT_LITERAL(out, " route=");
	out = put_route(out, route);
	out = PUT_LITERAL(out, " status=");
	out = put_int(out, e->status);
	out = PUT_LITERAL(out, " ms=");
	out = put_uint(out, (unsigned long long)(e->elapsed_ns / 1000000), 1);
	*out++ = '.';
	out = put_uint(out, (unsigned long long)(e->elapsed_ns / 1000 % 1000), 3);
	out = PUT_LITERAL(out, " bytes=");
	out = put_uint(out, (unsigned long long)e->bytes, 1);
	*out++ = '\n';
	size_t n = (size_t)(out - line);
	/* Like snprintf: a NUL-terminated prefix when buf is short. */
	if (len > 0) {
		size_t copy = n < len ? n : len - 1;
		memcpy(buf, line, copy);
		buf[copy] = '\0';
	}
	return n;
}

void kd_http_log_write(const kd_http_log_entry *e)
{
	char line[LINE_MAX_BYTES];
	size_t n = kd_http_log_format(line, sizeof(line), e);
	if (n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	fwrite(line, 1, n, stderr);
}
