/*
 * Registration codes printed on a seeker's receipt: 40 random bits as eight
 * Crockford base32 symbols, "XXXX-XXXX".  The alphabet has no I, L, O or U,
 * so a code read aloud or typed from paper survives the usual confusions.
 */
#ifndef KD_REGCODE_H
#define KD_REGCODE_H

#include <stdint.h>

/* "XXXX-XXXX" and the NUL. */
#define KD_REGCODE_SIZE 10
/* Random input: 5 bytes, 40 bits. */
#define KD_REGCODE_BITS_SIZE 5

/*
 * Writes the canonical code for the 40 bits in `bits` (borrowed; the caller
 * draws them, e.g. with randombytes_buf()).
 */
void kd_regcode_format(const uint8_t bits[KD_REGCODE_BITS_SIZE], char out[KD_REGCODE_SIZE]);

/*
 * Reads a code as a person typed it: lower case, without the hyphen, with O
 * for 0 and I or L for 1.  Writes the canonical form into out and returns
 * kd_ok(), or kd_error(EINVAL) unless the text holds exactly eight symbols
 * and at most one hyphen between the fourth and fifth.
 */
int kd_regcode_parse(const char *in, char out[KD_REGCODE_SIZE]);

#endif
