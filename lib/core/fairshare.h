/*
 * A fair share of something scarce (the database pool's connections) among
 * callers: each caller may hold at most a fixed number of units at once.
 * Heavy reads take a unit before they go to the database and give it back
 * when their answer is in, so that one caller's flood of them queues no
 * other caller's request behind it.
 *
 * Pure bookkeeping, no I/O; callers are any 64-bit numbers (token ids).
 * Memory grows with the callers holding units at the same time and no
 * further: a caller is forgotten when it gives back its last unit.
 */
#ifndef KD_FAIRSHARE_H
#define KD_FAIRSHARE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct kd_fairshare kd_fairshare;

/* A new table allowing per_caller units (at least 1) to each caller, or
 * NULL when out of memory.  The caller owns it (kd_fairshare_free). */
kd_fairshare *kd_fairshare_new(unsigned per_caller);

void kd_fairshare_free(kd_fairshare *share);

/* Takes one unit for caller: true when it had fewer than its share, false
 * (nothing taken) when it holds its whole share or memory ran out. */
bool kd_fairshare_take(kd_fairshare *share, int64_t caller);

/* Gives back one unit that kd_fairshare_take granted to caller. */
void kd_fairshare_give(kd_fairshare *share, int64_t caller);

/* The units caller holds now. */
unsigned kd_fairshare_held(const kd_fairshare *share, int64_t caller);

#endif
