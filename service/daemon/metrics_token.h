/*
 * The bearer token Prometheus sends to GET /metrics, kept in a file of its
 * own (--metrics-token-file) rather than in api_tokens, so that the daemon
 * can be scraped while the database is down, which is when its figures
 * matter most.  Only a BLAKE2b hash of the token is kept in memory, and
 * candidates are compared in constant time.
 */
#ifndef KD_METRICS_TOKEN_H
#define KD_METRICS_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KD_METRICS_TOKEN_HASH_BYTES 32
#define KD_METRICS_TOKEN_MIN_LEN 32
#define KD_METRICS_TOKEN_MAX_LEN 256

/*
 * Reads the token from path (borrowed): one line of 32 to 256 printable
 * ASCII characters without spaces, a final newline allowed.  Stores its
 * hash; on failure returns kd_error() with a short reason in why that
 * never quotes the file's content.
 */
int kd_metrics_token_load(const char *path, uint8_t hash[KD_METRICS_TOKEN_HASH_BYTES],
			  char *why, size_t whylen);

/*
 * True when the Authorization header value (borrowed; NULL when absent) is
 * "Bearer <the token>".
 */
bool kd_metrics_token_accepts(const uint8_t hash[KD_METRICS_TOKEN_HASH_BYTES],
			      const char *authorization);

#endif
