#include "daemon/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "kd.h"

int kd_secret_load(const char *path, uint8_t key[KD_SECRET_BYTES], char *why, size_t whylen)
{
	if (path == NULL)
		path = getenv("KERJADEKAT_SECRET_FILE");
	if (path == NULL || *path == '\0') {
		snprintf(why, whylen, "no secret file: pass --secret-file or set KERJADEKAT_SECRET_FILE");
		return kd_error(ENOENT);
	}
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "cannot open secret file \"%s\": %s", path, strerror(errno));
		return kd_error(errno);
	}
	char hex[2 * KD_SECRET_BYTES + 2];
	size_t n = fread(hex, 1, sizeof(hex), f);
	fclose(f);
	while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
		n--;
	size_t bin_len = 0;
	int rc = (n == 2 * KD_SECRET_BYTES) ?
		sodium_hex2bin(key, KD_SECRET_BYTES, hex, n, NULL, &bin_len, NULL) : -1;
	sodium_memzero(hex, sizeof(hex));
	if (rc != 0 || bin_len != KD_SECRET_BYTES) {
		snprintf(why, whylen, "secret file \"%s\" must hold exactly 64 hexadecimal characters", path);
		return kd_error(EINVAL);
	}
	return kd_ok();
}
