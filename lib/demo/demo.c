/*
 * The generator's set-up: indexes the world (desa by kecamatan, skills by
 * sector, the skills each profiled job needs), weighs kecamatan by
 * population and sectors by kecamatan, then makes the employers.  Set-up
 * time grows as n log n in the size of the region table, so that a national
 * one (some 7,000 kecamatan, 84,000 desa) is no harder than a regency.
 */
#include "demo/demo_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "demo/places.h"
#include "kd.h"

void demo_jitter(kd_rng *rng, double lat, double lon, double radius_km,
		 double *out_lat, double *out_lon)
{
	const double km_per_degree = KD_EARTH_RADIUS_KM * M_PI / 180.0;
	/* The square root spreads points evenly over the disc, not bunched at its centre. */
	double r = radius_km * sqrt(kd_rng_unit(rng));
	double angle = 2.0 * M_PI * kd_rng_unit(rng);
	*out_lat = lat + r * cos(angle) / km_per_degree;
	*out_lon = lon + r * sin(angle) / (km_per_degree * cos(lat * M_PI / 180.0));
}

int demo_random_skill(const kd_demo *demo, kd_rng *rng, size_t sector)
{
	if (sector == DEMO_NO_SECTOR)
		return demo->world->skills[kd_rng_below(rng, demo->world->skill_count)].id;
	const struct demo_sector *s = &demo->sectors[sector];
	return s->skills[kd_rng_below(rng, s->skill_count)];
}

void demo_add_skill(int *ids, size_t *count, size_t limit, int id)
{
	if (*count >= limit)
		return;
	for (size_t i = 0; i < *count; i++)
		if (ids[i] == id)
			return;
	ids[(*count)++] = id;
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return kd_error(EINVAL);
}

/* The longest word of the name (the later one on a tie): "Muara Kaman" gives "Kaman". */
static void place_word(const char *name, char out[DEMO_PLACE_WORD_SIZE])
{
	size_t best_at = 0, best_len = 0;
	for (size_t i = 0; name[i] != '\0';) {
		size_t len = strcspn(name + i, " -");
		if (len > 0 && len >= best_len && len < DEMO_PLACE_WORD_SIZE) {
			best_at = i;
			best_len = len;
		}
		i += len;
		i += strspn(name + i, " -");
	}
	memcpy(out, name + best_at, best_len);
	out[best_len] = '\0';
}

/* A kecamatan code with the kecamatan's place in the world, for looking desa up. */
struct code_index {
	const char *code;
	size_t k;
};

static int compare_codes(const void *a, const void *b)
{
	return strcmp(((const struct code_index *)a)->code, ((const struct code_index *)b)->code);
}

/*
 * Which kecamatan owns each desa, found by binary search over the kecamatan
 * codes: a national region table has thousands of kecamatan and tens of
 * thousands of desa.  Returns kd_ok(), kd_error(ENOMEM), or kd_error(EINVAL)
 * with *why set for a desa whose kecamatan is missing.
 */
static int find_owners(const kd_demo_world *w, size_t *owner, const char **why)
{
	struct code_index *codes = calloc(w->kecamatan_count, sizeof(*codes));
	if (!codes)
		return kd_error(ENOMEM);
	for (size_t k = 0; k < w->kecamatan_count; k++)
		codes[k] = (struct code_index){ w->kecamatan[k].code, k };
	qsort(codes, w->kecamatan_count, sizeof(*codes), compare_codes);
	int rc = kd_ok();
	for (size_t d = 0; d < w->desa_count && rc == 0; d++) {
		struct code_index wanted = { w->desa[d].kecamatan_code, 0 };
		const struct code_index *found = bsearch(&wanted, codes, w->kecamatan_count,
							 sizeof(*codes), compare_codes);
		if (found)
			owner[d] = found->k;
		else
			rc = fail(why, "a desa names a kecamatan that is not in the region table");
	}
	free(codes);
	return rc;
}

static int index_kecamatan(kd_demo *demo, const char **why)
{
	const kd_demo_world *w = demo->world;
	if (w->kecamatan_count == 0 || w->desa_count == 0)
		return fail(why, "the region table has no desa");
	demo->kecamatan_count = w->kecamatan_count;
	demo->kecamatan = calloc(w->kecamatan_count, sizeof(*demo->kecamatan));
	demo->desa_by_kecamatan = calloc(w->desa_count, sizeof(*demo->desa_by_kecamatan));
	size_t *owner = calloc(w->desa_count, sizeof(*owner));
	if (!demo->kecamatan || !demo->desa_by_kecamatan || !owner) {
		free(owner);
		return kd_error(ENOMEM);
	}
	int rc = find_owners(w, owner, why);
	if (rc < 0) {
		free(owner);
		return rc;
	}
	for (size_t d = 0; d < w->desa_count; d++)
		demo->kecamatan[owner[d]].desa_count++;
	size_t at = 0;
	for (size_t k = 0; k < w->kecamatan_count; k++) {
		struct demo_kecamatan *kec = &demo->kecamatan[k];
		kec->row = &w->kecamatan[k];
		kec->desa = demo->desa_by_kecamatan + at;
		at += kec->desa_count;
		kec->desa_count = 0;
		place_word(kec->row->name, kec->place_word);
	}
	for (size_t d = 0; d < w->desa_count; d++) {
		struct demo_kecamatan *kec = &demo->kecamatan[owner[d]];
		kec->desa[kec->desa_count++] = &w->desa[d];
	}
	free(owner);
	return kd_ok();
}

