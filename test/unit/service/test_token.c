#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "api/token.h"

static void generated_token_parses_back(void **state)
{
	(void)state;
	char token[KD_TOKEN_MAX_LEN], header[KD_TOKEN_MAX_LEN + 16];
	kd_token_parts made, parsed;
	kd_token_generate(token, &made);
	snprintf(header, sizeof(header), "Bearer %s", token);
	assert_int_equal(kd_token_parse_header(header, &parsed), 0);
	assert_string_equal(parsed.key_id, made.key_id);
	assert_true(kd_token_matches(&parsed, made.hash, sizeof(made.hash)));
	/* The scheme is case-insensitive (RFC 7235). */
	memcpy(header, "bEARER", 6);
	assert_int_equal(kd_token_parse_header(header, &parsed), 0);
}

static void two_tokens_differ(void **state)
{
	(void)state;
	char a[KD_TOKEN_MAX_LEN], b[KD_TOKEN_MAX_LEN];
	kd_token_parts pa, pb;
	kd_token_generate(a, &pa);
	kd_token_generate(b, &pb);
	assert_string_not_equal(a, b);
	assert_false(kd_token_matches(&pa, pb.hash, sizeof(pb.hash)));
}

static void altered_secret_does_not_match(void **state)
{
	(void)state;
	char token[KD_TOKEN_MAX_LEN], header[KD_TOKEN_MAX_LEN + 16];
	kd_token_parts made, parsed;
	kd_token_generate(token, &made);
	size_t last = strlen(token) - 1;
	token[last] = token[last] == 'A' ? 'B' : 'A';
	snprintf(header, sizeof(header), "Bearer %s", token);
	if (kd_token_parse_header(header, &parsed) == 0)
		assert_false(kd_token_matches(&parsed, made.hash, sizeof(made.hash)));
	assert_false(kd_token_matches(&made, made.hash, sizeof(made.hash) - 1));
}

static void malformed_headers_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		NULL,
		"",
		"Bearer",
		"Bearer ",
		"Basic a2Q6c2VjcmV0",
		"Bearer kd_0123456789abcdef",
		"Bearer kd_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"Bearer kd_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"Bearer kd_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!",
		"Bearer xx_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"Bearer  kd_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	kd_token_parts parts;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kd_token_parse_header(bad[i], &parts), -EINVAL);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generated_token_parses_back),
		cmocka_unit_test(two_tokens_differ),
		cmocka_unit_test(altered_secret_does_not_match),
		cmocka_unit_test(malformed_headers_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
