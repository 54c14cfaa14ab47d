/*
 * Parameters of several executions of one statement, as the parameters of
 * its batch form (statements.h, kd_stmt_batch_of()).  Pure, no database.
 */
#ifndef KD_DB_BATCH_H
#define KD_DB_BATCH_H

/*
 * The PostgreSQL literal of the one-dimensional text array of column col of
 * nrows rows, rows[r][col] being NULL for SQL NULL: every other value
 * double-quoted with its quotes and backslashes escaped, e.g.
 * {"1","a \"b\"",NULL,"c\\d"}.  A new NUL-terminated string (free()), or
 * NULL when memory runs out or nrows is below 1.
 */
char *kd_db_text_array_column(char *const *const *rows, int nrows, int col);

#endif
