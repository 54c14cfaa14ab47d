/*
 * Reference data the daemon keeps in memory: the regions (kecamatan and
 * villages) and the skills taxonomy, loaded from PostgreSQL once the pool
 * is up.  Nothing about a particular regency is compiled in.  A loaded set
 * is immutable, so request handlers and worker threads may read it freely.
 */
#ifndef KD_REFERENCE_H
#define KD_REFERENCE_H

#include <libpq-fe.h>

#include "core/regions.h"
#include "core/skills.h"

typedef struct kd_reference {
	kd_regions *regions;   /* owned */
	kd_skills *skills;     /* owned */
} kd_reference;

/*
 * Builds a reference set from the results of the load statements
 * (kecamatan, desa, skills, synonyms; all borrowed).  Returns NULL with a
 * short reason in *why when the rows are unusable.  New reference.
 */
kd_reference *kd_reference_build(const PGresult *kecamatan, const PGresult *desa,
				 const PGresult *skills, const PGresult *synonyms,
				 const char **why);

void kd_reference_free(kd_reference *ref);

#endif
