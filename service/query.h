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

/*
 * Checks that every parameter name in query is one of `allowed` (a NULL-
 * terminated list).  Returns NULL when all are, else a pointer into a
 * static buffer holding the first unknown name (truncated to 63 bytes).
 */
const char *kd_query_unknown(const char *query, const char *const *allowed);

struct kd_http_request;
/*
 * Reads the optional "limit" parameter of req into 1..max (fallback when
 * absent).  Returns false after answering 422 naming the field.
 */
bool kd_query_limit(struct kd_http_request *req, int fallback, int max, int *limit);

#endif
