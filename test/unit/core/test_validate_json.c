/*
 * Hostile bodies: whatever arrives, the validators answer 400 or 422 with a
 * clean error, never crash, and never hand back a half-filled struct.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"
#include "fixture.h"

static int seeker(const fixture *f, const char *body, size_t len, kd_field_error *err)
{
	kd_seeker_input in;
	int rc = kd_validate_seeker(body, len, &f->ctx, &in, err);
	if (rc == 0)
		kd_seeker_input_release(&in);
	else
		assert_null(in.doc);
	return rc;
}

static void expect_malformed(const fixture *f, const char *body, size_t len)
{
	kd_field_error err;
	expect_error(seeker(f, body, len, &err), &err, 400, "malformed_json", "");
}

/* The valid seeker body with the text at `at` in it replaced by `with`. */
static char *seeker_with(const char *at, const char *with)
{
	json_t *body = fixture_seeker_body();
	char *text = fixture_dump(body);
	json_decref(body);
	char *found = strstr(text, at);
	assert_non_null(found);
	size_t head = (size_t)(found - text), tail = strlen(found + strlen(at));
	char *out = malloc(head + strlen(with) + tail + 1);
	assert_non_null(out);
	memcpy(out, text, head);
	memcpy(out + head, with, strlen(with));
	memcpy(out + head + strlen(with), found + strlen(at), tail + 1);
	free(text);
	return out;
}

static void expect_replaced(const fixture *f, const char *at, const char *with, int status,
			    const char *code, const char *field)
{
	char *body = seeker_with(at, with);
	kd_field_error err;
	expect_error(seeker(f, body, strlen(body), &err), &err, status, code, field);
	free(body);
}

static void test_truncated(void **state)
{
	const fixture *f = *state;
	json_t *body = fixture_seeker_body();
	char *text = fixture_dump(body);
	size_t len = strlen(text);
	/* Every proper prefix of an object is unfinished JSON. */
	for (size_t cut = 0; cut < len; cut++)
		expect_malformed(f, text, cut);
	kd_field_error err;
	assert_int_equal(seeker(f, text, len, &err), 0);
	free(text);
	json_decref(body);
}

