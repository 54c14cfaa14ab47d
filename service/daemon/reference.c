#include "daemon/reference.h"

#include <stdlib.h>

#include "kd.h"

static void reference_free(kd_reference *ref)
{
	kd_regions_free(ref->regions);
	kd_skills_free(ref->skills);
	free(ref);
}

kd_reference *kd_reference_hold(kd_reference *ref)
{
	ref->holders++;
	return ref;
}

void kd_reference_release(kd_reference *ref)
{
	if (ref && --ref->holders == 0)
		reference_free(ref);
}

static int load_regions(kd_regions *regions, const PGresult *kecamatan, const PGresult *desa)
{
	for (int i = 0; i < PQntuples(kecamatan); i++) {
		int rc = kd_regions_add_kecamatan(regions, PQgetvalue(kecamatan, i, 0),
						  PQgetvalue(kecamatan, i, 1),
						  atof(PQgetvalue(kecamatan, i, 2)),
						  atof(PQgetvalue(kecamatan, i, 3)));
		if (rc < 0)
			return rc;
	}
	for (int i = 0; i < PQntuples(desa); i++) {
		int kind = kd_desa_kind_parse(PQgetvalue(desa, i, 2));
		if (kind < 0)
			return kind;
		int rc = kd_regions_add_desa(regions, PQgetvalue(desa, i, 0), PQgetvalue(desa, i, 1),
					     (kd_desa_kind)kind, atof(PQgetvalue(desa, i, 3)),
					     atof(PQgetvalue(desa, i, 4)));
		if (rc < 0)
			return rc;
	}
	return kd_regions_freeze(regions);
}

static int load_skills(kd_skills *skills, const PGresult *rows, const PGresult *synonyms)
{
	for (int i = 0; i < PQntuples(rows); i++) {
		int rc = kd_skills_add(skills, atoi(PQgetvalue(rows, i, 0)), PQgetvalue(rows, i, 1),
				       PQgetvalue(rows, i, 2), PQgetvalue(rows, i, 3));
		if (rc < 0)
			return rc;
	}
	for (int i = 0; i < PQntuples(synonyms); i++) {
		int rc = kd_skills_add_synonym(skills, atoi(PQgetvalue(synonyms, i, 0)),
					       PQgetvalue(synonyms, i, 1));
		if (rc < 0)
			return rc;
	}
	return kd_skills_freeze(skills);
}

kd_reference *kd_reference_build(const PGresult *kecamatan, const PGresult *desa,
				 const PGresult *skills, const PGresult *synonyms,
				 const char **why)
{
	kd_reference *ref = calloc(1, sizeof(*ref));
	if (ref == NULL || (ref->regions = kd_regions_new()) == NULL ||
	    (ref->skills = kd_skills_new()) == NULL) {
		*why = "out of memory";
		if (ref)
			reference_free(ref);
		return NULL;
	}
	if (PQntuples(kecamatan) == 0 || PQntuples(desa) == 0) {
		*why = "no regions loaded";
	} else if (load_regions(ref->regions, kecamatan, desa) < 0) {
		*why = "region rows are inconsistent";
	} else if (load_skills(ref->skills, skills, synonyms) < 0) {
		*why = "skill rows are inconsistent";
	} else {
		ref->holders = 1;
		return ref;
	}
	reference_free(ref);
	return NULL;
}
