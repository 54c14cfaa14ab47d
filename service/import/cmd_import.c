/*
 * kerjadekat import seekers|vacancies FILE.csv: the paper forms of places
 * without a kiosk.  Each row is turned into the JSON body the API would
 * have received and judged by the API's own validator, so a row and a POST
 * never disagree; the good rows are stored in one transaction with the
 * daemon's own INSERT statements.  Reports name a line and a field, never
 * a value.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "commands/cli.h"
#include "commands/commands.h"
#include "daemon/reference.h"
#include "daemon/secret.h"
#include "db/statements.h"
#include "import/import_csv.h"
#include "import/import_row.h"
#include "import/import_store.h"
#include "kd.h"

/* Paper forms of one place, not a census: refuse files past this. */
#define FILE_MAX_BYTES (64u << 20)
#define ID_MAX ((INT64_C(1) << 53) - 1)

static const char usage_text[] =
	"usage: kerjadekat import seekers|vacancies FILE.csv [--db CONNINFO]\n"
	"                         [--secret-file PATH] [--employer ID] [--all-or-nothing]\n"
	"\n"
	"Imports paper registration forms typed into a CSV file (RFC 4180, UTF-8; a\n"
	"byte order mark and CRLF line ends are fine).  The header row names the\n"
	"columns with the API's field names (docs/api.md); consent is given as\n"
	"consent_version and consent_accepted, a location as location_lat and\n"
	"location_lon, a skill list as one cell separated by ';' or '|'.  An empty\n"
	"cell is an absent field.  Every row is checked exactly as POST /v1/seekers\n"
	"or POST /v1/vacancies checks a body; a NIK seen earlier in the file or\n"
	"already registered is a bad row too.  Bad rows are reported by line and\n"
	"field, without their values; the good ones are stored in one transaction.\n"
	"\n"
	"  --db CONNINFO       libpq connection string; without it libpq's defaults\n"
	"                      apply (PGHOST, PGPORT, PGDATABASE, PGUSER, ...)\n"
	"  --secret-file PATH  seekers: the daemon's key, for the NIK hashes (default:\n"
	"                      $KERJADEKAT_SECRET_FILE); give the one `serve` uses\n"
	"  --employer ID       vacancies: the employer of rows without employer_id\n"
	"  --all-or-nothing    store nothing when any row is bad\n"
	"  --help              show this help\n"
	"\n"
	"Exit status: 0 every row imported; 1 some rows bad (the good ones imported,\n"
	"or none with --all-or-nothing), or the database failed; 2 bad usage or a\n"
	"file that cannot be read as a whole (nothing imported).\n";

struct import_args {
	kd_import_kind kind;
	const char *file, *conninfo, *secret_file;
	int64_t employer_id;
	bool all_or_nothing;
};

/* One data row's fate: its report, empty while it is good. */
typedef struct row_state {
	unsigned line;
	bool blank;		/* every cell empty: a spreadsheet's trailing row, not a form */
	char problem[KD_FIELD_SIZE + 160];
} row_state;

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct import_args *args)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "employer", required_argument, NULL, 'e' },
		{ "all-or-nothing", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*args = (struct import_args){ 0 };
	int opt;
	char *end;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			args->conninfo = optarg;
			break;
		case 's':
			args->secret_file = optarg;
			break;
		case 'e':
			errno = 0;
			args->employer_id = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || args->employer_id < 1 ||
			    args->employer_id > ID_MAX) {
				fprintf(stderr, "kerjadekat import: --employer must be an employer id\n");
				return 2;
			}
			break;
		case 'a':
			args->all_or_nothing = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(argv[optind], "seekers") == 0) {
		args->kind = KD_IMPORT_SEEKERS;
	} else if (strcmp(argv[optind], "vacancies") == 0) {
		args->kind = KD_IMPORT_VACANCIES;
	} else {
		fprintf(stderr, "kerjadekat import: import seekers or vacancies\n");
		return 2;
	}
	if (args->kind == KD_IMPORT_SEEKERS && args->employer_id) {
		fprintf(stderr, "kerjadekat import: --employer is for vacancies\n");
		return 2;
	}
	args->file = argv[optind + 1];
	return -1;
}

