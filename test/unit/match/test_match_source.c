/*
 * The offline command's input and output: the JSON reader (fields, types,
 * label normalisation, errors naming the field), timestamps, and the
 * printed document, byte for byte.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match/output.h"
#include "match/source.h"
#include "match/timestamp.h"

static const char doc[] =
	"{\"seekers\":[\n"
	"{\"id\":7,\"kecamatan_code\":\"64.02.06\",\"lat\":-0.42,\"lon\":116.93,"
	"\"education\":\"SMK\",\"skills\":[\"Las\",\"  las \",\"Operator_Forklift\"],"
	"\"experience_years\":2,\"max_distance_km\":null,"
	"\"registered_at\":\"2025-03-01T10:00:00+08:00\"},\n"
	"{\"id\":3,\"kecamatan_code\":\"64.02.07\",\"lat\":-0.27,\"lon\":116.94,"
	"\"education\":\"SMA\",\"skills\":[\"las\"],\"max_distance_km\":30,"
	"\"registered_at\":\"2025-03-01 01:00:00Z\"},\n"
	"{\"id\":9,\"kecamatan_code\":null,\"lat\":null,\"lon\":null,\"education\":\"SD\","
	"\"skills\":[],\"registered_at\":\"2025-03-02\"}\n"
	"],\"vacancies\":[\n"
	"{\"id\":10,\"kecamatan_code\":\"64.02.06\",\"lat\":-0.41,\"lon\":116.95,"
	"\"min_education\":\"SMA\",\"required_skills\":[\"LAS\"],"
	"\"optional_skills\":[\"k3 \\\"umum\\\"\",\"operator forklift\"],\"openings\":1,"
	"\"wage_max\":5000000},\n"
	"{\"id\":11,\"kecamatan_code\":\"64.02.07\",\"lat\":-0.26,\"lon\":116.95,"
	"\"min_education\":\"SMP\",\"required_skills\":[\"las\"],\"openings\":1,"
	"\"wage_max\":null}\n"
	"],\"travel_km\":[{\"from\":\"64.02.06\",\"to\":\"64.02.07\",\"km\":42.5}]}\n";

static int read_text(const char *text, kd_match_source *src, char *err, size_t errlen)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	int rc = kd_match_source_read_json(src, in, err, errlen);
	fclose(in);
	return rc;
}

static void test_read(void **state)
{
	(void)state;
	kd_match_source src;
	char err[256];
	assert_int_equal(read_text(doc, &src, err, sizeof(err)), 0);
	assert_int_equal(src.input.n_seekers, 3);
	assert_int_equal(src.input.n_vacancies, 2);
	/* Labels normalised, repeats merged, ids in label order. */
	assert_int_equal(src.skills.n, 3);
	assert_string_equal(src.skills.names[0], "k3 \"umum\"");
	assert_string_equal(src.skills.names[1], "las");
	assert_string_equal(src.skills.names[2], "operator forklift");
	const kd_match_seeker *s = &src.seekers[0];
	assert_int_equal(s->id, 7);
	assert_int_equal(s->n_skills, 2);
	assert_int_equal(s->skills[0], 1);
	assert_int_equal(s->skills[1], 2);
	assert_string_equal(src.kecamatan.names[s->kecamatan], "64.02.06");
	assert_true(s->max_distance_km == 0.0);
	assert_int_equal(s->experience_years, 2);
	/* 10:00 at +08:00 is 02:00 UTC, an hour after seeker 3's 01:00Z. */
	assert_int_equal(s->registered_at - src.seekers[1].registered_at, 3600000000ll);
	assert_true(src.seekers[1].max_distance_km == 30.0);
	assert_int_equal(src.seekers[1].experience_years, 0);
	assert_true(isnan(src.seekers[2].lat));
	assert_int_equal(src.seekers[2].kecamatan, KD_MATCH_NO_KECAMATAN);
	assert_int_equal(src.seekers[2].n_skills, 0);
	const kd_match_vacancy *v = &src.vacancies[0];
	assert_int_equal(v->n_required, 1);
	assert_int_equal(v->required_skills[0], 1);
	assert_int_equal(v->n_optional, 2);
	assert_int_equal(v->wage_max, 5000000);
	assert_int_equal(src.vacancies[1].wage_max, KD_MATCH_NO_WAGE);
	assert_int_equal(src.vacancies[1].n_optional, 0);
	assert_int_equal(src.n_travel, 1);
	assert_true(src.travel[0].km == 42.5);
	assert_string_equal(src.kecamatan.names[src.travel[0].to], "64.02.07");
	kd_match_source_free(&src);
}

