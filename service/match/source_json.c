/*
 * The offline input of `kerjadekat match --input`:
 *
 *   {"seekers": [{"id", "kecamatan_code", "lat", "lon", "education",
 *                 "skills", "experience_years", "max_distance_km",
 *                 "registered_at"}, ...],
 *    "vacancies": [{"id", "kecamatan_code", "lat", "lon", "min_education",
 *                   "required_skills", "optional_skills", "openings",
 *                   "wage_max"}, ...],
 *    "travel_km": [{"from", "to", "km"}, ...]}
 *
 * docs/matcher.md gives each field's type; unknown and repeated keys are
 * errors, so that a misspelt field is never silently ignored.
 */
#include "match/source.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/text.h"
#include "kd.h"
#include "match/json_pull.h"
#include "match/timestamp.h"

#define MAX_LABEL 200
/* Slots of the cache of skill labels as written (a power of two). */
#define LABELS_SEEN 512

/*
 * A skill label as the document wrote it and its id: a national instance
 * names a few hundred skills some 40 million times, and normalising and
 * interning each again was a fifth of reading it.
 */
typedef struct label_seen {
	char *raw;              /* owned; NULL for an empty slot */
	size_t len;
	uint32_t id;
} label_seen;

typedef struct list_at {
	size_t first;
	uint32_t n;
} list_at;

typedef struct reader {
	kd_json_pull pull;
	kd_match_source *src;
	size_t n_seekers, cap_seekers;
	size_t n_vacancies, cap_vacancies;
	size_t cap_travel;
	/* Skill lists by offset into the pool until it stops moving. */
	list_at *seeker_skills, *vacancy_required, *vacancy_optional;
	size_t cap_seeker_skills, cap_required, cap_optional;
	size_t n_pool, cap_pool;
	uint32_t *scratch;
	size_t cap_scratch;
	label_seen seen[LABELS_SEEN];
	const char *array;      /* the array being read, for messages */
	size_t index;           /* the element being read */
	char at[64];            /* "seekers[12]", written by at() */
	kd_json_token pushed_back; /* KD_JSON_END when none */
	char *err;
	size_t errlen;
} reader;

/* "seekers[12]": formatted only when a message needs it. */
static const char *at(reader *r)
{
	snprintf(r->at, sizeof(r->at), "%s[%zu]", r->array, r->index);
	return r->at;
}

static int bad(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return kd_error(EINVAL);
}

/* The next token; a syntax or read error becomes the reader's message. */
static int next(reader *r, kd_json_token *t)
{
	if (r->pushed_back != KD_JSON_END) {
		*t = r->pushed_back;
		r->pushed_back = KD_JSON_END;
		return kd_ok();
	}
	*t = kd_json_pull_next(&r->pull);
	if (*t != KD_JSON_ERROR)
		return kd_ok();
	if (ferror(r->pull.in)) {
		snprintf(r->err, r->errlen, "read error");
		return kd_error(EIO);
	}
	return bad(r, "%s", r->pull.error);
}

static int grow(void **array, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return kd_ok();
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	void *p = realloc(*array, n * size);
	if (p == NULL)
		return kd_error(ENOMEM);
	*array = p;
	*cap = n;
	return kd_ok();
}

static int read_number(reader *r, const char *field, bool nullable, double *out)
{
	kd_json_token t;
	int rc = next(r, &t);
	if (rc < 0)
		return rc;
	if (t == KD_JSON_NULL && nullable) {
		*out = NAN;
		return kd_ok();
	}
	if (t != KD_JSON_NUMBER)
		return bad(r, "%s.%s: expected a number%s", at(r), field, nullable ? " or null" : "");
	*out = kd_decimal_value(r->pull.text);
	if (!isfinite(*out))
		return bad(r, "%s.%s: number out of range", at(r), field);
	return kd_ok();
}

