#include "core/regcode.h"

#include <stdbool.h>
#include <string.h>

#include "kd.h"

#define SYMBOLS 8

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void kd_regcode_format(const uint8_t bits[KD_REGCODE_BITS_SIZE], char out[KD_REGCODE_SIZE])
{
	uint64_t v = 0;
	for (int i = 0; i < KD_REGCODE_BITS_SIZE; i++)
		v = v << 8 | bits[i];
	char *p = out;
	for (int i = SYMBOLS - 1; i >= 0; i--) {
		*p++ = alphabet[(v >> (5 * i)) & 31];
		if (i == SYMBOLS / 2)
			*p++ = '-';
	}
	*p = '\0';
}

/* The canonical symbol for a typed character, or 0 when it is not one. */
static char canonical(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	for (size_t i = 0; i < sizeof(alphabet) - 1; i++)
		if (alphabet[i] == c)
			return c;
	return 0;
}

int kd_regcode_parse(const char *in, char out[KD_REGCODE_SIZE])
{
	char symbols[SYMBOLS];
	int n = 0;
	bool hyphen = false;
	for (const char *p = in; *p; p++) {
		if (*p == '-') {
			if (hyphen || n != SYMBOLS / 2)
				return kd_error(EINVAL);
			hyphen = true;
			continue;
		}
		char c = canonical(*p);
		if (!c || n == SYMBOLS)
			return kd_error(EINVAL);
		symbols[n++] = c;
	}
	if (n != SYMBOLS)
		return kd_error(EINVAL);
	memcpy(out, symbols, SYMBOLS / 2);
	out[SYMBOLS / 2] = '-';
	memcpy(out + SYMBOLS / 2 + 1, symbols + SYMBOLS / 2, SYMBOLS / 2);
	out[SYMBOLS + 1] = '\0';
	return kd_ok();
}
