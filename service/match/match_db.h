/*
 * The matcher over the database: reads the active seekers, the open
 * vacancies and the travel table, runs lib/match, and writes the run's
 * placements (matches), the seekers left out (counted by kecamatan and
 * reason, and listed for the rarer reasons: schema/migrations/0016) and the
 * run's figures into its match_runs row, all in one transaction (rows by
 * COPY).  Blocking libpq on a connection of its own: call it from
 * a command-line tool or a worker thread, never from the event loop.
 */
#ifndef KD_MATCH_DB_H
#define KD_MATCH_DB_H

#include <stddef.h>
#include <stdint.h>

#include "match/policy.h"
#include "match/run.h"

/*
 * Runs match_runs row run_id (already inserted, state 'running') to the
 * end: state 'done' with its figures, or 'failed' with the reason, which
 * is also written to err (short, lower case, no personal data).  conninfo
 * is borrowed (NULL: libpq defaults).  Returns kd_ok() or a kd_error().
 */
int kd_match_db_execute(const char *conninfo, int64_t run_id, kd_match_mode mode,
			const kd_match_policy *policy, char *err, size_t errlen);

#endif
