/*
 * CSV output as RFC 4180 spells it: a field is written bare unless it holds
 * a comma, a double quote, a CR or an LF; then it is enclosed in double
 * quotes and each double quote inside is doubled.  Records end in CRLF
 * (KD_CSV_EOL).  Bytes are copied as they are, so UTF-8 stays UTF-8.
 *
 * Every file is meant to be opened in a spreadsheet, which would run a cell
 * starting with =, +, -, @, a tab or a CR as a formula (CSV injection): such
 * a field, unless it is a plain number like -5, is written quoted with a
 * leading apostrophe, which spreadsheets show as text.  The schema's
 * csv_safe() applies the same rule to the operators' export views.
 *
 * Pure functions: the caller writes the result wherever it goes.
 */
#ifndef KD_CSV_H
#define KD_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define KD_CSV_EOL "\r\n"

/* The most bytes kd_csv_field() needs for a field of len bytes, NUL included. */
#define KD_CSV_FIELD_MAX(len) (2 * (len) + 4)

/* True when the len bytes of field must be quoted to read back as one field. */
bool kd_csv_needs_quotes(const char *field, size_t len);

/* True when a spreadsheet would take the len bytes of field for a formula. */
bool kd_csv_is_formula(const char *field, size_t len);

/*
 * Writes the len bytes of field (borrowed; any bytes) into out (borrowed,
 * out_size bytes) as one CSV field, quoted when it must be, and a
 * terminating NUL.  Returns the length of the full field text without the
 * NUL, as snprintf does: when that is out_size or more, out holds nothing
 * usable (only a NUL, if out_size > 0) and the caller retries with a bigger
 * buffer; KD_CSV_FIELD_MAX(len) bytes always suffice.
 */
size_t kd_csv_field(const char *field, size_t len, char *out, size_t out_size);

#endif