static int read_integer(reader *r, const char *field, bool nullable, int64_t lo, int64_t hi,
			int64_t *out, bool *is_null)
{
	kd_json_token t;
	int rc = next(r, &t);
	if (rc < 0)
		return rc;
	if (is_null != NULL)
		*is_null = t == KD_JSON_NULL && nullable;
	if (t == KD_JSON_NULL && nullable)
		return kd_ok();
	if (t != KD_JSON_NUMBER || !r->pull.integer)
		return bad(r, "%s.%s: expected an integer%s", at(r), field,
			   nullable ? " or null" : "");
	errno = 0;
	long long v = strtoll(r->pull.text, NULL, 10);
	if (errno != 0 || v < lo || v > hi)
		return bad(r, "%s.%s: must be between %lld and %lld", at(r), field, (long long)lo,
			   (long long)hi);
	*out = v;
	return kd_ok();
}

/* A string value into r->pull.text; NULL-able strings report *is_null. */
static int read_string(reader *r, const char *field, bool *is_null)
{
	kd_json_token t;
	int rc = next(r, &t);
	if (rc < 0)
		return rc;
	if (is_null != NULL && t == KD_JSON_NULL) {
		*is_null = true;
		return kd_ok();
	}
	if (is_null != NULL)
		*is_null = false;
	if (t != KD_JSON_STRING)
		return bad(r, "%s.%s: expected a string%s", at(r), field,
			   is_null != NULL ? " or null" : "");
	return kd_ok();
}

static bool kecamatan_code_valid(const char *s)
{
	static const char pattern[] = "99.99.99";
	for (size_t i = 0; i < sizeof(pattern) - 1; i++)
		if (pattern[i] == '9' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pattern[i])
			return false;
	return s[sizeof(pattern) - 1] == '\0';
}

/* A kecamatan code (or null when nullable) into *kecamatan. */
static int read_kecamatan(reader *r, const char *field, bool nullable, uint32_t *kecamatan)
{
	bool is_null = false;
	int rc = read_string(r, field, nullable ? &is_null : NULL);
	if (rc < 0)
		return rc;
	if (is_null) {
		*kecamatan = KD_MATCH_NO_KECAMATAN;
		return kd_ok();
	}
	if (!kecamatan_code_valid(r->pull.text))
		return bad(r, "%s.%s: expected a code like \"64.02.06\"", at(r), field);
	return kd_labels_intern(&r->src->kecamatan, r->pull.text, kecamatan);
}

static int read_education(reader *r, const char *field, kd_education *out)
{
	int rc = read_string(r, field, NULL);
	if (rc < 0)
		return rc;
	int level = kd_education_parse(r->pull.text);
	if (level < 0)
		return bad(r, "%s.%s: unknown education level", at(r), field);
	*out = (kd_education)level;
	return kd_ok();
}

static label_seen *label_slot(reader *r)
{
	uint32_t hash = 2166136261u;
	for (size_t i = 0; i < r->pull.text_len; i++)
		hash = (hash ^ (unsigned char)r->pull.text[i]) * 16777619u;
	return &r->seen[hash & (LABELS_SEEN - 1)];
}

/*
 * The id of the label just read: from the cache when the same bytes came
 * before (they normalise alike), else normalised and interned, then kept.
 */
static int label_id(reader *r, const char *field, size_t n, uint32_t *id)
{
	label_seen *slot = label_slot(r);
	if (slot->raw != NULL && slot->len == r->pull.text_len &&
	    memcmp(slot->raw, r->pull.text, slot->len) == 0) {
		*id = slot->id;
		return kd_ok();
	}
	char label[MAX_LABEL + 1];
	int len = kd_text_normalise(r->pull.text, label, sizeof(label));
	if (len < 0)
		return bad(r, "%s.%s[%zu]: longer than %d bytes", at(r), field, n, MAX_LABEL);
	if (len == 0)
		return bad(r, "%s.%s[%zu]: empty label", at(r), field, n);
	if (kd_labels_intern(&r->src->skills, label, id) < 0)
		return kd_error(ENOMEM);
	char *raw = malloc(r->pull.text_len + 1);
	if (raw != NULL) {
		memcpy(raw, r->pull.text, r->pull.text_len + 1);
		free(slot->raw);
		*slot = (label_seen){ raw, r->pull.text_len, *id };
	}
	return kd_ok();
}

