#include "core/text_clean.h"

#include <stdbool.h>
#include <string.h>

#include "core/text.h"

size_t kd_text_char_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 0;
}

size_t kd_text_clean_copy(const char *in, size_t len, char *out, size_t outsize)
{
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t char_len = kd_text_char_length((unsigned char)in[i]);
		bool clean = char_len > 0 && char_len <= len - i &&
			     kd_text_is_clean(in + i, char_len);
		/* A byte that begins no clean character is replaced alone, so the
		 * next one may still begin one. */
		size_t take = clean ? char_len : 1;
		if (take > outsize - 1 - n)
			break;
		if (clean)
			memcpy(out + n, in + i, char_len);
		else
			out[n] = '?';
		n += take;
		i += take;
	}
	out[n] = '\0';
	return n;
}
