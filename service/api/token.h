/*
 * API tokens: "kd_<key_id>_<secret>".  key_id is 16 hex characters that
 * find the row; secret is 32 random bytes in unpadded base64url.  Only the
 * BLAKE2b-256 hash of the secret is stored, and hashes are compared in
 * constant time.
 */
#ifndef KD_TOKEN_H
#define KD_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KD_TOKEN_KEY_ID_LEN 16
#define KD_TOKEN_HASH_BYTES 32
#define KD_TOKEN_MAX_LEN 80

typedef struct kd_token_parts {
	char key_id[KD_TOKEN_KEY_ID_LEN + 1];
	uint8_t hash[KD_TOKEN_HASH_BYTES];
} kd_token_parts;

/*
 * Makes a new random token into out (at least KD_TOKEN_MAX_LEN bytes) and
 * fills parts with what the database keeps.
 */
void kd_token_generate(char *out, kd_token_parts *parts);

/*
 * Parses the value of an Authorization header ("Bearer kd_..."); returns
 * kd_error(EINVAL) for anything else.  header is borrowed.
 */
int kd_token_parse_header(const char *header, kd_token_parts *parts);

/* Constant-time comparison of a stored hash (from the database) with parts. */
bool kd_token_matches(const kd_token_parts *parts, const uint8_t *stored, size_t stored_len);

#endif
