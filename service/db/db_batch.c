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

char *kd_db_text_array_2d(char *const *const *rows, int nrows, int ncols)
{
	if (nrows < 1 || ncols < 1)
		return NULL;
	/* Braces and commas: 2 + (nrows - 1) outside, 2 + (ncols - 1) per row. */
	size_t len = 1 + (size_t)nrows + 1 + (size_t)nrows * ((size_t)ncols + 1);
	for (int r = 0; r < nrows; r++)
		for (int c = 0; c < ncols; c++)
			len += rows[r][c] ? quoted_len(rows[r][c]) : 4;
	char *text = malloc(len + 1), *out = text;
	if (text == NULL)
		return NULL;
	*out++ = '{';
	for (int r = 0; r < nrows; r++) {
		if (r > 0)
			*out++ = ',';
		*out++ = '{';
		for (int c = 0; c < ncols; c++) {
			if (c > 0)
				*out++ = ',';
			if (rows[r][c]) {
				out = put_quoted(out, rows[r][c]);
			} else {
				memcpy(out, "NULL", 4);
				out += 4;
			}
		}
		*out++ = '}';
	}
	*out++ = '}';
	*out = '\0';
	return text;
}
