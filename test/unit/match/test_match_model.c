/*
 * The model's rules one at a time: feasibility, distance with and without
 * the travel table, both preference orders, the score, the explanation of
 * skills, and the policy's JSON overrides.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/geo.h"
#include "match/model.h"

enum { K_TENGGARONG, K_SEBULU, K_LOA_JANAN, K_COUNT };
enum { LAS, K3, EXCAVATOR, FORKLIFT };

static const int32_t las_k3[] = { LAS, K3 };
static const int32_t las[] = { LAS };
static const int32_t k3[] = { K3 };
static const int32_t las_k3_excavator[] = { LAS, K3, EXCAVATOR };
static const int32_t excavator_forklift[] = { EXCAVATOR, FORKLIFT };

static kd_match_seeker seeker(void)
{
	return (kd_match_seeker){
		.id = 1, .kecamatan = K_TENGGARONG, .lat = -0.42, .lon = 116.93,
		.education = KD_EDU_SMK, .skills = las_k3, .n_skills = 2,
		.experience_years = 2, .registered_at = 1000,
	};
}

static kd_match_vacancy vacancy(void)
{
	return (kd_match_vacancy){
		.id = 10, .kecamatan = K_TENGGARONG, .lat = -0.41, .lon = 116.95,
		.min_education = KD_EDU_SMA, .required_skills = las, .n_required = 1,
		.optional_skills = excavator_forklift, .n_optional = 2, .openings = 2,
		.wage_max = 5000000,
	};
}

static kd_match_model *model_with(const kd_match_policy *p, const kd_match_travel *t,
				  size_t n)
{
	kd_match_model *m = NULL;
	kd_match_error err;
	assert_int_equal(kd_match_model_new(p, K_COUNT, t, n, &m, &err), 0);
	return m;
}

static kd_match_model *default_model(void)
{
	kd_match_policy p;
	kd_match_policy_default(&p);
	return model_with(&p, NULL, 0);
}

static kd_match_verdict verdict(const kd_match_model *m, const kd_match_seeker *s,
				const kd_match_vacancy *v)
{
	kd_match_pair pair;
	kd_match_evaluate(m, s, v, &pair);
	return pair.verdict;
}

static void test_feasible(void **state)
{
	(void)state;
	kd_match_model *m = default_model();
	kd_match_seeker s = seeker();
	kd_match_vacancy v = vacancy();
	kd_match_pair p;
	kd_match_evaluate(m, &s, &v, &p);
	assert_int_equal(p.verdict, KD_MATCH_FEASIBLE);
	assert_true(p.same_kecamatan);
	assert_int_equal(p.required_matched, 1);
	assert_int_equal(p.optional_matched, 0);
	assert_true(fabs(p.distance_km - kd_geo_distance_km(s.lat, s.lon, v.lat, v.lon)) < 1e-9);
	kd_match_model_free(m);
}

static void test_education(void **state)
{
	(void)state;
	kd_match_model *m = default_model();
	kd_match_seeker s = seeker();
	kd_match_vacancy v = vacancy();
	s.education = KD_EDU_SMP;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_EDUCATION_TOO_LOW);
	/* SMA and SMK rank alike; S1 qualifies for D4. */
	s.education = KD_EDU_SMA;
	v.min_education = KD_EDU_SMK;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_FEASIBLE);
	s.education = KD_EDU_S1;
	v.min_education = KD_EDU_D4;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_FEASIBLE);
	kd_match_model_free(m);
}

static void test_required_skills(void **state)
{
	(void)state;
	kd_match_model *m = default_model();
	kd_match_seeker s = seeker();
	kd_match_vacancy v = vacancy();
	v.required_skills = las_k3_excavator;
	v.n_required = 3;
	v.n_optional = 0;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_MISSING_REQUIRED_SKILLS);
	kd_match_model_free(m);
	/* Two of three suffice at coverage 0.6 (ceil(1.8) = 2), not at 0.7. */
	kd_match_policy p;
	kd_match_policy_default(&p);
	p.min_required_coverage = 0.6;
	m = model_with(&p, NULL, 0);
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_FEASIBLE);
	kd_match_model_free(m);
	p.min_required_coverage = 0.7;
	m = model_with(&p, NULL, 0);
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_MISSING_REQUIRED_SKILLS);
	kd_match_model_free(m);
}

