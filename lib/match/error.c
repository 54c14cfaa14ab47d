#include "match/error.h"

#include <stdarg.h>
#include <stdio.h>

void kd_match_error_set(kd_match_error *err, const char *fmt, ...)
{
	if (err == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}
