#include "match/timestamp.h"

#include <stdbool.h>

#include "kd.h"

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool parse_zone(const char *p, int64_t *offset_s)
{
	int hh, mm = 0;
	*offset_s = 0;
	if (*p == '\0' || (*p == 'Z' && p[1] == '\0'))
		return true;
	if (*p != '+' && *p != '-')
		return false;
	int sign = *p++ == '-' ? -1 : 1;
	if (!digits(&p, 2, &hh))
		return false;
	if (*p == ':')
		p++;
	if (*p != '\0' && !digits(&p, 2, &mm))
		return false;
	if (*p != '\0' || hh > 23 || mm > 59)
		return false;
	*offset_s = sign * (hh * 3600 + mm * 60);
	return true;
}

int kd_match_parse_timestamp(const char *s, int64_t *us)
{
	static const int month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t micro = 0, offset;
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return kd_error(EINVAL);
	if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] + (mo == 2 && leap(y)))
		return kd_error(EINVAL);
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return kd_error(EINVAL);
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				return kd_error(EINVAL);
			if (*p == '.') {
				int scale = 100000, n = 0, digit;
				for (p++; *p >= '0' && *p <= '9'; n++) {
					digits(&p, 1, &digit);
					micro += digit * scale;
					scale /= 10;
				}
				if (n == 0)
					return kd_error(EINVAL);
			}
		}
		/* 60 admits a leap second, which sorts like the second before it. */
		if (h > 23 || mi > 59 || sec > 60)
			return kd_error(EINVAL);
		if (sec == 60)
			sec = 59, micro = 999999;
	}
	if (!parse_zone(p, &offset))
		return kd_error(EINVAL);
	int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	*us = seconds * 1000000 + micro;
	return kd_ok();
}
