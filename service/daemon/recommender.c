#include "daemon/recommender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/validate.h"
#include "kd.h"
#include "match/recommend.h"

#define META_MIN_BITS 12          /* 4096 buckets to begin with */
#define MAX_SKILLS 64

/* What the index does not keep but a person wants to read. */
typedef struct vacancy_meta {
	struct vacancy_meta *next;
	int64_t id;
	char *title;
	char *employer;
	char kecamatan_code[KD_KECAMATAN_CODE_SIZE];
} vacancy_meta;

/*
 * The metadata by vacancy id: chained buckets, doubled whenever there are
 * more entries than buckets, so that a lookup reads one or two entries
 * however many vacancies are open.
 */
struct kd_recommender {
	const kd_reference *ref;
	kd_match_model *model;
	kd_match_index *index;
	vacancy_meta **meta;
	unsigned meta_bits;         /* 2^meta_bits buckets */
	size_t n_meta;
	uv_work_t retiring;         /* kd_recommender_free_off_loop */
};

static size_t bucket_of(const kd_recommender *rec, int64_t id)
{
	return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> (64 - rec->meta_bits));
}

static size_t meta_buckets(const kd_recommender *rec)
{
	return (size_t)1 << rec->meta_bits;
}

/* Doubles the buckets; on failure the table stays as it is, only fuller. */
static void meta_grow(kd_recommender *rec)
{
	size_t n = meta_buckets(rec);
	vacancy_meta **grown = calloc(2 * n, sizeof(*grown));
	if (grown == NULL)
		return;
	vacancy_meta **old = rec->meta;
	rec->meta = grown;
	rec->meta_bits++;
	for (size_t b = 0; b < n; b++) {
		for (vacancy_meta *m = old[b], *next; m; m = next) {
			next = m->next;
			size_t to = bucket_of(rec, m->id);
			m->next = grown[to];
			grown[to] = m;
		}
	}
	free(old);
}

static void meta_free(vacancy_meta *m)
{
	free(m->title);
	free(m->employer);
	free(m);
}

static const vacancy_meta *meta_find(const kd_recommender *rec, int64_t id)
{
	for (const vacancy_meta *m = rec->meta[bucket_of(rec, id)]; m; m = m->next)
		if (m->id == id)
			return m;
	return NULL;
}

static void meta_remove(kd_recommender *rec, int64_t id)
{
	for (vacancy_meta **link = &rec->meta[bucket_of(rec, id)]; *link; link = &(*link)->next) {
		if ((*link)->id == id) {
			vacancy_meta *m = *link;
			*link = m->next;
			meta_free(m);
			rec->n_meta--;
			return;
		}
	}
}

static void meta_clear(kd_recommender *rec)
{
	for (size_t b = 0; rec->meta != NULL && b < meta_buckets(rec); b++) {
		for (vacancy_meta *m = rec->meta[b], *next; m; m = next) {
			next = m->next;
			meta_free(m);
		}
		rec->meta[b] = NULL;
	}
	rec->n_meta = 0;
}

static int meta_put(kd_recommender *rec, int64_t id, const char *title, const char *employer,
		    const char *kecamatan_code)
{
	meta_remove(rec, id);
	vacancy_meta *m = calloc(1, sizeof(*m));
	if (m == NULL || (m->title = strdup(title)) == NULL ||
	    (m->employer = strdup(employer)) == NULL) {
		if (m)
			meta_free(m);
		return kd_error(ENOMEM);
	}
	m->id = id;
	snprintf(m->kecamatan_code, sizeof(m->kecamatan_code), "%s", kecamatan_code);
	if (rec->n_meta >= meta_buckets(rec))
		meta_grow(rec);
	size_t b = bucket_of(rec, id);
	m->next = rec->meta[b];
	rec->meta[b] = m;
	rec->n_meta++;
	return kd_ok();
}

/* The position of a kecamatan in the regions' code order, or -1. */
static int64_t kecamatan_index(const kd_reference *ref, const char *code)
{
	size_t n;
	const kd_kecamatan *list = kd_regions_kecamatan_list(ref->regions, &n);
	const kd_kecamatan *k = kd_regions_kecamatan(ref->regions, code);
	return k ? k - list : -1;
}

