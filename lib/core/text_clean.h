/*
 * Client bytes made fit for an answer: whatever a client sent, the text an
 * error body names must be valid UTF-8, or the body cannot be built.
 */
#ifndef KD_TEXT_CLEAN_H
#define KD_TEXT_CLEAN_H

#include <stddef.h>

/*
 * How many bytes the UTF-8 character that lead byte c begins takes, 1..4, or
 * 0 when c begins none (a continuation byte, 0xF8 and above).  Says nothing
 * of the bytes that follow: kd_text_is_clean() judges the whole character.
 */
size_t kd_text_char_length(unsigned char c);

/*
 * Copies client bytes in[0..len) into out (outsize >= 1 bytes, always
 * NUL-terminated) as clean text: each byte that begins no valid UTF-8
 * character, and each control character, becomes '?'; the copy ends before
 * the first character that does not fit whole.  Returns the bytes written,
 * the NUL not counted.
 */
size_t kd_text_clean_copy(const char *in, size_t len, char *out, size_t outsize);

#endif
