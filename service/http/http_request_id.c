#include "http/http_request_id.h"

#include <sodium.h>
#include <string.h>

/*
 * Random bytes come from a pool refilled by one randombytes_buf() call at a
 * time.  libsodium asks the kernel (getrandom) on every call, and one call
 * per letter made the kernel's generator a quarter of what a trivial
 * request cost.  Each byte is used once; ids are not secrets.
 */
#define RANDOM_POOL_BYTES 4096

static _Thread_local unsigned char random_pool[RANDOM_POOL_BYTES];
static _Thread_local size_t random_left;

static unsigned char random_byte(void)
{
	if (random_left == 0) {
		randombytes_buf(random_pool, sizeof(random_pool));
		random_left = sizeof(random_pool);
	}
	return random_pool[--random_left];
}

/* A uniformly drawn lower-case letter: bytes from 26 * 9 up are drawn again. */
static char random_letter(void)
{
	unsigned char b;
	do
		b = random_byte();
	while (b >= 26 * 9);
	return (char)('a' + b % 26);
}

bool kd_http_request_id_is_sane(const char *id, size_t len)
{
	if (len == 0 || len > KD_HTTP_REQUEST_ID_MAX)
		return false;
	size_t digits = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		bool digit = c >= '0' && c <= '9';
		bool ok = digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  c == '.' || c == '_' || c == ':' || c == '-';
		/* Counted in all, not in runs: separators must not hide a number. */
		digits += digit;
		if (!ok || digits > KD_HTTP_REQUEST_ID_MAX_DIGITS)
			return false;
	}
	return true;
}

void kd_http_request_id_choose(const char *client, char out[KD_HTTP_REQUEST_ID_MAX + 1])
{
	if (client) {
		size_t len = strnlen(client, KD_HTTP_REQUEST_ID_MAX + 1);
		if (kd_http_request_id_is_sane(client, len)) {
			memcpy(out, client, len);
			out[len] = '\0';
			return;
		}
	}
	for (size_t i = 0; i < KD_HTTP_REQUEST_ID_RANDOM; i++)
		out[i] = random_letter();
	out[KD_HTTP_REQUEST_ID_RANDOM] = '\0';
}
