/*
 * Checks made in bulk: while the demo fills empty tables, their foreign keys
 * and plain indexes (those that back no constraint) are dropped, and after
 * the COPYs made again, in the same transaction.  PostgreSQL then checks each
 * foreign key with one join and builds each index with one sort, instead of
 * a lookup and a tree insertion per row; at national size the per-row work
 * is most of the load.  Unique and primary keys stay, so duplicates are still
 * refused as they arrive.  Other sessions never see the tables without them:
 * dropping takes the three tables' ACCESS EXCLUSIVE locks until commit (and
 * blocks writes to the tables they refer to: desa, kecamatan, api_tokens),
 * so a daemon serving the database waits for the load to end.
 */
#ifndef KD_DEMO_BULK_CHECKS_H
#define KD_DEMO_BULK_CHECKS_H

#include <libpq-fe.h>

/*
 * Drops the foreign keys and plain indexes of employers, vacancies and
 * seekers when the connected role owns all three (ALTER TABLE needs that),
 * remembering how to make them again in a temporary table that the commit
 * drops.  Returns 1 when they were dropped (then call kd_demo_bulk_end()
 * before committing), 0 when the role does not own the tables and nothing
 * changed, or kd_error() after printing "kerjadekat demo: ...".
 */
int kd_demo_bulk_begin(PGconn *pg);

/*
 * Makes again what kd_demo_bulk_begin() dropped, checking every row loaded.
 * Returns kd_ok(), or kd_error() after printing "kerjadekat demo: ..." (a
 * row that breaks a foreign key fails the load).
 */
int kd_demo_bulk_end(PGconn *pg);

#endif
