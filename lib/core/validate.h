/*
 * Validation of the API's request bodies: raw bytes in, a typed and
 * normalised struct or one field-named error out.
 *
 * Every kd_validate_*() function parses body[0..len) as JSON (duplicate keys,
 * invalid UTF-8, \u0000 and nesting deeper than jansson's limit are refused),
 * checks every field and fills *out.  It returns kd_ok(); or kd_error(EINVAL)
 * for bad input with *err filled (status 400 or 422); or kd_error(ENOMEM)
 * with *err filled (status 500, code "internal_error").  On failure *out owns
 * nothing.
 *
 * Ownership: *out owns a new reference to the parsed document (out->doc);
 * its `const char *` members borrow strings from that document, and its
 * region pointers borrow from ctx->regions.  Keep the document, and the
 * context's tables, alive while using the struct; release it with the
 * matching kd_*_release() call, which is also safe after a failure.
 */
#ifndef KD_VALIDATE_H
#define KD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/date.h"
#include "core/education.h"
#include "core/nik.h"
#include "core/phone.h"
#include "core/regions.h"
#include "core/skills.h"

#define KD_FIELD_SIZE 64
/* Most skills in one list. */
#define KD_SKILLS_MAX 30
/* A free-text skill: 60 bytes once normalised, and the NUL. */
#define KD_FREE_SKILL_SIZE 61
/* How far outside the box of the desa centroids a given location may lie. */
#define KD_LOCATION_MARGIN_KM 10.0
#define KD_MIN_AGE 15
#define KD_ADULT_AGE 18

/*
 * One error, ready for {"error":{"code":...,"message":...,"field":...}}.
 * status 400, code "malformed_json": the body is not a JSON object (field "").
 * status 422, code "validation_failed" or "unknown_field": field is the path
 * of the culprit ("consent.accepted", "skills[3]", "location.lat"), or "" when
 * no single field is at fault; an unknown key is cut to fit, with control
 * characters shown as '?'.  message is short, lower case, and never
 * repeats the submitted value.  All strings are NUL-terminated UTF-8.
 */
typedef struct kd_field_error {
	int status;
	char code[32];
	char field[KD_FIELD_SIZE];
	char message[128];
} kd_field_error;

/* What validation needs from the running daemon; all borrowed. */
typedef struct kd_validate_ctx {
	const kd_regions *regions;	/* frozen */
	const kd_skills *skills;	/* frozen */
	kd_date today;			/* in the served area's time zone */
} kd_validate_ctx;

/* Where someone lives or a job is: a desa and a point. */
typedef struct kd_place {
	const kd_desa *desa;		/* its kecamatan is desa->kecamatan */
	double lat, lon;		/* the given location, else the desa centroid */
	bool location_given;
} kd_place;

/* POST /v1/seekers */
typedef struct kd_seeker_input {
	json_t *doc;
	const char *nik;		/* 16 digits, checked against birth date and gender */
	const char *full_name;
	kd_date birth_date;
	char gender;			/* 'M' or 'F' */
	char phone[KD_PHONE_SIZE];	/* "+62..." */
	kd_place place;
	kd_education education;
	int skill_ids[KD_SKILLS_MAX];	/* known skills, distinct, in given order */
	size_t skill_count;
	/* Labels the taxonomy does not know: normalised, distinct, in given order. */
	char unknown_skills[KD_SKILLS_MAX][KD_FREE_SKILL_SIZE];
	size_t unknown_skill_count;
	int experience_years;
	double max_distance_km;		/* 0 when not given (a given one is > 0) */
	bool disability;
	const char *consent_version;
	bool guardian_consent;		/* false when not given */
} kd_seeker_input;

/* POST /v1/employers */
typedef struct kd_employer_input {
	json_t *doc;
	const char *name;
	const char *kbli_code;		/* 5 digits, or NULL */
	const kd_desa *desa;
	const char *contact_name;	/* NULL when not given */
	char contact_phone[KD_PHONE_SIZE];	/* "+62...", or "" */
	const char *contact_email;	/* NULL when not given */
} kd_employer_input;

/* POST /v1/vacancies */
typedef struct kd_vacancy_input {
	json_t *doc;
	int64_t employer_id;		/* 0 when not given; whether allowed is the caller's call */
	const char *title;
	const char *kbji_code;		/* 4 digits, or NULL */
	kd_place place;
	int required_skill_ids[KD_SKILLS_MAX];	/* distinct */
	size_t required_skill_count;	/* 1..KD_SKILLS_MAX */
	int optional_skill_ids[KD_SKILLS_MAX];	/* distinct, none of them required */
	size_t optional_skill_count;
	kd_education min_education;
	int openings;
	bool has_wage_min, has_wage_max;
	int64_t wage_min, wage_max;	/* IDR a month, when has_wage_* */
	bool has_closes_on;
	kd_date closes_on;		/* not before ctx->today */
	bool disability_friendly;
} kd_vacancy_input;

/* PATCH /v1/vacancies/{id}: at least one change. */
typedef struct kd_vacancy_patch {
	json_t *doc;
	bool set_openings;
	int openings;			/* 0..10000 */
	bool set_closes_on;
	bool clear_closes_on;		/* closes_on was null: no closing date */
	kd_date closes_on;		/* when set and not cleared; not before today */
	const char *status;		/* "open", "closed", or NULL */
} kd_vacancy_patch;

int kd_validate_seeker(const char *body, size_t len, const kd_validate_ctx *ctx,
		       kd_seeker_input *out, kd_field_error *err);
int kd_validate_employer(const char *body, size_t len, const kd_validate_ctx *ctx,
			 kd_employer_input *out, kd_field_error *err);
int kd_validate_vacancy(const char *body, size_t len, const kd_validate_ctx *ctx,
			kd_vacancy_input *out, kd_field_error *err);
int kd_validate_vacancy_patch(const char *body, size_t len, const kd_validate_ctx *ctx,
			      kd_vacancy_patch *out, kd_field_error *err);

/* Drop the document reference; the struct must not be used afterwards. */
void kd_seeker_input_release(kd_seeker_input *in);
void kd_employer_input_release(kd_employer_input *in);
void kd_vacancy_input_release(kd_vacancy_input *in);
void kd_vacancy_patch_release(kd_vacancy_patch *in);

#endif