static void test_incomplete_and_closed(void **state)
{
	(void)state;
	kd_match_model *m = default_model();
	kd_match_seeker s = seeker();
	kd_match_vacancy v = vacancy();
	s.n_skills = 0;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_INCOMPLETE_PROFILE);
	s = seeker();
	s.lat = NAN;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_INCOMPLETE_PROFILE);
	s = seeker();
	s.kecamatan = KD_MATCH_NO_KECAMATAN;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_INCOMPLETE_PROFILE);
	assert_false(kd_match_seeker_complete(&s, K_COUNT));
	s = seeker();
	v.openings = 0;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_NO_OPENINGS);
	kd_match_model_free(m);
}

static void test_distance_limits(void **state)
{
	(void)state;
	kd_match_model *m = default_model();
	kd_match_seeker s = seeker();
	kd_match_vacancy v = vacancy();
	/* About 111 km north: too far from another kecamatan ... */
	v.kecamatan = K_SEBULU;
	v.lat = s.lat + 1.0;
	v.lon = s.lon;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_TOO_FAR);
	/* ... but always admitted within the seeker's own. */
	v.kecamatan = K_TENGGARONG;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_FEASIBLE);
	/* 60 km away: within the policy's 75 km, beyond the seeker's own 50 km. */
	v.kecamatan = K_SEBULU;
	v.lat = s.lat + 60.0 / 111.195;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_FEASIBLE);
	s.max_distance_km = 50.0;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_TOO_FAR);
	s.max_distance_km = 70.0;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_FEASIBLE);
	/* A seeker's limit above the policy's does not widen it. */
	v.lat = s.lat + 80.0 / 111.195;
	s.max_distance_km = 200.0;
	assert_int_equal(verdict(m, &s, &v), KD_MATCH_TOO_FAR);
	kd_match_model_free(m);
}

static void test_travel_table(void **state)
{
	(void)state;
	kd_match_policy p;
	kd_match_policy_default(&p);
	const kd_match_travel t[] = {
		{ K_TENGGARONG, K_SEBULU, 90.0 },
		{ K_TENGGARONG, K_LOA_JANAN, 30.0 },
		{ K_LOA_JANAN, K_TENGGARONG, 40.0 },
	};
	kd_match_model *m = model_with(&p, t, 3);
	kd_match_seeker s = seeker();
	kd_match_vacancy v = vacancy();
	kd_match_pair pair;
	/* Two km apart in a straight line, 90 km by the table: too far. */
	v.kecamatan = K_SEBULU;
	kd_match_evaluate(m, &s, &v, &pair);
	assert_int_equal(pair.verdict, KD_MATCH_TOO_FAR);
	assert_true(pair.distance_km == 90.0);
	/* One entry holds both ways ... */
	s.kecamatan = K_SEBULU;
	v.kecamatan = K_TENGGARONG;
	kd_match_evaluate(m, &s, &v, &pair);
	assert_true(pair.distance_km == 90.0);
	/* ... unless both directions are given. */
	s.kecamatan = K_LOA_JANAN;
	kd_match_evaluate(m, &s, &v, &pair);
	assert_true(pair.distance_km == 40.0);
	s.kecamatan = K_TENGGARONG;
	v.kecamatan = K_LOA_JANAN;
	kd_match_evaluate(m, &s, &v, &pair);
	assert_true(pair.distance_km == 30.0);
	assert_int_equal(pair.verdict, KD_MATCH_FEASIBLE);
	/* Never within one kecamatan. */
	v.kecamatan = K_TENGGARONG;
	kd_match_evaluate(m, &s, &v, &pair);
	assert_true(pair.distance_km < 3.0);
	kd_match_model_free(m);
}

