/*
 * The schema migrations compiled into the binary (schema/migrations), in
 * increasing version order; a version number may be skipped (reserved for
 * a migration kept elsewhere).  All strings are static.
 */
#ifndef KD_DB_MIGRATIONS_H
#define KD_DB_MIGRATIONS_H

#include <stddef.h>

/*
 * One step of a migration: SQL run as one simple query, or, when data is
 * not NULL, a COPY ... FROM STDIN statement and the data_len bytes it reads
 * (CSV embedded from schema/data).
 */
typedef struct kd_migration_step {
	const char *sql;
	const char *data;
	size_t data_len;
} kd_migration_step;

typedef struct kd_migration {
	int version;
	const char *name;
	const kd_migration_step *steps;
	int nsteps;
} kd_migration;

extern const kd_migration kd_migrations[];
extern const int kd_migration_count;
/* The version a database must be at for this binary: the last migration's. */
extern const int kd_schema_version;

#endif
