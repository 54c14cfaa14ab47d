/*
 * kerjadekat migrate: applies the compiled-in migrations in order, each in
 * its own transaction, recording each in schema_migrations.  An advisory
 * lock keeps two concurrent runs from applying the same migration.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands/cli.h"
#include "commands/commands.h"
#include "db/migrations.h"

static const char usage_text[] =
	"usage: kerjadekat migrate [--db CONNINFO]\n"
	"\n"
	"Applies every schema migration the database does not have yet, each in\n"
	"its own transaction, and records it in the schema_migrations table.\n"
	"\n"
	"  --db CONNINFO   libpq connection string; without it libpq's defaults\n"
	"                  apply (PGHOST, PGPORT, PGDATABASE, PGUSER, ...)\n"
	"  --help          show this help\n";

static bool exec_ok(PGconn *pg, const char *sql)
{
	PGresult *res = kd_cli_exec("migrate", pg, sql, 0, NULL);
	PQclear(res);
	return res != NULL;
}

/* Returns 1 when applied, 0 when already present, -1 on failure. */
static int apply(PGconn *pg, const kd_migration *m)
{
	char version[16];
	snprintf(version, sizeof(version), "%d", m->version);
	const char *params[] = { version, m->name };
	if (!exec_ok(pg, "BEGIN") ||
	    !exec_ok(pg, "SELECT pg_advisory_xact_lock(hashtext('kerjadekat migrate'))"))
		return -1;
	PGresult *res = kd_cli_exec("migrate", pg,
		"SELECT 1 FROM schema_migrations WHERE version = $1", 1, params);
	if (res == NULL)
		goto rollback;
	bool present = PQntuples(res) > 0;
	PQclear(res);
	if (present)
		return exec_ok(pg, "COMMIT") ? 0 : -1;
	res = PQexec(pg, m->sql);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		fprintf(stderr, "kerjadekat migrate: migration %04d_%s failed: %s",
			m->version, m->name, PQresultErrorMessage(res));
		PQclear(res);
		goto rollback;
	}
	PQclear(res);
	res = kd_cli_exec("migrate", pg,
		"INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2, params);
	if (res == NULL)
		goto rollback;
	PQclear(res);
	return exec_ok(pg, "COMMIT") ? 1 : -1;
rollback:
	PQclear(PQexec(pg, "ROLLBACK"));
	return -1;
}

int kd_cmd_migrate(int argc, char **argv)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conninfo = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			conninfo = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	PGconn *pg = kd_cli_connect("migrate", conninfo);
	if (pg == NULL)
		return 1;
	int status = 1;
	if (!exec_ok(pg, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 " version integer PRIMARY KEY,"
			 " name text NOT NULL,"
			 " applied_at timestamptz NOT NULL DEFAULT now())"))
		goto out;
	PGresult *res = kd_cli_exec("migrate", pg,
		"SELECT coalesce(max(version), 0) FROM schema_migrations", 0, NULL);
	if (res == NULL)
		goto out;
	int current = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (current > kd_migration_count) {
		fprintf(stderr, "kerjadekat migrate: database schema is ahead of this binary"
			" (database %d, binary %d)\n", current, kd_migration_count);
		goto out;
	}
	int applied = 0;
	for (int i = 0; i < kd_migration_count; i++) {
		int rc = apply(pg, &kd_migrations[i]);
		if (rc < 0)
			goto out;
		if (rc > 0) {
			printf("applied %04d_%s\n", kd_migrations[i].version, kd_migrations[i].name);
			applied++;
		}
	}
	printf("schema at version %d (%d applied)\n", kd_migration_count, applied);
	status = 0;
out:
	PQfinish(pg);
	return status;
}