static void test_travel_table_errors(void **state)
{
	(void)state;
	kd_match_policy p;
	kd_match_policy_default(&p);
	kd_match_model *m = NULL;
	kd_match_error err;
	const kd_match_travel self[] = { { K_SEBULU, K_SEBULU, 1.0 } };
	assert_int_equal(kd_match_model_new(&p, K_COUNT, self, 1, &m, &err), -EINVAL);
	assert_string_equal(err.message, "travel_km[0]: from and to are the same kecamatan");
	const kd_match_travel twice[] = { { 0, 1, 1.0 }, { 1, 2, 1.0 }, { 0, 1, 2.0 } };
	assert_int_equal(kd_match_model_new(&p, K_COUNT, twice, 3, &m, &err), -EINVAL);
	assert_string_equal(err.message, "travel_km[2]: repeats travel_km[0]");
	const kd_match_travel unknown[] = { { 0, 7, 1.0 } };
	assert_int_equal(kd_match_model_new(&p, K_COUNT, unknown, 1, &m, &err), -EINVAL);
	const kd_match_travel negative[] = { { 0, 1, -1.0 } };
	assert_int_equal(kd_match_model_new(&p, K_COUNT, negative, 1, &m, &err), -EINVAL);
	assert_string_equal(err.message, "travel_km[0].km: must be between 0 and 20000");
}

/* Pairs of one seeker with two vacancies that differ as the test says. */
static int seeker_prefers(const kd_match_vacancy *a, const kd_match_vacancy *b,
			  const kd_match_seeker *s)
{
	kd_match_model *m = default_model();
	kd_match_pair pa, pb;
	kd_match_evaluate(m, s, a, &pa);
	kd_match_evaluate(m, s, b, &pb);
	kd_match_model_free(m);
	int forward = kd_match_seeker_order(&pa, &pb), backward = kd_match_seeker_order(&pb, &pa);
	assert_true((forward < 0 && backward > 0) || (forward > 0 && backward < 0));
	return forward;
}

static void test_seeker_order(void **state)
{
	(void)state;
	kd_match_seeker s = seeker();
	kd_match_vacancy a = vacancy(), b = vacancy();
	/* Same kecamatan beats a nearer vacancy across the border. */
	b.id = 11;
	b.kecamatan = K_SEBULU;
	b.lat = s.lat;
	b.lon = s.lon;
	assert_true(seeker_prefers(&a, &b, &s) < 0);
	/* Then distance beats optional skills and wage. */
	b = vacancy();
	b.id = 11;
	b.lat = a.lat + 0.01;
	b.optional_skills = k3;
	b.n_optional = 1;
	b.wage_max = 9000000;
	assert_true(seeker_prefers(&a, &b, &s) < 0);
	/* At equal distance, more optional skills matched ... */
	b.lat = a.lat;
	assert_true(seeker_prefers(&a, &b, &s) > 0);
	/* ... then a higher wage, a missing wage ranking lowest ... */
	b = vacancy();
	b.id = 11;
	b.wage_max = KD_MATCH_NO_WAGE;
	assert_true(seeker_prefers(&a, &b, &s) < 0);
	b.wage_max = 5000001;
	assert_true(seeker_prefers(&a, &b, &s) > 0);
	/* ... then the lower id. */
	b.wage_max = a.wage_max;
	assert_true(seeker_prefers(&a, &b, &s) < 0);
}

static int vacancy_prefers(const kd_match_seeker *a, const kd_match_seeker *b,
			   const kd_match_vacancy *v)
{
	kd_match_model *m = default_model();
	kd_match_pair pa, pb;
	kd_match_evaluate(m, a, v, &pa);
	kd_match_evaluate(m, b, v, &pb);
	kd_match_model_free(m);
	int forward = kd_match_vacancy_order(&pa, &pb), backward = kd_match_vacancy_order(&pb, &pa);
	assert_true((forward < 0 && backward > 0) || (forward > 0 && backward < 0));
	return forward;
}

