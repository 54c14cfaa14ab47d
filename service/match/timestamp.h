/*
 * ISO-8601 timestamps as PostgreSQL and JSON clients write them.
 */
#ifndef KD_MATCH_TIMESTAMP_H
#define KD_MATCH_TIMESTAMP_H

#include <stdint.h>

/*
 * Parses "YYYY-MM-DD", optionally followed by 'T' or ' ' and "HH:MM",
 * ":SS", a fraction, and a zone ("Z", "+HH", "+HHMM" or "+HH:MM"; none
 * means UTC), into microseconds since 1970-01-01 UTC.  Returns kd_ok() or
 * kd_error(EINVAL).
 */
int kd_match_parse_timestamp(const char *s, int64_t *us);

#endif