/* Length of "PP.RR", the regency part of a kecamatan code. */
#define REGENCY_CODE_LEN 5

/*
 * Shares out the population of the kecamatan first..end-1, one regency,
 * which holds `share` of all the people: listed population shares first, the
 * rest to the other kecamatan in proportion to their number of villages.
 */
static void weigh_regency(kd_demo *demo, size_t first, size_t end, double share)
{
	double listed = 0, unlisted_desa = 0;
	for (size_t k = first; k < end; k++) {
		const struct demo_kecamatan *kec = &demo->kecamatan[k];
		const kd_demo_place *place = kd_demo_place_find(kec->row->code, kec->row->name);
		if (place && place->population_share > 0 && kec->desa_count > 0) {
			demo->population[k] = place->population_share;
			listed += place->population_share;
		} else {
			unlisted_desa += (double)kec->desa_count;
		}
	}
	double rest = listed < 1.0 ? 1.0 - listed : 0.0;
	for (size_t k = first; k < end; k++) {
		if (demo->population[k] == 0 && unlisted_desa > 0)
			demo->population[k] = rest * (double)demo->kecamatan[k].desa_count /
					      unlisted_desa;
		demo->population[k] *= share;
	}
}

/*
 * Every village is as likely a home as any other, unless more is known: a
 * regency's people are as many as its villages make it, and within the
 * regency listed shares go first (weigh_regency()).  A regency is a run of
 * kecamatan whose codes share "PP.RR", so the world must list kecamatan in
 * code order for listed shares to hold.
 */
static int weigh_population(kd_demo *demo)
{
	size_t n = demo->kecamatan_count;
	demo->population = calloc(n, sizeof(double));
	demo->population_totals = calloc(n, sizeof(double));
	if (!demo->population || !demo->population_totals)
		return kd_error(ENOMEM);
	for (size_t first = 0, end; first < n; first = end) {
		const char *code = demo->kecamatan[first].row->code;
		size_t regency_desa = 0;
		for (end = first; end < n &&
		     strncmp(demo->kecamatan[end].row->code, code, REGENCY_CODE_LEN) == 0; end++)
			regency_desa += demo->kecamatan[end].desa_count;
		weigh_regency(demo, first, end,
			      (double)regency_desa / (double)demo->world->desa_count);
	}
	memcpy(demo->population_totals, demo->population, n * sizeof(double));
	kd_rng_cumulate(demo->population_totals, n);
	return kd_ok();
}

static size_t find_sector(const kd_demo *demo, const char *name)
{
	for (size_t s = 0; s < demo->sector_count; s++)
		if (strcmp(demo->sectors[s].name, name) == 0)
			return s;
	return DEMO_NO_SECTOR;
}

static void resolve_job(const kd_demo_world *w, const kd_demo_job *job, struct demo_job_skills *out)
{
	out->count = 0;
	for (size_t j = 0; j < KD_DEMO_JOB_SKILLS && job->skills[j]; j++)
		for (size_t i = 0; i < w->skill_count; i++)
			if (strcmp(w->skills[i].code, job->skills[j]) == 0) {
				out->ids[out->count++] = w->skills[i].id;
				break;
			}
}

static int index_sectors(kd_demo *demo, const char **why)
{
	const kd_demo_world *w = demo->world;
	if (w->skill_count == 0)
		return fail(why, "the skills table is empty");
	demo->sectors = calloc(w->skill_count, sizeof(*demo->sectors));
	if (!demo->sectors)
		return kd_error(ENOMEM);
	for (size_t i = 0; i < w->skill_count; i++) {
		size_t s = find_sector(demo, w->skills[i].sector);
		if (s == DEMO_NO_SECTOR) {
			s = demo->sector_count++;
			demo->sectors[s].name = w->skills[i].sector;
			demo->sectors[s].skills = calloc(w->skill_count, sizeof(int));
			if (!demo->sectors[s].skills)
				return kd_error(ENOMEM);
		}
		demo->sectors[s].skills[demo->sectors[s].skill_count++] = w->skills[i].id;
	}
	demo->general = DEMO_NO_SECTOR;
	for (size_t s = 0; s < demo->sector_count; s++) {
		struct demo_sector *sec = &demo->sectors[s];
		sec->profile = kd_demo_sector_find(sec->name);
		if (!sec->profile)
			sec->profile = kd_demo_sector_generic();
		if (sec->profile->branch_count == 0)
			demo->general = s;
		sec->jobs = calloc(sec->profile->job_count + 1, sizeof(*sec->jobs));
		sec->names_made = calloc(sec->profile->branch_count + 1, sizeof(unsigned));
		if (!sec->jobs || !sec->names_made)
			return kd_error(ENOMEM);
		for (size_t j = 0; j < sec->profile->job_count; j++)
			resolve_job(w, &sec->profile->jobs[j], &sec->jobs[j]);
	}
	const kd_demo_job *support = kd_demo_support_jobs(&demo->support_count);
	demo->support = calloc(demo->support_count, sizeof(*demo->support));
	if (!demo->support)
		return kd_error(ENOMEM);
	for (size_t j = 0; j < demo->support_count; j++)
		resolve_job(w, &support[j], &demo->support[j]);
	return kd_ok();
}

