/*
 * The access log line: kd_http_log_format() must write byte for byte what
 * its printf formulation wrote (kept below as the reference), for every
 * value, escaping and short buffer alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http/http_log.h"

/* ---- the reference: the formatter as it was, with snprintf ---- */

static bool ref_is_plain(const char *s)
{
	if (!*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p >= 0x7f)
			return false;
	}
	return true;
}

static size_t ref_put_route(char *buf, size_t len, const char *route)
{
	if (ref_is_plain(route))
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

static size_t ref_format(char *buf, size_t len, const kd_http_log_entry *e)
{
	struct tm tm;
	gmtime_r(&e->time.tv_sec, &tm);
	int head = snprintf(buf, len,
			    "time=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ request_id=%s method=%s route=",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec, e->time.tv_nsec / 1000000L, e->request_id,
			    e->method ? e->method : "-");
	size_t n = head < 0 ? 0 : (size_t)head;
	n += ref_put_route(n < len ? buf + n : NULL, n < len ? len - n : 0,
			   e->route ? e->route : "-");
	int tail = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0,
			    " status=%d ms=%llu.%03llu bytes=%zu\n", e->status,
			    (unsigned long long)(e->elapsed_ns / 1000000),
			    (unsigned long long)(e->elapsed_ns / 1000 % 1000), e->bytes);
	return n + (tail < 0 ? 0 : (size_t)tail);
}

/* ---- comparison ---- */

#define BIG 2048

/* Formats e both ways into buffers of len bytes and compares everything. */
static void same(const kd_http_log_entry *e, size_t len)
{
	char want[BIG], got[BIG];
	memset(want, 'X', sizeof(want));
	memset(got, 'X', sizeof(got));
	size_t want_n = ref_format(len ? want : NULL, len, e);
	size_t got_n = kd_http_log_format(len ? got : NULL, len, e);
	assert_int_equal(got_n, want_n);
	/* Every byte, the untouched rest of the buffer included. */
	assert_memory_equal(got, want, sizeof(want));
}

static void same_all_lengths(const kd_http_log_entry *e)
{
	char line[BIG];
	size_t n = ref_format(line, sizeof(line), e);
	assert_true(n < sizeof(line));
	size_t lens[] = { 0, 1, 2, 16, 40, n / 2, n - 1, n, n + 1, BIG };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		same(e, lens[i]);
}

/* The time prefix is kept per second: a line of another second must not reuse it. */
static void test_seconds_change(void **state)
{
	(void)state;
	kd_http_log_entry e = {
		.time = {.tv_sec = 1733356800, .tv_nsec = 999999999},
		.request_id = "aaaabbbbccccdddd",
		.method = "GET",
		.route = "/v1/health",
		.status = 200,
		.elapsed_ns = 41000,
		.bytes = 47,
	};
	same_all_lengths(&e);
	e.time.tv_sec += 1;
	e.time.tv_nsec = 0;
	same_all_lengths(&e);
	e.time.tv_sec -= 86400 * 400;
	same_all_lengths(&e);
}

static void test_escaping(void **state)
{
	(void)state;
	static const char *const routes[] = {
		NULL, "", "-", "/v1/health", "/v1/a b\"c", "back\\slash", "eq=ual", "tab\there",
		"nl\nhere", "del\x7f", "utf8 \xc3\xa9", "\xc3\xa9", "\"", "\\", "=", " ",
		"\x01\x02\x03", "/v1/kecamatan/{code}/desa",
	};
	kd_http_log_entry e = {
		.time = {.tv_sec = 951782400, .tv_nsec = 999999999}, /* a leap day */
		.request_id = "abc",
		.method = "GET",
		.status = 200,
		.elapsed_ns = 0,
		.bytes = 0,
	};
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		e.route = routes[i];
		same_all_lengths(&e);
	}
}

/* Long routes, plain or quoted, around the 160-byte quoting limit. */
static void test_long_values(void **state)
{
	(void)state;
	char route[600], id[300], method[80];
	kd_http_log_entry e = {
		.time = {.tv_sec = 0, .tv_nsec = 0},
		.request_id = id,
		.method = method,
		.route = route,
		.status = -1,
		.elapsed_ns = UINT64_MAX,
		.bytes = SIZE_MAX,
	};
	strcpy(id, "id");
	strcpy(method, "M-SEARCH");
	for (size_t len = 150; len < sizeof(route); len += (len < 170 ? 1 : 97)) {
		for (int quoted = 0; quoted < 3; quoted++) {
			for (size_t i = 0; i < len; i++)
				route[i] = (char)('a' + i % 26);
			if (quoted == 1)
				route[len / 2] = ' ';
			if (quoted == 2)
				for (size_t i = 0; i < len; i += 3)
					route[i] = '"';
			route[len] = '\0';
			same_all_lengths(&e);
		}
	}
	strcpy(route, "/r");
	for (size_t len = 60; len < sizeof(id); len += 17) {
		memset(id, 'k', len);
		id[len] = '\0';
		same_all_lengths(&e);
	}
	memset(method, 'M', sizeof(method) - 1);
	method[sizeof(method) - 1] = '\0';
	same_all_lengths(&e);
}

/* A fixed pseudo-random walk over every field. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_random_entries(void **state)
{
	(void)state;
	static const char *const methods[] = { NULL, "GET", "POST", "HEAD", "DELETE", "PATCH" };
	static const char alphabet[] = "abcXYZ019._:-/{} \"\\=\t\x7f\xc3\xa9";
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char id[70], route[200];
	for (int round = 0; round < 20000; round++) {
		size_t id_len = 1 + next_random(&seed) % 64;
		for (size_t i = 0; i < id_len; i++)
			id[i] = "abcdefghijklmnopqrstuvwxyz0123456789._:-"[next_random(&seed) % 40];
		id[id_len] = '\0';
		size_t route_len = next_random(&seed) % 190;
		for (size_t i = 0; i < route_len; i++)
			route[i] = alphabet[next_random(&seed) % (sizeof(alphabet) - 1)];
		route[route_len] = '\0';
		uint64_t r = next_random(&seed);
		kd_http_log_entry e = {
			/* 1970 to 2100, in steps that land in every month and second */
			.time = {.tv_sec = (time_t)(next_random(&seed) % 4102444800ULL),
				 .tv_nsec = (long)(next_random(&seed) % 1000000000ULL)},
			.request_id = id,
			.method = methods[r % 6],
			.route = (r >> 8) % 7 == 0 ? NULL : route,
			.status = (int)((r >> 16) % 1000) - ((r >> 26) % 50 == 0 ? 1000 : 0),
			.elapsed_ns = (r >> 32) % 3 == 0 ? next_random(&seed)
							 : next_random(&seed) % 100000000000ULL,
			.bytes = (size_t)(next_random(&seed) >> ((r >> 40) % 64)),
		};
		same(&e, BIG);
		same(&e, next_random(&seed) % 300);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seconds_change),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_random_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
