/*
 * Reference data the daemon keeps in memory: the regions of the service
 * area (its regencies, their kecamatan and villages) and the skills
 * taxonomy, loaded from PostgreSQL once the pool is up and again whenever
 * the area changes.  Nothing about a particular regency is compiled in.  A loaded set
 * is immutable, so request handlers may read it freely; it is counted, so
 * a request that keeps pointers into it across a database round trip holds
 * it, and a newer set loaded meanwhile does not pull it away.  The count is
 * touched on the loop thread only.
 */
#ifndef KD_REFERENCE_H
#define KD_REFERENCE_H

#include <jansson.h>
#include <libpq-fe.h>

#include "core/regions.h"
#include "core/skills.h"

typedef struct kd_reference {
	kd_regions *regions;   /* owned */
	kd_skills *skills;     /* owned */
	/* The GET /v1/regencies array, built once per load; owned, NULL until
	 * kd_reference_add_regencies(). */
	json_t *regencies;
	/* The GET /v1/kecamatan body, serialised by its handler on first use
	 * (7,285 kecamatan over the nation); owned, NULL until then. */
	char *kecamatan_answer;
	unsigned holders;
} kd_reference;

/*
 * Builds a reference set from the results of the load statements
 * (kecamatan, desa, skills, synonyms; all borrowed).  Returns NULL with a
 * short reason in *why when the rows are unusable.  New reference, held
 * once by the caller.
 */
kd_reference *kd_reference_build(const PGresult *kecamatan, const PGresult *desa,
				 const PGresult *skills, const PGresult *synonyms,
				 const char **why);

/*
 * Adds the service area's regencies from the load_regencies rows
 * (borrowed), each with the number of its kecamatan and villages in
 * ref->regions.  Returns kd_ok(), or kd_error() with a short reason in
 * *why when the rows are unusable: none, or a kecamatan of no listed
 * regency.
 */
int kd_reference_add_regencies(kd_reference *ref, const PGresult *regencies, const char **why);

/* Takes one more hold on ref and returns it. */
kd_reference *kd_reference_hold(kd_reference *ref);

/* Gives up one hold; the last frees the set.  NULL is ignored. */
void kd_reference_release(kd_reference *ref);

#endif
