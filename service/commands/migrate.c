/*
 * kerjadekat migrate: applies the compiled-in migrations in order, each in
 * its own transaction, recording each in schema_migrations.  An advisory
 * lock keeps two concurrent runs from applying the same migration.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/* Data goes out in pieces of this size: few round trips, little buffering. */
#define COPY_CHUNK (1024 * 1024)

/* Reports a failed step of m with the server's or libpq's message. */
static void step_failed(const kd_migration *m, const char *message)
{
	fprintf(stderr, "kerjadekat migrate: migration %04d_%s failed: %s", m->version, m->name,
		message);
}

/*
 * Runs a COPY ... FROM STDIN step, sending its embedded data.  A failure
 * leaves the transaction aborted and the connection idle again.
 */
static bool copy_step(PGconn *pg, const kd_migration *m, const kd_migration_step *step)
{
	PGresult *res = PQexec(pg, step->sql);
	bool started = PQresultStatus(res) == PGRES_COPY_IN;
	if (!started)
		step_failed(m, PQresultErrorMessage(res));
	PQclear(res);
	if (!started)
		return false;
	const char *refusal = NULL;
	for (size_t sent = 0; sent < step->data_len && refusal == NULL; sent += COPY_CHUNK) {
		size_t n = step->data_len - sent < COPY_CHUNK ? step->data_len - sent : COPY_CHUNK;
		if (PQputCopyData(pg, step->data + sent, (int)n) != 1)
			refusal = "client failed";
	}
	bool ok = PQputCopyEnd(pg, refusal) == 1;
	if (!ok)
		step_failed(m, PQerrorMessage(pg));
	while ((res = PQgetResult(pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			if (ok)
				step_failed(m, PQresultErrorMessage(res));
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

/* Runs every step of m in order; false after reporting the first failure. */
static bool run_steps(PGconn *pg, const kd_migration *m)
{
	for (int i = 0; i < m->nsteps; i++) {
		const kd_migration_step *step = &m->steps[i];
		if (step->data != NULL) {
			if (!copy_step(pg, m, step))
				return false;
			continue;
		}
		PGresult *res = PQexec(pg, step->sql);
		ExecStatusType st = PQresultStatus(res);
		bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
		if (!ok)
			step_failed(m, PQresultErrorMessage(res));
		PQclear(res);
		if (!ok)
			return false;
	}
	return true;
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
	if (!run_steps(pg, m))
		goto rollback;
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

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
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
	if (current > kd_schema_version) {
		fprintf(stderr, "kerjadekat migrate: database schema is ahead of this binary"
			" (database %d, binary %d)\n", current, kd_schema_version);
		goto out;
	}
	int applied = 0;
	for (int i = 0; i < kd_migration_count; i++) {
		struct timespec start;
		clock_gettime(CLOCK_MONOTONIC, &start);
		int rc = apply(pg, &kd_migrations[i]);
		if (rc < 0)
			goto out;
		if (rc > 0) {
			printf("applied %04d_%s in %.1f s\n", kd_migrations[i].version,
			       kd_migrations[i].name, seconds_since(&start));
			applied++;
		}
	}
	printf("schema at version %d (%d applied)\n", kd_schema_version, applied);
	status = 0;
out:
	PQfinish(pg);
	return status;
}
