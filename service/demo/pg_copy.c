#include "demo/pg_copy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kd.h"

/* Big enough that a million rows take a few hundred round trips, not more. */
#define FLUSH_AT (256 * 1024)

static void fail(kd_copy *copy, const char *what, const char *detail)
{
	if (copy->failed)
		return;
	copy->failed = true;
	snprintf(copy->error, sizeof(copy->error), "%s: %s", what, detail);
	/* libpq's messages end in a newline; the caller adds its own. */
	size_t n = strlen(copy->error);
	if (n > 0 && copy->error[n - 1] == '\n')
		copy->error[n - 1] = '\0';
}

static bool reserve(kd_copy *copy, size_t more)
{
	if (copy->failed)
		return false;
	if (copy->len + more <= copy->cap)
		return true;
	size_t cap = copy->cap ? copy->cap : FLUSH_AT + 4096;
	while (cap < copy->len + more)
		cap *= 2;
	char *grown = realloc(copy->buf, cap);
	if (!grown) {
		fail(copy, "copy", "out of memory");
		return false;
	}
	copy->buf = grown;
	copy->cap = cap;
	return true;
}

static void flush(kd_copy *copy)
{
	if (copy->failed || copy->len == 0)
		return;
	if (PQputCopyData(copy->pg, copy->buf, (int)copy->len) != 1)
		fail(copy, "copy", PQerrorMessage(copy->pg));
	copy->len = 0;
}

int kd_copy_begin(kd_copy *copy, PGconn *pg, const char *sql)
{
	*copy = (kd_copy){ .pg = pg };
	PGresult *res = PQexec(pg, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		fail(copy, "copy", PQresultErrorMessage(res));
	PQclear(res);
	return copy->failed ? kd_error(EIO) : kd_ok();
}

static void separate(kd_copy *copy)
{
	if (copy->row_started && reserve(copy, 1))
		copy->buf[copy->len++] = '\t';
	copy->row_started = true;
}

void kd_copy_text(kd_copy *copy, const char *text)
{
	separate(copy);
	if (text == NULL) {
		if (reserve(copy, 2)) {
			memcpy(copy->buf + copy->len, "\\N", 2);
			copy->len += 2;
		}
		return;
	}
	/* At worst every byte becomes a two-byte escape. */
	size_t n = strlen(text);
	if (!reserve(copy, 2 * n))
		return;
	for (const char *p = text; *p; p++) {
		char escaped = *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' :
			       *p == '\r' ? 'r' : 0;
		if (escaped) {
			copy->buf[copy->len++] = '\\';
			copy->buf[copy->len++] = escaped;
		} else {
			copy->buf[copy->len++] = *p;
		}
	}
}

void kd_copy_format(kd_copy *copy, const char *format, ...)
{
	separate(copy);
	if (!reserve(copy, 64))
		return;
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(copy->buf + copy->len, copy->cap - copy->len, format, ap);
	va_end(ap);
	if (n < 0) {
		fail(copy, "copy", "cannot format a field");
		return;
	}
	if ((size_t)n >= copy->cap - copy->len) {
		if (!reserve(copy, (size_t)n + 1))
			return;
		va_start(ap, format);
		vsnprintf(copy->buf + copy->len, copy->cap - copy->len, format, ap);
		va_end(ap);
	}
	copy->len += (size_t)n;
}

void kd_copy_row_end(kd_copy *copy)
{
	if (reserve(copy, 1))
		copy->buf[copy->len++] = '\n';
	copy->row_started = false;
	if (copy->len >= FLUSH_AT)
		flush(copy);
}

long kd_copy_end(kd_copy *copy)
{
	flush(copy);
	free(copy->buf);
	copy->buf = NULL;
	copy->cap = 0;
	if (PQputCopyEnd(copy->pg, copy->failed ? "client failed" : NULL) != 1)
		fail(copy, "copy", PQerrorMessage(copy->pg));
	long rows = -1;
	PGresult *res;
	while ((res = PQgetResult(copy->pg)) != NULL) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			rows = atol(PQcmdTuples(res));
		else
			fail(copy, "copy", PQresultErrorMessage(res));
		PQclear(res);
	}
	return copy->failed ? kd_error(EIO) : rows;
}
