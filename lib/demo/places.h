/*
 * What the demo generator knows about particular kecamatan of Kutai
 * Kartanegara (regency 64.02), keyed by name: population shares and the
 * sectors that employ people there.  Kecamatan that are not listed, and every
 * kecamatan of another regency, get shares by their number of villages and
 * equal weights for every sector, so any region table works.  Static,
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
 * The entry for the kecamatan with this code ("PP.RR.KK") and name, the name
 * compared case-insensitively with '-' and spaces alike ("Sanga-Sanga" finds
 * "Sanga Sanga"); NULL when not listed.  Only kecamatan of the listed regency
 * are found: a namesake elsewhere in Indonesia is not the same place.
 */
const kd_demo_place *kd_demo_place_find(const char *kecamatan_code, const char *kecamatan_name);

#endif
