/*
 * Limits wrong guesses at a secret per key (such as a hash of a
 * registration code), whoever makes them: each key may be guessed wrong
 * `guesses` times at once and regains one guess every `regain_ms`.  A key
 * without guesses left refuses every attempt, the right one included, until
 * one is regained: otherwise the refusal itself would tell a right guess
 * from a wrong one.
 *
 * An attempt is charged when it begins, before its outcome is known, so
 * that attempts in flight together cannot all slip past the limit; one
 * that proves not to be a wrong guess gets its charge back.
 *
 * Memory is fixed when the limiter is made: keys live in a table of
 * `slots` entries, and a key finds its entry among a few neighbouring
 * ones.  A key with every guess left carries no information and its entry
 * is free; when none of the neighbours is, the one with the most guesses
 * left is forgotten, so that the keys under attack are kept longest.
 *
 * Pure: the caller supplies the time.  Not thread-safe; the daemon uses it
 * on its loop thread only.
 */
#ifndef KD_GUESSLIMIT_H
#define KD_GUESSLIMIT_H

#include <stddef.h>
#include <stdint.h>

/* The fewest slots a limiter may have: one neighbourhood. */
#define KD_GUESSLIMIT_MIN_SLOTS 8

typedef struct kd_guesslimit kd_guesslimit;

/*
 * A limiter allowing guesses (> 0) wrong guesses per key at once, one more
 * every regain_ms (> 0), over slots (>= KD_GUESSLIMIT_MIN_SLOTS) entries.
 * Returns NULL on bad arguments or allocation failure.
 */
kd_guesslimit *kd_guesslimit_new(unsigned guesses, uint64_t regain_ms, size_t slots);
void kd_guesslimit_free(kd_guesslimit *limit);

/*
 * Begins an attempt on key at now_ms (a monotonic clock): charges it one
 * guess and returns 0, or, when the key has no guess left, charges nothing
 * and returns the milliseconds until it regains one.
 */
uint64_t kd_guesslimit_charge(kd_guesslimit *limit, uint64_t key, uint64_t now_ms);

/*
 * Gives back the guess charged by kd_guesslimit_charge() for an attempt
 * that proved not to be a wrong guess (the secret was right, the key named
 * nothing, or no answer was given).  Harmless when the key was forgotten
 * meanwhile.
 */
void kd_guesslimit_refund(kd_guesslimit *limit, uint64_t key, uint64_t now_ms);

#endif
