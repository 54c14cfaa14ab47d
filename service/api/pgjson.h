/*
 * Between PostgreSQL's text format and C/jansson values: result fields to
 * JSON (each a new reference; SQL NULL becomes JSON null) and parameters
 * formatted as text.
 */
#ifndef KD_PGJSON_H
#define KD_PGJSON_H

#include <jansson.h>
#include <libpq-fe.h>

json_t *kd_pgjson_text(const PGresult *res, int row, int col);
json_t *kd_pgjson_integer(const PGresult *res, int row, int col);
json_t *kd_pgjson_real(const PGresult *res, int row, int col);
json_t *kd_pgjson_bool(const PGresult *res, int row, int col);
/* A field that already holds JSON text (array_to_json and the like). */
json_t *kd_pgjson_json(const PGresult *res, int row, int col);

/* {"id": N} from the first column of the first row (a RETURNING id). */
json_t *kd_pgjson_id_object(const PGresult *res);

/* Formats a real parameter with enough digits for coordinates. */
void kd_pgjson_format_real(double value, char *out, size_t outlen);

/* Formats an integer[] parameter ("{1,2,3}"); truncates only if out is too small. */
void kd_pgjson_format_int_array(const int *values, size_t n, char *out, size_t outlen);

#endif
