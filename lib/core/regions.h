/*
 * Administrative regions of the served area: kecamatan (districts, code
 * "PP.RR.KK") and their desa/kelurahan (villages, code "PP.RR.KK.NNNN"), with
 * centroids.  The table is data: the daemon adds the rows it loads, then
 * freezes the table; after kd_regions_freeze() it is read-only, and any
 * number of threads may look things up concurrently.
 */
#ifndef KD_REGIONS_H
#define KD_REGIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/geo.h"

#define KD_KECAMATAN_CODE_SIZE 9	/* "64.02.06" and the NUL */
#define KD_DESA_CODE_SIZE 14		/* "64.02.06.2001" and the NUL */

typedef struct kd_kecamatan {
	char code[KD_KECAMATAN_CODE_SIZE];
	const char *name;		/* owned by the table */
	double lat, lon;
} kd_kecamatan;

typedef enum kd_desa_kind {
	KD_DESA_RURAL,			/* "desa" */
	KD_DESA_URBAN,			/* "kelurahan" */
} kd_desa_kind;

typedef struct kd_desa {
	char code[KD_DESA_CODE_SIZE];
	const char *name;		/* owned by the table */
	kd_desa_kind kind;
	double lat, lon;
	const kd_kecamatan *kecamatan;	/* set by kd_regions_freeze() */
} kd_desa;

typedef struct kd_regions kd_regions;

/* True when code has the shape "NN.NN.NN" (ASCII digits). */
bool kd_region_kecamatan_code_valid(const char *code);
/* True when code has the shape "NN.NN.NN.NNNN" (ASCII digits). */
bool kd_region_desa_code_valid(const char *code);

/* Parses "desa" or "kelurahan"; returns the kind or kd_error(EINVAL). */
int kd_desa_kind_parse(const char *name);
/* "desa" or "kelurahan"; a static string. */
const char *kd_desa_kind_name(kd_desa_kind kind);

/* A new, empty table (owned by the caller; kd_regions_free()), or NULL. */
kd_regions *kd_regions_new(void);
void kd_regions_free(kd_regions *regions);

/*
 * Adds a row; strings are copied.  Returns kd_ok(), kd_error(EINVAL) for a
 * malformed code, an empty name or coordinates out of range, kd_error(EBUSY)
 * once the table is frozen, kd_error(ENOMEM).
 */
int kd_regions_add_kecamatan(kd_regions *regions, const char *code, const char *name,
			     double lat, double lon);
int kd_regions_add_desa(kd_regions *regions, const char *code, const char *name,
			kd_desa_kind kind, double lat, double lon);

/*
 * Sorts the rows by code and links every desa to its kecamatan.  Returns
 * kd_ok(), kd_error(EEXIST) for a code added twice, kd_error(ENOENT) for a
 * desa whose kecamatan is missing, kd_error(EBUSY) when already frozen.
 * On failure the table stays unfrozen and unusable for lookups.
 */
int kd_regions_freeze(kd_regions *regions);

/*
 * Lookups on a frozen table; they return borrowed pointers valid until
 * kd_regions_free(), or NULL when nothing matches or the table is not frozen.
 */
const kd_kecamatan *kd_regions_kecamatan(const kd_regions *regions, const char *code);
const kd_desa *kd_regions_desa(const kd_regions *regions, const char *code);

/* All kecamatan in code order; *count receives their number. */
const kd_kecamatan *kd_regions_kecamatan_list(const kd_regions *regions, size_t *count);

/*
 * The desa of one kecamatan in code order: returns the first and stores
 * their number in *count (NULL and 0 for an unknown kecamatan or none).
 */
const kd_desa *kd_regions_desa_of(const kd_regions *regions, const char *kecamatan_code,
				  size_t *count);

/*
 * The smallest box holding every desa centroid, grown by margin_km on every
 * side: the "inside the served area" test for locations.  Empty (contains
 * nothing) when the table holds no desa or is not frozen.
 */
kd_geo_box kd_regions_box(const kd_regions *regions, double margin_km);

#endif