/* An array of skill labels, normalised, interned and appended to the pool. */
static int read_skills(reader *r, const char *field, list_at *out)
{
	kd_json_token t;
	int rc = next(r, &t);
	if (rc < 0)
		return rc;
	if (t != KD_JSON_ARRAY_BEGIN)
		return bad(r, "%s.%s: expected an array of strings", at(r), field);
	size_t n = 0;
	for (;;) {
		if ((rc = next(r, &t)) < 0)
			return rc;
		if (t == KD_JSON_ARRAY_END)
			break;
		if (t != KD_JSON_STRING)
			return bad(r, "%s.%s[%zu]: expected a string", at(r), field, n);
		if (grow((void **)&r->scratch, &r->cap_scratch, n + 1, sizeof(*r->scratch)) < 0)
			return kd_error(ENOMEM);
		if ((rc = label_id(r, field, n, &r->scratch[n])) < 0)
			return rc;
		n++;
	}
	/* Lists are short: insertion sort, then "Las" and "las" become one skill. */
	for (size_t i = 1; i < n; i++) {
		uint32_t x = r->scratch[i];
		size_t j = i;
		for (; j > 0 && r->scratch[j - 1] > x; j--)
			r->scratch[j] = r->scratch[j - 1];
		r->scratch[j] = x;
	}
	size_t unique = 0;
	for (size_t i = 0; i < n; i++)
		if (unique == 0 || r->scratch[i] != r->scratch[unique - 1])
			r->scratch[unique++] = r->scratch[i];
	if (grow((void **)&r->src->skill_pool, &r->cap_pool, r->n_pool + unique,
		 sizeof(*r->src->skill_pool)) < 0)
		return kd_error(ENOMEM);
	*out = (list_at){ r->n_pool, (uint32_t)unique };
	for (size_t i = 0; i < unique; i++)
		r->src->skill_pool[r->n_pool++] = (int32_t)r->scratch[i];
	return kd_ok();
}

typedef int (*field_reader)(reader *r, unsigned field, void *record);

/*
 * Reads one object whose keys must come from names (at most 32); fields in
 * the `required` bit set must be present.  Each value is read by fn.
 */
static int read_object(reader *r, const char *const *names, unsigned n_names,
		       unsigned required, field_reader fn, void *record)
{
	kd_json_token t;
	int rc = next(r, &t);
	if (rc < 0)
		return rc;
	if (t != KD_JSON_OBJECT_BEGIN)
		return bad(r, "%s: expected an object", at(r));
	unsigned seen = 0, field = n_names - 1;
	for (;;) {
		if ((rc = next(r, &t)) < 0)
			return rc;
		if (t == KD_JSON_OBJECT_END)
			break;
		/* Keys usually come in the documented order: look after the last one first. */
		unsigned tried = 0;
		do
			field = (field + 1) % n_names;
		while (++tried <= n_names && strcmp(names[field], r->pull.text) != 0);
		if (tried > n_names)
			return bad(r, "%s.%.40s: unknown key", at(r), r->pull.text);
		if (seen & 1u << field)
			return bad(r, "%s.%s: repeated key", at(r), names[field]);
		seen |= 1u << field;
		if ((rc = fn(r, field, record)) < 0)
			return rc;
	}
	for (unsigned field = 0; field < n_names; field++)
		if ((required & ~seen) & 1u << field)
			return bad(r, "%s.%s: missing", at(r), names[field]);
	return kd_ok();
}

static int check_location(reader *r, const char *field, double value, double limit)
{
	if (!isnan(value) && fabs(value) > limit)
		return bad(r, "%s.%s: must be between %g and %g", at(r), field, -limit, limit);
	return kd_ok();
}

enum seeker_field {
	S_ID, S_KECAMATAN, S_LAT, S_LON, S_EDUCATION, S_SKILLS, S_EXPERIENCE,
	S_MAX_DISTANCE, S_REGISTERED_AT, S_COUNT
};

static const char *const seeker_fields[S_COUNT] = {
	"id", "kecamatan_code", "lat", "lon", "education", "skills", "experience_years",
	"max_distance_km", "registered_at",
};