static void assert_rejected(const char *text, const char *message)
{
	kd_match_source src;
	char err[256] = "";
	assert_int_equal(read_text(text, &src, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, message);
	assert_null(src.seekers);
}

#define SEEKER(fields) \
	"{\"seekers\":[{\"id\":1,\"kecamatan_code\":\"64.02.06\",\"lat\":0,\"lon\":117," \
	"\"education\":\"SMK\",\"skills\":[\"las\"],\"registered_at\":\"2025-01-01\"" fields \
	"}],\"vacancies\":[]}"

static void test_errors(void **state)
{
	(void)state;
	assert_rejected("{\"seekers\":[{\"id\":1,\"lat\":\"x\"}],\"vacancies\":[]}",
			"seekers[0].lat: expected a number or null");
	assert_rejected(SEEKER(",\"nama\":\"Peserta Uji\""), "seekers[0].nama: unknown key");
	assert_rejected(SEEKER(",\"id\":2"), "seekers[0].id: repeated key");
	assert_rejected("{\"seekers\":[{\"id\":1}],\"vacancies\":[]}",
			"seekers[0].kecamatan_code: missing");
	assert_rejected(SEEKER(",\"experience_years\":1.5"),
			"seekers[0].experience_years: expected an integer");
	assert_rejected(SEEKER(",\"max_distance_km\":0"),
			"seekers[0].max_distance_km: must be above 0 and at most 20000");
	assert_rejected("{\"seekers\":[],\"vacancies\":[{\"id\":1,\"kecamatan_code\":\"6402\"}]}",
			"vacancies[0].kecamatan_code: expected a code like \"64.02.06\"");
	assert_rejected("{\"seekers\":[],\"vacancies\":[{\"id\":1,\"min_education\":\"SLTA\"}]}",
			"vacancies[0].min_education: unknown education level");
	assert_rejected("{\"seekers\":[],\"vacancies\":[{\"id\":1,\"lat\":null}]}",
			"vacancies[0].lat: expected a number");
	assert_rejected("{\"seekers\":[],\"vacancies\":[{\"id\":1,\"required_skills\":[\"\"]}]}",
			"vacancies[0].required_skills[0]: empty label");
	assert_rejected("{\"seekers\":[],\"vacancies\":[{\"id\":1,\"openings\":-1}]}",
			"vacancies[0].openings: must be between 0 and 1000000");
	assert_rejected("{\"seekers\":[{\"id\":0}],\"vacancies\":[]}",
			"seekers[0].id: must be between 1 and 9223372036854775807");
	assert_rejected("{\"seekers\":[{\"id\":1,\"registered_at\":\"2025-02-30\"}],\"vacancies\":[]}",
			"seekers[0].registered_at: expected an ISO-8601 timestamp");
	assert_rejected("{\"seekers\":[]}", "vacancies: missing");
	assert_rejected("{\"seekers\":[],\"vacancies\":[],\"policy\":{}}", "policy: unknown key");
	assert_rejected("{\"seekers\":[1],\"vacancies\":[]}", "seekers[0]: expected an object");
	assert_rejected("{\"seekers\":[],\n\"vacancies\":[] \"x\"}", "line 2: expected ',' or '}'");
	assert_rejected("{\"seekers\":[],\"vacancies\":[]} []",
			"line 1: unexpected data after the document");
	assert_rejected("{\"seekers\":[],\"vacancies\":[{\"id\":1,\"kecamatan_code\":\"\\ud800\"}]}",
			"line 1: unpaired surrogate in \\u escape");
	assert_rejected("[", "expected an object with \"seekers\" and \"vacancies\"");
}

/*
 * Numbers are read exactly as strtod reads them, on the short path for
 * plain decimals and past it: signs, exponents, more than 15 digits, values
 * past 2^53, the extremes of a double.
 */
static void test_numbers(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"-0.42", "116.93", "0", "-0", "0.1", "-12.000001", "999999999999999",
		"99999999999999.9", "0.00000000000001", "0.000000000000001",
		"123456789012345.6", "0.30000000000000004", "9007199254740993", "2.5E-3",
		"1e22", "-1.5e+1", "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308",
		/* where multiplying by a tenth's power, not dividing, would be off by one bit */
		"9449.8325927", "287.8940491", "529605740.2",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char text[512];
		/* travel_km's km is the one number read without a range */
		snprintf(text, sizeof(text),
			 "{\"seekers\":[],\"vacancies\":[],\"travel_km\":[{\"from\":\"64.02.06\","
			 "\"to\":\"64.02.07\",\"km\":%s}]}", texts[i]);
		kd_match_source src;
		char err[256];
		if (read_text(text, &src, err, sizeof(err)) != 0)
			fail_msg("%s: %s", texts[i], err);
		double expected = strtod(texts[i], NULL);
		if (memcmp(&src.travel[0].km, &expected, sizeof(expected)) != 0)
			fail_msg("%s read as %.17g, not %.17g", texts[i], src.travel[0].km, expected);
		kd_match_source_free(&src);
	}
}

