/*
 * Writing validated rows with the daemon's own INSERT statements
 * (service/db/statements.c), over a blocking connection inside the
 * caller's transaction, so an imported row is stored exactly as a POST
 * stores it.  Rows carry no token: registered_by is NULL, nothing is
 * remembered for idempotency, and the import is audited once, as a whole.
 */
#ifndef KD_IMPORT_STORE_H
#define KD_IMPORT_STORE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/validate.h"
#include "daemon/secret.h"

/*
 * Stores one seeker (in borrowed).  *duplicate is set when a seeker with
 * this NIK is already registered, and nothing is stored.  Returns kd_ok(),
 * or kd_error(EIO) after printing "kerjadekat import: ..." (the SQLSTATE
 * only: a server message could quote the row); the transaction is then
 * aborted.
 */
int kd_import_store_seeker(PGconn *pg, const uint8_t secret[KD_SECRET_BYTES],
			   const kd_seeker_input *in, bool *duplicate);

/*
 * Stores one vacancy for employer_id; *no_employer is set, and nothing is
 * stored, when there is no such employer.  Returns as above.
 */
int kd_import_store_vacancy(PGconn *pg, const kd_vacancy_input *in, int64_t employer_id,
			    bool *no_employer);

/*
 * Writes one audit_log row for the import: action ("seekers.import" or
 * "vacancies.import") and the counts, never a row's content.
 */
int kd_import_store_audit(PGconn *pg, const char *action, size_t rows, size_t imported,
			  size_t bad);

#endif
