/*
 * Building blocks shared by the request validators (validate_*.c); not part
 * of the library's interface.
 *
 * A scope is one JSON object of the body with its path ("" for the body,
 * "consent" for the object under that key).  The field readers below look up
 * a key in a scope and return 1 with *out set when the value is present and
 * valid, 0 when it is absent and not required (*out untouched), or
 * kd_error(EINVAL) with the scope's error filled in and naming the field.
 * A null is never taken for an absence: it is refused ("must not be null")
 * whether or not the field is required.
 */
#ifndef KD_VALIDATE_INTERNAL_H
#define KD_VALIDATE_INTERNAL_H

#include "core/validate.h"

typedef struct kd_vscope {
	const json_t *object;		/* borrowed */
	char path[KD_FIELD_SIZE];
	kd_field_error *err;
} kd_vscope;

/*
 * Parses body as a JSON object whose keys are all among keys[0..nkeys).
 * On success *doc is a new reference and *scope describes it.  On failure
 * *doc is NULL and err says why: 400 for malformed JSON, 422 for an unknown
 * key, 500 when memory ran out (returning kd_error(ENOMEM)).
 */
int kd_v_body(const char *body, size_t len, const char *const keys[], size_t nkeys,
	      json_t **doc, kd_vscope *scope, kd_field_error *err);

/* Fills the scope's error for key (422 validation_failed); returns kd_error(EINVAL). */
int kd_v_invalid(const kd_vscope *s, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for element index of the array under key: "key[index]". */
int kd_v_invalid_item(const kd_vscope *s, const char *key, size_t index, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A nested object whose keys are all among keys[0..nkeys); *inner describes it. */
int kd_v_object(const kd_vscope *s, const char *key, bool required, const char *const keys[],
		size_t nkeys, kd_vscope *inner);
/* An array of min..max elements; *out borrowed from the document. */
int kd_v_array(const kd_vscope *s, const char *key, bool required, size_t min, size_t max,
	       const json_t **out);

/* Any string; *out borrowed from the document. */
int kd_v_string(const kd_vscope *s, const char *key, bool required, const char **out);
/* Human text: 1..max bytes of clean UTF-8 (kd_text_is_clean), not only spaces. */
int kd_v_text(const kd_vscope *s, const char *key, bool required, size_t max, const char **out);
/* Exactly n ASCII digits. */
int kd_v_digits(const kd_vscope *s, const char *key, bool required, size_t n, const char **out);
/* A bool. */
int kd_v_bool(const kd_vscope *s, const char *key, bool required, bool *out);
/* A number with an integral value in min..max; 3.0 counts, 3.5 does not. */
int kd_v_integer(const kd_vscope *s, const char *key, bool required, int64_t min, int64_t max,
		 int64_t *out);
/* Any number in min..max. */
int kd_v_number(const kd_vscope *s, const char *key, bool required, double min, double max,
		double *out);
/* A "YYYY-MM-DD" date. */
int kd_v_date(const kd_vscope *s, const char *key, bool required, kd_date *out);
/* An education code of lib/core/education.h. */
int kd_v_education(const kd_vscope *s, const char *key, bool required, kd_education *out);
/* An Indonesian phone number, normalised. */
int kd_v_phone(const kd_vscope *s, const char *key, bool required, char out[KD_PHONE_SIZE]);

/* desa_code: required, and known to ctx->regions. */
int kd_v_desa(const kd_vscope *s, const kd_validate_ctx *ctx, const kd_desa **out);

/*
 * kd_v_desa() and the optional location
 * {lat, lon} inside the regions' box grown by KD_LOCATION_MARGIN_KM.
 */
int kd_v_place(const kd_vscope *s, const kd_validate_ctx *ctx, kd_place *out);

/*
 * An array of min..KD_SKILLS_MAX labels that must all be known to the
 * taxonomy; ids distinct, in given order.
 */
int kd_v_known_skills(const kd_vscope *s, const char *key, bool required, size_t min,
		      const kd_skills *skills, int ids[KD_SKILLS_MAX], size_t *count);

#endif
