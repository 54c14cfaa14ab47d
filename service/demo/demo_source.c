#include "demo/demo_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/cli.h"
#include "kd.h"

static PGresult *query(PGconn *pg, kd_demo_source *source, int slot, const char *sql,
		       const char *area_patterns)
{
	const char *params[] = { area_patterns };
	source->results[slot] = kd_cli_exec("demo", pg, sql, area_patterns ? 1 : 0, params);
	return source->results[slot];
}

int kd_demo_source_load(PGconn *pg, const char *area_patterns, kd_demo_source *source)
{
	*source = (kd_demo_source){ 0 };
	/* Villages of the area within the service area: the database refuses
	 * seekers and vacancies elsewhere. */
	PGresult *desa = query(pg, source, 1,
		"SELECT code, kecamatan_code, lat, lon FROM desa"
		" WHERE code LIKE ANY ($1::text[])"
		" AND left(code, 5) IN (SELECT regency_code FROM service_area) ORDER BY code",
		area_patterns);
	/* A desa of a missing kecamatan shows up in kd_demo_new()'s checks. */
	PGresult *kec = desa ? query(pg, source, 0,
		"SELECT code, name FROM kecamatan WHERE code IN"
		" (SELECT kecamatan_code FROM desa WHERE code LIKE ANY ($1::text[])"
		"  AND left(code, 5) IN (SELECT regency_code FROM service_area))"
		" ORDER BY code", area_patterns) : NULL;
	PGresult *skills = kec ? query(pg, source, 2,
		"SELECT id, code, sector FROM skills ORDER BY id", NULL) : NULL;
	if (!skills)
		return kd_error(EIO);
	kd_demo_world *w = &source->world;
	w->kecamatan_count = (size_t)PQntuples(kec);
	w->desa_count = (size_t)PQntuples(desa);
	w->skill_count = (size_t)PQntuples(skills);
	source->kecamatan = calloc(w->kecamatan_count + 1, sizeof(*source->kecamatan));
	source->desa = calloc(w->desa_count + 1, sizeof(*source->desa));
	source->skills = calloc(w->skill_count + 1, sizeof(*source->skills));
	if (!source->kecamatan || !source->desa || !source->skills) {
		fprintf(stderr, "kerjadekat demo: out of memory\n");
		return kd_error(ENOMEM);
	}
	for (int i = 0; i < PQntuples(kec); i++)
		source->kecamatan[i] = (kd_demo_kecamatan_row){
			.code = PQgetvalue(kec, i, 0), .name = PQgetvalue(kec, i, 1),
		};
	for (int i = 0; i < PQntuples(desa); i++)
		source->desa[i] = (kd_demo_desa_row){
			.code = PQgetvalue(desa, i, 0), .kecamatan_code = PQgetvalue(desa, i, 1),
			.lat = strtod(PQgetvalue(desa, i, 2), NULL),
			.lon = strtod(PQgetvalue(desa, i, 3), NULL),
		};
	for (int i = 0; i < PQntuples(skills); i++)
		source->skills[i] = (kd_demo_skill_row){
			.id = atoi(PQgetvalue(skills, i, 0)), .code = PQgetvalue(skills, i, 1),
			.sector = PQgetvalue(skills, i, 2),
		};
	w->kecamatan = source->kecamatan;
	w->desa = source->desa;
	w->skills = source->skills;
	return kd_ok();
}

void kd_demo_source_free(kd_demo_source *source)
{
	free(source->kecamatan);
	free(source->desa);
	free(source->skills);
	for (size_t i = 0; i < KD_ARRAY_LEN(source->results); i++)
		PQclear(source->results[i]);
	*source = (kd_demo_source){ 0 };
}

int kd_demo_source_empty_part(PGconn *pg, const char *area_patterns, char *part,
			      size_t part_size)
{
	const char *params[] = { area_patterns };
	PGresult *res = kd_cli_exec("demo", pg,
		"SELECT p FROM unnest($1::text[]) WITH ORDINALITY AS parts (p, n)"
		" WHERE NOT EXISTS (SELECT 1 FROM desa WHERE code LIKE p"
		"  AND left(code, 5) IN (SELECT regency_code FROM service_area)) ORDER BY n LIMIT 1",
		1, params);
	if (!res)
		return kd_error(EIO);
	int found = PQntuples(res) > 0;
	if (found)
		snprintf(part, part_size, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return found;
}
