/*
 * One CSV row of a paper form turned into the JSON object the API would
 * have received, so that the API's own validator judges it.
 *
 * Columns are the API's field names, with three spellings for what is
 * nested or a list in JSON: consent_version and consent_accepted make
 * "consent", location_lat and location_lon make "location", and a skill
 * list is one cell separated by ';' or '|'.  An empty cell is an absent
 * field.  Numbers and booleans (true/false, yes/no, ya/tidak, 1/0) are
 * converted when they read as such; anything else stays a string, so the
 * validator names the field with the API's own message.
 * A row whose cells are all empty is no form and is skipped.
 */
#ifndef KD_IMPORT_ROW_H
#define KD_IMPORT_ROW_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef enum kd_import_kind { KD_IMPORT_SEEKERS, KD_IMPORT_VACANCIES } kd_import_kind;

typedef enum kd_cell_type {
	KD_CELL_STRING, KD_CELL_NUMBER, KD_CELL_BOOL, KD_CELL_LIST,
} kd_cell_type;

typedef struct kd_import_column {
	const char *name;	/* the CSV header */
	const char *object;	/* the enclosing JSON object, or NULL for the top level */
	const char *key;	/* the key in it */
	kd_cell_type type;
	bool required;		/* the header must name it */
} kd_import_column;

/* The columns a kind accepts; static storage. */
const kd_import_column *kd_import_columns(kd_import_kind kind, size_t *count);

/*
 * Maps header[0..n) to columns: map[i] is the column of header cell i.
 * Returns kd_ok(), or kd_error(EINVAL) with a short reason in why naming
 * the column (an unknown, repeated or missing one).  optional_required
 * names a required column that may be missing (NULL for none): the
 * vacancies' employer_id when --employer gives it.
 */
int kd_import_map_header(kd_import_kind kind, char *const header[], size_t n,
			 const char *optional_required, const kd_import_column **map,
			 char *why, size_t whylen);

/*
 * The JSON object of one row of n cells (cells borrowed; map from
 * kd_import_map_header()).  Returns a new reference, or NULL when memory
 * ran out.
 */
json_t *kd_import_row_json(const kd_import_column *const map[], char *const cells[], size_t n);

#endif
