/*
 * A CSV file read whole into records, each with the line it starts on, by
 * libcsv (RFC 4180: quoted fields may hold commas, quotes and line breaks).
 * A leading UTF-8 byte order mark is skipped; CRLF and LF both end a
 * record; blank lines hold no record.
 */
#ifndef KD_IMPORT_CSV_H
#define KD_IMPORT_CSV_H

#include <stddef.h>

typedef struct kd_csv_record {
	char **fields;		/* owned, each NUL-terminated and owned */
	size_t count;
	unsigned line;		/* 1-based line of the file the record starts on */
} kd_csv_record;

typedef struct kd_csv_table {
	kd_csv_record *records;	/* owned; records[0] is the header when count > 0 */
	size_t count;
} kd_csv_table;

/*
 * Parses data[0..len) into *out.  Returns kd_ok(); kd_error(EINVAL) for a
 * malformed file (a stray or unterminated quote) with *bad_line set to the
 * line where the broken record starts; or kd_error(ENOMEM).  *out owns
 * whatever it holds either way: free it with kd_csv_table_free().
 */
int kd_csv_read(const char *data, size_t len, kd_csv_table *out, unsigned *bad_line);

void kd_csv_table_free(kd_csv_table *table);

#endif
