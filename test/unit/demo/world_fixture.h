/*
 * Worlds for the generator tests: a copy of Kutai Kartanegara's region table
 * in outline (its 20 kecamatan names and village counts, made-up village
 * codes and centroids near the real kecamatan) with a small taxonomy, a
 * region the generator knows nothing about, and the two together.
 */
#ifndef KD_TEST_WORLD_FIXTURE_H
#define KD_TEST_WORLD_FIXTURE_H

#include "demo/demo.h"

/* Kukar in outline; the pointer stays valid for the whole test program. */
const kd_demo_world *fixture_kukar(void);

/* Three kecamatan named "Alpha", "Beta", "Gamma" with 1, 2 and 3 villages. */
const kd_demo_world *fixture_unknown_region(void);

/*
 * Kukar followed by a made-up regency 91.01 of 6 villages in kecamatan
 * "Tenggarong" (a namesake of Kukar's capital, 3 villages), "Beta" (2) and
 * "Gamma" (1).
 */
const kd_demo_world *fixture_two_regencies(void);

/* Index of the kecamatan with this code in w, or -1. */
int fixture_kecamatan_by_code(const kd_demo_world *w, const char *code);

/* Index of the kecamatan with this name in w, or -1. */
int fixture_kecamatan_index(const kd_demo_world *w, const char *name);

/* Index of the kecamatan of desa d in w. */
int fixture_kecamatan_of(const kd_demo_world *w, const kd_demo_desa_row *d);

/* The sector of skill id in w, or NULL. */
const char *fixture_skill_sector(const kd_demo_world *w, int id);

/* Options as the CLI's defaults, with a fixed day (2025-11-28). */
kd_demo_options fixture_options(void);

#endif
