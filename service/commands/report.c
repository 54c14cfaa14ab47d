/*
 * kerjadekat report filled: the vacancy report of Perpres 57/2023 for one
 * period, as CSV.  The rows come from the database function
 * filled_vacancy_report_between (schema/migrations/0009_reports.sql), the
 * same one operators call in psql, so the file and psql never disagree.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands/cli.h"
#include "commands/commands.h"
#include "core/csv.h"
#include "core/date.h"
#include "kd.h"

static const char usage_text[] =
	"usage: kerjadekat report filled --from YYYY-MM-DD --to YYYY-MM-DD\n"
	"                                [--db CONNINFO] [--output FILE]\n"
	"\n"
	"filled  writes the vacancy report of Perpres 57/2023 as CSV (RFC 4180,\n"
	"        UTF-8, a header row): one row per vacancy posted in the period or\n"
	"        with an offer accepted in it, with its employer, KBLI, position,\n"
	"        KBJI, kecamatan, headcount asked for, filled, remaining openings,\n"
	"        posting date, status and filled_in_period.  Both days are\n"
	"        included; days are those of the database's time zone.\n"
	"\n"
	"  --from DATE     first day of the period\n"
	"  --to DATE       last day of the period, not before --from\n"
	"  --db CONNINFO   libpq connection string (default: libpq's PG* variables)\n"
	"  --output FILE   write the CSV there instead of standard output\n"
	"  --help          show this help\n"
	"\n"
	"Exit status: 0 written; 1 the database or the output failed (an earlier\n"
	"FILE is left as it was); 2 bad usage or a bad date.\n";

struct report_args {
	const char *from, *to, *conninfo, *output;
};

/* Checks one --from/--to value; false after saying what is wrong. */
static bool period_day(const char *option, const char *text, kd_date *out)
{
	if (text == NULL) {
		fprintf(stderr, "kerjadekat report: filled needs %s\n", option);
		return false;
	}
	if (kd_date_parse(text, out) < 0) {
		fprintf(stderr, "kerjadekat report: %s must be a real day written YYYY-MM-DD\n",
			option);
		return false;
	}
	return true;
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct report_args *args)
{
	static const struct option options[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f': args->from = optarg; break;
		case 't': args->to = optarg; break;
		case 'd': args->conninfo = optarg; break;
		case 'o': args->output = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (argc - optind != 1 || strcmp(argv[optind], "filled") != 0) {
		fputs(usage_text, stderr);
		return 2;
	}
	kd_date from, to;
	if (!period_day("--from", args->from, &from) || !period_day("--to", args->to, &to))
		return 2;
	if (kd_date_compare(from, to) > 0) {
		fputs("kerjadekat report: --from must not be after --to\n", stderr);
		return 2;
	}
	if (args->output != NULL && args->output[0] == '\0') {
		fputs("kerjadekat report: --output needs a file name\n", stderr);
		return 2;
	}
	return -1;
}

/*
 * Writes one field as lib/core/csv.h does: quoted as RFC 4180 asks, a
 * cell a spreadsheet would run as a formula neutralised.  Most fields fit the stack
 * buffer; a longer one gets a heap buffer of the size that always suffices.
 * Returns 0, or kd_error(ENOMEM); write errors show in ferror(out).
 */
static int write_field(FILE *out, const char *value, size_t len)
{
	char small[512];
	size_t need = kd_csv_field(value, len, small, sizeof(small));
	if (need < sizeof(small)) {
		fwrite(small, 1, need, out);
		return kd_ok();
	}
	char *big = malloc(KD_CSV_FIELD_MAX(len));
	if (big == NULL)
		return kd_error(ENOMEM);
	need = kd_csv_field(value, len, big, KD_CSV_FIELD_MAX(len));
	fwrite(big, 1, need, out);
	free(big);
	return kd_ok();
}

/*
 * Writes the header row (the column names) and every row of res (borrowed);
 * NULL is an empty field.  Returns 0 or kd_error(ENOMEM), as write_field().
 */
static int write_csv(FILE *out, const PGresult *res)
{
	int columns = PQnfields(res);
	for (int c = 0; c < columns; c++) {
		const char *name = PQfname(res, c);
		if (c > 0)
			fputc(',', out);
		if (write_field(out, name, strlen(name)) < 0)
			return kd_error(ENOMEM);
	}
	fputs(KD_CSV_EOL, out);
	for (int r = 0; r < PQntuples(res); r++) {
		for (int c = 0; c < columns; c++) {
			if (c > 0)
				fputc(',', out);
			if (PQgetisnull(res, r, c))
				continue;
			if (write_field(out, PQgetvalue(res, r, c), (size_t)PQgetlength(res, r, c)) < 0)
				return kd_error(ENOMEM);
		}
		fputs(KD_CSV_EOL, out);
	}
	return kd_ok();
}

/*
 * Where the CSV goes.  A regular file, or a new one, is written under a
 * temporary name beside it and renamed over it only once complete, so a
 * failed run leaves neither a partial file nor a changed earlier one.
 * Standard output, a device, a pipe or a symbolic link is written directly,
 * and never removed.
 */
typedef struct output {
	FILE *file;		/* owned, unless it is stdout */
	const char *path;	/* borrowed; NULL for standard output */
	char *temp;		/* owned; NULL when written directly */
} output;

/* Opens o for path (NULL: standard output).  Returns 0 or a negative errno. */
static int output_open(output *o, const char *path)
{
	*o = (output){ .file = stdout, .path = path };
	if (path == NULL)
		return kd_ok();
	struct stat st;
	bool exists = lstat(path, &st) == 0;
	if (exists ? !S_ISREG(st.st_mode) : errno != ENOENT) {
		o->file = fopen(path, "w");
		return o->file != NULL ? kd_ok() : kd_error(errno);
	}
	static const char suffix[] = ".XXXXXX";
	size_t len = strlen(path);
	o->temp = malloc(len + sizeof(suffix));
	if (o->temp == NULL)
		return kd_error(ENOMEM);
	memcpy(o->temp, path, len);
	memcpy(o->temp + len, suffix, sizeof(suffix));
	int fd = mkstemp(o->temp);
	int err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		/* mkstemp makes it 0600; keep the old file's mode, or the usual one */
		mode_t mask = umask(0);
		umask(mask);
		mode_t mode = exists ? st.st_mode & 07777 : 0666 & ~mask;
		if (fchmod(fd, mode) != 0 || (o->file = fdopen(fd, "w")) == NULL) {
			err = errno;
			close(fd);
			unlink(o->temp);
		}
	}
	if (err != 0) {
		free(o->temp);
		*o = (output){ .file = stdout };
		return kd_error(err);
	}
	return kd_ok();
}

