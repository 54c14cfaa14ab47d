#include "core/csv.h"

#include <string.h>

bool kd_csv_needs_quotes(const char *field, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (field[i] == ',' || field[i] == '"' || field[i] == '\r' || field[i] == '\n')
			return true;
	return false;
}

/*
 * The length is worked out first so that a field that does not fit leaves
 * no half-written text behind for a careless caller to emit.
 */
size_t kd_csv_field(const char *field, size_t len, char *out, size_t out_size)
{
	bool quoted = kd_csv_needs_quotes(field, len);
	size_t need = len;
	if (quoted) {
		need += 2;
		for (size_t i = 0; i < len; i++)
			need += field[i] == '"';
	}
	if (need >= out_size) {
		if (out_size > 0)
			out[0] = '\0';
		return need;
	}
	size_t o = 0;
	if (quoted)
		out[o++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (field[i] == '"')
			out[o++] = '"';
		out[o++] = field[i];
	}
	if (quoted)
		out[o++] = '"';
	out[o] = '\0';
	return need;
}
