#include "import/import_store.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/regcode.h"
#include "db/statements.h"
#include "handlers/insert_params.h"
#include "kd.h"

#define INSERT_ATTEMPTS 3
#define SEEKER_ID_LIMIT (1ULL << 53)

/* Runs a statement of statements.c; the result (owned) or NULL after printing its SQLSTATE. */
static PGresult *run(PGconn *pg, const char *sql, int n, const char *const *params,
		     bool *unique_violation)
{
	PGresult *res = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (unique_violation && state && strcmp(state, "23505") == 0)
		*unique_violation = true;
	else
		fprintf(stderr, "kerjadekat import: the database refused a row (sqlstate %s)\n",
			state ? state : "unknown");
	PQclear(res);
	return NULL;
}

static bool exec_plain(PGconn *pg, const char *sql)
{
	PGresult *res = run(pg, sql, 0, NULL, NULL);
	PQclear(res);
	return res != NULL;
}

static void new_identity(char id[24], char code[KD_REGCODE_SIZE])
{
	uint64_t v;
	do {
		randombytes_buf(&v, sizeof(v));
		v &= SEEKER_ID_LIMIT - 1;
	} while (v == 0);
	snprintf(id, 24, "%llu", (unsigned long long)v);
	uint8_t bits[KD_REGCODE_BITS_SIZE];
	randombytes_buf(bits, sizeof(bits));
	kd_regcode_format(bits, code);
}

/*
 * A random id or registration code already taken aborts the statement; a
 * savepoint lets the row draw new ones, as the daemon does.
 */
int kd_import_store_seeker(PGconn *pg, const uint8_t secret[KD_SECRET_BYTES],
			   const kd_seeker_input *in, bool *duplicate)
{
	*duplicate = false;
	/* Drawn below; fill() keeps only pointers to them. */
	char id[24] = "", code[KD_REGCODE_SIZE] = "";
	kd_seeker_params row;
	kd_seeker_params_fill(&row, secret, in, id, code);
	const kd_stmt_def *def = kd_stmt_get(KD_STMT_SEEKER_INSERT);
	int rc = kd_error(EIO);
	for (int attempt = 0; attempt < INSERT_ATTEMPTS && rc < 0; attempt++) {
		new_identity(id, code);
		bool taken = false;
		if (!exec_plain(pg, "SAVEPOINT import_row"))
			break;
		PGresult *res = run(pg, def->sql, def->nparams, row.params, &taken);
		if (res) {
			*duplicate = strcmp(PQgetvalue(res, 0, 0), "0") == 0;
			PQclear(res);
			rc = exec_plain(pg, "RELEASE SAVEPOINT import_row") ? kd_ok() : kd_error(EIO);
			break;
		}
		if (!taken || !exec_plain(pg, "ROLLBACK TO SAVEPOINT import_row"))
			break;
	}
	kd_seeker_params_clear(&row);
	return rc;
}

int kd_import_store_vacancy(PGconn *pg, const kd_vacancy_input *in, int64_t employer_id,
			    bool *no_employer)
{
	kd_vacancy_params row;
	kd_vacancy_params_fill(&row, in, employer_id);
	const kd_stmt_def *def = kd_stmt_get(KD_STMT_VACANCY_INSERT);
	PGresult *res = run(pg, def->sql, def->nparams, row.params, NULL);
	if (!res)
		return kd_error(EIO);
	*no_employer = PQntuples(res) == 0;
	PQclear(res);
	return kd_ok();
}

int kd_import_store_audit(PGconn *pg, const char *action, size_t rows, size_t imported,
			  size_t bad)
{
	char target[96];
	snprintf(target, sizeof(target), "import:rows=%zu,imported=%zu,bad=%zu", rows, imported,
		 bad);
	const char *params[] = { action, target };
	PGresult *res = run(pg, "INSERT INTO audit_log (token_id, action, target)"
			    " VALUES (NULL, $1, $2)", 2, params, NULL);
	PQclear(res);
	return res ? kd_ok() : kd_error(EIO);
}
