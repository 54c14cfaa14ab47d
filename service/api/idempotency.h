/*
 * Idempotency-Key on POST requests: a retried request gets the stored
 * answer, byte for byte, instead of a second write.
 *
 * The key is scoped to the calling token.  The first request with a key
 * runs normally and its write statement stores the answer in the same
 * transaction (see the *_INSERT statements); a later request with the same
 * key and the same method, path and body gets that answer again, with
 * another body it gets 422, and while the first is still being answered by
 * this daemon it gets 409.
 */
#ifndef KD_IDEMPOTENCY_H
#define KD_IDEMPOTENCY_H

#include "api/auth.h"

struct kd_app;

/* What a write statement stores with its row; all NULL without a key. */
typedef struct kd_idem_params {
	const char *key;           /* borrowed from the request */
	const char *request_hash;  /* "\x..." bytea text */
} kd_idem_params;

/*
 * Continues req under its Idempotency-Key, if any: answers a replay, a
 * conflict or a malformed key itself, otherwise calls proceed (at once when
 * there is no key, after a lookup when there is one).
 */
void kd_idem_begin(struct kd_app *app, kd_http_request *req, const kd_principal *who,
		   const kd_route_params *params, kd_auth_then proceed);

/* The parameters for the write statement of req (valid until it is answered). */
kd_idem_params kd_idem_params_of(const kd_http_request *req);

/*
 * After a write failed on a unique key (another daemon stored the same key
 * first, or a random id collided): looks the key up again, replaying the
 * stored answer or proceeding anew.  Gives up with 503 after a few rounds.
 */
void kd_idem_recheck(kd_http_request *req);

#endif
