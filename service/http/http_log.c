#include "http/http_log.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/*
 * Routes are the handlers' own constants, but a line that a stray space or
 * quote in one could break would mislead whoever parses the log.
 */
static size_t put_route(char *buf, size_t len, const char *route)
{
	if (is_plain(route))
		return (size_t)snprintf(buf, len, "%s", route);
	size_t n = 0;
	char quoted[160];
	quoted[n++] = '"';
	for (const unsigned char *p = (const unsigned char *)route;
	     *p && n < sizeof(quoted) - 3; p++) {
		if (*p == '"' || *p == '\\')
			quoted[n++] = '\\';
		quoted[n++] = (*p < ' ' || *p == 0x7f) ? '?' : (char)*p;
	}
	quoted[n++] = '"';
	quoted[n] = '\0';
	return (size_t)snprintf(buf, len, "%s", quoted);
}

size_t kd_http_log_format(char *buf, size_t len, const kd_http_log_entry *e)
{
	struct tm tm;
	gmtime_r(&e->time.tv_sec, &tm);
	int head = snprintf(buf, len,
			    "time=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ request_id=%s method=%s route=",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec, e->time.tv_nsec / 1000000L, e->request_id,
			    e->method ? e->method : "-");
	size_t n = head < 0 ? 0 : (size_t)head;
	n += put_route(n < len ? buf + n : NULL, n < len ? len - n : 0,
		       e->route ? e->route : "-");
	int tail = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0,
			    " status=%d ms=%llu.%03llu bytes=%zu\n", e->status,
			    (unsigned long long)(e->elapsed_ns / 1000000),
			    (unsigned long long)(e->elapsed_ns / 1000 % 1000), e->bytes);
	return n + (tail < 0 ? 0 : (size_t)tail);
}

void kd_http_log_write(const kd_http_log_entry *e)
{
	char line[512];
	size_t n = kd_http_log_format(line, sizeof(line), e);
	if (n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	fwrite(line, 1, n, stderr);
}
