#include "match/model.h"

#include <stdlib.h>

#include "kd.h"
#include "match/internal.h"

typedef struct pending_route {
	kd_match_route route;
	size_t entry;       /* index of the travel entry it comes from */
	bool mirror;        /* the reverse of a given entry */
} pending_route;

static int pending_cmp(const void *pa, const void *pb)
{
	const pending_route *a = pa, *b = pb;
	if (a->route.from != b->route.from)
		return a->route.from < b->route.from ? -1 : 1;
	if (a->route.to != b->route.to)
		return a->route.to < b->route.to ? -1 : 1;
	if (a->mirror != b->mirror)
		return a->mirror ? 1 : -1;
	return (a->entry > b->entry) - (a->entry < b->entry);
}

static int check_travel(const kd_match_travel *t, size_t n, uint32_t n_kecamatan,
			kd_match_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].from >= n_kecamatan || t[i].to >= n_kecamatan) {
			kd_match_error_set(err, "travel_km[%zu]: unknown kecamatan", i);
			return kd_error(EINVAL);
		}
		if (t[i].from == t[i].to) {
			kd_match_error_set(err, "travel_km[%zu]: from and to are the same kecamatan",
					   i);
			return kd_error(EINVAL);
		}
		if (!(t[i].km >= 0.0 && t[i].km <= KD_MATCH_MAX_KM)) {
			kd_match_error_set(err, "travel_km[%zu].km: must be between 0 and 20000", i);
			return kd_error(EINVAL);
		}
	}
	return kd_ok();
}

/*
 * Materialises both directions of every entry.  A given direction beats the
 * mirror of its reverse; the same direction given twice is an error.
 */
static int build_routes(kd_match_model *m, const kd_match_travel *t, size_t n,
			kd_match_error *err)
{
	pending_route *all = malloc((2 * n + 1) * sizeof(*all));
	m->routes = malloc((2 * n + 1) * sizeof(*m->routes));
	m->route_first = calloc((size_t)m->n_kecamatan + 1, sizeof(*m->route_first));
	if (all == NULL || m->routes == NULL || m->route_first == NULL) {
		free(all);
		return kd_error(ENOMEM);
	}
	for (size_t i = 0; i < n; i++) {
		double key = kd_match_key_of_km(t[i].km);
		all[2 * i] = (pending_route){ { t[i].from, t[i].to, t[i].km, key }, i, false };
		all[2 * i + 1] = (pending_route){ { t[i].to, t[i].from, t[i].km, key }, i, true };
	}
	if (n > 0)
		qsort(all, 2 * n, sizeof(*all), pending_cmp);
	size_t kept = 0;
	for (size_t i = 0; i < 2 * n; i++) {
		const pending_route *p = &all[i];
		if (i > 0 && p->route.from == all[i - 1].route.from &&
		    p->route.to == all[i - 1].route.to) {
			if (!p->mirror) {
				kd_match_error_set(err, "travel_km[%zu]: repeats travel_km[%zu]",
						   p->entry, all[i - 1].entry);
				free(all);
				return kd_error(EINVAL);
			}
			continue;
		}
		m->routes[kept++] = p->route;
	}
	free(all);
	m->n_routes = kept;
	for (size_t i = 0; i < kept; i++)
		m->route_first[m->routes[i].from + 1]++;
	for (uint32_t k = 0; k < m->n_kecamatan; k++)
		m->route_first[k + 1] += m->route_first[k];
	return kd_ok();
}

