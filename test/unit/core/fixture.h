/*
 * Shared by the validation tests: a small synthetic served area, a small
 * skills taxonomy, valid request bodies, and error assertions.
 */
#ifndef KD_TEST_FIXTURE_H
#define KD_TEST_FIXTURE_H

#include <jansson.h>

#include "core/validate.h"

/* Skill ids of the fixture taxonomy. */
enum { SKILL_WELDING = 7, SKILL_HEAVY_EQUIPMENT = 3, SKILL_ELECTRICAL = 12, SKILL_DRIVING = 5 };

typedef struct fixture {
	kd_regions *regions;
	kd_skills *skills;
	kd_validate_ctx ctx;		/* today is 2024-06-01 */
} fixture;

/* cmocka group setup and teardown; *state becomes a fixture. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* Valid bodies as new references, to be modified by a test. */
json_t *fixture_seeker_body(void);
json_t *fixture_employer_body(void);
json_t *fixture_vacancy_body(void);

/* A structurally valid synthetic NIK (64.02.06) agreeing with birth and gender. */
void fixture_nik(kd_date birth, char gender, char out[KD_NIK_LEN + 1]);

/* Compact JSON text of body (caller frees with free()). */
char *fixture_dump(const json_t *body);

/* Sets key in body to the JSON text value (NULL removes the key). */
void fixture_set(json_t *body, const char *key, const char *value);

/* Asserts that rc is a failure and err says exactly this. */
void expect_error(int rc, const kd_field_error *err, int status, const char *code,
		  const char *field);

#endif
