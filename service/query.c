#include "query.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_server.h"
#include "kd.h"
#include "respond.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int decode(const char *in, size_t len, char *out, size_t outlen)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= len)
				return kd_error(EINVAL);
			int hi = hex_value(in[i + 1]);
			int lo = hex_value(in[i + 2]);
			if (hi < 0 || lo < 0)
				return kd_error(EINVAL);
			c = (char)(hi * 16 + lo);
			if (c == '\0')
				return kd_error(EINVAL);
			i += 2;
		}
		if (n + 1 >= outlen)
			return kd_error(ENOSPC);
		out[n++] = c;
	}
	if (outlen == 0)
		return kd_error(ENOSPC);
	out[n] = '\0';
	return kd_ok();
}

/* Names are compared decoded, so "access%5Ftoken" is "access_token". */
static bool name_is(const char *raw, size_t len, const char *name)
{
	char decoded[64];
	return decode(raw, len, decoded, sizeof(decoded)) == 0 && strcmp(decoded, name) == 0;
}

int kd_query_get(const char *query, const char *name, char *out, size_t outlen)
{
	for (const char *p = query; p && *p;) {
		const char *end = strchrnul(p, '&');
		const char *eq = memchr(p, '=', (size_t)(end - p));
		const char *key_end = eq ? eq : end;
		if (name_is(p, (size_t)(key_end - p), name)) {
			const char *value = eq ? eq + 1 : end;
			int rc = decode(value, (size_t)(end - value), out, outlen);
			return rc < 0 ? rc : 1;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

const char *kd_query_unknown(const char *query, const char *const *allowed)
{
	static _Thread_local char unknown[64];
	for (const char *p = query; p && *p;) {
		const char *end = strchrnul(p, '&');
		const char *eq = memchr(p, '=', (size_t)(end - p));
		size_t key_len = (size_t)((eq ? eq : end) - p);
		bool known = key_len == 0;
		for (const char *const *a = allowed; *a && !known; a++)
			known = name_is(p, key_len, *a);
		if (!known) {
			snprintf(unknown, sizeof(unknown), "%.*s", (int)key_len, p);
			return unknown;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

bool kd_query_limit(kd_http_request *req, int fallback, int max, int *limit)
{
	char text[16];
	int found = kd_query_get(req->query, "limit", text, sizeof(text));
	*limit = fallback;
	if (found == 0)
		return true;
	char *end = NULL;
	long v = found > 0 ? strtol(text, &end, 10) : 0;
	if (found < 0 || end == text || *end != '\0' || v < 1 || v > max) {
		char message[64];
		snprintf(message, sizeof(message), "limit must be an integer from 1 to %d", max);
		kd_respond_error(req, 422, "validation_failed", message, "limit");
		return false;
	}
	*limit = (int)v;
	return true;
}

