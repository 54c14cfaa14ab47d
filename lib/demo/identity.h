/*
 * Personal data for synthetic seekers that nobody can mistake for a real
 * person's: numbered names ("Peserta Demo 00042"), telephone numbers in one
 * block ("+62812" "0000" and the number), and NIKs that pass the structural
 * checks but use serial numbers from the top of the range, far from the low
 * serials that real registrations count up from.
 */
#ifndef KD_DEMO_IDENTITY_H
#define KD_DEMO_IDENTITY_H

#include <stdint.h>

#include "core/date.h"
#include "core/nik.h"
#include "core/phone.h"
#include "core/regcode.h"

#define KD_DEMO_NAME_SIZE 32
/* Seeker numbers above this would not fit the telephone number. */
#define KD_DEMO_MAX_NUMBER UINT64_C(999999999)
/* Ids stay below 2^53 so that JSON clients read them exactly. */
#define KD_DEMO_ID_LIMIT (UINT64_C(1) << 53)

/* "Peserta Demo NNNNN" for seeker `number` (1..KD_DEMO_MAX_NUMBER). */
void kd_demo_seeker_name(uint64_t number, char out[KD_DEMO_NAME_SIZE]);

/*
 * "+62812" and the number in nine digits, so "+628120000" and five digits up
 * to 99999: a valid Indonesian mobile number (kd_phone_normalise() accepts it).
 */
void kd_demo_seeker_phone(uint64_t number, char out[KD_PHONE_SIZE]);

/* The same shape in the "+62811" block, for employers' contact numbers. */
void kd_demo_employer_phone(uint64_t number, char out[KD_PHONE_SIZE]);

/*
 * The NIK of someone registered in the kecamatan with code "PP.RR.KK", born
 * on birth_date, of gender 'M' or 'F', with serial 1..9999.  Returns kd_ok(),
 * or kd_error(EINVAL) for a malformed code, a serial out of range or a
 * result that kd_nik_check() would refuse.
 */
int kd_demo_nik(const char *kecamatan_code, kd_date birth_date, char gender, unsigned serial,
		char out[KD_NIK_LEN + 1]);

/*
 * Seeker id for seeker `number` under `key`: in 1..2^53-1, random-looking,
 * and distinct for distinct numbers.
 */
uint64_t kd_demo_seeker_id(uint64_t number, uint64_t key);

/* Registration code for seeker `number`; distinct for distinct numbers below 2^40. */
void kd_demo_registration_code(uint64_t number, uint64_t key, char out[KD_REGCODE_SIZE]);

#endif