static int seeker_field(reader *r, unsigned field, void *record)
{
	kd_match_seeker *s = record;
	const char *name = seeker_fields[field];
	list_at *skills = &r->seeker_skills[r->n_seekers];
	int64_t n;
	bool is_null;
	int rc;
	switch ((enum seeker_field)field) {
	case S_ID:
		return read_integer(r, name, false, 1, INT64_MAX, &s->id, NULL);
	case S_KECAMATAN:
		return read_kecamatan(r, name, true, &s->kecamatan);
	case S_LAT:
		rc = read_number(r, name, true, &s->lat);
		return rc < 0 ? rc : check_location(r, name, s->lat, 90.0);
	case S_LON:
		rc = read_number(r, name, true, &s->lon);
		return rc < 0 ? rc : check_location(r, name, s->lon, 180.0);
	case S_EDUCATION:
		return read_education(r, name, &s->education);
	case S_SKILLS:
		return read_skills(r, name, skills);
	case S_EXPERIENCE:
		rc = read_integer(r, name, false, 0, 100, &n, NULL);
		s->experience_years = (uint32_t)n;
		return rc;
	case S_MAX_DISTANCE:
		if ((rc = read_number(r, name, true, &s->max_distance_km)) < 0)
			return rc;
		is_null = isnan(s->max_distance_km);
		if (!is_null && !(s->max_distance_km > 0.0 && s->max_distance_km <= KD_MATCH_MAX_KM))
			return bad(r, "%s.%s: must be above 0 and at most 20000", at(r), name);
		if (is_null)
			s->max_distance_km = 0.0;
		return kd_ok();
	case S_REGISTERED_AT:
		if ((rc = read_string(r, name, NULL)) < 0)
			return rc;
		if (kd_match_parse_timestamp(r->pull.text, &s->registered_at) < 0)
			return bad(r, "%s.%s: expected an ISO-8601 timestamp", at(r), name);
		return kd_ok();
	case S_COUNT:
		break;
	}
	return kd_error(EINVAL);
}

static int read_seeker(reader *r)
{
	if (grow((void **)&r->src->seekers, &r->cap_seekers, r->n_seekers + 1,
		 sizeof(*r->src->seekers)) < 0 ||
	    grow((void **)&r->seeker_skills, &r->cap_seeker_skills, r->n_seekers + 1,
		 sizeof(*r->seeker_skills)) < 0)
		return kd_error(ENOMEM);
	kd_match_seeker *s = &r->src->seekers[r->n_seekers];
	*s = (kd_match_seeker){ .kecamatan = KD_MATCH_NO_KECAMATAN, .lat = NAN, .lon = NAN };
	r->seeker_skills[r->n_seekers] = (list_at){ 0, 0 };
	unsigned required = 1u << S_ID | 1u << S_KECAMATAN | 1u << S_LAT | 1u << S_LON |
			    1u << S_EDUCATION | 1u << S_SKILLS | 1u << S_REGISTERED_AT;
	int rc = read_object(r, seeker_fields, S_COUNT, required, seeker_field, s);
	if (rc == kd_ok())
		r->n_seekers++;
	return rc;
}

enum vacancy_field {
	V_ID, V_KECAMATAN, V_LAT, V_LON, V_MIN_EDUCATION, V_REQUIRED, V_OPTIONAL,
	V_OPENINGS, V_WAGE_MAX, V_COUNT
};

static const char *const vacancy_fields[V_COUNT] = {
	"id", "kecamatan_code", "lat", "lon", "min_education", "required_skills",
	"optional_skills", "openings", "wage_max",
};

static int vacancy_field(reader *r, unsigned field, void *record)
{
	kd_match_vacancy *v = record;
	const char *name = vacancy_fields[field];
	int64_t n;
	bool is_null;
	int rc;
	switch ((enum vacancy_field)field) {
	case V_ID:
		return read_integer(r, name, false, 1, INT64_MAX, &v->id, NULL);
	case V_KECAMATAN:
		return read_kecamatan(r, name, false, &v->kecamatan);
	case V_LAT:
		rc = read_number(r, name, false, &v->lat);
		return rc < 0 ? rc : check_location(r, name, v->lat, 90.0);
	case V_LON:
		rc = read_number(r, name, false, &v->lon);
		return rc < 0 ? rc : check_location(r, name, v->lon, 180.0);
	case V_MIN_EDUCATION:
		return read_education(r, name, &v->min_education);
	case V_REQUIRED:
		return read_skills(r, name, &r->vacancy_required[r->n_vacancies]);
	case V_OPTIONAL:
		return read_skills(r, name, &r->vacancy_optional[r->n_vacancies]);
	case V_OPENINGS:
		rc = read_integer(r, name, false, 0, 1000000, &n, NULL);
		v->openings = (uint32_t)n;
		return rc;
	case V_WAGE_MAX:
		rc = read_integer(r, name, true, 0, INT64_MAX, &n, &is_null);
		v->wage_max = is_null ? KD_MATCH_NO_WAGE : n;
		return rc;
	case V_COUNT:
		break;
	}
	return kd_error(EINVAL);
}