/*
 * How much sector s employs in a kecamatan.  In a listed kecamatan the
 * sectors found everywhere (shops, clinics, builders) weigh half of what a
 * listed sector weighs at 1.0, so that the listed ones stand out.
 */
#define EVERYWHERE_WEIGHT 0.5

static double sector_weight(const kd_demo_place *place, const struct demo_sector *sector)
{
	if (sector->profile->branch_count == 0)
		return 0;
	if (!place)
		return 1.0;
	for (size_t i = 0; i < KD_DEMO_PLACE_SECTORS && place->sectors[i].sector; i++)
		if (strcmp(place->sectors[i].sector, sector->name) == 0)
			return place->sectors[i].weight;
	return sector->profile->everywhere ? EVERYWHERE_WEIGHT : 0.0;
}

static int weigh_sectors(kd_demo *demo)
{
	size_t nk = demo->kecamatan_count, ns = demo->sector_count;
	demo->sector_weights = calloc(nk * ns, sizeof(double));
	if (!demo->sector_weights)
		return kd_error(ENOMEM);
	for (size_t k = 0; k < nk; k++) {
		struct demo_kecamatan *kec = &demo->kecamatan[k];
		const kd_demo_place *place = kd_demo_place_find(kec->row->code, kec->row->name);
		kec->sector_totals = calloc(ns, sizeof(double));
		if (!kec->sector_totals)
			return kd_error(ENOMEM);
		for (size_t s = 0; s < ns; s++) {
			double weight = sector_weight(place, &demo->sectors[s]);
			demo->sector_weights[k * ns + s] = weight;
			kec->sector_totals[s] = weight;
		}
		kd_rng_cumulate(kec->sector_totals, ns);
	}
	return kd_ok();
}

static bool numbers_fit(uint64_t first, size_t count)
{
	return first >= 1 && count <= KD_DEMO_MAX_NUMBER && first <= KD_DEMO_MAX_NUMBER - count + 1;
}

int kd_demo_new(const kd_demo_world *world, const kd_demo_options *options, kd_demo **out,
		const char **why)
{
	if (!numbers_fit(options->first_employer, options->employers) ||
	    !numbers_fit(options->first_vacancy, options->vacancies) ||
	    !numbers_fit(options->first_seeker, options->seekers))
		return fail(why, "record numbers must stay within 1..999999999");
	if (options->vacancies > 0 && options->employers == 0)
		return fail(why, "vacancies need at least one employer");
	int year = kd_date_from_days(options->today).year;
	if (year < KD_DEMO_FIRST_YEAR || year > KD_DEMO_LAST_YEAR)
		return fail(why, "the day to make the data for is out of range");
	kd_demo *demo = calloc(1, sizeof(*demo));
	if (!demo)
		return kd_error(ENOMEM);
	demo->world = world;
	demo->options = *options;
	kd_rng keys;
	kd_rng_seed(&keys, options->seed, DEMO_STREAM_KEYS, 0);
	demo->id_key = kd_rng_next(&keys);
	demo->code_key = kd_rng_next(&keys);
	demo->name_key = kd_rng_next(&keys);
	int rc = index_kecamatan(demo, why);
	if (rc == 0)
		rc = weigh_population(demo);
	if (rc == 0)
		rc = index_sectors(demo, why);
	if (rc == 0)
		rc = weigh_sectors(demo);
	if (rc == 0)
		rc = demo_make_employers(demo, why);
	if (rc < 0) {
		kd_demo_free(demo);
		return rc;
	}
	*out = demo;
	return kd_ok();
}

void kd_demo_free(kd_demo *demo)
{
	if (!demo)
		return;
	if (demo->kecamatan)
		for (size_t k = 0; k < demo->kecamatan_count; k++)
			free(demo->kecamatan[k].sector_totals);
	for (size_t s = 0; s < demo->sector_count; s++) {
		free(demo->sectors[s].skills);
		free(demo->sectors[s].jobs);
		free(demo->sectors[s].names_made);
	}
	free(demo->kecamatan);
	free(demo->desa_by_kecamatan);
	free(demo->population);
	free(demo->population_totals);
	free(demo->sectors);
	free(demo->sector_weights);
	free(demo->support);
	free(demo->employers);
	free(demo->employer_totals);
	demo_tally_free(&demo->tally);
	free(demo);
}

size_t kd_demo_employer_count(const kd_demo *demo)
{
	return demo->employer_count;
}

const kd_demo_employer *kd_demo_employer_at(const kd_demo *demo, size_t index)
{
	return index < demo->employer_count ? &demo->employers[index].out : NULL;
}
