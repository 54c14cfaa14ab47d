/*
 * A fixed-bucket histogram in the Prometheus sense: observations are
 * counted into the first bucket whose upper bound is at least the value,
 * with an implicit +Inf bucket after the last bound, plus their count and
 * sum.  Plain data, no allocation: embed it where it is updated.
 */
#ifndef KD_METRICS_HISTOGRAM_H
#define KD_METRICS_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#define KD_HISTOGRAM_MAX_BOUNDS 16

typedef struct kd_histogram {
	/* Ascending upper bounds; borrowed, must outlive the histogram. */
	const double *bounds;
	size_t nbounds;
	/* counts[i] for bounds[i]; counts[nbounds] is the +Inf bucket. Not cumulative. */
	uint64_t counts[KD_HISTOGRAM_MAX_BOUNDS + 1];
	uint64_t count;
	double sum;
} kd_histogram;

/*
 * An empty histogram over bounds (nbounds of them, ascending, at most
 * KD_HISTOGRAM_MAX_BOUNDS; borrowed).  Returns kd_error(EINVAL) for bounds
 * that are too many or not strictly ascending.
 */
int kd_histogram_init(kd_histogram *h, const double *bounds, size_t nbounds);

/* Counts one observation; NaN is ignored so that it cannot poison the sum. */
void kd_histogram_observe(kd_histogram *h, double value);

/* Observations at or below bounds[i], the cumulative count Prometheus shows. */
uint64_t kd_histogram_cumulative(const kd_histogram *h, size_t i);

#endif
