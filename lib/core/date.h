/*
 * Calendar dates in the proleptic Gregorian calendar, as the API spells them
 * ("YYYY-MM-DD").  Pure functions, no time zone: the caller decides what
 * "today" is.
 */
#ifndef KD_DATE_H
#define KD_DATE_H

#include <stdbool.h>

/* "YYYY-MM-DD" plus the NUL. */
#define KD_DATE_SIZE 11

typedef struct kd_date {
	int year, month, day;
} kd_date;

/* True for Gregorian leap years. */
bool kd_date_is_leap_year(int year);

/* Days in the month (1..12) of the year; 0 for a month out of range. */
int kd_date_days_in_month(int year, int month);

/* True when d names a real day between 0001-01-01 and 9999-12-31. */
bool kd_date_valid(kd_date d);

/*
 * Parses exactly "YYYY-MM-DD" (ten bytes, ASCII digits, no sign, no spaces)
 * naming a real calendar day.  Returns kd_ok() and fills *out, or
 * kd_error(EINVAL) leaving *out untouched.
 */
int kd_date_parse(const char *s, kd_date *out);

/* Writes d as "YYYY-MM-DD" into out; d must be valid. */
void kd_date_format(kd_date d, char out[KD_DATE_SIZE]);

/* Days since 1970-01-01 (negative before it); d must be valid. */
long kd_date_to_days(kd_date d);

/* The inverse of kd_date_to_days(). */
kd_date kd_date_from_days(long days);

/* Negative, zero or positive as a is before, equal to or after b. */
int kd_date_compare(kd_date a, kd_date b);

/*
 * Age in whole years on the day `on` of someone born on `birth`: the count of
 * birthdays passed.  Someone born on 29 February has their birthday on
 * 1 March in common years.  Negative when `on` is before `birth`.
 */
int kd_date_age(kd_date birth, kd_date on);

#endif