static int compare_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* Sorts and removes repeats; returns the new count. */
static size_t sort_unique(int32_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), compare_int32);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (out == 0 || v[out - 1] != v[i])
			v[out++] = v[i];
	return out;
}

/* Parses an integer[] in text form ("{1,2,3}") into v; returns the count. */
static size_t parse_int_array(const char *text, int32_t *v, size_t max)
{
	size_t n = 0;
	for (const char *p = text; *p && n < max;) {
		if (*p >= '0' && *p <= '9') {
			char *end;
			v[n++] = (int32_t)strtol(p, &end, 10);
			p = end;
		} else {
			p++;
		}
	}
	return n;
}

/* Drops from optional what required holds (both sorted); returns the count. */
static size_t without(int32_t *optional, size_t n, const int32_t *required, size_t nr)
{
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (nr == 0 ||
		    bsearch(&optional[i], required, nr, sizeof(*required), compare_int32) == NULL)
			optional[out++] = optional[i];
	return out;
}

static int put_row(kd_recommender *rec, const PGresult *res, int row)
{
	int32_t required[MAX_SKILLS], optional[MAX_SKILLS];
	int64_t kec = kecamatan_index(rec->ref, PQgetvalue(res, row, 1));
	int education = kd_education_parse(PQgetvalue(res, row, 4));
	if (kec < 0 || education < 0)
		return kd_error(EINVAL);
	size_t nr = sort_unique(required, parse_int_array(PQgetvalue(res, row, 5), required, MAX_SKILLS));
	size_t no = sort_unique(optional, parse_int_array(PQgetvalue(res, row, 6), optional, MAX_SKILLS));
	no = without(optional, no, required, nr);
	kd_match_vacancy v = {
		.id = strtoll(PQgetvalue(res, row, 0), NULL, 10),
		.kecamatan = (uint32_t)kec,
		.lat = strtod(PQgetvalue(res, row, 2), NULL),
		.lon = strtod(PQgetvalue(res, row, 3), NULL),
		.min_education = (kd_education)education,
		.required_skills = required,
		.n_required = (uint32_t)nr,
		.optional_skills = optional,
		.n_optional = (uint32_t)no,
		.openings = (uint32_t)strtoul(PQgetvalue(res, row, 7), NULL, 10),
		.wage_max = PQgetisnull(res, row, 8) ? KD_MATCH_NO_WAGE :
			    strtoll(PQgetvalue(res, row, 8), NULL, 10),
	};
	kd_match_error err;
	int rc = kd_match_index_put(rec->index, &v, &err);
	if (rc < 0)
		return rc;
	return meta_put(rec, v.id, PQgetvalue(res, row, 9), PQgetvalue(res, row, 10),
			PQgetvalue(res, row, 1));
}

kd_recommender *kd_recommender_new(const kd_reference *ref)
{
	kd_recommender *rec = calloc(1, sizeof(*rec));
	if (rec == NULL)
		return NULL;
	rec->ref = kd_reference_hold((kd_reference *)ref);
	rec->meta_bits = META_MIN_BITS;
	rec->meta = calloc(meta_buckets(rec), sizeof(*rec->meta));
	if (rec->meta == NULL) {
		kd_recommender_free(rec);
		return NULL;
	}
	size_t n_kecamatan;
	kd_regions_kecamatan_list(ref->regions, &n_kecamatan);
	kd_match_policy policy;
	kd_match_policy_default(&policy);
	kd_match_error err;
	if (kd_match_model_new(&policy, (uint32_t)n_kecamatan, NULL, 0, &rec->model, &err) < 0 ||
	    kd_match_index_new(rec->model, &rec->index) < 0) {
		kd_recommender_free(rec);
		return NULL;
	}
	return rec;
}

/* Everything but the reference, whose count only the loop thread may touch. */
static void free_vacancies(kd_recommender *rec)
{
	meta_clear(rec);
	free(rec->meta);
	kd_match_index_free(rec->index);
	kd_match_model_free(rec->model);
}

