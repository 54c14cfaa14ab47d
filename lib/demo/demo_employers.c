/*
 * Employers and their vacancies.  An employer's kecamatan and sector are
 * drawn together, weighted by the kecamatan's population times the sector's
 * weight there; its vacancies are jobs of its own kind of firm, now and then
 * a job every firm has (guard, driver, clerk).
 */
#include "demo/demo_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "kd.h"

#define SECONDS_PER_DAY 86400
/* Sites and offices lie within this distance of their village centroid. */
#define SITE_RADIUS_KM 1.5
#define SUPPORT_JOB_SHARE 0.12
#define EXTRA_REQUIRED_SHARE 0.25
#define WAGE_GIVEN_SHARE 0.88
#define WAGE_STEP 50000
/* Sectors whose firms are this large (see kd_demo_sector.size) run hiring drives. */
#define LARGE_FIRM_SIZE 2.0

static size_t count_forms(const kd_demo_branch *b)
{
	size_t n = 0;
	while (n < KD_DEMO_BRANCH_FORMS && b->forms[n])
		n++;
	return n;
}

static size_t count_tails(const kd_demo_branch *b)
{
	size_t n = 0;
	while (n < KD_DEMO_BRANCH_TAILS && b->tails[n])
		n++;
	return n;
}

/*
 * "Form Head Tail", e.g. "PT Kaman Sawit Lestari": the head is a common
 * word or the kecamatan's own.  The n-th employer of a branch takes the n-th
 * combination of a keyed shuffle, so names repeat only once all are used.
 */
static void employer_name(kd_demo *demo, struct demo_sector *sector, unsigned branch,
			  const struct demo_kecamatan *kec, char out[KD_DEMO_EMPLOYER_NAME_SIZE])
{
	const kd_demo_branch *b = &sector->profile->branches[branch];
	size_t head_count;
	const char *const *heads = kd_demo_name_heads(&head_count);
	size_t forms = count_forms(b), tails = count_tails(b);
	size_t choices = head_count + (kec->place_word[0] ? 1 : 0);
	uint64_t combinations = (uint64_t)forms * choices * tails;
	uint64_t n = sector->names_made[branch]++ % combinations;
	/*
	 * Each branch shuffles differently (its KBLI code tells it apart), and
	 * so does a run that adds to earlier ones.
	 */
	uint64_t key = demo->name_key + strtoull(b->kbli, NULL, 10) * UINT64_C(0x9e3779b97f4a7c15) +
		       demo->options.first_employer;
	uint64_t pick = kd_rng_permute(n, combinations, key);
	const char *form = b->forms[pick % forms];
	pick /= forms;
	size_t head = (size_t)(pick % choices);
	pick /= choices;
	snprintf(out, KD_DEMO_EMPLOYER_NAME_SIZE, "%s %s %s", form,
		 head < head_count ? heads[head] : kec->place_word, b->tails[pick]);
}

/* Kinds of firm that hire for more kinds of job are more common. */
static unsigned pick_branch(kd_rng *rng, const kd_demo_sector *profile)
{
	size_t nth = kd_rng_below(rng, profile->job_count);
	return profile->jobs[nth].branch < profile->branch_count ? profile->jobs[nth].branch : 0;
}