/* The whole file (owned by the caller), or NULL after printing why. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "kerjadekat import: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || cap >= FILE_MAX_BYTES)
			break;
		char *grown = realloc(buf, cap * 2);
		if (!grown) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = grown;
		cap *= 2;
	}
	bool failed = ferror(f) || !buf || n >= FILE_MAX_BYTES;
	fclose(f);
	if (failed) {
		fprintf(stderr, "kerjadekat import: cannot read %s (at most %u MiB)\n", path,
			FILE_MAX_BYTES >> 20);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static PGresult *load(PGconn *pg, kd_stmt stmt)
{
	return kd_cli_exec("import", pg, kd_stmt_get(stmt)->sql, 0, NULL);
}

/* The regions and skills the daemon would validate with; NULL after printing why. */
static kd_reference *load_reference(PGconn *pg)
{
	PGresult *res[4] = {
		load(pg, KD_STMT_LOAD_KECAMATAN), load(pg, KD_STMT_LOAD_DESA),
		load(pg, KD_STMT_LOAD_SKILLS), load(pg, KD_STMT_LOAD_SYNONYMS),
	};
	kd_reference *ref = NULL;
	const char *why = NULL;
	if (res[0] && res[1] && res[2] && res[3]) {
		ref = kd_reference_build(res[0], res[1], res[2], res[3], &why);
		if (!ref)
			fprintf(stderr, "kerjadekat import: reference data: %s\n", why);
	}
	for (size_t i = 0; i < KD_ARRAY_LEN(res); i++)
		PQclear(res[i]);
	return ref;
}

static kd_validate_ctx validate_ctx(const kd_reference *ref)
{
	time_t now = time(NULL);
	struct tm local;
	localtime_r(&now, &local);
	return (kd_validate_ctx){
		.regions = ref->regions,
		.skills = ref->skills,
		.today = { local.tm_year + 1900, local.tm_mon + 1, local.tm_mday },
	};
}

static void report(row_state *row, const char *field, const char *message)
{
	if (field && field[0])
		snprintf(row->problem, sizeof(row->problem), "line %u: %s: %s", row->line, field,
			 message);
	else
		snprintf(row->problem, sizeof(row->problem), "line %u: %s", row->line, message);
}

/*
 * The row's JSON body as text (owned by the caller), or NULL with the
 * row's problem set (or *oom).  Cells must be UTF-8, as a body must.
 */
static char *row_body(const struct import_args *args, const kd_import_column *const *map,
		      size_t columns, const kd_csv_record *rec, row_state *row, bool *oom)
{
	if (rec->count != columns) {
		char message[96];
		snprintf(message, sizeof(message), "has %zu fields where the header has %zu",
			 rec->count, columns);
		report(row, NULL, message);
		return NULL;
	}
	for (size_t i = 0; i < rec->count; i++) {
		json_t *probe = json_string(rec->fields[i]);
		if (!probe) {
			report(row, map[i]->name, "must be valid utf-8");
			return NULL;
		}
		json_decref(probe);
	}
	json_t *doc = kd_import_row_json(map, rec->fields, rec->count);
	if (doc && args->kind == KD_IMPORT_VACANCIES && args->employer_id &&
	    !json_object_get(doc, "employer_id"))
		json_object_set_new(doc, "employer_id", json_integer(args->employer_id));
	char *body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	*oom = body == NULL;
	return body;
}

