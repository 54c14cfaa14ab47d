/*
 * The region table of the area to fill and the skills taxonomy, as the demo
 * generator needs them, read from the database.
 */
#ifndef KD_DEMO_SOURCE_H
#define KD_DEMO_SOURCE_H

#include <libpq-fe.h>

#include "demo/demo.h"

typedef struct kd_demo_source {
	kd_demo_world world;		/* points into the rows and results below */
	kd_demo_kecamatan_row *kecamatan;
	kd_demo_desa_row *desa;
	kd_demo_skill_row *skills;
	PGresult *results[3];		/* own the strings */
} kd_demo_source;

/*
 * Reads the desa whose codes match one of area_patterns (a text array literal
 * of LIKE patterns, as kd_demo_area_patterns() makes), their kecamatan, and
 * the skills, in code and id order.  On failure prints "kerjadekat demo: ..."
 * and returns kd_error(); free the source either way.
 */
int kd_demo_source_load(PGconn *pg, const char *area_patterns, kd_demo_source *source);
void kd_demo_source_free(kd_demo_source *source);

/*
 * Finds a part of the area that matches no desa, so that a mistyped code in
 * a list is refused rather than quietly left out.  Returns 1 with the part's
 * pattern (as in area_patterns, e.g. "64.72.%") in part, 0 when every part
 * has desa, or kd_error() after printing "kerjadekat demo: ...".
 */
int kd_demo_source_empty_part(PGconn *pg, const char *area_patterns, char *part,
			      size_t part_size);

#endif