void kd_recommender_free(kd_recommender *rec)
{
	if (rec == NULL)
		return;
	free_vacancies(rec);
	kd_reference_release((kd_reference *)rec->ref);
	free(rec);
}

static void on_retire(uv_work_t *work)
{
	free_vacancies(work->data);
}

static void on_retired(uv_work_t *work, int status)
{
	(void)status;
	kd_recommender *rec = work->data;
	kd_reference_release((kd_reference *)rec->ref);
	free(rec);
}

void kd_recommender_free_off_loop(uv_loop_t *loop, kd_recommender *rec)
{
	if (rec == NULL)
		return;
	rec->retiring.data = rec;
	if (uv_queue_work(loop, &rec->retiring, on_retire, on_retired) < 0)
		kd_recommender_free(rec);
}

int kd_recommender_apply(kd_recommender *rec, const PGresult *res, int64_t id)
{
	if (id != 0 && PQntuples(res) == 0) {
		kd_match_index_remove(rec->index, id);
		meta_remove(rec, id);
		kd_match_index_settle(rec->index);
		return kd_ok();
	}
	int rc = kd_ok();
	for (int i = 0; i < PQntuples(res); i++) {
		int one = put_row(rec, res, i);
		if (one < 0)
			rc = one;
	}
	kd_match_index_settle(rec->index);
	return rc;
}

size_t kd_recommender_count(const kd_recommender *rec)
{
	return kd_match_index_count(rec->index);
}

static json_t *skill_codes(const kd_reference *ref, const int32_t *ids, size_t n)
{
	json_t *codes = json_array();
	for (size_t i = 0; i < n; i++) {
		const kd_skill *s = kd_skills_by_id(ref->skills, ids[i]);
		if (s)
			json_array_append_new(codes, json_string(s->code));
	}
	return codes;
}

json_t *kd_recommender_for(const kd_recommender *rec, const kd_recommend_seeker *in, size_t limit)
{
	json_t *list = json_array();
	int64_t kec = kecamatan_index(rec->ref, in->kecamatan_code);
	if (kec < 0 || limit == 0)
		return list;
	int32_t skills[MAX_SKILLS];
	size_t n = in->skill_count < MAX_SKILLS ? in->skill_count : MAX_SKILLS;
	for (size_t i = 0; i < n; i++)
		skills[i] = in->skill_ids[i];
	n = sort_unique(skills, n);
	kd_match_seeker s = {
		.id = in->id, .kecamatan = (uint32_t)kec, .lat = in->lat, .lon = in->lon,
		.education = in->education, .skills = skills, .n_skills = (uint32_t)n,
		.experience_years = in->experience_years, .max_distance_km = in->max_distance_km,
		.registered_at = in->registered_at_us,
	};
	kd_match_pair pairs[KD_RECOMMEND_MAX];
	size_t found = 0;
	if (limit > KD_RECOMMEND_MAX)
		limit = KD_RECOMMEND_MAX;
	if (kd_match_recommend(rec->index, &s, limit, pairs, &found) < 0)
		return list;
	for (size_t i = 0; i < found; i++) {
		const kd_match_vacancy *v = pairs[i].vacancy;
		const vacancy_meta *m = meta_find(rec, v->id);
		int32_t matched[2 * MAX_SKILLS], missing[MAX_SKILLS];
		size_t n_missing = 0;
		size_t n_matched = kd_match_explain_skills(&s, v, matched, missing, &n_missing);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:f, s:f, s:b, s:o, s:o}",
			"vacancy_id", (json_int_t)v->id,
			"title", m ? m->title : "",
			"employer", m ? m->employer : "",
			"kecamatan_code", m ? m->kecamatan_code : "",
			"score", (double)pairs[i].score / KD_MATCH_SCORE_SCALE,
			"distance_km", pairs[i].distance_km,
			"same_kecamatan", pairs[i].same_kecamatan,
			"matched_skills", skill_codes(rec->ref, matched, n_matched),
			"missing_optional_skills", skill_codes(rec->ref, missing, n_missing)));
	}
	return list;
}