/* Validates and stores one seeker row; kd_error() when the import must stop. */
static int import_seeker(PGconn *pg, const uint8_t *secret, const kd_validate_ctx *ctx,
			 const char *body, row_state *rows, size_t index,
			 uint8_t (*hashes)[KD_NIK_HASH_SIZE])
{
	row_state *row = &rows[index];
	kd_seeker_input in;
	kd_field_error err;
	int rc = kd_validate_seeker(body, strlen(body), ctx, &in, &err);
	if (rc == kd_error(ENOMEM))
		return rc;
	if (rc < 0) {
		report(row, err.field, err.message);
		return kd_ok();
	}
	kd_nik_hash(secret, in.nik, hashes[index]);
	for (size_t j = 0; j < index; j++) {
		if (rows[j].problem[0] == '\0' &&
		    sodium_memcmp(hashes[j], hashes[index], KD_NIK_HASH_SIZE) == 0) {
			char message[96];
			snprintf(message, sizeof(message), "the same nik as line %u", rows[j].line);
			report(row, "nik", message);
			kd_seeker_input_release(&in);
			return kd_ok();
		}
	}
	bool duplicate;
	rc = kd_import_store_seeker(pg, secret, &in, &duplicate);
	if (rc == 0 && duplicate)
		report(row, "nik", "a seeker with this nik is already registered");
	kd_seeker_input_release(&in);
	return rc;
}

static int import_vacancy(PGconn *pg, const kd_validate_ctx *ctx, const char *body,
			  row_state *row)
{
	kd_vacancy_input in;
	kd_field_error err;
	int rc = kd_validate_vacancy(body, strlen(body), ctx, &in, &err);
	if (rc == kd_error(ENOMEM))
		return rc;
	if (rc < 0) {
		report(row, err.field, err.message);
		return kd_ok();
	}
	bool no_employer = false;
	if (in.employer_id == 0)
		report(row, "employer_id", "required (a column, or --employer)");
	else if ((rc = kd_import_store_vacancy(pg, &in, in.employer_id, &no_employer)) == 0 &&
		 no_employer)
		report(row, "employer_id", "no such employer");
	kd_vacancy_input_release(&in);
	return rc;
}

static bool exec_ok(PGconn *pg, const char *sql)
{
	PGresult *res = kd_cli_exec("import", pg, sql, 0, NULL);
	PQclear(res);
	return res != NULL;
}

/* Validates and stores the data rows inside an open transaction; false when it must stop. */
static bool import_rows(const struct import_args *args, PGconn *pg, const uint8_t *secret,
			const kd_reference *ref, const kd_csv_table *table,
			const kd_import_column *const *map, row_state *rows)
{
	size_t n = table->count - 1, columns = table->records[0].count;
	uint8_t (*hashes)[KD_NIK_HASH_SIZE] = calloc(n ? n : 1, KD_NIK_HASH_SIZE);
	if (!hashes) {
		fprintf(stderr, "kerjadekat import: out of memory\n");
		return false;
	}
	kd_validate_ctx ctx = validate_ctx(ref);
	int rc = kd_ok();
	for (size_t i = 0; i < n && rc == 0; i++) {
		const kd_csv_record *rec = &table->records[i + 1];
		rows[i].line = rec->line;
		rows[i].blank = true;
		for (size_t c = 0; c < rec->count && rows[i].blank; c++)
			rows[i].blank = rec->fields[c][0] == '\0';
		if (rows[i].blank)
			continue;
		bool oom = false;
		char *body = row_body(args, map, columns, rec, &rows[i], &oom);
		if (oom)
			rc = kd_error(ENOMEM);
		else if (body && args->kind == KD_IMPORT_SEEKERS)
			rc = import_seeker(pg, secret, &ctx, body, rows, i, hashes);
		else if (body)
			rc = import_vacancy(pg, &ctx, body, &rows[i]);
		if (body)
			sodium_memzero(body, strlen(body));
		free(body);
	}
	sodium_memzero(hashes, (n ? n : 1) * KD_NIK_HASH_SIZE);
	free(hashes);
	if (rc == kd_error(ENOMEM))
		fprintf(stderr, "kerjadekat import: out of memory\n");
	return rc == 0;
}

/*
 * Stores the good rows and the audit record in one transaction (or, with
 * --all-or-nothing and a bad row, only the audit record), prints the bad
 * rows in line order and the summary, and returns the exit status.
 */
