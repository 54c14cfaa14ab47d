/*
 * Per-client rate limits as token buckets: each client (an integer key,
 * such as an API token id) may spend `burst` actions at once and regains
 * `per_minute` of them a minute.  Pure: the caller supplies the time.
 * Not thread-safe; the daemon uses it on its loop thread only.
 */
#ifndef KD_RATELIMIT_H
#define KD_RATELIMIT_H

#include <stdint.h>

typedef struct kd_ratelimit kd_ratelimit;

/*
 * A limiter allowing per_minute actions a minute with bursts of burst
 * (both > 0).  Returns NULL on bad arguments or allocation failure.
 */
kd_ratelimit *kd_ratelimit_new(double per_minute, double burst);
void kd_ratelimit_free(kd_ratelimit *limit);

/*
 * Spends one action of client at now_ms (a monotonic clock).  Returns 0
 * when allowed, else the milliseconds until one would be (nothing spent).
 */
uint64_t kd_ratelimit_take(kd_ratelimit *limit, int64_t client, uint64_t now_ms);

#endif
