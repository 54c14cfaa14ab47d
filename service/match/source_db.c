/*
 * One query per table, in text format: at 10^5 seekers a single result
 * parsed in place costs less than the round trips of any batching, and
 * integer arrays in PostgreSQL's text form ("{3,17,42}") need no server-side
 * unnesting.  Seekers and vacancies come in no particular order: the matcher
 * orders them by id itself, faster than the index scan an ORDER BY brings.
 */
#include "match/source_db.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kd.h"

static const char skills_sql[] =
	"SELECT id, code FROM skills ORDER BY code COLLATE \"C\"";

static const char kecamatan_sql[] =
	"SELECT code FROM kecamatan ORDER BY code COLLATE \"C\"";

static const char travel_sql[] =
	"SELECT from_code, to_code, km FROM kecamatan_travel"
	" ORDER BY from_code COLLATE \"C\", to_code COLLATE \"C\"";

enum { S_ID, S_KECAMATAN, S_LAT, S_LON, S_EDUCATION, S_SKILLS, S_EXPERIENCE, S_MAX_DISTANCE,
       S_REGISTERED_AT };

static const char seekers_sql[] =
	"SELECT id, kecamatan_code, lat, lon, education, skill_ids, experience_years,"
	" max_distance_km, (extract(epoch FROM registered_at) * 1000000)::bigint"
	" FROM seekers s WHERE status = 'active'"
	" AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.seeker_id = s.id"
	"  AND p.state IN ('pending', 'accepted'))";

enum { V_ID, V_KECAMATAN, V_LAT, V_LON, V_MIN_EDUCATION, V_REQUIRED, V_OPTIONAL, V_OPENINGS,
       V_WAGE_MAX };

/* A pending offer holds one opening until it is decided or expires. */
static const char vacancies_sql[] =
	"SELECT id, kecamatan_code, lat, lon, min_education, required_skill_ids,"
	" optional_skill_ids, greatest(openings - (SELECT count(*) FROM placements p"
	"  WHERE p.vacancy_id = v.id AND p.state = 'pending'), 0), wage_max"
	" FROM vacancies v WHERE status = 'open' AND openings > 0"
	" AND (closes_on IS NULL OR closes_on >= $1::date)";

/* Offers turned down, by either side or by the clock, are never made again. */
static const char excluded_sql[] =
	"SELECT DISTINCT seeker_id, vacancy_id FROM placements"
	" WHERE state IN ('rejected', 'declined', 'expired')";

/* A taxonomy id and the matcher's id for it (its rank in code order). */
typedef struct skill_ref {
	int32_t taxonomy_id;
	int32_t id;
} skill_ref;

typedef struct reader {
	PGconn *pg;
	kd_match_source *src;
	skill_ref *skill_refs;  /* ascending taxonomy_id */
	uint32_t n_skill_refs;
	size_t n_pool;
	char *err;
	size_t errlen;
} reader;

static int bad(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return kd_error(EINVAL);
}

/*
 * Runs a query expecting rows.  Only the primary message of a failure is
 * kept: details may quote stored values.
 */
