#include "demo/area.h"

#include <stdbool.h>
#include <string.h>

#include "kd.h"

/* Digits in each level of a region code: province, regency, kecamatan, village. */
static const size_t level_digits[] = { 2, 2, 2, 4 };

/* Whether text[0..len) is a region code of some level, digits joined by dots. */
static bool is_region_code(const char *text, size_t len)
{
	size_t at = 0;
	for (size_t level = 0; level < KD_ARRAY_LEN(level_digits); level++) {
		if (level > 0 && text[at++] != '.')
			return false;
		for (size_t i = 0; i < level_digits[level]; i++, at++)
			if (at >= len || text[at] < '0' || text[at] > '9')
				return false;
		if (at == len)
			return true;
	}
	return false;
}

int kd_demo_area_patterns(const char *text, char patterns[KD_DEMO_AREA_PATTERNS_SIZE],
			  const char **why)
{
	size_t text_len = strlen(text);
	if (text_len == 0) {
		*why = "must not be empty";
		return kd_error(EINVAL);
	}
	if (text_len > KD_DEMO_AREA_MAX_LEN) {
		*why = "is too long";
		return kd_error(EINVAL);
	}
	if (strcmp(text, "all") == 0) {
		strcpy(patterns, "{%}");
		return kd_ok();
	}
	size_t out = 0;
	patterns[out++] = '{';
	for (const char *part = text;; part++) {
		size_t len = strcspn(part, ",");
		if (!is_region_code(part, len)) {
			*why = "must be \"all\" or region codes separated by commas, each like"
			       " 64, 64.02, 64.02.01 or 64.02.01.2001";
			return kd_error(EINVAL);
		}
		/* A village code is whole; a shorter code stands for what lies under it. */
		bool village = len == strlen("PP.RR.KK.NNNN");
		if (out > 1)
			patterns[out++] = ',';
		memcpy(patterns + out, part, len);
		out += len;
		if (!village) {
			patterns[out++] = '.';
			patterns[out++] = '%';
		}
		part += len;
		if (*part == '\0')
			break;
	}
	patterns[out++] = '}';
	patterns[out] = '\0';
	return kd_ok();
}
