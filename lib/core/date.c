#include "core/date.h"

#include <stdio.h>
#include <string.h>

#include "kd.h"

bool kd_date_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int kd_date_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && kd_date_is_leap_year(year))
		return 29;
	return days[month - 1];
}

bool kd_date_valid(kd_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.day >= 1 &&
	       d.day <= kd_date_days_in_month(d.year, d.month);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int kd_date_parse(const char *s, kd_date *out)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return kd_error(EINVAL);
	kd_date d = { digits(s, 4), digits(s + 5, 2), digits(s + 8, 2) };
	if (!kd_date_valid(d))
		return kd_error(EINVAL);
	*out = d;
	return kd_ok();
}

void kd_date_format(kd_date d, char out[KD_DATE_SIZE])
{
	snprintf(out, KD_DATE_SIZE, "%04d-%02d-%02d", d.year, d.month, d.day);
}

/*
 * Counting in 400-year eras that start on 1 March makes the leap day the last
 * day of its year, so the day of the year follows from the month alone.
 */
long kd_date_to_days(kd_date d)
{
	long y = d.month <= 2 ? d.year - 1 : d.year;
	long era = (y >= 0 ? y : y - 399) / 400;
	long year_of_era = y - era * 400;
	long month_from_march = d.month > 2 ? d.month - 3 : d.month + 9;
	long day_of_year = (153 * month_from_march + 2) / 5 + d.day - 1;
	long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

kd_date kd_date_from_days(long days)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long day_of_era = z - era * 146097;
	long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
			    day_of_era / 146096) / 365;
	long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	long month_from_march = (5 * day_of_year + 2) / 153;
	kd_date d;
	d.day = (int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
	d.month = (int)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
	d.year = (int)(year_of_era + era * 400 + (d.month <= 2));
	return d;
}

int kd_date_compare(kd_date a, kd_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

int kd_date_age(kd_date birth, kd_date on)
{
	int age = on.year - birth.year;
	if (on.month < birth.month || (on.month == birth.month && on.day < birth.day))
		age--;
	return age;
}