static PGresult *query(reader *r, const char *what, const char *sql, int nparams,
		       const char *const *params)
{
	PGresult *res = PQexecParams(r->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	snprintf(r->err, r->errlen, "reading %s: %s", what,
		 primary ? primary : PQerrorMessage(r->pg));
	/* libpq's own messages end in a newline. */
	size_t n = strlen(r->err);
	if (n > 0 && r->err[n - 1] == '\n')
		r->err[n - 1] = '\0';
	PQclear(res);
	return NULL;
}

static bool parse_int64(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0')
		return false;
	*out = v;
	return true;
}

static bool parse_double(const char *text, double *out)
{
	char *end;
	*out = strtod(text, &end);
	return end != text && *end == '\0' && isfinite(*out);
}

static int skill_ref_cmp(const void *pa, const void *pb)
{
	const skill_ref *a = pa, *b = pb;
	return (a->taxonomy_id > b->taxonomy_id) - (a->taxonomy_id < b->taxonomy_id);
}

static int read_skills(reader *r)
{
	PGresult *res = query(r, "skills", skills_sql, 0, NULL);
	if (res == NULL)
		return kd_error(EIO);
	int rows = PQntuples(res);
	int rc = kd_ok();
	r->skill_refs = malloc(((size_t)rows + 1) * sizeof(*r->skill_refs));
	if (r->skill_refs == NULL)
		rc = kd_error(ENOMEM);
	for (int i = 0; i < rows && rc == kd_ok(); i++) {
		int64_t taxonomy_id;
		uint32_t id;
		if (!parse_int64(PQgetvalue(res, i, 0), &taxonomy_id))
			rc = bad(r, "skills: unreadable id");
		else if (kd_labels_intern(&r->src->skills, PQgetvalue(res, i, 1), &id) < 0)
			rc = kd_error(ENOMEM);
		else
			r->skill_refs[i] = (skill_ref){ (int32_t)taxonomy_id, (int32_t)id };
	}
	PQclear(res);
	if (rc < 0)
		return rc;
	r->n_skill_refs = (uint32_t)rows;
	if (r->n_skill_refs > 1)
		qsort(r->skill_refs, r->n_skill_refs, sizeof(*r->skill_refs), skill_ref_cmp);
	return kd_ok();
}

static int read_kecamatan(reader *r)
{
	PGresult *res = query(r, "kecamatan", kecamatan_sql, 0, NULL);
	if (res == NULL)
		return kd_error(EIO);
	int rc = kd_ok();
	uint32_t id;
	for (int i = 0; i < PQntuples(res) && rc == kd_ok(); i++)
		rc = kd_labels_intern(&r->src->kecamatan, PQgetvalue(res, i, 0), &id);
	PQclear(res);
	return rc;
}

/* The index of a stored kecamatan code; codes outside the table are refused. */
static int kecamatan_id(reader *r, const char *code, const char *where, uint32_t *id)
{
	uint32_t known = r->src->kecamatan.n;
	if (kd_labels_intern(&r->src->kecamatan, code, id) < 0)
		return kd_error(ENOMEM);
	if (*id >= known)
		return bad(r, "%s: kecamatan %.20s is not in the kecamatan table", where, code);
	return kd_ok();
}

static int read_travel(reader *r)
{
	PGresult *res = query(r, "kecamatan_travel", travel_sql, 0, NULL);
	if (res == NULL)
		return kd_error(EIO);
	kd_match_source *src = r->src;
	int rows = PQntuples(res);
	int rc = kd_ok();
	src->travel = malloc(((size_t)rows + 1) * sizeof(*src->travel));
	if (src->travel == NULL)
		rc = kd_error(ENOMEM);
	for (int i = 0; i < rows && rc == kd_ok(); i++) {
		kd_match_travel *t = &src->travel[i];
		if ((rc = kecamatan_id(r, PQgetvalue(res, i, 0), "kecamatan_travel", &t->from)) < 0 ||
		    (rc = kecamatan_id(r, PQgetvalue(res, i, 1), "kecamatan_travel", &t->to)) < 0)
			break;
		if (!parse_double(PQgetvalue(res, i, 2), &t->km))
			rc = bad(r, "kecamatan_travel: unreadable km");
	}
	PQclear(res);
	if (rc == kd_ok())
		src->n_travel = (size_t)rows;
	return rc;
}

/* Elements of an integer array in text form: "{}" has none, "{3,17}" two. */
static size_t array_length(const char *text)
{
	if (strcmp(text, "{}") == 0)
		return 0;
	size_t n = 1;
	for (; *text; text++)
		n += *text == ',';
	return n;
}

static int32_t *skill_id_of(reader *r, int64_t taxonomy_id)
{
	if (taxonomy_id < INT32_MIN || taxonomy_id > INT32_MAX)
		return NULL;
	skill_ref key = { (int32_t)taxonomy_id, 0 };
	skill_ref *found = r->n_skill_refs == 0 ? NULL :
		bsearch(&key, r->skill_refs, r->n_skill_refs, sizeof(key), skill_ref_cmp);
	return found ? &found->id : NULL;
}

/* Ascending and without repeats, as the matcher requires. */
static uint32_t sort_unique(int32_t *ids, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		int32_t x = ids[i];
		uint32_t j = i;
		for (; j > 0 && ids[j - 1] > x; j--)
			ids[j] = ids[j - 1];
		ids[j] = x;
	}
	uint32_t unique = 0;
	for (uint32_t i = 0; i < n; i++)
		if (unique == 0 || ids[i] != ids[unique - 1])
			ids[unique++] = ids[i];
	return unique;
}

/*
 * Appends the skills of an integer array (text form) to the pool, as the
 * matcher's ids, ascending; the pool was sized for every list up front.
 */
static int read_skill_list(reader *r, const char *text, const char *where,
			   const int32_t **list, uint32_t *n)
{
	int32_t *out = r->src->skill_pool + r->n_pool;
	uint32_t count = 0;
	const char *p = text + 1;
	if (text[0] != '{')
		return bad(r, "%s: unreadable skill list", where);
	while (*p != '}') {
		char *end;
		errno = 0;
		long long taxonomy_id = strtoll(p, &end, 10);
		if (errno != 0 || end == p || (*end != ',' && *end != '}'))
			return bad(r, "%s: unreadable skill list", where);
		int32_t *id = skill_id_of(r, taxonomy_id);
		if (id == NULL)
			return bad(r, "%s: skill id %lld is not in the taxonomy", where, taxonomy_id);
		out[count++] = *id;
		p = *end == ',' ? end + 1 : end;
	}
	*n = sort_unique(out, count);
	*list = *n > 0 ? out : NULL;
	r->n_pool += *n;
	return kd_ok();
}

