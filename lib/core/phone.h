/*
 * Indonesian telephone numbers in E.164 form ("+62" and the national number).
 */
#ifndef KD_PHONE_H
#define KD_PHONE_H

/* "+62", at most 12 national digits and the NUL. */
#define KD_PHONE_SIZE 16

/*
 * Normalises a NUL-terminated Indonesian number as people write it: "08..",
 * "628.." or "+62 8..", with spaces, dashes, dots and parentheses between
 * the digits.  The national number after 62 must be a mobile number (an 8
 * and 9..12 digits in all) or a landline (an area code starting with 2-7 or
 * 9, 7..11 digits in all).  Writes "+62..." into out and returns kd_ok(), or
 * returns kd_error(EINVAL) for anything else (foreign numbers included).
 */
int kd_phone_normalise(const char *in, char out[KD_PHONE_SIZE]);

#endif
