#include "api/token.h"

#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "kd.h"

#define SECRET_BYTES 32
#define SECRET_B64_LEN 43

static void hash_secret(const uint8_t *secret, size_t len, uint8_t out[KD_TOKEN_HASH_BYTES])
{
	crypto_generichash(out, KD_TOKEN_HASH_BYTES, secret, len, NULL, 0);
}

void kd_token_generate(char *out, kd_token_parts *parts)
{
	uint8_t key_id[KD_TOKEN_KEY_ID_LEN / 2], secret[SECRET_BYTES];
	char secret_b64[SECRET_B64_LEN + 1];
	randombytes_buf(key_id, sizeof(key_id));
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2hex(parts->key_id, sizeof(parts->key_id), key_id, sizeof(key_id));
	sodium_bin2base64(secret_b64, sizeof(secret_b64), secret, sizeof(secret),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	hash_secret(secret, sizeof(secret), parts->hash);
	snprintf(out, KD_TOKEN_MAX_LEN, "kd_%s_%s", parts->key_id, secret_b64);
	sodium_memzero(secret, sizeof(secret));
}

int kd_token_parse_header(const char *header, kd_token_parts *parts)
{
	static const char scheme[] = "Bearer ";
	if (header == NULL || strncasecmp(header, scheme, sizeof(scheme) - 1) != 0)
		return kd_error(EINVAL);
	const char *t = header + sizeof(scheme) - 1;
	if (strncmp(t, "kd_", 3) != 0 || strlen(t) != 3 + KD_TOKEN_KEY_ID_LEN + 1 + SECRET_B64_LEN ||
	    t[3 + KD_TOKEN_KEY_ID_LEN] != '_')
		return kd_error(EINVAL);
	for (int i = 0; i < KD_TOKEN_KEY_ID_LEN; i++) {
		char c = t[3 + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return kd_error(EINVAL);
		parts->key_id[i] = c;
	}
	parts->key_id[KD_TOKEN_KEY_ID_LEN] = '\0';
	uint8_t secret[SECRET_BYTES];
	size_t len = 0;
	if (sodium_base642bin(secret, sizeof(secret), t + 4 + KD_TOKEN_KEY_ID_LEN, SECRET_B64_LEN,
			      NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != SECRET_BYTES)
		return kd_error(EINVAL);
	hash_secret(secret, len, parts->hash);
	sodium_memzero(secret, sizeof(secret));
	return kd_ok();
}

bool kd_token_matches(const kd_token_parts *parts, const uint8_t *stored, size_t stored_len)
{
	return stored_len == KD_TOKEN_HASH_BYTES &&
	       sodium_memcmp(parts->hash, stored, KD_TOKEN_HASH_BYTES) == 0;
}