int kd_match_model_new(const kd_match_policy *policy, uint32_t n_kecamatan,
		       const kd_match_travel *travel, size_t n_travel,
		       kd_match_model **out, kd_match_error *err)
{
	if (kd_match_policy_check(policy, err) < 0)
		return kd_error(EINVAL);
	if (n_kecamatan == KD_MATCH_NO_KECAMATAN) {
		kd_match_error_set(err, "too many kecamatan");
		return kd_error(EINVAL);
	}
	if (check_travel(travel, n_travel, n_kecamatan, err) < 0)
		return kd_error(EINVAL);
	kd_match_model *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return kd_error(ENOMEM);
	m->policy = *policy;
	m->limit_key = kd_match_key_of_km(policy->max_distance_km);
	m->n_kecamatan = n_kecamatan;
	int rc = build_routes(m, travel, n_travel, err);
	if (rc < 0) {
		kd_match_model_free(m);
		return rc;
	}
	*out = m;
	return kd_ok();
}

void kd_match_model_free(kd_match_model *model)
{
	if (model == NULL)
		return;
	free(model->routes);
	free(model->route_first);
	free(model);
}

const kd_match_policy *kd_match_model_policy(const kd_match_model *model)
{
	return &model->policy;
}

uint32_t kd_match_model_kecamatan(const kd_match_model *model)
{
	return model->n_kecamatan;
}

const kd_match_route *kd_match_route_find(const kd_match_model *m, uint32_t from,
					  uint32_t to)
{
	size_t lo = m->route_first[from], hi = m->route_first[from + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->routes[mid].to < to)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->route_first[from + 1] && m->routes[lo].to == to ? &m->routes[lo] : NULL;
}

int32_t kd_match_score(const kd_match_model *m, double km, bool same_kecamatan,
		       uint32_t skills_matched, uint32_t skills_listed)
{
	const kd_match_weights *w = &m->policy.weights;
	double fit = skills_listed > 0 ? (double)skills_matched / skills_listed : 1.0;
	double points = w->skill_fit * fit +
			w->distance * exp(-km / m->policy.distance_scale_km) +
			(same_kecamatan ? w->same_kecamatan : 0.0);
	return (int32_t)lround(points * KD_MATCH_SCORE_SCALE);
}

uint32_t kd_match_count_common(const int32_t *list, uint32_t n, const int32_t *set,
			       uint32_t n_set)
{
	uint32_t common = 0, i = 0, j = 0;
	while (i < n && j < n_set) {
		if (list[i] < set[j])
			i++;
		else if (list[i] > set[j])
			j++;
		else
			common++, i++, j++;
	}
	return common;
}

bool kd_match_seeker_complete(const kd_match_seeker *s, uint32_t n_kecamatan)
{
	return s->n_skills > 0 && s->kecamatan < n_kecamatan && kd_geo_valid(s->lat, s->lon);
}

void kd_match_evaluate(const kd_match_model *m, const kd_match_seeker *s,
		       const kd_match_vacancy *v, kd_match_pair *out)
{
	*out = (kd_match_pair){ .seeker = s, .vacancy = v, .distance_km = NAN,
				.distance_key = NAN };
	if (!kd_match_seeker_complete(s, m->n_kecamatan)) {
		out->verdict = KD_MATCH_INCOMPLETE_PROFILE;
		return;
	}
	out->same_kecamatan = s->kecamatan == v->kecamatan;
	const kd_match_route *route = out->same_kecamatan ? NULL :
				      kd_match_route_find(m, s->kecamatan, v->kecamatan);
	if (route != NULL) {
		out->distance_km = route->km;
		out->distance_key = route->key;
	} else {
		double us[3], uv[3];
		kd_match_unit(s->lat, s->lon, us);
		kd_match_unit(v->lat, v->lon, uv);
		out->distance_key = kd_match_chord2(us, uv);
		out->distance_km = kd_match_km_of_key(out->distance_key);
	}
	out->required_matched = kd_match_count_common(v->required_skills, v->n_required,
						      s->skills, s->n_skills);
	out->optional_matched = kd_match_count_common(v->optional_skills, v->n_optional,
						      s->skills, s->n_skills);
	out->score = kd_match_score(m, out->distance_km, out->same_kecamatan,
				    out->required_matched + out->optional_matched,
				    v->n_required + v->n_optional);
	if (v->openings == 0)
		out->verdict = KD_MATCH_NO_OPENINGS;
	else if (kd_education_rank(s->education) < kd_education_rank(v->min_education))
		out->verdict = KD_MATCH_EDUCATION_TOO_LOW;
	else if (out->required_matched < kd_match_required_needed(m, v->n_required))
		out->verdict = KD_MATCH_MISSING_REQUIRED_SKILLS;
	else if (!out->same_kecamatan &&
		 out->distance_key > kd_match_limit_key(m, s->max_distance_km))
		out->verdict = KD_MATCH_TOO_FAR;
	else
		out->verdict = KD_MATCH_FEASIBLE;
}

