#include "match/cmd_match_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands/cli.h"
#include "kd.h"
#include "match/match_db.h"

/* What the run row records as its policy: the overrides as given. */
static char *overrides_text(const char *policy_path)
{
	if (policy_path == NULL)
		return strdup("{}");
	json_error_t jerr;
	json_t *doc = json_load_file(policy_path, JSON_REJECT_DUPLICATES, &jerr);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	if (doc == NULL)
		fprintf(stderr, "kerjadekat match: %s: line %d: %s\n", policy_path, jerr.line,
			jerr.text);
	json_decref(doc);
	return text;
}

static int64_t create_run(PGconn *pg, kd_match_mode mode, const char *policy_path)
{
	char *policy = overrides_text(policy_path);
	if (policy == NULL)
		return kd_error(EINVAL);
	const char *params[] = { kd_match_mode_name(mode), policy };
	PGresult *res = kd_cli_exec("match", pg,
		"INSERT INTO match_runs (mode, policy) VALUES ($1, $2) RETURNING id", 2, params);
	free(policy);
	if (res == NULL)
		return kd_error(EIO);
	int64_t id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

/*
 * The run's row as one line of JSON, keys without a value left out.  The
 * stats column is jsonb, which keeps no key order; the reasons and phases
 * are put back in the order the matcher reports them.
 */
static int print_summary(PGconn *pg, const char *run_id)
{
	const char *params[] = { run_id };
	PGresult *res = kd_cli_exec("match", pg,
		"SELECT json_strip_nulls(json_build_object('run_id', r.id, 'state', r.state,"
		" 'mode', r.mode, 'seekers', r.seekers, 'vacancies', r.vacancies,"
		" 'assigned', r.assigned, 'same_kecamatan', r.same_kecamatan,"
		" 'total_score', r.total_score, 'unassigned', row_to_json(u),"
		" 'seconds', row_to_json(t), 'error', r.error))"
		" FROM match_runs r"
		" LEFT JOIN LATERAL jsonb_to_record(r.stats->'unassigned') AS u (incomplete_profile int,"
		"  no_feasible_vacancy int, outcompeted int) ON r.stats IS NOT NULL"
		" LEFT JOIN LATERAL jsonb_to_record(r.stats->'seconds') AS t (load numeric,"
		"  prepare numeric, candidates numeric, solve numeric, result numeric,"
		"  write numeric) ON r.stats IS NOT NULL"
		" WHERE r.id = $1", 1, params);
	if (res == NULL)
		return kd_error(EIO);
	int rc = PQntuples(res) == 1 ? kd_ok() : kd_error(ENOENT);
	if (rc == kd_ok())
		printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

int kd_match_db_command(const char *conninfo, kd_match_mode mode, const char *policy_path,
			const kd_match_policy *policy)
{
	PGconn *pg = kd_cli_connect("match", conninfo);
	if (pg == NULL)
		return 1;
	int64_t id = create_run(pg, mode, policy_path);
	if (id < 0) {
		PQfinish(pg);
		return 1;
	}
	char err[192], id_text[24];
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	int rc = kd_match_db_execute(conninfo, id, mode, policy, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "kerjadekat match: run %s failed: %s\n", id_text, err);
	if (print_summary(pg, id_text) < 0)
		rc = kd_error(EIO);
	PQfinish(pg);
	return rc < 0 ? 1 : 0;
}
