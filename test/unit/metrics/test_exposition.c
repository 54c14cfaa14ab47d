#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/exposition.h"
#include "metrics/histogram.h"

static const double bounds[] = { 0.01, 0.1, 1 };

static void test_observations_land_in_their_bucket(void **state)
{
	(void)state;
	kd_histogram h;
	assert_int_equal(kd_histogram_init(&h, bounds, 3), 0);
	kd_histogram_observe(&h, 0.01);  /* a bound belongs to its own bucket */
	kd_histogram_observe(&h, 0.0);
	kd_histogram_observe(&h, 0.5);
	kd_histogram_observe(&h, 7.0);
	kd_histogram_observe(&h, 0.0 / 0.0);
	assert_int_equal(h.count, 4);
	assert_int_equal(h.counts[0], 2);
	assert_int_equal(h.counts[1], 0);
	assert_int_equal(h.counts[2], 1);
	assert_int_equal(h.counts[3], 1);
	assert_int_equal(kd_histogram_cumulative(&h, 1), 2);
	assert_int_equal(kd_histogram_cumulative(&h, 2), 3);
	assert_int_equal(kd_histogram_cumulative(&h, 3), 4);
	assert_true(h.sum > 7.50 && h.sum < 7.52);
}

static void test_bad_bounds_are_refused(void **state)
{
	(void)state;
	kd_histogram h;
	static const double same[] = { 1, 1 }, down[] = { 2, 1 };
	static const double many[KD_HISTOGRAM_MAX_BOUNDS + 1] = { 0 };
	assert_true(kd_histogram_init(&h, same, 2) < 0);
	assert_true(kd_histogram_init(&h, down, 2) < 0);
	assert_true(kd_histogram_init(&h, many, KD_HISTOGRAM_MAX_BOUNDS + 1) < 0);
	assert_int_equal(kd_histogram_init(&h, bounds, 0), 0);
	kd_histogram_observe(&h, 3);
	assert_int_equal(kd_histogram_cumulative(&h, 0), 1);
}

static char *finish(kd_expo *w)
{
	size_t len = 0;
	char *text = kd_expo_finish(w, &len);
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	return text;
}

static void test_family_and_samples(void **state)
{
	(void)state;
	kd_expo w;
	kd_expo_init(&w);
	kd_expo_family(&w, "kd_requests_total", KD_EXPO_COUNTER, "requests \\ answered\nso far");
	kd_expo_label labels[] = { { "route", "/v1/seekers/{id}" }, { "status", "201" } };
	kd_expo_sample_u64(&w, "kd_requests_total", labels, 2, 18446744073709551615ull);
	kd_expo_family(&w, "kd_up", KD_EXPO_GAUGE, "one when up");
	kd_expo_sample(&w, "kd_up", NULL, 0, 1);
	kd_expo_sample(&w, "kd_ratio", NULL, 0, 0.1);
	kd_expo_sample(&w, "kd_big", NULL, 0, 1.0 / 0.0);
	char *text = finish(&w);
	assert_string_equal(text,
		"# HELP kd_requests_total requests \\\\ answered\\nso far\n"
		"# TYPE kd_requests_total counter\n"
		"kd_requests_total{route=\"/v1/seekers/{id}\",status=\"201\"} 18446744073709551615\n"
		"# HELP kd_up one when up\n"
		"# TYPE kd_up gauge\n"
		"kd_up 1\n"
		"kd_ratio 0.1\n"
		"kd_big +Inf\n");
	free(text);
}

static void test_label_values_are_escaped(void **state)
{
	(void)state;
	kd_expo w;
	kd_expo_init(&w);
	kd_expo_label labels[] = { { "name", "Muara \"Kaman\"\\\nUlu" }, { "empty", NULL } };
	kd_expo_sample_u64(&w, "kd_x", labels, 2, 3);
	char *text = finish(&w);
	assert_string_equal(text, "kd_x{name=\"Muara \\\"Kaman\\\"\\\\\\nUlu\",empty=\"\"} 3\n");
	free(text);
}

static void test_histogram_is_cumulative_with_inf(void **state)
{
	(void)state;
	kd_histogram h;
	assert_int_equal(kd_histogram_init(&h, bounds, 3), 0);
	kd_histogram_observe(&h, 0.005);
	kd_histogram_observe(&h, 0.25);
	kd_histogram_observe(&h, 30);
	kd_expo w;
	kd_expo_init(&w);
	kd_expo_label labels[] = { { "route", "/v1/health" } };
	kd_expo_histogram(&w, "kd_seconds", labels, 1, &h);
	char *text = finish(&w);
	assert_string_equal(text,
		"kd_seconds_bucket{route=\"/v1/health\",le=\"0.01\"} 1\n"
		"kd_seconds_bucket{route=\"/v1/health\",le=\"0.1\"} 1\n"
		"kd_seconds_bucket{route=\"/v1/health\",le=\"1\"} 2\n"
		"kd_seconds_bucket{route=\"/v1/health\",le=\"+Inf\"} 3\n"
		"kd_seconds_sum{route=\"/v1/health\"} 30.255\n"
		"kd_seconds_count{route=\"/v1/health\"} 3\n");
	free(text);
	/* Without labels the le label stands alone. */
	kd_expo_init(&w);
	kd_expo_histogram(&w, "kd_s", NULL, 0, &h);
	text = finish(&w);
	assert_non_null(strstr(text, "kd_s_bucket{le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(text, "kd_s_count 3\n"));
	free(text);
}

static void test_large_output_grows_the_buffer(void **state)
{
	(void)state;
	kd_expo w;
	kd_expo_init(&w);
	for (int i = 0; i < 2000; i++)
		kd_expo_sample_u64(&w, "kd_many_series_with_a_long_name", NULL, 0, (uint64_t)i);
	char *text = finish(&w);
	assert_non_null(strstr(text, "kd_many_series_with_a_long_name 1999\n"));
	assert_non_null(strstr(text, "kd_many_series_with_a_long_name 0\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_observations_land_in_their_bucket),
		cmocka_unit_test(test_bad_bounds_are_refused),
		cmocka_unit_test(test_family_and_samples),
		cmocka_unit_test(test_label_values_are_escaped),
		cmocka_unit_test(test_histogram_is_cumulative_with_inf),
		cmocka_unit_test(test_large_output_grows_the_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
