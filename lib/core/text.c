#include "core/text.h"

#include <string.h>

#include "kd.h"

static bool is_separator(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' ||
	       c == '_' || c == '/';
}

int kd_text_normalise(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	bool pending_space = false;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if (is_separator(*p)) {
			pending_space = n > 0;
			continue;
		}
		if (pending_space) {
			if (n + 1 >= outlen)
				return kd_error(ENOSPC);
			out[n++] = ' ';
			pending_space = false;
		}
		if (n + 1 >= outlen)
			return kd_error(ENOSPC);
		out[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + ('a' - 'A') : *p);
	}
	if (outlen == 0)
		return kd_error(ENOSPC);
	out[n] = '\0';
	return (int)n;
}

/*
 * Decodes the UTF-8 sequence at p (before end) into *cp; returns its length
 * in bytes, or 0 when it is not valid UTF-8: a stray continuation byte, a
 * truncated sequence, an overlong form, a surrogate or a value above
 * U+10FFFF.
 */
static size_t utf8_decode(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
	unsigned char c = *p;
	size_t extra;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		extra = 1, min = 0x80, *cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		extra = 2, min = 0x800, *cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		extra = 3, min = 0x10000, *cp = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) <= extra)
		return 0;
	for (size_t i = 1; i <= extra; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return extra + 1;
}

bool kd_text_is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned cp;
		size_t n = utf8_decode(p, end, &cp);
		if (n == 0 || cp < 0x20 || cp == 0x7f)
			return false;
		p += n;
	}
	return true;
}

int kd_text_utf8_length(const char *s, size_t len, size_t *chars)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t count = 0;
	while (p < end) {
		unsigned cp;
		size_t n = utf8_decode(p, end, &cp);
		if (n == 0)
			return kd_error(EILSEQ);
		p += n;
		count++;
	}
	*chars = count;
	return kd_ok();
}
