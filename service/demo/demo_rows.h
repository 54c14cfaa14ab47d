/*
 * The generator's records as COPY rows for the employers, vacancies and
 * seekers tables; the column lists to COPY into come with them.
 */
#ifndef KD_DEMO_ROWS_H
#define KD_DEMO_ROWS_H

#include <stdint.h>

#include "daemon/secret.h"
#include "demo/demo.h"
#include "demo/pg_copy.h"

extern const char kd_demo_employer_columns[];
extern const char kd_demo_vacancy_columns[];
extern const char kd_demo_seeker_columns[];

/* One row each; e (borrowed) gets the database id `id`. */
void kd_demo_copy_employer(kd_copy *copy, const kd_demo_employer *e, long long id);
/* employer_id is the database id of v->employer. */
void kd_demo_copy_vacancy(kd_copy *copy, const kd_demo_vacancy *v, long long employer_id);
/*
 * Writes the seeker with the NIK replaced by its keyed hash (key borrowed)
 * and its masked form.  Returns kd_ok(), or kd_error(EINVAL) for a NIK that
 * is not 16 digits.
 */
int kd_demo_copy_seeker(kd_copy *copy, const kd_demo_seeker *s,
			const uint8_t key[KD_SECRET_BYTES]);

#endif
