#include "core/validate_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "kd.h"

static int vfail(kd_field_error *err, int status, const char *code, const char *field,
		 const char *fmt, va_list ap)
{
	err->status = status;
	snprintf(err->code, sizeof(err->code), "%s", code);
	snprintf(err->field, sizeof(err->field), "%s", field);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return status >= 500 ? kd_error(ENOMEM) : kd_error(EINVAL);
}

static int fail(kd_field_error *err, int status, const char *code, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(kd_field_error *err, int status, const char *code, const char *field,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(err, status, code, field, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Appends src to a field path.  An unknown key is client text of any length:
 * the path is cut at a UTF-8 character boundary when full, and control
 * characters become '?', so the error is clean UTF-8 for responses and logs.
 */
static void field_append(char field[KD_FIELD_SIZE], const char *src)
{
	size_t len = strlen(field);
	size_t n = strlen(src);
	if (n > KD_FIELD_SIZE - 1 - len) {
		n = KD_FIELD_SIZE - 1 - len;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		field[len + i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	field[len + n] = '\0';
}

static void field_of(const kd_vscope *s, const char *key, char field[KD_FIELD_SIZE])
{
	field[0] = '\0';
	if (s->path[0]) {
		field_append(field, s->path);
		field_append(field, ".");
	}
	field_append(field, key);
}

int kd_v_invalid(const kd_vscope *s, const char *key, const char *fmt, ...)
{
	char field[KD_FIELD_SIZE];
	field_of(s, key, field);
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(s->err, 422, "validation_failed", field, fmt, ap);
	va_end(ap);
	return rc;
}

int kd_v_invalid_item(const kd_vscope *s, const char *key, size_t index, const char *fmt, ...)
{
	char field[KD_FIELD_SIZE], subscript[24];
	field_of(s, key, field);
	snprintf(subscript, sizeof(subscript), "[%zu]", index);
	field_append(field, subscript);
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(s->err, 422, "validation_failed", field, fmt, ap);
	va_end(ap);
	return rc;
}

static int known_keys(const kd_vscope *s, const char *const keys[], size_t nkeys)
{
	json_t *object = (json_t *)s->object;
	for (void *it = json_object_iter(object); it; it = json_object_iter_next(object, it)) {
		const char *key = json_object_iter_key(it);
		size_t i = 0;
		while (i < nkeys && strcmp(key, keys[i]) != 0)
			i++;
		if (i == nkeys) {
			char field[KD_FIELD_SIZE];
			field_of(s, key, field);
			return fail(s->err, 422, "unknown_field", field, "unknown field");
		}
	}
	return kd_ok();
}

static const char *parse_problem(enum json_error_code code)
{
	switch (code) {
	case json_error_invalid_utf8:
		return "invalid utf-8";
	case json_error_premature_end_of_input:
		return "unexpected end of input";
	case json_error_end_of_input_expected:
		return "unexpected data after the json value";
	case json_error_stack_overflow:
		return "nesting too deep";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "\\u0000 is not allowed";
	case json_error_duplicate_key:
		return "duplicate object key";
	case json_error_numeric_overflow:
		return "number out of range";
	default:
		return "invalid json";
	}
}

/* Reals beyond double range rewritten per body; more is not worth re-parsing for. */
#define MAX_OVERFLOW_REWRITES 8

static bool is_number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
}

/*
 * A real beyond double range (1e400) is fatal to jansson even as a real, so
 * without help the error could not name its field.  Every number field of
 * the API is bounded far inside double range, so the number ending at byte
 * end of copy is written over with the largest power of ten of its sign,
 * padded with spaces: the parse goes on and the field's own range check
 * names it.  An overflowing literal is at least as long as its replacement
 * ("1e309", "-1e309").  False when there is no such number to rewrite.
 */
static bool clamp_overflowing_real(char *copy, size_t len, size_t end)
{
	if (end > len)
		return false;
	size_t start = end;
	while (start > 0 && is_number_char(copy[start - 1]))
		start--;
	const char *replacement = copy[start] == '-' ? "-1e308" : "1e308";
	size_t rlen = strlen(replacement);
	if (end - start < rlen)
		return false;
	memcpy(copy + start, replacement, rlen);
	memset(copy + start + rlen, ' ', end - start - rlen);
	return true;
}

/*
 * Parses body as an object; an integer beyond 64 bits is read as a real
 * (every integer reader accepts integral reals) and a real beyond double
 * range is clamped (above), so that both reach the field checks.  *scratch
 * receives a copy of the body when one had to be rewritten (the caller
 * frees it).  Returns a new reference or NULL with jerr set.
 */
static json_t *load_object(const char *body, size_t len, size_t flags, json_error_t *jerr,
			   char **scratch)
{
	json_t *root = json_loadb(body, len, flags, jerr);
	if (root || json_error_code(jerr) != json_error_numeric_overflow)
		return root;
	flags |= JSON_DECODE_INT_AS_REAL;
	root = json_loadb(body, len, flags, jerr);
	for (int i = 0; !root && i < MAX_OVERFLOW_REWRITES &&
			json_error_code(jerr) == json_error_numeric_overflow; i++) {
		if (*scratch == NULL) {
			*scratch = malloc(len ? len : 1);
			if (*scratch == NULL)
				return NULL;
			if (len)
				memcpy(*scratch, body, len);
		}
		if (jerr->position < 0 || !clamp_overflowing_real(*scratch, len, (size_t)jerr->position))
			break;
		root = json_loadb(*scratch, len, flags, jerr);
	}
	return root;
}

int kd_v_body(const char *body, size_t len, const char *const keys[], size_t nkeys,
	      json_t **doc, kd_vscope *scope, kd_field_error *err)
{
	const size_t flags = JSON_REJECT_DUPLICATES | JSON_DECODE_ANY;
	json_error_t jerr;
	char *scratch = NULL;
	*doc = NULL;
	json_t *root = load_object(body, len, flags, &jerr, &scratch);
	free(scratch);
	if (!root) {
		enum json_error_code code = json_error_code(&jerr);
		if (code == json_error_out_of_memory)
			return fail(err, 500, "internal_error", "", "out of memory");
		return fail(err, 400, "malformed_json", "", "%s at byte %d", parse_problem(code),
			    jerr.position);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return fail(err, 400, "malformed_json", "", "body must be a json object");
	}
	scope->object = root;
	scope->path[0] = '\0';
	scope->err = err;
	int rc = known_keys(scope, keys, nkeys);
	if (rc < 0) {
		json_decref(root);
		return rc;
	}
	*doc = root;
	return kd_ok();
}

/*
 * The value under key: 1 and *out when present, 0 when absent.  No field
 * of the API description is nullable unless it says so, and a null is not
 * an absence: a client sending one means something the API does not offer,
 * so it is refused.  The one nullable field reads its null itself first
 * (validate_vacancy.c).
 */
static int lookup(const kd_vscope *s, const char *key, bool required, json_t **out)
{
	json_t *value = json_object_get(s->object, key);
	if (!value)
		return required ? kd_v_invalid(s, key, "is required") : 0;
	if (json_is_null(value))
		return kd_v_invalid(s, key, "must not be null");
	*out = value;
	return 1;
}

int kd_v_object(const kd_vscope *s, const char *key, bool required, const char *const keys[],
		size_t nkeys, kd_vscope *inner)
{
	json_t *value = NULL;
	int rc = lookup(s, key, required, &value);
	if (rc <= 0)
		return rc;
	if (!json_is_object(value))
		return kd_v_invalid(s, key, "must be an object");
	inner->object = value;
	field_of(s, key, inner->path);
	inner->err = s->err;
	rc = known_keys(inner, keys, nkeys);
	return rc < 0 ? rc : 1;
}

int kd_v_array(const kd_vscope *s, const char *key, bool required, size_t min, size_t max,
	       const json_t **out)
{
	json_t *value = NULL;
	int rc = lookup(s, key, required, &value);
	if (rc <= 0)
		return rc;
	if (!json_is_array(value))
		return kd_v_invalid(s, key, "must be an array");
	size_t n = json_array_size(value);
	if (n < min || n > max) {
		if (min == 0)
			return kd_v_invalid(s, key, "must have at most %zu items", max);
		return kd_v_invalid(s, key, "must have %zu to %zu items", min, max);
	}
	*out = value;
	return 1;
}

int kd_v_string(const kd_vscope *s, const char *key, bool required, const char **out)
{
	json_t *value = NULL;
	int rc = lookup(s, key, required, &value);
	if (rc <= 0)
		return rc;
	if (!json_is_string(value))
		return kd_v_invalid(s, key, "must be a string");
	*out = json_string_value(value);
	return 1;
}

int kd_v_text(const kd_vscope *s, const char *key, bool required, size_t max, const char **out)
{
	const char *text;
	int rc = kd_v_string(s, key, required, &text);
	if (rc <= 0)
		return rc;
	size_t len = strlen(text);
	if (strspn(text, " ") == len)
		return kd_v_invalid(s, key, "must not be empty");
	if (len > max)
		return kd_v_invalid(s, key, "must be at most %zu bytes", max);
	if (!kd_text_is_clean(text, len))
		return kd_v_invalid(s, key, "must not contain control characters");
	*out = text;
	return 1;
}

int kd_v_digits(const kd_vscope *s, const char *key, bool required, size_t n, const char **out)
{
	const char *text;
	int rc = kd_v_string(s, key, required, &text);
	if (rc <= 0)
		return rc;
	if (strlen(text) != n || strspn(text, "0123456789") != n)
		return kd_v_invalid(s, key, "must be %zu digits", n);
	*out = text;
	return 1;
}

int kd_v_bool(const kd_vscope *s, const char *key, bool required, bool *out)
{
	json_t *value = NULL;
	int rc = lookup(s, key, required, &value);
	if (rc <= 0)
		return rc;
	if (!json_is_boolean(value))
		return kd_v_invalid(s, key, "must be true or false");
	*out = json_is_true(value);
	return 1;
}

int kd_v_integer(const kd_vscope *s, const char *key, bool required, int64_t min, int64_t max,
		 int64_t *out)
{
	json_t *value = NULL;
	int rc = lookup(s, key, required, &value);
	if (rc <= 0)
		return rc;
	int64_t n;
	if (json_is_integer(value)) {
		n = json_integer_value(value);
	} else if (json_is_real(value)) {
		double d = json_real_value(value);
		if (d != trunc(d))
			return kd_v_invalid(s, key, "must be an integer");
		/* Outside int64_t the conversion below would be undefined. */
		if (d < -0x1p63 || d >= 0x1p63)
			goto out_of_range;
		n = (int64_t)d;
	} else {
		return kd_v_invalid(s, key, "must be an integer");
	}
	if (n < min || n > max)
		goto out_of_range;
	*out = n;
	return 1;

out_of_range:
	return kd_v_invalid(s, key, "must be between %" PRId64 " and %" PRId64, min, max);
}

int kd_v_number(const kd_vscope *s, const char *key, bool required, double min, double max,
		double *out)
{
	json_t *value = NULL;
	int rc = lookup(s, key, required, &value);
	if (rc <= 0)
		return rc;
	if (!json_is_number(value))
		return kd_v_invalid(s, key, "must be a number");
	double d = json_number_value(value);
	if (!(d >= min && d <= max))
		return kd_v_invalid(s, key, "must be between %g and %g", min, max);
	*out = d;
	return 1;
}
