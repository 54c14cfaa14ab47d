#include "core/text.h"

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

bool kd_text_is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned char c = *p;
		size_t extra;
		unsigned min;
		unsigned cp;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return false;
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			extra = 1, min = 0x80, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2, min = 0x800, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3, min = 0x10000, cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= extra)
			return false;
		for (size_t i = 1; i <= extra; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += extra + 1;
	}
	return true;
}
