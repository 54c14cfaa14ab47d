#include "commands/cli.h"

#include <stdio.h>

PGconn *kd_cli_connect(const char *cmd, const char *conninfo)
{
	PGconn *pg = PQconnectdb(conninfo ? conninfo : "");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "kerjadekat %s: cannot connect to the database: %s", cmd,
			PQerrorMessage(pg));
		PQfinish(pg);
		return NULL;
	}
	PQclear(PQexec(pg, "SET client_min_messages = warning"));
	return pg;
}

PGresult *kd_cli_exec(const char *cmd, PGconn *pg, const char *sql, int nparams,
		      const char *const *values)
{
	PGresult *res = PQexecParams(pg, sql, nparams, NULL, values, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "kerjadekat %s: %s", cmd, PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}
