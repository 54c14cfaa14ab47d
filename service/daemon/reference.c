#include "daemon/reference.h"

#include <stdlib.h>
#include <string.h>

#include "kd.h"

static void reference_free(kd_reference *ref)
{
	kd_regions_free(ref->regions);
	kd_skills_free(ref->skills);
	json_decref(ref->regencies);
	free(ref->kecamatan_answer);
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

/* Regency code of a kecamatan code: its first five characters. */
#define REGENCY_CODE_LEN 5

int kd_reference_add_regencies(kd_reference *ref, const PGresult *regencies, const char **why)
{
	size_t nkecamatan;
	const kd_kecamatan *kecamatan = kd_regions_kecamatan_list(ref->regions, &nkecamatan);
	json_t *list = json_array();
	/* Both lists are in code order, so one pass pairs each regency with its
	 * kecamatan; one left over belongs to no regency of the area. */
	size_t k = 0;
	for (int i = 0; i < PQntuples(regencies) && list; i++) {
		const char *code = PQgetvalue(regencies, i, 0);
		json_int_t kecamatan_count = 0, villages = 0;
		for (; k < nkecamatan && strncmp(kecamatan[k].code, code, REGENCY_CODE_LEN) == 0;
		     k++) {
			size_t n = 0;
			kd_regions_desa_of(ref->regions, kecamatan[k].code, &n);
			kecamatan_count++;
			villages += (json_int_t)n;
		}
		json_t *item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:I}",
			"code", code, "name", PQgetvalue(regencies, i, 1),
			"kind", PQgetvalue(regencies, i, 2),
			"province_code", PQgetvalue(regencies, i, 3),
			"province_name", PQgetvalue(regencies, i, 4),
			"lat", atof(PQgetvalue(regencies, i, 5)),
			"lon", atof(PQgetvalue(regencies, i, 6)),
			"kecamatan", kecamatan_count, "villages", villages);
		if (item == NULL || json_array_append_new(list, item) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	if (list == NULL) {
		*why = "out of memory";
		return kd_error(ENOMEM);
	}
	if (json_array_size(list) == 0 || k != nkecamatan) {
		*why = json_array_size(list) == 0 ? "the service area has no regency"
						   : "a kecamatan lies in no regency of the service area";
		json_decref(list);
		return kd_error(EINVAL);
	}
	json_decref(ref->regencies);
	ref->regencies = list;
	return kd_ok();
}
