/*
 * Parameters of several executions of one statement, as the single
 * parameter of its batch form (statements.h, kd_stmt_batch_of()).  Pure, no
 * database.
 */
#ifndef KD_DB_BATCH_H
#define KD_DB_BATCH_H

/*
 * The PostgreSQL literal of a two-dimensional text array with nrows rows of
 * ncols values each, rows[r][c] being NULL for SQL NULL: every other value
 * double-quoted with its quotes and backslashes escaped, e.g.
 * {{"1","a \"b\"",NULL},{"2","c\\d",NULL}}.  A new NUL-terminated string
 * (free()), or NULL when memory runs out or nrows or ncols is below 1.
 */
char *kd_db_text_array_2d(char *const *const *rows, int nrows, int ncols);

#endif
