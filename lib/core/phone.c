#include "core/phone.h"

#include <stdbool.h>
#include <string.h>

#include "kd.h"

/* Longest national number (mobile) and the longest digit string we look at. */
#define NATIONAL_MAX 12
#define DIGITS_MAX (2 + NATIONAL_MAX)

static bool is_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

static bool plausible_national(const char *n, size_t len)
{
	if (n[0] == '8')
		return len >= 9 && len <= 12;
	if ((n[0] >= '2' && n[0] <= '7') || n[0] == '9')
		return len >= 7 && len <= 11;
	return false;
}

int kd_phone_normalise(const char *in, char out[KD_PHONE_SIZE])
{
	char digits[DIGITS_MAX + 1];
	size_t n = 0;
	bool plus = false;

	for (const char *p = in; *p; p++) {
		if (*p == '+' && n == 0 && !plus) {
			plus = true;
		} else if (*p >= '0' && *p <= '9') {
			if (n == DIGITS_MAX)
				return kd_error(EINVAL);
			digits[n++] = *p;
		} else if (!is_separator(*p)) {
			return kd_error(EINVAL);
		}
	}
	digits[n] = '\0';

	const char *national;
	if (n >= 2 && digits[0] == '6' && digits[1] == '2')
		national = digits + 2;
	else if (!plus && n >= 1 && digits[0] == '0')
		national = digits + 1;
	else
		return kd_error(EINVAL);

	size_t len = strlen(national);
	if (len == 0 || !plausible_national(national, len))
		return kd_error(EINVAL);
	memcpy(out, "+62", 3);
	memcpy(out + 3, national, len + 1);
	return kd_ok();
}
