#include "daemon/metrics_token.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

#include "kd.h"

static bool token_text_ok(const char *s, size_t n)
{
	if (n < KD_METRICS_TOKEN_MIN_LEN || n > KD_METRICS_TOKEN_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

int kd_metrics_token_load(const char *path, uint8_t hash[KD_METRICS_TOKEN_HASH_BYTES],
			  char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		int err = errno;
		snprintf(why, whylen, "cannot open metrics token file \"%s\": %s", path,
			 strerror(err));
		return kd_error(err);
	}
	char text[KD_METRICS_TOKEN_MAX_LEN + 3];
	size_t n = fread(text, 1, sizeof(text), f);
	fclose(f);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	bool ok = token_text_ok(text, n);
	if (ok)
		crypto_generichash(hash, KD_METRICS_TOKEN_HASH_BYTES, (const unsigned char *)text, n,
				   NULL, 0);
	sodium_memzero(text, sizeof(text));
	if (!ok) {
		snprintf(why, whylen, "metrics token file \"%s\" must hold one line of %d to %d"
			 " printable characters without spaces", path, KD_METRICS_TOKEN_MIN_LEN,
			 KD_METRICS_TOKEN_MAX_LEN);
		return kd_error(EINVAL);
	}
	return kd_ok();
}

bool kd_metrics_token_accepts(const uint8_t hash[KD_METRICS_TOKEN_HASH_BYTES],
			      const char *authorization)
{
	static const char scheme[] = "Bearer ";
	if (authorization == NULL ||
	    strncasecmp(authorization, scheme, sizeof(scheme) - 1) != 0)
		return false;
	const char *token = authorization + sizeof(scheme) - 1;
	size_t n = strlen(token);
	if (!token_text_ok(token, n))
		return false;
	uint8_t candidate[KD_METRICS_TOKEN_HASH_BYTES];
	crypto_generichash(candidate, sizeof(candidate), (const unsigned char *)token, n, NULL, 0);
	return sodium_memcmp(candidate, hash, sizeof(candidate)) == 0;
}
