/*
 * The Prometheus text exposition format (version 0.0.4), written into a
 * growing buffer: one HELP and TYPE pair per metric family, then its
 * samples.  Label values are escaped as the format requires (backslash,
 * double quote, newline); metric and label names are the caller's
 * constants and are not checked.
 *
 * A writer that fails to grow its buffer remembers it and ignores every
 * later call; kd_expo_finish() then reports the failure, so callers need
 * not test each step.
 */
#ifndef KD_METRICS_EXPOSITION_H
#define KD_METRICS_EXPOSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/histogram.h"

typedef struct kd_expo {
	char *buf;      /* owned until kd_expo_finish() */
	size_t len, cap;
	bool failed;
} kd_expo;

/* Borrowed strings; value NULL is written as the empty string. */
typedef struct kd_expo_label {
	const char *name;
	const char *value;
} kd_expo_label;

typedef enum kd_expo_type {
	KD_EXPO_COUNTER,
	KD_EXPO_GAUGE,
	KD_EXPO_HISTOGRAM,
} kd_expo_type;

void kd_expo_init(kd_expo *w);

/* "# HELP name help" and "# TYPE name type"; help is escaped. */
void kd_expo_family(kd_expo *w, const char *name, kd_expo_type type, const char *help);

/* One sample line: name{labels} value.  Integers print exactly. */
void kd_expo_sample(kd_expo *w, const char *name, const kd_expo_label *labels, size_t nlabels,
		    double value);
void kd_expo_sample_u64(kd_expo *w, const char *name, const kd_expo_label *labels,
			size_t nlabels, uint64_t value);

/*
 * A histogram's samples under name: name_bucket with an "le" label added
 * after labels (cumulative, ending in +Inf), name_sum and name_count.
 */
void kd_expo_histogram(kd_expo *w, const char *name, const kd_expo_label *labels,
		       size_t nlabels, const kd_histogram *h);

/*
 * Hands over the text (new, NUL-terminated, the caller frees it) and its
 * length, or returns NULL after an allocation failure (the buffer is freed).
 */
char *kd_expo_finish(kd_expo *w, size_t *len);

/* Frees whatever the writer holds, for callers that give up early. */
void kd_expo_discard(kd_expo *w);

#endif
