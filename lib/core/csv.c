#include "core/csv.h"

#include <string.h>

bool kd_csv_needs_quotes(const char *field, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (field[i] == ',' || field[i] == '"' || field[i] == '\r' || field[i] == '\n')
			return true;
	return false;
}

/* True when the len bytes are a plain decimal number such as -5 or +2.50. */
static bool plain_number(const char *field, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (field[i] == '+' || field[i] == '-'))
		i++;
	for (; i < len && field[i] >= '0' && field[i] <= '9'; i++)
		digits++;
	if (digits > 0 && i < len && field[i] == '.') {
		size_t fraction = 0;
		for (i++; i < len && field[i] >= '0' && field[i] <= '9'; i++)
			fraction++;
		if (fraction == 0)
			return false;
	}
	return digits > 0 && i == len;
}

bool kd_csv_is_formula(const char *field, size_t len)
{
	if (len == 0 || strchr("=+-@\t\r", field[0]) == NULL || field[0] == '\0')
		return false;
	return !plain_number(field, len);
}

/*
 * The length is worked out first so that a field that does not fit leaves
 * no half-written text behind for a careless caller to emit.
 */
size_t kd_csv_field(const char *field, size_t len, char *out, size_t out_size)
{
	bool formula = kd_csv_is_formula(field, len);
	bool quoted = formula || kd_csv_needs_quotes(field, len);
	size_t need = len + formula;
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
	if (formula)
		out[o++] = '\'';
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