static void test_not_an_object(void **state)
{
	const fixture *f = *state;
	static const char *const bodies[] = {
		"[]", "\"text\"", "42", "null", "true", "", "   ", "{} {}", "{}x", "{'a':1}",
		"{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "\xef\xbb\xbf{}", "{\"a\":1,}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect_malformed(f, bodies[i], strlen(bodies[i]));
	expect_malformed(f, NULL, 0);
	/* A NUL byte ends nothing: the length counts. */
	expect_malformed(f, "{}\0", 3);
}

static void test_invalid_utf8(void **state)
{
	const fixture *f = *state;
	static const char *const names[] = {
		"\"Peserta \xff\"", "\"Peserta \xc0\xaf\"", "\"Peserta \xed\xa0\x80\"",
		"\"Peserta \xe2\x82\"", "\"Peserta \xf4\x90\x80\x80\"", "\"\\ud800\"",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		expect_replaced(f, "\"Peserta Uji\"", names[i], 400, "malformed_json", "");
	expect_replaced(f, "\"full_name\"", "\"full_\xff\"", 400, "malformed_json", "");
}

static void test_nul_escape(void **state)
{
	const fixture *f = *state;
	expect_replaced(f, "\"Peserta Uji\"", "\"Peserta\\u0000Uji\"", 400, "malformed_json", "");
	expect_replaced(f, "\"full_name\"", "\"full\\u0000name\"", 400, "malformed_json", "");
	expect_replaced(f, "\"las\"", "\"l\\u0000s\"", 400, "malformed_json", "");
}

static void test_duplicate_keys(void **state)
{
	const fixture *f = *state;
	expect_replaced(f, "\"gender\":\"M\"", "\"gender\":\"M\",\"gender\":\"F\"", 400,
			"malformed_json", "");
	expect_replaced(f, "\"accepted\":true", "\"accepted\":true,\"accepted\":true", 400,
			"malformed_json", "");
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t n = strlen(unit), t = strlen(tail);
	char *out = malloc(n * times + t + 1);
	assert_non_null(out);
	for (size_t i = 0; i < times; i++)
		memcpy(out + i * n, unit, n);
	memcpy(out + n * times, tail, t + 1);
	return out;
}

static void test_deep_nesting(void **state)
{
	const fixture *f = *state;
	char *deep = repeat("[", 100000, "");
	expect_malformed(f, deep, strlen(deep));
	free(deep);
	deep = repeat("{\"a\":", 100000, "1");
	expect_malformed(f, deep, strlen(deep));
	free(deep);

	/* Nesting that jansson accepts reaches the field check. */
	char *arrays = repeat("[", 500, "");
	char *closing = repeat("]", 500, "");
	size_t len = strlen(arrays) + strlen(closing) + 1;
	char *value = malloc(len);
	assert_non_null(value);
	strcpy(value, arrays);
	strcat(value, closing);
	expect_replaced(f, "\"Peserta Uji\"", value, 422, "validation_failed", "full_name");
	free(value);
	free(arrays);
	free(closing);
}

static void test_huge_numbers(void **state)
{
	const fixture *f = *state;
	static const char *const years[] = {
		"99999999999999999999999", "-99999999999999999999999", "9223372036854775807",
		"-9223372036854775808", "9223372036854775808", "1e300", "-1e300", "1e19",
		"4.9e-324", "60.000000001",
	};
	for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		char with[64];
		snprintf(with, sizeof(with), "\"experience_years\":%s", years[i]);
		expect_replaced(f, "\"experience_years\":5", with, 422, "validation_failed",
				"experience_years");
	}
	/* Beyond double range too, the field is named. */
	static const char *const beyond[] = { "1e400", "-1e400", "2.5e99999", "1e309" };
	for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
		char with[64];
		snprintf(with, sizeof(with), "\"experience_years\":%s", beyond[i]);
		expect_replaced(f, "\"experience_years\":5", with, 422, "validation_failed",
				"experience_years");
	}
	expect_replaced(f, "\"disability\":false",
			"\"disability\":false,\"location\":{\"lat\":-1e400,\"lon\":1e400}", 422,
			"validation_failed", "location.lat");
	expect_replaced(f, "\"las\"", "1e400", 422, "validation_failed", "skills[0]");
	expect_replaced(f, "\"disability\":false", "\"disability\":false,\"zz\":1e400", 422,
			"unknown_field", "zz");
	/* A string holding such a number is only a string. */
	char *named = seeker_with("\"Peserta Uji\"", "\"Peserta 1e400\"");
	kd_field_error err;
	assert_int_equal(seeker(f, named, strlen(named), &err), 0);
	free(named);
	/* Truncated after an overflowing real: still malformed. */
	expect_replaced(f, "\"experience_years\":5", "\"experience_years\":1e400,", 400,
			"malformed_json", "");
	expect_replaced(f, "\"las\"", "1234567890123456789012345", 422, "validation_failed",
			"skills[0]");
	expect_replaced(f, "\"disability\":false",
			"\"disability\":false,\"zz\":123456789012345678901234567890", 422,
			"unknown_field", "zz");
	expect_replaced(f, "\"disability\":false",
			"\"disability\":false,\"location\":{\"lat\":1e308,\"lon\":116.9}", 422,
			"validation_failed", "location.lat");
	expect_replaced(f, "\"disability\":false",
			"\"disability\":false,\"max_distance_km\":18446744073709551616", 422,
			"validation_failed", "max_distance_km");
}

static void test_long_unknown_key(void **state)
{
	const fixture *f = *state;
	/* 100 two-byte characters: the field is cut whole-character short of 64 bytes. */
	char *key = repeat("\xc3\xa9", 100, "");
	char with[256];
	snprintf(with, sizeof(with), "\"%s\":1,\"nik\"", key);
	char *body = seeker_with("\"nik\"", with);
	kd_field_error err;
	int rc = seeker(f, body, strlen(body), &err);
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(err.status, 422);
	assert_string_equal(err.code, "unknown_field");
	assert_int_equal(strlen(err.field), 62);
	assert_true(kd_text_is_clean(err.field, strlen(err.field)));
	assert_memory_equal(err.field, key, 62);
	free(body);
	free(key);

	/* Control characters in a key would break a log line. */
	body = seeker_with("\"nik\"", "\"a\\nb\\u001b\":1,\"nik\"");
	rc = seeker(f, body, strlen(body), &err);
	expect_error(rc, &err, 422, "unknown_field", "a?b?");
	free(body);
}

/* Every validator, fed every one-byte corruption of valid bodies, stays sane. */
static void test_corruptions(void **state)
{
	const fixture *f = *state;
	static const char replacements[] = { '\0', '"', '{', '}', '[', ']', ',', ':', '\\', '9',
					     'e', '-', ' ', 'x', (char)0x80, (char)0xff };
	json_t *bodies[] = { fixture_seeker_body(), fixture_employer_body(),
			     fixture_vacancy_body() };
	for (size_t b = 0; b < 3; b++) {
		char *text = fixture_dump(bodies[b]);
		size_t len = strlen(text);
		for (size_t at = 0; at < len; at++) {
			for (size_t r = 0; r < sizeof(replacements); r++) {
				char saved = text[at];
				text[at] = replacements[r];
				kd_field_error err;
				kd_seeker_input s;
				kd_employer_input e;
				kd_vacancy_input v;
				kd_vacancy_patch p;
				int rcs[4] = {
					kd_validate_seeker(text, len, &f->ctx, &s, &err),
					kd_validate_employer(text, len, &f->ctx, &e, &err),
					kd_validate_vacancy(text, len, &f->ctx, &v, &err),
					kd_validate_vacancy_patch(text, len, &f->ctx, &p, &err),
				};
				for (int k = 0; k < 4; k++)
					assert_true(rcs[k] == 0 || rcs[k] == -EINVAL);
				if (rcs[3] < 0) {
					assert_true(err.status == 400 || err.status == 422);
					if (!kd_text_is_clean(err.field, strlen(err.field)))
						fail_msg("field %s for %.*s", err.field, (int)len, text);
				}
				kd_seeker_input_release(&s);
				kd_employer_input_release(&e);
				kd_vacancy_input_release(&v);
				kd_vacancy_patch_release(&p);
				text[at] = saved;
			}
		}
		free(text);
		json_decref(bodies[b]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nul_escape),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_long_unknown_key),
		cmocka_unit_test(test_corruptions),
	};
	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
