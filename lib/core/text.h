/*
 * Text rules shared by validation, skills and the matcher.
 */
#ifndef KD_TEXT_H
#define KD_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Normalises a free-text label for comparison: ASCII letters folded to lower
 * case, runs of white space, '-', '_' and '/' collapsed into one space,
 * leading and trailing space removed.  Other bytes (UTF-8 included) are kept.
 * Writes at most outlen bytes including the NUL; returns the length written
 * or kd_error(ENOSPC) when the result does not fit.
 */
int kd_text_normalise(const char *in, char *out, size_t outlen);

/* True when s is valid UTF-8 without control characters (U+0000..U+001F, U+007F). */
bool kd_text_is_clean(const char *s, size_t len);

/*
 * Counts the characters (Unicode code points) of s[0..len) into *chars.
 * Returns kd_ok(), or kd_error(EILSEQ) when s is not valid UTF-8 (see
 * kd_text_is_clean; control characters are counted like any other).  JSON
 * Schema's minLength and maxLength count characters, so a limit the API
 * description states is checked by this count, never by bytes.
 */
int kd_text_utf8_length(const char *s, size_t len, size_t *chars);

#endif