static int run_import(const struct import_args *args, PGconn *pg, const uint8_t *secret,
		      const kd_csv_table *table, const kd_import_column *const *map)
{
	kd_reference *ref = load_reference(pg);
	if (!ref)
		return 1;
	size_t n = table->count - 1;
	row_state *rows = calloc(n ? n : 1, sizeof(*rows));
	bool ok = rows && exec_ok(pg, "BEGIN") && import_rows(args, pg, secret, ref, table, map, rows);
	kd_reference_release(ref);
	if (!ok) {
		free(rows);
		if (!rows)
			fprintf(stderr, "kerjadekat import: out of memory\n");
		fprintf(stderr, "kerjadekat import: nothing imported\n");
		return 1;
	}
	size_t bad = 0, blank = 0;
	for (size_t i = 0; i < n; i++) {
		blank += rows[i].blank;
		if (rows[i].problem[0]) {
			fprintf(stderr, "%s\n", rows[i].problem);
			bad++;
		}
	}
	n -= blank;
	free(rows);
	bool keep = bad == 0 || !args->all_or_nothing;
	const char *action = args->kind == KD_IMPORT_SEEKERS ? "seekers.import" : "vacancies.import";
	size_t imported = keep ? n - bad : 0;
	if (!keep)
		ok = exec_ok(pg, "ROLLBACK") && exec_ok(pg, "BEGIN");
	ok = ok && kd_import_store_audit(pg, action, n, imported, bad) == 0 &&
	     exec_ok(pg, "COMMIT");
	if (!ok) {
		fprintf(stderr, "kerjadekat import: nothing imported\n");
		return 1;
	}
	printf("imported %zu of %zu rows; %zu bad%s\n", imported, n, bad,
	       keep ? "" : " (--all-or-nothing: nothing imported)");
	return bad ? 1 : 0;
}

int kd_cmd_import(int argc, char **argv)
{
	struct import_args args;
	int status = parse_args(argc, argv, &args);
	if (status >= 0)
		return status;
	if (sodium_init() < 0) {
		fprintf(stderr, "kerjadekat import: cannot initialise libsodium\n");
		return 1;
	}
	uint8_t secret[KD_SECRET_BYTES] = { 0 };
	char why[256];
	if (args.kind == KD_IMPORT_SEEKERS &&
	    kd_secret_load(args.secret_file, secret, why, sizeof(why)) < 0) {
		fprintf(stderr, "kerjadekat import: %s\n", why);
		return 2;
	}
	size_t len = 0;
	char *data = read_file(args.file, &len);
	kd_csv_table table = { 0 };
	unsigned bad_line = 0;
	int rc = data ? kd_csv_read(data, len, &table, &bad_line) : kd_error(EIO);
	if (data)
		sodium_memzero(data, len);
	free(data);
	status = 2;
	if (rc == kd_error(EINVAL))
		fprintf(stderr, "kerjadekat import: line %u: not valid csv (a stray or unclosed"
			" quote); nothing imported\n", bad_line);
	else if (rc == kd_error(ENOMEM))
		fprintf(stderr, "kerjadekat import: out of memory\n");
	else if (rc == 0 && table.count == 0)
		fprintf(stderr, "kerjadekat import: %s has no header row\n", args.file);
	const kd_import_column **map = rc == 0 && table.count > 0 ?
		calloc(table.records[0].count, sizeof(*map)) : NULL;
	if (map && kd_import_map_header(args.kind, table.records[0].fields, table.records[0].count,
					args.employer_id ? "employer_id" : NULL, map, why,
					sizeof(why)) < 0) {
		fprintf(stderr, "kerjadekat import: line %u: %s\n", table.records[0].line, why);
	} else if (map) {
		PGconn *pg = kd_cli_connect("import", args.conninfo);
		status = pg ? run_import(&args, pg, secret, &table, map) : 1;
		PQfinish(pg);
	}
	free(map);
	for (size_t i = 0; i < table.count; i++)
		for (size_t j = 0; j < table.records[i].count; j++)
			sodium_memzero(table.records[i].fields[j], strlen(table.records[i].fields[j]));
	kd_csv_table_free(&table);
	sodium_memzero(secret, sizeof(secret));
	return status;
}
