/*
 * Helpers shared by the command-line subcommands (which may block: they do
 * not run inside the daemon's event loop).
 */
#ifndef KD_CLI_H
#define KD_CLI_H

#include <libpq-fe.h>

/*
 * Opens a blocking connection (conninfo NULL or "" means libpq's defaults)
 * and sets quiet client messages.  On failure prints "kerjadekat CMD: ..."
 * to stderr and returns NULL.  The caller owns the result (PQfinish).
 */
PGconn *kd_cli_connect(const char *cmd, const char *conninfo);

/*
 * Runs one statement with text parameters; on failure prints the server's
 * message prefixed by "kerjadekat CMD: " and returns NULL.  The caller owns
 * the result (PQclear).
 */
PGresult *kd_cli_exec(const char *cmd, PGconn *pg, const char *sql, int nparams,
		      const char *const *values);

#endif
