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
 * The most decimal digits a client's id may hold in all, wherever they
 * stand.  Ids are logged and stored with audited actions, and personal
 * numbers are written with separators as often as without: a NIK as
 * 6402074-7059900-07, a phone as 0812-3456-7890, a birth date as 7-5-99.
 * The shortest of them, that date, has 4 digits, so no id echoed can carry
 * one however its digits are split.  A UUID has too many (its 32 hex digits
 * could spell out a NIK in plain view) and is replaced like any other.
 */
#define KD_HTTP_REQUEST_ID_MAX_DIGITS 3

/*
 * True when id[0..len) is 1..64 characters of [A-Za-z0-9._:-] with at most
 * KD_HTTP_REQUEST_ID_MAX_DIGITS digits in all.
 */
bool kd_http_request_id_is_sane(const char *id, size_t len);

/*
 * Writes the id to use into out: client (may be NULL) when sane, else
 * KD_HTTP_REQUEST_ID_RANDOM random lower-case letters.  libsodium must be
 * initialised.
 */
void kd_http_request_id_choose(const char *client, char out[KD_HTTP_REQUEST_ID_MAX + 1]);

#endif
