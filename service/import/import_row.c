#include "import/import_row.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kd.h"

static const kd_import_column seeker_columns[] = {
	{ "nik", NULL, "nik", KD_CELL_STRING, true },
	{ "full_name", NULL, "full_name", KD_CELL_STRING, true },
	{ "birth_date", NULL, "birth_date", KD_CELL_STRING, true },
	{ "gender", NULL, "gender", KD_CELL_STRING, true },
	{ "phone", NULL, "phone", KD_CELL_STRING, true },
	{ "desa_code", NULL, "desa_code", KD_CELL_STRING, true },
	{ "location_lat", "location", "lat", KD_CELL_NUMBER, false },
	{ "location_lon", "location", "lon", KD_CELL_NUMBER, false },
	{ "education", NULL, "education", KD_CELL_STRING, true },
	{ "skills", NULL, "skills", KD_CELL_LIST, true },
	{ "experience_years", NULL, "experience_years", KD_CELL_NUMBER, true },
	{ "max_distance_km", NULL, "max_distance_km", KD_CELL_NUMBER, false },
	{ "disability", NULL, "disability", KD_CELL_BOOL, true },
	{ "consent_version", "consent", "version", KD_CELL_STRING, true },
	{ "consent_accepted", "consent", "accepted", KD_CELL_BOOL, true },
	{ "guardian_consent", NULL, "guardian_consent", KD_CELL_BOOL, false },
};

static const kd_import_column vacancy_columns[] = {
	{ "employer_id", NULL, "employer_id", KD_CELL_NUMBER, true },
	{ "title", NULL, "title", KD_CELL_STRING, true },
	{ "kbji_code", NULL, "kbji_code", KD_CELL_STRING, false },
	{ "desa_code", NULL, "desa_code", KD_CELL_STRING, true },
	{ "location_lat", "location", "lat", KD_CELL_NUMBER, false },
	{ "location_lon", "location", "lon", KD_CELL_NUMBER, false },
	{ "required_skills", NULL, "required_skills", KD_CELL_LIST, true },
	{ "optional_skills", NULL, "optional_skills", KD_CELL_LIST, false },
	{ "min_education", NULL, "min_education", KD_CELL_STRING, true },
	{ "openings", NULL, "openings", KD_CELL_NUMBER, true },
	{ "wage_min", NULL, "wage_min", KD_CELL_NUMBER, false },
	{ "wage_max", NULL, "wage_max", KD_CELL_NUMBER, false },
	{ "closes_on", NULL, "closes_on", KD_CELL_STRING, false },
	{ "disability_friendly", NULL, "disability_friendly", KD_CELL_BOOL, false },
};

const kd_import_column *kd_import_columns(kd_import_kind kind, size_t *count)
{
	if (kind == KD_IMPORT_SEEKERS) {
		*count = KD_ARRAY_LEN(seeker_columns);
		return seeker_columns;
	}
	*count = KD_ARRAY_LEN(vacancy_columns);
	return vacancy_columns;
}

/* A header cell fit to print: cut short, control characters shown as '?'. */
static void printable_name(const char *name, char *out, size_t size)
{
	size_t i = 0;
	for (; name[i] && i + 1 < size; i++)
		out[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
	out[i] = '\0';
}

int kd_import_map_header(kd_import_kind kind, char *const header[], size_t n,
			 const char *optional_required, const kd_import_column **map,
			 char *why, size_t whylen)
{
	size_t ncolumns;
	const kd_import_column *columns = kd_import_columns(kind, &ncolumns);
	char name[48];
	for (size_t i = 0; i < n; i++) {
		map[i] = NULL;
		for (size_t c = 0; c < ncolumns && !map[i]; c++)
			if (strcmp(header[i], columns[c].name) == 0)
				map[i] = &columns[c];
		printable_name(header[i], name, sizeof(name));
		if (!map[i]) {
			snprintf(why, whylen, "unknown column \"%s\"", name);
			return kd_error(EINVAL);
		}
		for (size_t j = 0; j < i; j++)
			if (map[j] == map[i]) {
				snprintf(why, whylen, "column \"%s\" given twice", name);
				return kd_error(EINVAL);
			}
	}
	for (size_t c = 0; c < ncolumns; c++) {
		if (!columns[c].required ||
		    (optional_required && strcmp(columns[c].name, optional_required) == 0))
			continue;
		size_t i = 0;
		while (i < n && map[i] != &columns[c])
			i++;
		if (i == n) {
			snprintf(why, whylen, "missing column \"%s\"", columns[c].name);
			return kd_error(EINVAL);
		}
	}
	return kd_ok();
}

static json_t *bool_or_string(const char *text)
{
	static const char *const yes[] = { "true", "yes", "ya", "1" };
	static const char *const no[] = { "false", "no", "tidak", "0" };
	for (size_t i = 0; i < KD_ARRAY_LEN(yes); i++) {
		if (strcasecmp(text, yes[i]) == 0)
			return json_true();
		if (strcasecmp(text, no[i]) == 0)
			return json_false();
	}
	return json_string(text);
}

/* A JSON number literal becomes that number (so 1e400 meets the same rules as in a body). */
static json_t *number_or_string(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (v && json_is_number(v))
		return v;
	json_decref(v);
	if (json_error_code(&jerr) == json_error_numeric_overflow)
		return json_real(text[0] == '-' ? -1e308 : 1e308);
	return json_string(text);
}

/* Cells split at ';' and '|', each trimmed of spaces; empty pieces kept for the validator. */
static json_t *list_of(const char *text)
{
	json_t *list = json_array();
	const char *p = text;
	while (list) {
		size_t n = strcspn(p, ";|");
		const char *start = p, *end = p + n;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (json_array_append_new(list, json_stringn(start, (size_t)(end - start))) < 0) {
			json_decref(list);
			return NULL;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	return list;
}

static json_t *cell_value(const kd_import_column *column, const char *text)
{
	switch (column->type) {
	case KD_CELL_NUMBER:
		return number_or_string(text);
	case KD_CELL_BOOL:
		return bool_or_string(text);
	case KD_CELL_LIST:
		return list_of(text);
	default:
		return json_string(text);
	}
}

json_t *kd_import_row_json(const kd_import_column *const map[], char *const cells[], size_t n)
{
	json_t *row = json_object();
	for (size_t i = 0; row && i < n; i++) {
		if (cells[i][0] == '\0')
			continue;
		json_t *target = row;
		if (map[i]->object) {
			target = json_object_get(row, map[i]->object);
			if (!target) {
				target = json_object();
				if (json_object_set_new(row, map[i]->object, target) < 0)
					target = NULL;
			}
		}
		json_t *value = cell_value(map[i], cells[i]);
		if (!target || !value || json_object_set_new(target, map[i]->key, value) < 0) {
			json_decref(row);
			return NULL;
		}
	}
	return row;
}
