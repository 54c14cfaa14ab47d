/*
 * kerjadekat area: shows and sets the service area, the regencies this
 * deployment serves (schema/migrations/0015_regions_indonesia.sql).  A
 * change goes through the database function service_area_set(), which
 * writes the audit row and tells every daemon in the same transaction.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/cli.h"
#include "commands/commands.h"

static const char usage_text[] =
	"usage: kerjadekat area show [--db CONNINFO]\n"
	"       kerjadekat area set REGENCY... [--province NN]... [--db CONNINFO]\n"
	"       kerjadekat area set --all [--db CONNINFO]\n"
	"\n"
	"show  lists the regencies the service serves, with their province and\n"
	"      how many kecamatan and villages each has.\n"
	"set   makes the service area exactly the regencies given (codes NN.NN,\n"
	"      e.g. 64.02 64.72), every regency of each --province NN, or every\n"
	"      regency of Indonesia (--all).  Recorded in audit_log; running\n"
	"      daemons follow at once.  Seekers and vacancies already stored\n"
	"      outside a smaller area stay.\n"
	"\n"
	"  --db CONNINFO   libpq connection string (default: libpq's PG* variables)\n"
	"  --help          show this help\n";

/* Region codes a command line may hold, at most (Indonesia has 514 regencies). */
#define MAX_CODES 600

/* True when code is digit groups of the given sizes joined by dots. */
static bool code_shaped(const char *code, const char *shape)
{
	for (; *shape; code++, shape++) {
		if (*shape == '9' ? !isdigit((unsigned char)*code) : *code != *shape)
			return false;
	}
	return *code == '\0';
}

/*
 * Builds the text form of a text[] of codes into out (size bytes); the
 * codes are digits and dots only, so nothing needs quoting.
 */
static void array_literal(char *out, size_t size, char *const *codes, int n)
{
	size_t len = (size_t)snprintf(out, size, "{");
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "", codes[i]);
	if (len < size)
		snprintf(out + len, size - len, "}");
}

static int area_show(PGconn *pg)
{
	PGresult *res = kd_cli_exec("area", pg,
		"SELECT r.code, r.name, p.name,"
		" (SELECT count(*) FROM kecamatan k WHERE k.regency_code = r.code),"
		" (SELECT count(*) FROM desa d JOIN kecamatan k ON k.code = d.kecamatan_code"
		"  WHERE k.regency_code = r.code)"
		" FROM service_area a JOIN regencies r ON r.code = a.regency_code"
		" JOIN provinces p ON p.code = r.province_code ORDER BY r.code", 0, NULL);
	if (res == NULL)
		return 1;
	long kecamatan = 0, villages = 0;
	for (int i = 0; i < PQntuples(res); i++) {
		printf("%-5s  %-36s  %-26s  %5s kecamatan  %6s villages\n", PQgetvalue(res, i, 0),
		       PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
		       PQgetvalue(res, i, 4));
		kecamatan += atol(PQgetvalue(res, i, 3));
		villages += atol(PQgetvalue(res, i, 4));
	}
	printf("%d %s, %ld kecamatan, %ld villages\n", PQntuples(res),
	       PQntuples(res) == 1 ? "regency" : "regencies", kecamatan, villages);
	PQclear(res);
	return 0;
}

/*
 * Sets the area to the regencies named, those of the provinces named, or
 * all; an unknown province is refused before anything changes.
 */
static int area_set(PGconn *pg, char *const *regencies, int nregencies,
		    char *const *provinces, int nprovinces, bool all)
{
	static char regency_array[MAX_CODES * 6 + 3], province_array[MAX_CODES * 3 + 3];
	array_literal(regency_array, sizeof(regency_array), regencies, nregencies);
	array_literal(province_array, sizeof(province_array), provinces, nprovinces);
	const char *params[] = { regency_array, province_array, all ? "t" : "f" };
	PGresult *res = kd_cli_exec("area", pg,
		"SELECT min(p) FROM unnest($1::text[]) p"
		" WHERE NOT EXISTS (SELECT 1 FROM provinces WHERE code = p)", 1, params + 1);
	if (res == NULL)
		return 1;
	bool unknown = !PQgetisnull(res, 0, 0);
	if (unknown)
		fprintf(stderr, "kerjadekat area: no such province: %s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (unknown)
		return 2;
	res = PQexecParams(pg,
		"SELECT service_area_set(ARRAY(SELECT unnest($1::text[])"
		" UNION SELECT code FROM regencies WHERE province_code = ANY ($2::text[])"
		" OR $3::boolean))", 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		/* 22023 is service_area_set() refusing the codes: bad input. */
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		fprintf(stderr, "kerjadekat area: %s", PQresultErrorMessage(res));
		int status = state && strcmp(state, "22023") == 0 ? 2 : 1;
		PQclear(res);
		return status;
	}
	PQclear(res);
	return area_show(pg);
}

int kd_cmd_area(int argc, char **argv)
{
	static const struct option options[] = {
		{ "province", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char *provinces[MAX_CODES];
	int nprovinces = 0;
	bool all = false;
	const char *conninfo = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (!code_shaped(optarg, "99")) {
				fprintf(stderr, "kerjadekat area: --province must be a code like 64,"
					" not \"%s\"\n", optarg);
				return 2;
			}
			if (nprovinces == MAX_CODES) {
				fputs("kerjadekat area: too many --province options\n", stderr);
				return 2;
			}
			provinces[nprovinces++] = optarg;
			break;
		case 'a': all = true; break;
		case 'd': conninfo = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	const char *action = optind < argc ? argv[optind] : NULL;
	char *const *regencies = argv + optind + 1;
	int nregencies = action ? argc - optind - 1 : 0;
	bool show = action && strcmp(action, "show") == 0;
	bool set = action && strcmp(action, "set") == 0;
	if (!show && !set) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (show && (nregencies || nprovinces || all)) {
		fputs("kerjadekat area: show takes no codes\n", stderr);
		return 2;
	}
	if (set && (all ? nregencies || nprovinces : !nregencies && !nprovinces)) {
		fputs("kerjadekat area: set needs regency codes and/or --province, or --all"
		      " alone\n", stderr);
		return 2;
	}
	if (nregencies > MAX_CODES) {
		fputs("kerjadekat area: too many regency codes\n", stderr);
		return 2;
	}
	for (int i = 0; i < nregencies; i++) {
		if (!code_shaped(regencies[i], "99.99")) {
			fprintf(stderr, "kerjadekat area: a regency code looks like 64.02, not \"%s\"\n",
				regencies[i]);
			return 2;
		}
	}
	PGconn *pg = kd_cli_connect("area", conninfo);
	if (pg == NULL)
		return 1;
	/* The function's refusal is the message; where in PL/pgSQL is noise. */
	PQsetErrorVerbosity(pg, PQERRORS_TERSE);
	int status = show ? area_show(pg)
			  : area_set(pg, regencies, nregencies, provinces, nprovinces, all);
	PQfinish(pg);
	return status;
}
