#include "db/db_batch.h"

#include <stdlib.h>
#include <string.h>

static size_t quoted_len(const char *s)
{
	size_t n = 2;
	for (; *s; s++)
		n += (*s == '"' || *s == '\\') ? 2 : 1;
	return n;
}

static char *put_quoted(char *out, const char *s)
{
	*out++ = '"';
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			*out++ = '\\';
		*out++ = *s;
	}
	*out++ = '"';
	return out;
}

char *kd_db_text_array_column(char *const *const *rows, int nrows, int col)
{
	if (nrows < 1 || col < 0)
		return NULL;
	/* Braces and the commas between values. */
	size_t len = 2 + (size_t)nrows - 1;
	for (int r = 0; r < nrows; r++)
		len += rows[r][col] ? quoted_len(rows[r][col]) : 4;
	char *text = malloc(len + 1), *out = text;
	if (text == NULL)
		return NULL;
	*out++ = '{';
	for (int r = 0; r < nrows; r++) {
		if (r > 0)
			*out++ = ',';
		if (rows[r][col]) {
			out = put_quoted(out, rows[r][col]);
		} else {
			memcpy(out, "NULL", 4);
			out += 4;
		}
	}
	*out++ = '}';
	*out = '\0';
	return text;
}