static int read_vacancy(reader *r)
{
	size_t i = r->n_vacancies;
	if (grow((void **)&r->src->vacancies, &r->cap_vacancies, i + 1,
		 sizeof(*r->src->vacancies)) < 0 ||
	    grow((void **)&r->vacancy_required, &r->cap_required, i + 1,
		 sizeof(*r->vacancy_required)) < 0 ||
	    grow((void **)&r->vacancy_optional, &r->cap_optional, i + 1,
		 sizeof(*r->vacancy_optional)) < 0)
		return kd_error(ENOMEM);
	kd_match_vacancy *v = &r->src->vacancies[i];
	*v = (kd_match_vacancy){ .wage_max = KD_MATCH_NO_WAGE };
	r->vacancy_required[i] = r->vacancy_optional[i] = (list_at){ 0, 0 };
	unsigned required = 1u << V_ID | 1u << V_KECAMATAN | 1u << V_LAT | 1u << V_LON |
			    1u << V_MIN_EDUCATION | 1u << V_REQUIRED | 1u << V_OPENINGS;
	int rc = read_object(r, vacancy_fields, V_COUNT, required, vacancy_field, v);
	if (rc == kd_ok())
		r->n_vacancies++;
	return rc;
}

enum travel_field { T_FROM, T_TO, T_KM, T_COUNT };

static const char *const travel_fields[T_COUNT] = { "from", "to", "km" };

static int travel_field(reader *r, unsigned field, void *record)
{
	kd_match_travel *t = record;
	const char *name = travel_fields[field];
	switch ((enum travel_field)field) {
	case T_FROM:
		return read_kecamatan(r, name, false, &t->from);
	case T_TO:
		return read_kecamatan(r, name, false, &t->to);
	case T_KM:
		return read_number(r, name, false, &t->km);
	case T_COUNT:
		break;
	}
	return kd_error(EINVAL);
}

static int read_travel(reader *r)
{
	kd_match_source *src = r->src;
	if (grow((void **)&src->travel, &r->cap_travel, src->n_travel + 1,
		 sizeof(*src->travel)) < 0)
		return kd_error(ENOMEM);
	kd_match_travel *t = &src->travel[src->n_travel];
	*t = (kd_match_travel){ 0 };
	int rc = read_object(r, travel_fields, T_COUNT, 7u, travel_field, t);
	if (rc == kd_ok())
		src->n_travel++;
	return rc;
}

/* Reads an array whose elements are read by element(); at names each one. */
static int read_array(reader *r, const char *name, int (*element)(reader *r))
{
	kd_json_token t;
	int rc = next(r, &t);
	if (rc < 0)
		return rc;
	if (t != KD_JSON_ARRAY_BEGIN)
		return bad(r, "%s: expected an array", name);
	for (size_t i = 0;; i++) {
		if ((rc = next(r, &t)) < 0)
			return rc;
		if (t == KD_JSON_ARRAY_END)
			return kd_ok();
		/* The pull reader keeps the token's text until its next call. */
		r->pushed_back = t;
		r->array = name;
		r->index = i;
		if ((rc = element(r)) < 0)
			return rc;
	}
}

