/*
 * Error detail shared by the matcher's functions: the message names the field
 * at fault ("seekers[12].skills: not in ascending order") and never holds
 * personal data.
 */
#ifndef KD_MATCH_ERROR_H
#define KD_MATCH_ERROR_H

typedef struct kd_match_error {
	char message[192];
} kd_match_error;

/* printf-style; err may be NULL, in which case nothing is written. */
void kd_match_error_set(kd_match_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