static void make_employer(kd_demo *demo, size_t index, const double *joint_totals)
{
	struct demo_employer *e = &demo->employers[index];
	uint64_t number = demo->options.first_employer + index;
	size_t ns = demo->sector_count;
	kd_rng rng;
	kd_rng_seed(&rng, demo->options.seed, DEMO_STREAM_EMPLOYERS, number);
	size_t cell = kd_rng_pick(&rng, joint_totals, demo->kecamatan_count * ns);
	const struct demo_kecamatan *kec = &demo->kecamatan[cell / ns];
	struct demo_sector *sector = &demo->sectors[cell % ns];
	e->sector = cell % ns;
	e->branch = pick_branch(&rng, sector->profile);
	const kd_demo_desa_row *desa = kec->desa[kd_rng_below(&rng, kec->desa_count)];
	employer_name(demo, sector, e->branch, kec, e->out.name);
	e->out.kbli = sector->profile->branches[e->branch].kbli;
	e->out.sector = sector->name;
	e->out.desa = desa;
	e->out.contact_name = "Bagian Personalia";
	kd_demo_employer_phone(number, e->out.contact_phone);
	snprintf(e->out.contact_email, sizeof(e->out.contact_email),
		 "rekrutmen%05u@demo.example", (unsigned)number);
	demo_jitter(&rng, desa->lat, desa->lon, SITE_RADIUS_KM, &e->out.lat, &e->out.lon);
	e->out.created_at = (int64_t)demo->options.today * SECONDS_PER_DAY -
			    kd_rng_between(&rng, 60, 180) * SECONDS_PER_DAY +
			    kd_rng_between(&rng, 7 * 3600, 16 * 3600);
	/* A few large firms post many of the vacancies, as at a real job fair. */
	double size = sector->profile->size * (0.5 + kd_rng_unit(&rng));
	if (kd_rng_chance(&rng, 0.05))
		size *= 4;
	demo->employer_totals[index] = size;
}

int demo_make_employers(kd_demo *demo, const char **why)
{
	size_t n = demo->options.employers, cells = demo->kecamatan_count * demo->sector_count;
	if (n == 0)
		return kd_ok();
	double *joint = calloc(cells, sizeof(double));
	demo->employers = calloc(n, sizeof(*demo->employers));
	demo->employer_totals = calloc(n, sizeof(double));
	if (!joint || !demo->employers || !demo->employer_totals) {
		free(joint);
		return kd_error(ENOMEM);
	}
	for (size_t c = 0; c < cells; c++)
		joint[c] = demo->population[c / demo->sector_count] * demo->sector_weights[c];
	if (!(kd_rng_cumulate(joint, cells) > 0)) {
		free(joint);
		*why = "no sector in the skills table has employers";
		return kd_error(EINVAL);
	}
	for (size_t i = 0; i < n; i++)
		make_employer(demo, i, joint);
	free(joint);
	kd_rng_cumulate(demo->employer_totals, n);
	demo->employer_count = n;
	return kd_ok();
}

/* A job of the employer's branch, or any of its sector when the branch lists none. */
static size_t pick_job(kd_rng *rng, const kd_demo_sector *profile, unsigned branch)
{
	size_t matching = 0;
	for (size_t j = 0; j < profile->job_count; j++)
		matching += profile->jobs[j].branch == branch;
	if (matching == 0)
		return kd_rng_below(rng, profile->job_count);
	size_t nth = kd_rng_below(rng, matching);
	for (size_t j = 0;; j++)
		if (profile->jobs[j].branch == branch && nth-- == 0)
			return j;
}

/* Mostly a handful of openings; only sectors of large firms run hiring drives. */
static int openings(kd_rng *rng, const kd_demo_sector *profile)
{
	double u = kd_rng_unit(rng);
	if (u < 0.70)
		return kd_rng_between(rng, 1, 5);
	if (u < 0.92 || profile->size < LARGE_FIRM_SIZE)
		return kd_rng_between(rng, 6, 20);
	if (u < 0.98)
		return kd_rng_between(rng, 21, 50);
	return kd_rng_between(rng, 51, 300);
}

static long round_wage(double idr)
{
	return lround(idr / WAGE_STEP) * WAGE_STEP;
}

static void set_wages(kd_rng *rng, const kd_demo_job *job, kd_demo_vacancy *v)
{
	v->wage_given = kd_rng_chance(rng, WAGE_GIVEN_SHARE);
	if (!v->wage_given)
		return;
	double low = job->wage_low * 1000.0, high = job->wage_high * 1000.0;
	v->wage_min = round_wage(low + kd_rng_unit(rng) * (high - low) / 2);
	v->wage_max = round_wage(v->wage_min * (1.05 + 0.35 * kd_rng_unit(rng)));
}

/*
 * The job's own skills; now and then one more that a neighbouring job of the
 * same kind of firm needs (a harvest foreman who can also load bunches).
 * Jobs without listed skills get one to three of the sector's.
 */
