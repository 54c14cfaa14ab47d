#include "import/import_csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "kd.h"

typedef struct reader {
	kd_csv_table *table;
	kd_csv_record current;
	size_t cap;		/* of current.fields */
	size_t table_cap;	/* of table->records */
	unsigned start_line;
	bool failed;
} reader;

static void on_field(void *text, size_t len, void *arg)
{
	reader *r = arg;
	if (r->failed)
		return;
	if (r->current.count == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		char **fields = realloc(r->current.fields, cap * sizeof(*fields));
		if (!fields) {
			r->failed = true;
			return;
		}
		r->current.fields = fields;
		r->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		r->failed = true;
		return;
	}
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	r->current.fields[r->current.count++] = copy;
}

static void on_record(int terminator, void *arg)
{
	(void)terminator;
	reader *r = arg;
	if (r->failed)
		return;
	kd_csv_table *t = r->table;
	if (t->count == r->table_cap) {
		size_t cap = r->table_cap ? 2 * r->table_cap : 64;
		kd_csv_record *records = realloc(t->records, cap * sizeof(*records));
		if (!records) {
			r->failed = true;
			return;
		}
		t->records = records;
		r->table_cap = cap;
	}
	r->current.line = r->start_line;
	t->records[t->count++] = r->current;
	r->current = (kd_csv_record){ 0 };
	r->cap = 0;
}

static void free_record(kd_csv_record *record)
{
	for (size_t i = 0; i < record->count; i++)
		free(record->fields[i]);
	free(record->fields);
}

/*
 * libcsv reports a record when it ends, not where it began, so the data is
 * fed one line at a time and a record's first line is the first one fed
 * while the parser stood between records (state 0, ROW_NOT_BEGUN, is part
 * of the library's public struct).
 */
int kd_csv_read(const char *data, size_t len, kd_csv_table *out, unsigned *bad_line)
{
	*out = (kd_csv_table){ 0 };
	*bad_line = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	struct csv_parser parser;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return kd_error(ENOMEM);
	reader r = { .table = out };
	int rc = kd_ok();
	unsigned line = 0;
	for (size_t pos = 0; pos < len && rc == 0;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
		line++;
		if (parser.pstate == 0)
			r.start_line = line;
		if (csv_parse(&parser, data + pos, n, on_field, on_record, &r) != n)
			rc = csv_error(&parser) == CSV_ENOMEM ? kd_error(ENOMEM) : kd_error(EINVAL);
		pos += n;
	}
	if (rc == 0 && csv_fini(&parser, on_field, on_record, &r) != 0)
		rc = csv_error(&parser) == CSV_ENOMEM ? kd_error(ENOMEM) : kd_error(EINVAL);
	if (rc == 0 && r.failed)
		rc = kd_error(ENOMEM);
	if (rc == kd_error(EINVAL))
		*bad_line = r.start_line ? r.start_line : 1;
	free_record(&r.current);
	csv_free(&parser);
	return rc;
}

void kd_csv_table_free(kd_csv_table *table)
{
	for (size_t i = 0; i < table->count; i++)
		free_record(&table->records[i]);
	free(table->records);
	*table = (kd_csv_table){ 0 };
}
