#include "http/http_request_id.h"

#include <sodium.h>
#include <string.h>

bool kd_http_request_id_is_sane(const char *id, size_t len)
{
	if (len == 0 || len > KD_HTTP_REQUEST_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
			  c == '-';
		if (!ok)
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
	unsigned char raw[KD_HTTP_REQUEST_ID_RANDOM / 2];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, KD_HTTP_REQUEST_ID_MAX + 1, raw, sizeof(raw));
}