static void test_vacancy_order(void **state)
{
	(void)state;
	kd_match_vacancy v = vacancy();
	v.optional_skills = k3;
	v.n_optional = 1;
	kd_match_seeker a = seeker(), b = seeker();
	b.id = 2;
	/* Same kecamatan beats a better fit from elsewhere. */
	b.kecamatan = K_SEBULU;
	b.experience_years = 20;
	a.skills = las;
	a.n_skills = 1;
	assert_true(vacancy_prefers(&a, &b, &v) < 0);
	/* Then skill fit: optional skills ... */
	b.kecamatan = K_TENGGARONG;
	assert_true(vacancy_prefers(&a, &b, &v) > 0);
	/* ... then experience, before distance ... */
	a = seeker();
	b = seeker();
	b.id = 2;
	b.experience_years = 3;
	b.lat = v.lat + 0.2;
	assert_true(vacancy_prefers(&a, &b, &v) > 0);
	/* ... then distance, before registration ... */
	b.experience_years = a.experience_years;
	b.registered_at = 0;
	assert_true(vacancy_prefers(&a, &b, &v) < 0);
	/* ... then the earlier registration, then the lower id. */
	b.lat = a.lat;
	assert_true(vacancy_prefers(&a, &b, &v) > 0);
	b.registered_at = a.registered_at;
	assert_true(vacancy_prefers(&a, &b, &v) < 0);
}

static void test_required_fit_first(void **state)
{
	(void)state;
	kd_match_policy p;
	kd_match_policy_default(&p);
	p.min_required_coverage = 0.5;
	kd_match_model *m = model_with(&p, NULL, 0);
	kd_match_vacancy v = vacancy();
	v.required_skills = las_k3;
	v.n_required = 2;
	v.n_optional = 0;
	kd_match_seeker a = seeker(), b = seeker();
	b.id = 2;
	b.skills = las;
	b.n_skills = 1;
	b.experience_years = 30;
	kd_match_pair pa, pb;
	kd_match_evaluate(m, &a, &v, &pa);
	kd_match_evaluate(m, &b, &v, &pb);
	assert_int_equal(pb.verdict, KD_MATCH_FEASIBLE);
	assert_true(kd_match_vacancy_order(&pa, &pb) < 0);
	kd_match_model_free(m);
}

static void test_score(void **state)
{
	(void)state;
	kd_match_model *m = default_model();
	kd_match_seeker s = seeker();
	kd_match_vacancy v = vacancy();
	v.lat = s.lat;
	v.lon = s.lon;
	kd_match_pair p;
	/* 1 of 3 skills, distance 0, same kecamatan: 1/3 + 1 + 0.5. */
	kd_match_evaluate(m, &s, &v, &p);
	assert_int_equal(p.score, 1833);
	/* 25 km away in another kecamatan: 1/3 + exp(-1). */
	v.kecamatan = K_SEBULU;
	v.lat = s.lat + 25.0 / (KD_EARTH_RADIUS_KM * M_PI / 180.0);
	kd_match_evaluate(m, &s, &v, &p);
	assert_true(fabs(p.distance_km - 25.0) < 1e-6);
	assert_int_equal(p.score, (int32_t)lround(1000.0 * (1.0 / 3.0 + exp(-1.0))));
	kd_match_model_free(m);
	/* Weights are the policy's. */
	kd_match_policy pol;
	kd_match_policy_default(&pol);
	pol.weights = (kd_match_weights){ .skill_fit = 2.0, .distance = 0.0, .same_kecamatan = 0.0 };
	m = model_with(&pol, NULL, 0);
	kd_match_evaluate(m, &s, &v, &p);
	assert_int_equal(p.score, 667);
	kd_match_model_free(m);
}

static void test_explain_skills(void **state)
{
	(void)state;
	kd_match_seeker s = seeker();
	static const int32_t seeker_skills[] = { LAS, EXCAVATOR, FORKLIFT };
	static const int32_t optional[] = { K3, EXCAVATOR, FORKLIFT };
	s.skills = seeker_skills;
	s.n_skills = 3;
	kd_match_vacancy v = vacancy();
	v.optional_skills = optional;
	v.n_optional = 3;
	int32_t matched[4], missing[3];
	size_t n_missing;
	size_t n_matched = kd_match_explain_skills(&s, &v, matched, missing, &n_missing);
	assert_int_equal(n_matched, 3);
	assert_int_equal(matched[0], LAS);
	assert_int_equal(matched[1], EXCAVATOR);
	assert_int_equal(matched[2], FORKLIFT);
	assert_int_equal(n_missing, 1);
	assert_int_equal(missing[0], K3);
}

