/*
 * NIK (Nomor Induk Kependudukan), Indonesia's 16-digit national identity
 * number: PPRRKK DDMMYY SSSS, that is province, regency and kecamatan codes
 * of the place of registration, birth date (women add 40 to the day) and a
 * serial number.  Failure reasons are short static strings that never
 * contain the number itself, so they can go into responses and logs.
 */
#ifndef KD_NIK_H
#define KD_NIK_H

#include <stdint.h>

#include "core/date.h"

#define KD_NIK_LEN 16
#define KD_NIK_HASH_SIZE 32
#define KD_NIK_KEY_SIZE 32

/*
 * Checks the structure of a NUL-terminated NIK on its own: 16 ASCII digits,
 * a Kemendagri province code, non-zero regency and kecamatan codes, a
 * plausible DDMMYY birth date and a non-zero serial.  Returns kd_ok(), or
 * kd_error(EINVAL) with *why set to a static reason.
 */
int kd_nik_check_structure(const char *nik, const char **why);

/*
 * kd_nik_check_structure() and then agreement with the person: the NIK's day
 * (less 40 for women), month and two-digit year must equal birth_date's and
 * the +40 must match gender ('M' or 'F').  Returns kd_ok(), or
 * kd_error(EINVAL) with *why set to a static reason.
 */
int kd_nik_check(const char *nik, kd_date birth_date, char gender, const char **why);

/*
 * Writes the display form of a structurally valid NIK: its first 4 and last
 * 2 digits with ten '*' between ("6402**********01"), NUL-terminated.
 */
void kd_nik_mask(const char *nik, char out[KD_NIK_LEN + 1]);

/*
 * Keyed BLAKE2b-256 (libsodium crypto_generichash) of the 16 digits, for
 * uniqueness without storing the number.  key is the installation's 32-byte
 * secret (borrowed).  libsodium must have been initialised (sodium_init()).
 * Returns kd_ok(), or kd_error(EINVAL) when nik is not 16 digits.
 */
int kd_nik_hash(const uint8_t key[KD_NIK_KEY_SIZE], const char *nik,
		uint8_t out[KD_NIK_HASH_SIZE]);

#endif