/*
 * Finishes o after writing, whose outcome is write_rc (0 or a negative
 * errno): flushes and closes it, and puts a temporary file in place or
 * removes it.  Returns 0 when the whole CSV reached its place, else a
 * negative errno.
 */
static int output_commit(output *o, int write_rc)
{
	int err = write_rc < 0 ? -write_rc : 0;
	errno = 0;
	if ((fflush(o->file) != 0 || ferror(o->file)) && err == 0)
		err = errno ? errno : EIO;
	if (o->temp != NULL && err == 0 && fsync(fileno(o->file)) != 0)
		err = errno;
	if (o->file != stdout) {
		errno = 0;
		if (fclose(o->file) != 0 && err == 0)
			err = errno ? errno : EIO;
	}
	if (o->temp != NULL) {
		if (err == 0 && rename(o->temp, o->path) != 0)
			err = errno;
		if (err != 0)
			unlink(o->temp);
		free(o->temp);
	}
	*o = (output){ .file = stdout };
	return err != 0 ? kd_error(err) : kd_ok();
}

/* Reads the whole report before touching the output, so a database failure writes nothing. */
static int report_filled(const struct report_args *args)
{
	PGconn *pg = kd_cli_connect("report", args->conninfo);
	if (pg == NULL)
		return 1;
	/* Text the same whatever the server's defaults: UTF-8 and ISO dates. */
	if (PQsetClientEncoding(pg, "UTF8") != 0) {
		fprintf(stderr, "kerjadekat report: cannot use UTF-8: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return 1;
	}
	PGresult *res = kd_cli_exec("report", pg, "SET datestyle = 'ISO, YMD'", 0, NULL);
	if (res != NULL) {
		PQclear(res);
		const char *params[] = { args->from, args->to };
		res = kd_cli_exec("report", pg,
			"SELECT * FROM filled_vacancy_report_between($1::date, $2::date)", 2, params);
	}
	PQfinish(pg);
	if (res == NULL)
		return 1;

	output out;
	int rc = output_open(&out, args->output);
	if (rc == 0)
		rc = output_commit(&out, write_csv(out.file, res));
	PQclear(res);
	if (rc < 0) {
		fprintf(stderr, "kerjadekat report: cannot write %s: %s\n",
			args->output ? args->output : "standard output", strerror(-rc));
		return 1;
	}
	return 0;
}

int kd_cmd_report(int argc, char **argv)
{
	struct report_args args = { 0 };
	int status = parse_args(argc, argv, &args);
	if (status >= 0)
		return status;
	return report_filled(&args);
}