/* Drops from a vacancy's optional skills those it requires (both ascending). */
static void drop_required(kd_match_vacancy *v)
{
	int32_t *optional = (int32_t *)v->optional_skills;
	uint32_t kept = 0, j = 0;
	for (uint32_t i = 0; i < v->n_optional; i++) {
		while (j < v->n_required && v->required_skills[j] < optional[i])
			j++;
		if (j == v->n_required || v->required_skills[j] != optional[i])
			optional[kept++] = optional[i];
	}
	v->n_optional = kept;
	if (kept == 0)
		v->optional_skills = NULL;
}

static int read_education(reader *r, const char *text, const char *where, kd_education *out)
{
	int level = kd_education_parse(text);
	if (level < 0)
		return bad(r, "%s: unknown education level", where);
	*out = (kd_education)level;
	return kd_ok();
}

/*
 * Reads a row's place: the kecamatan code in column and lat, lon in the two
 * columns after it.  The kecamatan must be in the kecamatan table.
 */
static int read_place(reader *r, PGresult *res, int row, int column, const char *where,
		      uint32_t *kecamatan, double *lat, double *lon)
{
	int rc = kecamatan_id(r, PQgetvalue(res, row, column), where, kecamatan);
	if (rc < 0)
		return rc;
	if (!parse_double(PQgetvalue(res, row, column + 1), lat) ||
	    !parse_double(PQgetvalue(res, row, column + 2), lon))
		return bad(r, "%s: unreadable coordinates", where);
	return kd_ok();
}

static int read_seeker(reader *r, PGresult *res, int row, kd_match_seeker *s)
{
	char where[48];
	int64_t id, experience, registered_at;
	if (!parse_int64(PQgetvalue(res, row, S_ID), &id))
		return bad(r, "active seeker %d: unreadable id", row + 1);
	/* A seeker id is a random number, not personal data: it may be named. */
	snprintf(where, sizeof(where), "seeker %lld", (long long)id);
	*s = (kd_match_seeker){ .id = id };
	if (!parse_int64(PQgetvalue(res, row, S_EXPERIENCE), &experience) || experience < 0 ||
	    experience > UINT32_MAX ||
	    !parse_int64(PQgetvalue(res, row, S_REGISTERED_AT), &registered_at))
		return bad(r, "%s: unreadable experience or registration time", where);
	s->experience_years = (uint32_t)experience;
	s->registered_at = registered_at;
	int rc = read_place(r, res, row, S_KECAMATAN, where, &s->kecamatan, &s->lat, &s->lon);
	if (rc < 0 || (rc = read_education(r, PQgetvalue(res, row, S_EDUCATION), where,
					   &s->education)) < 0)
		return rc;
	if (!PQgetisnull(res, row, S_MAX_DISTANCE) &&
	    !parse_double(PQgetvalue(res, row, S_MAX_DISTANCE), &s->max_distance_km))
		return bad(r, "%s: unreadable max_distance_km", where);
	return read_skill_list(r, PQgetvalue(res, row, S_SKILLS), where, &s->skills,
			       &s->n_skills);
}

static int read_vacancy(reader *r, PGresult *res, int row, kd_match_vacancy *v)
{
	char where[48];
	int64_t id, openings, wage_max;
	if (!parse_int64(PQgetvalue(res, row, V_ID), &id))
		return bad(r, "open vacancy %d: unreadable id", row + 1);
	snprintf(where, sizeof(where), "vacancy %lld", (long long)id);
	*v = (kd_match_vacancy){ .id = id, .wage_max = KD_MATCH_NO_WAGE };
	if (!parse_int64(PQgetvalue(res, row, V_OPENINGS), &openings) || openings < 0 ||
	    openings > UINT32_MAX)
		return bad(r, "%s: unreadable openings", where);
	v->openings = (uint32_t)openings;
	if (!PQgetisnull(res, row, V_WAGE_MAX)) {
		if (!parse_int64(PQgetvalue(res, row, V_WAGE_MAX), &wage_max))
			return bad(r, "%s: unreadable wage_max", where);
		v->wage_max = wage_max;
	}
	int rc = read_place(r, res, row, V_KECAMATAN, where, &v->kecamatan, &v->lat, &v->lon);
	if (rc < 0 ||
	    (rc = read_education(r, PQgetvalue(res, row, V_MIN_EDUCATION), where,
				 &v->min_education)) < 0 ||
	    (rc = read_skill_list(r, PQgetvalue(res, row, V_REQUIRED), where, &v->required_skills,
				  &v->n_required)) < 0 ||
	    (rc = read_skill_list(r, PQgetvalue(res, row, V_OPTIONAL), where, &v->optional_skills,
				  &v->n_optional)) < 0)
		return rc;
	drop_required(v);
	return kd_ok();
}

