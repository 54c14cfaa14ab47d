/*
 * The text parameters of the seeker and vacancy INSERT statements
 * (service/db/statements.c) built from a validated input, shared by the
 * HTTP handlers and `kerjadekat import` so that a row stored either way is
 * the same row.  Pure: no I/O.
 *
 * Ownership: params[] points into the struct itself and into the borrowed
 * input (and id, code), so keep all of them alive, and the struct in place,
 * while the parameters are used.  The caller fills the parameters marked
 * below (who, idempotency) before sending.
 */
#ifndef KD_INSERT_PARAMS_H
#define KD_INSERT_PARAMS_H

#include <stdint.h>

#include "core/regcode.h"
#include "core/validate.h"
#include "daemon/secret.h"

#define KD_SEEKER_INSERT_PARAMS 26
#define KD_VACANCY_INSERT_PARAMS 19
#define KD_SKILL_ARRAY_SIZE (KD_SKILLS_MAX * 12 + 3)

typedef struct kd_seeker_params {
	/* $1..$21 set; $22 registered_by, $23..$26 idempotency: the caller's (NULL here). */
	const char *params[KD_SEEKER_INSERT_PARAMS];
	char hash_hex[2 + 2 * KD_NIK_HASH_SIZE + 1];
	char masked[KD_NIK_LEN + 1], birth[KD_DATE_SIZE], lat[32], lon[32], experience[16];
	char max_distance[32], skill_ids[KD_SKILL_ARRAY_SIZE], gender[2];
	char unknown[KD_SKILLS_MAX * (2 * KD_FREE_SKILL_SIZE + 3) + 3];
} kd_seeker_params;

typedef struct kd_vacancy_params {
	/* $1..$15 set; $16 token, $17..$18 idempotency, $19 audit request id: the caller's. */
	const char *params[KD_VACANCY_INSERT_PARAMS];
	char employer[24], lat[32], lon[32], required[KD_SKILL_ARRAY_SIZE];
	char optional[KD_SKILL_ARRAY_SIZE], openings[16], wage_min[24], wage_max[24];
	char closes_on[KD_DATE_SIZE];
} kd_vacancy_params;

/*
 * Fills p for seeker in with id and registration code (both borrowed text);
 * the NIK goes in only as its keyed hash and masked form.  Wipe p with
 * kd_seeker_params_clear() once sent.
 */
void kd_seeker_params_fill(kd_seeker_params *p, const uint8_t secret[KD_SECRET_BYTES],
			   const kd_seeker_input *in, const char *id, const char *code);
void kd_seeker_params_clear(kd_seeker_params *p);

/* Fills p for vacancy in, posted for employer_id. */
void kd_vacancy_params_fill(kd_vacancy_params *p, const kd_vacancy_input *in,
			    int64_t employer_id);

#endif
