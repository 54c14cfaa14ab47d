#include "api/pgjson.h"

#include <stdio.h>
#include <stdlib.h>

json_t *kd_pgjson_text(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_string(PQgetvalue(res, row, col));
}

json_t *kd_pgjson_integer(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_integer(strtoll(PQgetvalue(res, row, col), NULL, 10));
}

json_t *kd_pgjson_real(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_real(strtod(PQgetvalue(res, row, col), NULL));
}

json_t *kd_pgjson_bool(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	return json_boolean(PQgetvalue(res, row, col)[0] == 't');
}

json_t *kd_pgjson_json(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	json_t *v = json_loads(PQgetvalue(res, row, col), JSON_DECODE_ANY, NULL);
	return v ? v : json_null();
}

json_t *kd_pgjson_id_object(const PGresult *res)
{
	json_t *body = json_object();
	json_object_set_new(body, "id", kd_pgjson_integer(res, 0, 0));
	return body;
}

void kd_pgjson_format_real(double value, char *out, size_t outlen)
{
	snprintf(out, outlen, "%.7f", value);
}

void kd_pgjson_format_int_array(const int *values, size_t n, char *out, size_t outlen)
{
	size_t used = (size_t)snprintf(out, outlen, "{");
	for (size_t i = 0; i < n && used < outlen; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%d", i ? "," : "", values[i]);
	if (used < outlen)
		snprintf(out + used, outlen - used, "}");
}
