#include "core/decimal.h"

#include <stdint.h>
#include <stdlib.h>

double kd_decimal_value(const char *text)
{
	static const double powers[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15,
	};
	const char *p = text + (*text == '-');
	uint64_t digits = 0;
	int n = 0, fraction = -1;
	for (; n <= 15; p++) {
		if (*p >= '0' && *p <= '9') {
			digits = digits * 10 + (uint64_t)(*p - '0');
			n++;
			if (fraction >= 0)
				fraction++;
		} else if (*p == '.' && fraction < 0) {
			fraction = 0;
		} else {
			break;
		}
	}
	if (*p != '\0' || n > 15)
		return strtod(text, NULL);
	double v = (double)digits / powers[fraction > 0 ? fraction : 0];
	return *text == '-' ? -v : v;
}