static int apply(kd_match_policy *p, const char *text, kd_match_error *err)
{
	json_t *doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	int rc = kd_match_policy_apply_json(p, doc, err);
	json_decref(doc);
	return rc;
}

static void test_policy_json(void **state)
{
	(void)state;
	kd_match_policy p, before;
	kd_match_error err;
	kd_match_policy_default(&p);
	assert_true(p.max_distance_km == 75.0);
	assert_true(p.min_required_coverage == 1.0);
	assert_int_equal(p.candidates_per_seeker, 50);
	assert_int_equal(p.local_priority, KD_MATCH_LOCAL_STRICT);
	assert_int_equal(apply(&p, "{\"max_distance_km\": 60, \"local_priority\": \"weighted\","
				   " \"weights\": {\"distance\": 1.5}, \"candidates_per_seeker\": 7}",
			       &err), 0);
	assert_true(p.max_distance_km == 60.0);
	assert_int_equal(p.local_priority, KD_MATCH_LOCAL_WEIGHTED);
	assert_true(p.weights.distance == 1.5);
	assert_true(p.weights.skill_fit == 1.0);
	assert_int_equal(p.candidates_per_seeker, 7);
	before = p;
	assert_int_equal(apply(&p, "{\"max_distance\": 60}", &err), -EINVAL);
	assert_string_equal(err.message, "max_distance: unknown key");
	assert_int_equal(apply(&p, "{\"weights\": {\"bonus\": 1}}", &err), -EINVAL);
	assert_string_equal(err.message, "weights.bonus: unknown key");
	assert_int_equal(apply(&p, "{\"max_distance_km\": \"far\"}", &err), -EINVAL);
	assert_string_equal(err.message, "max_distance_km: expected a number");
	assert_int_equal(apply(&p, "{\"candidates_per_seeker\": 2.5}", &err), -EINVAL);
	assert_int_equal(apply(&p, "{\"local_priority\": \"loose\"}", &err), -EINVAL);
	assert_int_equal(apply(&p, "{\"min_required_coverage\": 1.5}", &err), -EINVAL);
	assert_string_equal(err.message, "min_required_coverage: must be between 0 and 1");
	assert_int_equal(p.decision_days, 7);
	assert_int_equal(apply(&p, "{\"decision_days\": 14}", &err), 0);
	assert_int_equal(p.decision_days, 14);
	assert_int_equal(apply(&p, "{\"decision_days\": 60}", &err), 0);
	assert_int_equal(p.decision_days, 60);
	before = p;
	assert_int_equal(apply(&p, "{\"decision_days\": 0}", &err), -EINVAL);
	assert_string_equal(err.message, "decision_days: expected an integer between 1 and 60");
	assert_int_equal(apply(&p, "{\"decision_days\": 61}", &err), -EINVAL);
	assert_int_equal(apply(&p, "{\"decision_days\": 1.5}", &err), -EINVAL);
	assert_int_equal(apply(&p, "{\"decision_days\": \"7\"}", &err), -EINVAL);
	assert_memory_equal(&p, &before, sizeof(p));
	p.decision_days = 0;
	assert_int_equal(kd_match_policy_check(&p, &err), -EINVAL);
	assert_string_equal(err.message, "decision_days: must be between 1 and 60");
	p = before;
	/* A failed override changes nothing, even keys read before the bad one. */
	assert_int_equal(apply(&p, "{\"max_distance_km\": 10, \"weights\": 3}", &err), -EINVAL);
	assert_memory_equal(&p, &before, sizeof(p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feasible),
		cmocka_unit_test(test_education),
		cmocka_unit_test(test_required_skills),
		cmocka_unit_test(test_incomplete_and_closed),
		cmocka_unit_test(test_distance_limits),
		cmocka_unit_test(test_travel_table),
		cmocka_unit_test(test_travel_table_errors),
		cmocka_unit_test(test_seeker_order),
		cmocka_unit_test(test_vacancy_order),
		cmocka_unit_test(test_required_fit_first),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_explain_skills),
		cmocka_unit_test(test_policy_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
