/*
 * Request ids: the client's X-Request-Id when it is safe to echo and to log,
 * otherwise a fresh random one.
 */
#ifndef KD_HTTP_REQUEST_ID_H
#define KD_HTTP_REQUEST_ID_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http_server.h"

/*
 * Random ids are this many lower-case letters: never digits, so that no id
 * in a log can be mistaken for (or hide) a NIK or a phone number.
 */
#define KD_HTTP_REQUEST_ID_RANDOM 16

/*
 * True when id[0..len) is 1..64 characters of [A-Za-z0-9._:-] with no run
 * of KD_HTTP_REQUEST_ID_MAX_DIGITS or more digits: ids are logged, and a
 * client must not smuggle a NIK or a phone number into the logs.
 */
#define KD_HTTP_REQUEST_ID_MAX_DIGITS 8
bool kd_http_request_id_is_sane(const char *id, size_t len);

/*
 * Writes the id to use into out: client (may be NULL) when sane, else
 * KD_HTTP_REQUEST_ID_RANDOM random lower-case letters.  libsodium must be
 * initialised.
 */
void kd_http_request_id_choose(const char *client, char out[KD_HTTP_REQUEST_ID_MAX + 1]);

#endif
