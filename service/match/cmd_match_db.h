/*
 * `kerjadekat match --db`: a match run over the database started from the
 * command line, the way POST /v1/match-runs starts one from the API.
 */
#ifndef KD_MATCH_CMD_MATCH_DB_H
#define KD_MATCH_CMD_MATCH_DB_H

#include "match/policy.h"
#include "match/run.h"

/*
 * Inserts a match_runs row (mode, the overrides of policy_path or {} as its
 * policy, no requesting token), runs it with kd_match_db_execute() under
 * policy (the defaults with those overrides applied), and prints the row as
 * one line of JSON on stdout: run_id, state, mode, the figures and the
 * phase times when done, the reason when failed.  conninfo, policy_path
 * (NULL: no overrides) and policy are borrowed.  Returns the exit status:
 * 0 when the run is done, 1 otherwise (the reason also goes to stderr).
 */
int kd_match_db_command(const char *conninfo, kd_match_mode mode, const char *policy_path,
			const kd_match_policy *policy);

#endif