static int read_document(reader *r)
{
	kd_json_token t;
	bool seen_seekers = false, seen_vacancies = false, seen_travel = false;
	int rc = next(r, &t);
	if (rc < 0)
		return rc;
	if (t != KD_JSON_OBJECT_BEGIN)
		return bad(r, "expected an object with \"seekers\" and \"vacancies\"");
	for (;;) {
		if ((rc = next(r, &t)) < 0)
			return rc;
		if (t == KD_JSON_OBJECT_END)
			break;
		bool *seen;
		int (*element)(reader *r);
		const char *name;
		if (strcmp(r->pull.text, "seekers") == 0)
			seen = &seen_seekers, element = read_seeker, name = "seekers";
		else if (strcmp(r->pull.text, "vacancies") == 0)
			seen = &seen_vacancies, element = read_vacancy, name = "vacancies";
		else if (strcmp(r->pull.text, "travel_km") == 0)
			seen = &seen_travel, element = read_travel, name = "travel_km";
		else
			return bad(r, "%.40s: unknown key", r->pull.text);
		if (*seen)
			return bad(r, "%s: repeated key", name);
		*seen = true;
		if ((rc = read_array(r, name, element)) < 0)
			return rc;
	}
	if ((rc = next(r, &t)) < 0)
		return rc;
	if (!seen_seekers)
		return bad(r, "seekers: missing");
	if (!seen_vacancies)
		return bad(r, "vacancies: missing");
	return kd_ok();
}

static void sort_ids(int32_t *ids, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		int32_t x = ids[i];
		uint32_t j = i;
		for (; j > 0 && ids[j - 1] > x; j--)
			ids[j] = ids[j - 1];
		ids[j] = x;
	}
}

static int32_t *list_in_pool(const kd_match_source *src, list_at at)
{
	return at.n > 0 ? src->skill_pool + at.first : NULL;
}

/* Renumbers skills in label order and points every list into the pool. */
static int finish(reader *r)
{
	kd_match_source *src = r->src;
	uint32_t *remap = malloc(((size_t)src->skills.n + 1) * sizeof(*remap));
	if (remap == NULL || kd_labels_sort(&src->skills, remap) < 0) {
		free(remap);
		return kd_error(ENOMEM);
	}
	for (size_t i = 0; i < r->n_pool; i++)
		src->skill_pool[i] = (int32_t)remap[src->skill_pool[i]];
	free(remap);
	for (size_t i = 0; i < r->n_seekers; i++) {
		list_at at = r->seeker_skills[i];
		src->seekers[i].skills = list_in_pool(src, at);
		src->seekers[i].n_skills = at.n;
		sort_ids(list_in_pool(src, at), at.n);
	}
	for (size_t i = 0; i < r->n_vacancies; i++) {
		list_at req = r->vacancy_required[i], opt = r->vacancy_optional[i];
		kd_match_vacancy *v = &src->vacancies[i];
		v->required_skills = list_in_pool(src, req);
		v->n_required = req.n;
		v->optional_skills = list_in_pool(src, opt);
		v->n_optional = opt.n;
		sort_ids(list_in_pool(src, req), req.n);
		sort_ids(list_in_pool(src, opt), opt.n);
	}
	src->input = (kd_match_input){
		.seekers = src->seekers,
		.n_seekers = r->n_seekers,
		.vacancies = src->vacancies,
		.n_vacancies = r->n_vacancies,
		.n_skills = src->skills.n,
	};
	return kd_ok();
}

int kd_match_source_read_json(kd_match_source *src, FILE *in, char *err, size_t errlen)
{
	*src = (kd_match_source){ 0 };
	kd_labels_init(&src->skills);
	kd_labels_init(&src->kecamatan);
	reader *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return kd_error(ENOMEM);
	r->src = src;
	r->err = err;
	r->errlen = errlen;
	r->pushed_back = KD_JSON_END;
	kd_json_pull_init(&r->pull, in);
	int rc = read_document(r);
	if (rc == kd_ok())
		rc = finish(r);
	if (rc == kd_error(ENOMEM))
		snprintf(err, errlen, "out of memory");
	kd_json_pull_free(&r->pull);
	free(r->seeker_skills);
	free(r->vacancy_required);
	free(r->vacancy_optional);
	free(r->scratch);
	for (size_t i = 0; i < LABELS_SEEN; i++)
		free(r->seen[i].raw);
	free(r);
	if (rc < 0)
		kd_match_source_free(src);
	return rc;
}

void kd_match_source_free(kd_match_source *src)
{
	free(src->seekers);
	free(src->vacancies);
	free(src->skill_pool);
	free(src->travel);
	free(src->excluded);
	kd_labels_free(&src->skills);
	kd_labels_free(&src->kecamatan);
	*src = (kd_match_source){ 0 };
}
