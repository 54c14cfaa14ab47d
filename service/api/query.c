#include "api/query.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/respond.h"
#include "core/text.h"
#include "core/text_clean.h"
#include "http/http_server.h"
#include "kd.h"

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

/*
 * Decodes the name raw[0..len) character by character: the first
 * KD_QUERY_NAME_SIZE - 1 bytes' worth of whole characters go into name, and
 * the whole name must be clean UTF-8, however long it is.
 */
static int decode_name(const char *raw, size_t len, char name[KD_QUERY_NAME_SIZE])
{
	char one[4];
	size_t have = 0, need = 0, written = 0;
	bool full = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < len ? hex_value(raw[i + 1]) : -1;
			int lo = i + 2 < len ? hex_value(raw[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return kd_error(EILSEQ);
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (have == 0 && (need = kd_text_char_length(c)) == 0)
			return kd_error(EILSEQ);
		one[have++] = (char)c;
		if (have < need)
			continue;
		if (!kd_text_is_clean(one, need))
			return kd_error(EILSEQ);
		full = full || written + need > KD_QUERY_NAME_SIZE - 1;
		if (!full) {
			memcpy(name + written, one, need);
			written += need;
		}
		have = 0;
	}
	if (have > 0)
		return kd_error(EILSEQ);
	name[written] = '\0';
	return kd_ok();
}

int kd_query_check_names(const char *query, const char *const *allowed,
			 char name[KD_QUERY_NAME_SIZE])
{
	for (const char *p = query; p && *p;) {
		const char *end = strchrnul(p, '&');
		const char *eq = memchr(p, '=', (size_t)(end - p));
		size_t key_len = (size_t)((eq ? eq : end) - p);
		bool known = key_len == 0;
		for (const char *const *a = allowed; *a && !known; a++)
			known = name_is(p, key_len, *a);
		if (!known) {
			int rc = decode_name(p, key_len, name);
			return rc < 0 ? rc : 1;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

bool kd_query_names_allowed(kd_http_request *req, const char *const *allowed)
{
	char name[KD_QUERY_NAME_SIZE];
	int rc = kd_query_check_names(req->query, allowed, name);
	if (rc == 0)
		return true;
	if (rc > 0)
		kd_respond_error(req, 422, "unknown_field", "unknown query parameter", name);
	else
		kd_respond_error(req, 400, "bad_request",
				 "query parameter names must be utf-8 text", NULL);
	return false;
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

bool kd_query_cursor(kd_http_request *req, const char *name, long long *after)
{
	char text[KD_QUERY_CURSOR_MAX_DIGITS + 1];
	int found = kd_query_get(req->query, name, text, sizeof(text));
	*after = 0;
	if (found == 0)
		return true;
	size_t digits = found > 0 ? strspn(text, "0123456789") : 0;
	if (digits == 0 || text[digits] != '\0') {
		char message[48];
		snprintf(message, sizeof(message), "must be 1 to %d digits",
			 KD_QUERY_CURSOR_MAX_DIGITS);
		kd_respond_error(req, 422, "validation_failed", message, name);
		return false;
	}
	*after = strtoll(text, NULL, 10);
	return true;
}