/* Pool room for every skill list of both results, before any is read. */
static int size_pool(reader *r, PGresult *seekers, PGresult *vacancies)
{
	size_t total = 0;
	for (int i = 0; i < PQntuples(seekers); i++)
		total += array_length(PQgetvalue(seekers, i, S_SKILLS));
	for (int i = 0; i < PQntuples(vacancies); i++)
		total += array_length(PQgetvalue(vacancies, i, V_REQUIRED)) +
			 array_length(PQgetvalue(vacancies, i, V_OPTIONAL));
	r->src->skill_pool = malloc((total + 1) * sizeof(*r->src->skill_pool));
	return r->src->skill_pool ? kd_ok() : kd_error(ENOMEM);
}

static int read_people_and_jobs(reader *r, kd_date today)
{
	char day[KD_DATE_SIZE];
	kd_date_format(today, day);
	const char *params[] = { day };
	kd_match_source *src = r->src;
	PGresult *seekers = query(r, "seekers", seekers_sql, 0, NULL);
	PGresult *vacancies = seekers ? query(r, "vacancies", vacancies_sql, 1, params) : NULL;
	if (vacancies == NULL) {
		PQclear(seekers);
		return kd_error(EIO);
	}
	size_t n_seekers = (size_t)PQntuples(seekers), n_vacancies = (size_t)PQntuples(vacancies);
	int rc = size_pool(r, seekers, vacancies);
	if (rc == kd_ok()) {
		src->seekers = malloc((n_seekers + 1) * sizeof(*src->seekers));
		src->vacancies = malloc((n_vacancies + 1) * sizeof(*src->vacancies));
		if (src->seekers == NULL || src->vacancies == NULL)
			rc = kd_error(ENOMEM);
	}
	for (size_t i = 0; i < n_seekers && rc == kd_ok(); i++)
		rc = read_seeker(r, seekers, (int)i, &src->seekers[i]);
	for (size_t i = 0; i < n_vacancies && rc == kd_ok(); i++)
		rc = read_vacancy(r, vacancies, (int)i, &src->vacancies[i]);
	PQclear(seekers);
	PQclear(vacancies);
	if (rc < 0)
		return rc;
	src->input = (kd_match_input){
		.seekers = src->seekers,
		.n_seekers = n_seekers,
		.vacancies = src->vacancies,
		.n_vacancies = n_vacancies,
		.n_skills = src->skills.n,
	};
	return kd_ok();
}

static int read_excluded(reader *r)
{
	PGresult *res = query(r, "placements", excluded_sql, 0, NULL);
	if (res == NULL)
		return kd_error(EIO);
	kd_match_source *src = r->src;
	int rows = PQntuples(res);
	int rc = kd_ok();
	src->excluded = malloc(((size_t)rows + 1) * sizeof(*src->excluded));
	if (src->excluded == NULL)
		rc = kd_error(ENOMEM);
	for (int i = 0; i < rows && rc == kd_ok(); i++) {
		kd_match_excluded_pair *pair = &src->excluded[i];
		if (!parse_int64(PQgetvalue(res, i, 0), &pair->seeker_id) ||
		    !parse_int64(PQgetvalue(res, i, 1), &pair->vacancy_id))
			rc = bad(r, "placements: unreadable id");
	}
	PQclear(res);
	if (rc == kd_ok()) {
		src->input.excluded = src->excluded;
		src->input.n_excluded = (size_t)rows;
	}
	return rc;
}

int kd_match_source_read_db(kd_match_source *src, PGconn *pg, kd_date today, char *err,
			    size_t errlen)
{
	*src = (kd_match_source){ 0 };
	kd_labels_init(&src->skills);
	kd_labels_init(&src->kecamatan);
	reader r = { .pg = pg, .src = src, .err = err, .errlen = errlen };
	int rc = read_skills(&r);
	if (rc == kd_ok())
		rc = read_kecamatan(&r);
	if (rc == kd_ok())
		rc = read_travel(&r);
	if (rc == kd_ok())
		rc = read_people_and_jobs(&r, today);
	if (rc == kd_ok())
		rc = read_excluded(&r);
	if (rc == kd_error(ENOMEM))
		snprintf(err, errlen, "out of memory");
	free(r.skill_refs);
	if (rc < 0)
		kd_match_source_free(src);
	return rc;
}