static void test_timestamps(void **state)
{
	(void)state;
	int64_t us;
	assert_int_equal(kd_match_parse_timestamp("1970-01-01", &us), 0);
	assert_int_equal(us, 0);
	assert_int_equal(kd_match_parse_timestamp("2000-03-01T00:00:00Z", &us), 0);
	assert_int_equal(us, 951868800000000ll);
	assert_int_equal(kd_match_parse_timestamp("2024-02-29 23:59:59.5+0700", &us), 0);
	assert_int_equal(us, (1709251199ll - 7 * 3600) * 1000000 + 500000);
	assert_int_equal(kd_match_parse_timestamp("1969-12-31T23:00-01", &us), 0);
	assert_int_equal(us, 0);
	assert_int_equal(kd_match_parse_timestamp("2023-02-29", &us), -EINVAL);
	assert_int_equal(kd_match_parse_timestamp("2024-01-01T24:00", &us), -EINVAL);
	assert_int_equal(kd_match_parse_timestamp("2024-01-01T10:00+8", &us), -EINVAL);
	assert_int_equal(kd_match_parse_timestamp("2024-01-01T10:00:00.", &us), -EINVAL);
	assert_int_equal(kd_match_parse_timestamp("yesterday", &us), -EINVAL);
}

/* Runs doc under the default policy and prints the result. */
static char *print(const char *text, kd_match_mode mode, bool edges, bool timings)
{
	kd_match_source src;
	char err[256];
	assert_int_equal(read_text(text, &src, err, sizeof(err)), 0);
	kd_match_policy p;
	kd_match_policy_default(&p);
	kd_match_model *m;
	kd_match_error merr;
	assert_int_equal(kd_match_model_new(&p, src.kecamatan.n, src.travel, src.n_travel, &m,
					    &merr), 0);
	kd_match_result *r;
	kd_match_options o = { .mode = mode, .keep_edges = edges, .threads = 2 };
	assert_int_equal(kd_match_run(m, &src.input, &o, &r, &merr), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	kd_match_output options = { .edges = edges, .timings = timings, .read_seconds = 0.25 };
	assert_int_equal(kd_match_write_json(out, &src, r, &options), 0);
	fclose(out);
	kd_match_result_free(r);
	kd_match_model_free(m);
	kd_match_source_free(&src);
	return buf;
}

static void test_output(void **state)
{
	(void)state;
	char *text = print(doc, KD_MATCH_STABLE, true, false);
	static const char expected[] =
		"{\"mode\":\"stable\",\n"
		"\"assignments\":[\n"
		"{\"seeker_id\":3,\"vacancy_id\":11,\"score\":2.439,\"distance_km\":1.573,"
		"\"same_kecamatan\":true,\"matched_skills\":[\"las\"],"
		"\"missing_optional_skills\":[]},\n"
		"{\"seeker_id\":7,\"vacancy_id\":10,\"score\":2.072,\"distance_km\":2.486,"
		"\"same_kecamatan\":true,\"matched_skills\":[\"las\",\"operator forklift\"],"
		"\"missing_optional_skills\":[\"k3 \\\"umum\\\"\"]}],\n"
		"\"unassigned\":[\n"
		"{\"seeker_id\":9,\"reason\":\"incomplete_profile\"}],\n"
		"\"total_score\":4.511,\n"
		"\"stats\":{\"seekers\":3,\"seekers_complete\":2,\"vacancies\":2,"
		"\"vacancies_open\":2,\"openings\":2,\"candidate_pairs\":3,\"assigned\":2,"
		"\"assigned_same_kecamatan\":2,\"mean_distance_km\":2.029,"
		"\"unassigned\":{\"incomplete_profile\":1,\"no_feasible_vacancy\":0,"
		"\"outcompeted\":0}},\n"
		"\"edges\":[\n"
		"{\"seeker_id\":3,\"vacancy_id\":11,\"score\":2.439,\"seeker_rank\":1,"
		"\"vacancy_rank\":1},\n"
		"{\"seeker_id\":7,\"vacancy_id\":10,\"score\":2.072,\"seeker_rank\":1,"
		"\"vacancy_rank\":1},\n"
		"{\"seeker_id\":7,\"vacancy_id\":11,\"score\":1.183,\"seeker_rank\":2,"
		"\"vacancy_rank\":2}]}\n";
	assert_string_equal(text, expected);
	char *again = print(doc, KD_MATCH_STABLE, true, false);
	assert_string_equal(text, again);
	free(text);
	free(again);
	text = print(doc, KD_MATCH_OPTIMAL, false, true);
	assert_non_null(strstr(text, "{\"mode\":\"optimal\""));
	assert_non_null(strstr(text, ",\"seconds\":{\"read\":0.250,\"prepare\":"));
	assert_null(strstr(text, "\"edges\""));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
