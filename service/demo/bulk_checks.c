#include "demo/bulk_checks.h"

#include <stdbool.h>
#include <string.h>

#include "commands/cli.h"
#include "kd.h"

static const char owns_tables_sql[] =
	"SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class"
	" WHERE oid IN ('employers'::regclass, 'vacancies'::regclass, 'seekers'::regclass)";

/*
 * One row per object to drop and make again, foreign keys after the indexes
 * they may use: the statements that drop it and that make it again.
 */
static const char remember_sql[] =
	"CREATE TEMPORARY TABLE demo_bulk_checks ON COMMIT DROP AS"
	" SELECT 1 AS rank, format('DROP INDEX %s', i.indexrelid::regclass) AS drop_sql,"
	"        pg_get_indexdef(i.indexrelid) AS make_sql"
	"   FROM pg_index i"
	"  WHERE i.indrelid IN ('employers'::regclass, 'vacancies'::regclass, 'seekers'::regclass)"
	"    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
	" UNION ALL"
	" SELECT 2, format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),"
	"        format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,"
	"               pg_get_constraintdef(c.oid))"
	"   FROM pg_constraint c"
	"  WHERE c.contype = 'f'"
	"    AND c.conrelid IN ('employers'::regclass, 'vacancies'::regclass, 'seekers'::regclass)";

static const char drop_sql[] =
	"DO $$DECLARE s text; BEGIN"
	" FOR s IN SELECT drop_sql FROM demo_bulk_checks ORDER BY rank DESC, drop_sql LOOP"
	" EXECUTE s; END LOOP; END$$";

static const char make_sql[] =
	"DO $$DECLARE s text; BEGIN"
	" FOR s IN SELECT make_sql FROM demo_bulk_checks ORDER BY rank, make_sql LOOP"
	" EXECUTE s; END LOOP; END$$";

static bool run(PGconn *pg, const char *sql)
{
	PGresult *res = kd_cli_exec("demo", pg, sql, 0, NULL);
	PQclear(res);
	return res != NULL;
}

int kd_demo_bulk_begin(PGconn *pg)
{
	PGresult *res = kd_cli_exec("demo", pg, owns_tables_sql, 0, NULL);
	if (!res)
		return kd_error(EIO);
	bool owner = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!owner)
		return 0;
	if (!run(pg, remember_sql) || !run(pg, drop_sql))
		return kd_error(EIO);
	return 1;
}

int kd_demo_bulk_end(PGconn *pg)
{
	return run(pg, make_sql) ? kd_ok() : kd_error(EIO);
}
