/*
 * The part of Indonesia that `kerjadekat demo --area` fills: "all", or region
 * codes separated by commas, each a province ("64"), a regency ("64.02"), a
 * kecamatan ("64.02.01") or one village ("64.02.01.2001").  Region codes
 * carry their hierarchy, so an area is a set of desa code prefixes and needs
 * no table of provinces or regencies.
 */
#ifndef KD_DEMO_AREA_H
#define KD_DEMO_AREA_H

#include <stddef.h>

/* Room for the patterns of any area that fits KD_DEMO_AREA_MAX_LEN characters. */
#define KD_DEMO_AREA_MAX_LEN 512
#define KD_DEMO_AREA_PATTERNS_SIZE (2 * KD_DEMO_AREA_MAX_LEN + 8)

/*
 * Checks `text` and writes into `patterns` a PostgreSQL text array literal of
 * LIKE patterns that match the codes of exactly the area's desa: "all" gives
 * {%}, "64,64.02.01" gives {64.%,64.02.01.%}.  Returns kd_ok(), or
 * kd_error(EINVAL) with *why set to a static reason (empty, too long, or a
 * part that is not a region code).
 */
int kd_demo_area_patterns(const char *text, char patterns[KD_DEMO_AREA_PATTERNS_SIZE],
			  const char **why);

#endif
