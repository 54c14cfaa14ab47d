/*
 * The input of a match run read from the database: the active seekers, the
 * vacancies open on a given day and the kecamatan travel table, as the
 * kd_match_source that `kerjadekat match --input` fills from a file.
 *
 * Skills are the taxonomy's: their labels are the skill codes (so that the
 * explanations of a placement name skills by code) and their ids follow
 * code order, as the file reader's follow label order.  Kecamatan ids
 * follow code order too.
 */
#ifndef KD_MATCH_SOURCE_DB_H
#define KD_MATCH_SOURCE_DB_H

#include <libpq-fe.h>
#include <stddef.h>

#include "core/date.h"
#include "match/source.h"

/*
 * Fills *src over pg (borrowed, idle; run it inside a REPEATABLE READ
 * transaction so that every table is read from one snapshot).  A vacancy
 * is open when its status is 'open', it has openings and closes_on is
 * null or not before today.  Optional skills that a vacancy also requires
 * are dropped, as the API drops them.  Returns kd_ok(); kd_error(EIO) with
 * the server's message in err when a query fails; kd_error(EINVAL) with
 * err naming the row when a stored value breaks the matcher's input rules
 * (a skill id missing from the taxonomy, say); or kd_error(ENOMEM).  On
 * failure *src is left empty.  Free with kd_match_source_free().
 */
int kd_match_source_read_db(kd_match_source *src, PGconn *pg, kd_date today, char *err,
			    size_t errlen);

#endif
