/*
 * Assertions over a run's result that several tests share: every seeker
 * accounted for once with the right reason, capacities kept, assignments
 * feasible and explained as kd_match_evaluate explains them, candidate
 * lists equal to a brute-force ranking, and no blocking pair.
 */
#ifndef KD_TEST_MATCH_CHECKS_H
#define KD_TEST_MATCH_CHECKS_H

#include "fixture.h"

/* Reasons, capacities, feasibility and explanations of r. */
void check_result(const fixture *f, const kd_match_model *m, const kd_match_result *r);

/*
 * r's edges (kept) are, for every seeker, its best K feasible vacancies in
 * its own order, by brute force over all pairs; vacancy ranks follow the
 * vacancies' order.
 */
void check_candidates(const fixture *f, const kd_match_model *m, const kd_match_result *r);

/* No candidate pair of r blocks its assignment. */
void check_stable(const fixture *f, const kd_match_model *m, const kd_match_result *r);

/* Same-kecamatan placements and total score of an assignment (vacancy per seeker or -1). */
void objective(const fixture *f, const kd_match_model *m, const int *assignment,
	       long *local, long *score);

#endif
