/*
 * The JSON document `kerjadekat match` prints (docs/matcher.md):
 * mode, assignments, unassigned, total_score, stats and, on request, edges.
 * Everything but stats.seconds is a function of the input and the policy,
 * so two runs print the same bytes.
 */
#ifndef KD_MATCH_OUTPUT_H
#define KD_MATCH_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "match/source.h"

typedef struct kd_match_output {
	bool edges;             /* print every candidate pair */
	bool timings;           /* print stats.seconds */
	double read_seconds;    /* time spent reading the input */
} kd_match_output;

/*
 * Writes the result of a run over src to out (both borrowed).  Returns
 * kd_ok(), kd_error(EIO) when writing fails, or kd_error(ENOMEM).
 */
int kd_match_write_json(FILE *out, const kd_match_source *src, const kd_match_result *r,
			const kd_match_output *options);

#endif
