#include "http/http_request_id.h"

#include <sodium.h>
#include <string.h>

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
		out[i] = (char)('a' + randombytes_uniform(26));
	out[KD_HTTP_REQUEST_ID_RANDOM] = '\0';
}
