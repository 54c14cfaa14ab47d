/*
 * Zones: the connected parts of the candidate graph.  Pairs are only ever
 * made within reach (the distance limits, or the same kecamatan), so a
 * graph over a province or the nation falls apart into zones that share no
 * seeker and no vacancy; each has an optimum of its own and together they
 * are the optimum of the whole.  Internal to lib/match.
 */
#ifndef KD_MATCH_ZONES_H
#define KD_MATCH_ZONES_H

#include "match/flow.h"

/*
 * kd_match_flow_solve_part() on each zone of g (seekers and vacancies
 * linked by edges of positive weight), up to `threads` zones at once (0 or
 * 1: in the caller's thread only), largest first.  Each zone is solved as
 * a graph of its own with its members in their order in g, so the result
 * is the same for every thread count.  Writes every seeker's edge or
 * SIZE_MAX to assigned.  Returns kd_ok() or kd_error(ENOMEM).
 */
int kd_match_flow_solve_zones(const kd_match_flow_graph *g, size_t *assigned,
			      unsigned threads);

#endif
