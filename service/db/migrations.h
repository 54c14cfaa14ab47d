/*
 * The schema migrations compiled into the binary (schema/migrations), in
 * version order 1..kd_migration_count.  All strings are static.
 */
#ifndef KD_DB_MIGRATIONS_H
#define KD_DB_MIGRATIONS_H

typedef struct kd_migration {
	int version;
	const char *name;
	const char *sql;
} kd_migration;

extern const kd_migration kd_migrations[];
extern const int kd_migration_count;

#endif
