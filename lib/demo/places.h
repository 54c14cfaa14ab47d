/*
 * What the demo generator knows about particular kecamatan, keyed by name:
 * population shares and the sectors that employ people there.  Kecamatan
 * that are not listed get shares by their number of villages and equal
 * weights for every sector, so any regency's region table works.  Static,
 * read-only data.
 */
#ifndef KD_DEMO_PLACES_H
#define KD_DEMO_PLACES_H

#include <stddef.h>

#define KD_DEMO_PLACE_SECTORS 6

typedef struct kd_demo_sector_weight {
	const char *sector;		/* as in skills.sector */
	double weight;			/* against 0.5 for a sector found everywhere */
} kd_demo_sector_weight;

typedef struct kd_demo_place {
	const char *kecamatan;		/* name, compared after kd_text_normalise() */
	double population_share;	/* of the regency; 0 when unknown */
	kd_demo_sector_weight sectors[KD_DEMO_PLACE_SECTORS];	/* sector NULL after the last */
} kd_demo_place;

/*
 * The entry for a kecamatan name, compared case-insensitively with '-' and
 * spaces alike ("Sanga-Sanga" finds "Sanga Sanga"); NULL when not listed.
 */
const kd_demo_place *kd_demo_place_find(const char *kecamatan_name);

#endif