static void set_skills(const kd_demo *demo, kd_rng *rng, const struct demo_employer *employer,
		       const struct demo_job_skills *needs, bool own_job, kd_demo_vacancy *v)
{
	size_t sector = employer->sector;
	const struct demo_sector *sec = &demo->sectors[sector];
	v->required_count = 0;
	for (size_t i = 0; i < needs->count; i++)
		demo_add_skill(v->required, &v->required_count, KD_DEMO_MAX_REQUIRED, needs->ids[i]);
	if (v->required_count == 0) {
		int wanted = kd_rng_between(rng, 1, 3);
		for (int tries = 0; tries < 12 && (int)v->required_count < wanted; tries++)
			demo_add_skill(v->required, &v->required_count, KD_DEMO_MAX_REQUIRED,
				       demo_random_skill(demo, rng, sector));
	} else if (own_job && kd_rng_chance(rng, EXTRA_REQUIRED_SHARE)) {
		const struct demo_job_skills *other =
			&sec->jobs[pick_job(rng, sec->profile, employer->branch)];
		if (other->count > 0)
			demo_add_skill(v->required, &v->required_count, KD_DEMO_MAX_REQUIRED,
				       other->ids[0]);
	}
	v->optional_count = 0;
	int wanted = kd_rng_between(rng, 0, KD_DEMO_MAX_OPTIONAL);
	for (int tries = 0; tries < 12 && (int)v->optional_count < wanted; tries++) {
		bool general = demo->general != DEMO_NO_SECTOR && kd_rng_chance(rng, 0.3);
		int id = demo_random_skill(demo, rng, general ? demo->general : sector);
		bool taken = false;
		for (size_t i = 0; i < v->required_count; i++)
			taken |= v->required[i] == id;
		if (!taken)
			demo_add_skill(v->optional, &v->optional_count, KD_DEMO_MAX_OPTIONAL, id);
	}
}

int kd_demo_next_vacancy(kd_demo *demo, kd_demo_vacancy *v)
{
	if (demo->vacancies_made >= demo->options.vacancies)
		return 0;
	size_t index = demo->vacancies_made++;
	kd_rng rng;
	kd_rng_seed(&rng, demo->options.seed, DEMO_STREAM_VACANCIES,
		    demo->options.first_vacancy + index);
	/* Every employer advertises at least once; the rest go mostly to the big ones. */
	size_t e = index < demo->employer_count ? index :
		   kd_rng_pick(&rng, demo->employer_totals, demo->employer_count);
	const struct demo_employer *employer = &demo->employers[e];
	const struct demo_sector *sector = &demo->sectors[employer->sector];
	const kd_demo_job *job;
	const struct demo_job_skills *needs;
	size_t support_count;
	const kd_demo_job *support = kd_demo_support_jobs(&support_count);
	/* Only large firms hire their own guards, drivers and clerks. */
	bool own_job = sector->profile->size < LARGE_FIRM_SIZE ||
		       !kd_rng_chance(&rng, SUPPORT_JOB_SHARE);
	if (!own_job) {
		size_t j = kd_rng_below(&rng, support_count);
		job = &support[j];
		needs = &demo->support[j];
	} else {
		size_t j = pick_job(&rng, sector->profile, employer->branch);
		job = &sector->profile->jobs[j];
		needs = &sector->jobs[j];
	}
	*v = (kd_demo_vacancy){
		.employer = e, .title = job->title, .kbji = job->kbji,
		.desa = employer->out.desa, .lat = employer->out.lat, .lon = employer->out.lon,
		.min_education = job->min_education,
	};
	set_skills(demo, &rng, employer, needs, own_job, v);
	v->openings = openings(&rng, sector->profile);
	set_wages(&rng, job, v);
	v->closes_on = kd_date_from_days(demo->options.today + kd_rng_between(&rng, 14, 42));
	v->disability_friendly = kd_rng_chance(&rng, sector->profile->disability_share);
	v->created_at = (int64_t)demo->options.today * SECONDS_PER_DAY -
			kd_rng_between(&rng, 1, 21 * SECONDS_PER_DAY);
	return 1;
}