static int cmp_bool_first(bool a, bool b)
{
	return (int)b - (int)a;
}

static int cmp_less_first(double a, double b)
{
	return (a > b) - (a < b);
}

static int cmp_more_first(uint64_t a, uint64_t b)
{
	return (a < b) - (a > b);
}

int kd_match_seeker_order(const kd_match_pair *a, const kd_match_pair *b)
{
	int c;
	if ((c = cmp_bool_first(a->same_kecamatan, b->same_kecamatan)) != 0 ||
	    (c = cmp_less_first(a->distance_key, b->distance_key)) != 0 ||
	    (c = cmp_more_first(a->optional_matched, b->optional_matched)) != 0 ||
	    (c = kd_match_wage_order(a->vacancy->wage_max, b->vacancy->wage_max)) != 0)
		return c;
	return (a->vacancy->id > b->vacancy->id) - (a->vacancy->id < b->vacancy->id);
}

int kd_match_vacancy_order(const kd_match_pair *a, const kd_match_pair *b)
{
	const kd_match_seeker *sa = a->seeker, *sb = b->seeker;
	int c;
	if ((c = cmp_bool_first(a->same_kecamatan, b->same_kecamatan)) != 0 ||
	    (c = cmp_more_first(a->required_matched, b->required_matched)) != 0 ||
	    (c = cmp_more_first(a->optional_matched, b->optional_matched)) != 0 ||
	    (c = cmp_more_first(sa->experience_years, sb->experience_years)) != 0 ||
	    (c = cmp_less_first(a->distance_key, b->distance_key)) != 0)
		return c;
	if (sa->registered_at != sb->registered_at)
		return sa->registered_at < sb->registered_at ? -1 : 1;
	return (sa->id > sb->id) - (sa->id < sb->id);
}

size_t kd_match_explain_skills(const kd_match_seeker *s, const kd_match_vacancy *v,
			       int32_t *matched, int32_t *missing_optional,
			       size_t *n_missing_optional)
{
	size_t n_matched = 0, n_missing = 0;
	for (uint32_t i = 0; i < v->n_required; i++)
		if (kd_match_count_common(&v->required_skills[i], 1, s->skills, s->n_skills))
			matched[n_matched++] = v->required_skills[i];
	for (uint32_t i = 0; i < v->n_optional; i++) {
		if (kd_match_count_common(&v->optional_skills[i], 1, s->skills, s->n_skills))
			matched[n_matched++] = v->optional_skills[i];
		else if (missing_optional != NULL)
			missing_optional[n_missing++] = v->optional_skills[i];
		else
			n_missing++;
	}
	if (n_missing_optional != NULL)
		*n_missing_optional = n_missing;
	return n_matched;
}

const char *kd_match_verdict_name(kd_match_verdict verdict)
{
	switch (verdict) {
	case KD_MATCH_FEASIBLE:
		return "feasible";
	case KD_MATCH_INCOMPLETE_PROFILE:
		return "incomplete_profile";
	case KD_MATCH_NO_OPENINGS:
		return "no_openings";
	case KD_MATCH_EDUCATION_TOO_LOW:
		return "education_too_low";
	case KD_MATCH_MISSING_REQUIRED_SKILLS:
		return "missing_required_skills";
	case KD_MATCH_TOO_FAR:
		return "too_far";
	}
	return "unknown";
}
