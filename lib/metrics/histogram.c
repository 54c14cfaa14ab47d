#include "metrics/histogram.h"

#include <math.h>

#include "kd.h"

int kd_histogram_init(kd_histogram *h, const double *bounds, size_t nbounds)
{
	if (nbounds > KD_HISTOGRAM_MAX_BOUNDS)
		return kd_error(EINVAL);
	for (size_t i = 0; i < nbounds; i++)
		if (isnan(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1])))
			return kd_error(EINVAL);
	*h = (kd_histogram){ .bounds = bounds, .nbounds = nbounds };
	return kd_ok();
}

void kd_histogram_observe(kd_histogram *h, double value)
{
	if (isnan(value))
		return;
	size_t i = 0;
	while (i < h->nbounds && value > h->bounds[i])
		i++;
	h->counts[i]++;
	h->count++;
	h->sum += value;
}

uint64_t kd_histogram_cumulative(const kd_histogram *h, size_t i)
{
	uint64_t total = 0;
	for (size_t j = 0; j <= i && j <= h->nbounds; j++)
		total += h->counts[j];
	return total;
}
