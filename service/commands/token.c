/*
 * kerjadekat token: creates, lists and revokes API tokens.  A new token is
 * printed once, as the last line of output; only its hash is stored.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "api/token.h"
#include "commands/cli.h"
#include "commands/commands.h"

static const char usage_text[] =
	"usage: kerjadekat token create --role kiosk|employer|admin --name NAME\n"
	"                               [--employer ID] [--db CONNINFO]\n"
	"       kerjadekat token revoke KEY_ID [--db CONNINFO]\n"
	"       kerjadekat token list [--db CONNINFO]\n"
	"\n"
	"create  makes a token and prints it once, as the last line; the database\n"
	"        keeps its key id and a hash.  Employer tokens need --employer.\n"
	"revoke  revokes the token with that key id (the 16 hex characters after\n"
	"        \"kd_\"); the daemon refuses it at once.\n"
	"list    shows key id, role, name, employer and state of every token.\n"
	"\n"
	"  --db CONNINFO   libpq connection string (default: libpq's PG* variables)\n"
	"  --help          show this help\n";

static int token_create(PGconn *pg, const char *role, const char *name, const char *employer)
{
	if (role == NULL || name == NULL) {
		fputs("kerjadekat token: create needs --role and --name\n", stderr);
		return 2;
	}
	if (strcmp(role, "kiosk") != 0 && strcmp(role, "employer") != 0 &&
	    strcmp(role, "admin") != 0) {
		fputs("kerjadekat token: --role must be kiosk, employer or admin\n", stderr);
		return 2;
	}
	if ((strcmp(role, "employer") == 0) != (employer != NULL)) {
		fputs("kerjadekat token: --employer is required for, and only for, role employer\n",
		      stderr);
		return 2;
	}
	char token[KD_TOKEN_MAX_LEN];
	kd_token_parts parts;
	kd_token_generate(token, &parts);
	char hash_hex[2 + 2 * KD_TOKEN_HASH_BYTES + 1] = "\\x";
	sodium_bin2hex(hash_hex + 2, sizeof(hash_hex) - 2, parts.hash, sizeof(parts.hash));
	const char *params[] = { parts.key_id, hash_hex, role, name, employer };
	PGresult *res = kd_cli_exec("token", pg,
		"INSERT INTO api_tokens (key_id, secret_hash, role, name, employer_id)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, params);
	if (res == NULL)
		return 1;
	PQclear(res);
	printf("created %s token \"%s\" with key id %s\n", role, name, parts.key_id);
	printf("%s\n", token);
	sodium_memzero(token, sizeof(token));
	return 0;
}

static int token_revoke(PGconn *pg, const char *key_id)
{
	const char *params[] = { key_id };
	PGresult *res = kd_cli_exec("token", pg,
		"UPDATE api_tokens SET revoked_at = now()"
		" WHERE key_id = $1 AND revoked_at IS NULL RETURNING id", 1, params);
	if (res == NULL)
		return 1;
	int found = PQntuples(res);
	PQclear(res);
	if (found == 0) {
		fprintf(stderr, "kerjadekat token: no active token with key id \"%s\"\n", key_id);
		return 1;
	}
	printf("revoked %s\n", key_id);
	return 0;
}

static int token_list(PGconn *pg)
{
	PGresult *res = kd_cli_exec("token", pg,
		"SELECT key_id, role, name, coalesce(employer_id::text, '-'),"
		" CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END"
		" FROM api_tokens ORDER BY id", 0, NULL);
	if (res == NULL)
		return 1;
	printf("%-16s  %-8s  %-8s  %-9s  %s\n", "key_id", "role", "state", "employer", "name");
	for (int i = 0; i < PQntuples(res); i++)
		printf("%-16s  %-8s  %-8s  %-9s  %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		       PQgetvalue(res, i, 4), PQgetvalue(res, i, 3), PQgetvalue(res, i, 2));
	PQclear(res);
	return 0;
}

int kd_cmd_token(int argc, char **argv)
{
	static const struct option options[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "employer", required_argument, NULL, 'e' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role = NULL, *name = NULL, *employer = NULL, *conninfo = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'r': role = optarg; break;
		case 'n': name = optarg; break;
		case 'e': employer = optarg; break;
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
	int rest = argc - optind - 1;
	if (action == NULL || (strcmp(action, "revoke") == 0 ? rest != 1 : rest != 0) ||
	    (strcmp(action, "create") != 0 && strcmp(action, "revoke") != 0 &&
	     strcmp(action, "list") != 0)) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	PGconn *pg = kd_cli_connect("token", conninfo);
	if (pg == NULL)
		return 1;
	int status;
	if (strcmp(action, "create") == 0)
		status = token_create(pg, role, name, employer);
	else if (strcmp(action, "revoke") == 0)
		status = token_revoke(pg, argv[optind + 1]);
	else
		status = token_list(pg);
	PQfinish(pg);
	return status;
}
