/*
 * Query-string parameters (application/x-www-form-urlencoded).
 */
#ifndef KD_QUERY_H
#define KD_QUERY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Finds parameter `name` in query (borrowed, may be NULL) and writes its
 * decoded value into out.  Returns 1 when found, 0 when absent,
 * kd_error(EINVAL) for a bad escape or a decoded NUL, kd_error(ENOSPC) when
 * the value does not fit.  The first occurrence wins.
 */
int kd_query_get(const char *query, const char *name, char *out, size_t outlen);

/* Room for an unknown parameter name as an error names it, the NUL included. */
#define KD_QUERY_NAME_SIZE 64

/*
 * Checks that every parameter name in query (may be NULL) is one of
 * `allowed` (a NULL-terminated list), in order, stopping at the first that
 * is not.  Returns 0 when all are; 1 for a name that is not, written
 * decoded into name, cut before the first character that does not fit;
 * kd_error(EILSEQ) for a name that is not text once decoded (a bad escape,
 * bytes that are not UTF-8, a control character), which is not written.
 */
int kd_query_check_names(const char *query, const char *const *allowed,
			 char name[KD_QUERY_NAME_SIZE]);

struct kd_http_request;
/*
 * kd_query_check_names() on req's query.  Returns false after answering
 * 422 unknown_field naming an unknown name, or 400 bad_request for a name
 * that is not text, which the answer does not repeat.
 */
bool kd_query_names_allowed(struct kd_http_request *req, const char *const *allowed);

/*
 * Reads the optional "limit" parameter of req into 1..max (fallback when
 * absent).  Returns false after answering 422 naming the field.
 */
bool kd_query_limit(struct kd_http_request *req, int fallback, int max, int *limit);

/* The most digits of a keyset cursor: any such number fits in 64 bits. */
#define KD_QUERY_CURSOR_MAX_DIGITS 18

/*
 * Reads the optional keyset cursor parameter `name` of req, the next_cursor
 * of an earlier page: 1 to KD_QUERY_CURSOR_MAX_DIGITS ASCII digits and
 * nothing else (no sign, no space).  *after is its value, 0 when absent.
 * Returns false after answering 422 naming the parameter.
 */
bool kd_query_cursor(struct kd_http_request *req, const char *name, long long *after);

#endif
