/*
 * Rows for COPY ... FROM STDIN in PostgreSQL's text format, sent over a
 * blocking connection in large chunks.  Fields are added one by one; text
 * fields are escaped as the format requires.  After the first failure every
 * call does nothing and kd_copy_end() reports it.
 */
#ifndef KD_PG_COPY_H
#define KD_PG_COPY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct kd_copy {
	PGconn *pg;			/* borrowed */
	char *buf;			/* owned */
	size_t len, cap;
	bool row_started;
	bool failed;
	char error[256];
} kd_copy;

/*
 * Starts `sql` (a COPY ... FROM STDIN statement) on pg, which must be idle.
 * Returns kd_ok(), or kd_error() with the reason in copy->error; either way
 * end the copy with kd_copy_end().
 */
int kd_copy_begin(kd_copy *copy, PGconn *pg, const char *sql);

/* A text field, escaped; NULL stands for SQL NULL. */
void kd_copy_text(kd_copy *copy, const char *text);
/* A field printed by format, which must produce nothing that needs escaping (numbers). */
void kd_copy_format(kd_copy *copy, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
/* Ends the current row. */
void kd_copy_row_end(kd_copy *copy);

/*
 * Sends what is left, finishes the COPY and frees the buffer.  Returns the
 * number of rows the server took, or kd_error() with the reason in
 * copy->error.
 */
long kd_copy_end(kd_copy *copy);

#endif
