/*
 * Job seekers.  Where they live follows the population; what they can do
 * follows the work of their kecamatan: each seeker has trained for one job
 * of a local sector that their schooling allows, and knows a few more
 * skills of that sector and some that every sector uses.
 */
#include "demo/demo_internal.h"

#include "kd.h"

#define SECONDS_PER_DAY 86400
#define REGISTRATION_DAYS 60
#define HOME_RADIUS_KM 2.0
#define LOCATION_GIVEN_SHARE 0.7
#define FEMALE_SHARE 0.48
#define DISABILITY_SHARE 0.02
#define MAX_DISTANCE_SHARE 0.12
#define UNKNOWN_SKILL_SHARE 0.06
#define ADULT_AGE 18
#define NIK_FEMALE_DAY_OFFSET 40
#define CONSENT_VERSION "2025-01"

/*
 * NIK serials count up from 0001 for each kecamatan and birth date, and
 * seldom pass a few dozen; demo serials lie in the upper half, far from them.
 */
#define FIRST_SERIAL 5000
#define SERIAL_SPAN 5000

static const struct {
	int low, high;
	double weight;
} age_bands[] = {
	{ 16, 17, 4 }, { 18, 24, 34 }, { 25, 34, 33 }, { 35, 44, 19 }, { 45, 55, 10 },
};

/* Kukar's job seekers: mostly upper secondary (SMA, SMK), some primary, few degrees. */
static const double education_weights[KD_EDU_COUNT] = {
	[KD_EDU_NONE] = 2, [KD_EDU_SD] = 12, [KD_EDU_SMP] = 16, [KD_EDU_SMA] = 30,
	[KD_EDU_SMK] = 22, [KD_EDU_D1] = 1, [KD_EDU_D2] = 1, [KD_EDU_D3] = 5, [KD_EDU_D4] = 1,
	[KD_EDU_S1] = 9, [KD_EDU_S2] = 1,
};

/* The youngest age at which each level is usually finished. */
static const int education_min_age[KD_EDU_COUNT] = {
	[KD_EDU_SMA] = 17, [KD_EDU_SMK] = 17, [KD_EDU_D1] = 19, [KD_EDU_D2] = 20,
	[KD_EDU_D3] = 21, [KD_EDU_D4] = 22, [KD_EDU_S1] = 22, [KD_EDU_S2] = 24, [KD_EDU_S3] = 27,
};

static const double skill_count_weights[KD_DEMO_MAX_SKILLS] = { 12, 22, 26, 20, 12, 8 };

static const double max_distances_km[] = { 5, 10, 15, 25, 40 };

/* What people list that no taxonomy entry covers; the daemon keeps such text as is. */
static const char *const unknown_skills[] = {
	"merangkai bunga", "tata rias pengantin", "sablon kaos", "pangkas rambut",
	"pijat refleksi", "membatik", "ukir kayu", "bahasa kutai", "ikan hias", "servis sepeda",
};

/* Longest weight table given to pick_from(). */
#define PICK_MAX 16

static size_t pick_from(kd_rng *rng, const double *weights, size_t n)
{
	double totals[PICK_MAX];
	for (size_t i = 0; i < n; i++)
		totals[i] = weights[i];
	kd_rng_cumulate(totals, n);
	return kd_rng_pick(rng, totals, n);
}

static kd_date birth_date(kd_rng *rng, kd_date today)
{
	double weights[KD_ARRAY_LEN(age_bands)];
	for (size_t i = 0; i < KD_ARRAY_LEN(age_bands); i++)
		weights[i] = age_bands[i].weight;
	size_t band = pick_from(rng, weights, KD_ARRAY_LEN(age_bands));
	int age = kd_rng_between(rng, age_bands[band].low, age_bands[band].high);
	/* Born on one of the 365 days that make someone exactly `age` today. */
	kd_date youngest = { today.year - age, today.month, today.day };
	if (!kd_date_valid(youngest))
		youngest.day = 28;
	return kd_date_from_days(kd_date_to_days(youngest) - (long)kd_rng_below(rng, 365));
}

static kd_education education(kd_rng *rng, int age)
{
	int level = (int)pick_from(rng, education_weights, KD_EDU_COUNT);
	while (level > KD_EDU_NONE && education_min_age[level] > age)
		level--;
	return (kd_education)level;
}

/* A job of the sector that the seeker's schooling allows, or NULL when none does. */
static const struct demo_job_skills *trained_for(kd_rng *rng, const struct demo_sector *sector,
						 kd_education level)
{
	const kd_demo_sector *profile = sector->profile;
	size_t fitting = 0;
	for (size_t j = 0; j < profile->job_count; j++)
		fitting += kd_education_rank(profile->jobs[j].min_education) <= kd_education_rank(level);
	if (fitting == 0)
		return NULL;
	size_t nth = kd_rng_below(rng, fitting);
	for (size_t j = 0;; j++)
		if (kd_education_rank(profile->jobs[j].min_education) <= kd_education_rank(level) &&
		    nth-- == 0)
			return &sector->jobs[j];
}

static void set_skills(const kd_demo *demo, kd_rng *rng, size_t sector, kd_demo_seeker *s)
{
	const struct demo_sector *sec = &demo->sectors[sector];
	size_t wanted = pick_from(rng, skill_count_weights, KD_DEMO_MAX_SKILLS) + 1;
	s->skill_count = 0;
	const struct demo_job_skills *trained = trained_for(rng, sec, s->education);
	for (size_t i = 0; trained && i < trained->count; i++)
		demo_add_skill(s->skills, &s->skill_count, wanted, trained->ids[i]);
	for (int tries = 0; tries < 24 && s->skill_count < wanted; tries++) {
		double u = kd_rng_unit(rng);
		size_t from = u < 0.6 ? sector :
			      u < 0.85 && demo->general != DEMO_NO_SECTOR ? demo->general :
			      DEMO_NO_SECTOR;
		demo_add_skill(s->skills, &s->skill_count, wanted, demo_random_skill(demo, rng, from));
	}
}

/*
 * The serial follows the seeker's number, so masked NIKs end in different
 * digits; when this run already gave that serial to someone of the same
 * kecamatan, birth date and gender, the next free one is taken.
 */
static int nik(kd_demo *demo, size_t kecamatan, kd_demo_seeker *s)
{
	for (;;) {
		int day = s->birth_date.day + (s->gender == 'F' ? NIK_FEMALE_DAY_OFFSET : 0);
		uint64_t person = ((uint64_t)kecamatan + 1) * 1000000 + (uint64_t)day * 10000 +
				  (uint64_t)s->birth_date.month * 100 +
				  (uint64_t)(s->birth_date.year % 100);
		for (unsigned probe = 0; probe < SERIAL_SPAN; probe++) {
			unsigned serial = FIRST_SERIAL + (unsigned)((s->number + probe) % SERIAL_SPAN);
			long used = demo_tally_bump(&demo->tally, person * 10000 + serial);
			if (used < 0)
				return (int)used;
			if (used == 0)
				return kd_demo_nik(demo->kecamatan[kecamatan].row->code, s->birth_date,
						   s->gender, serial, s->nik);
		}
		/* Every serial of that day is taken: be born a day earlier. */
		s->birth_date = kd_date_from_days(kd_date_to_days(s->birth_date) - 1);
	}
}

int kd_demo_next_seeker(kd_demo *demo, kd_demo_seeker *s)
{
	if (demo->seekers_made >= demo->options.seekers)
		return 0;
	uint64_t number = demo->options.first_seeker + demo->seekers_made;
	kd_rng rng;
	kd_rng_seed(&rng, demo->options.seed, DEMO_STREAM_SEEKERS, number);
	kd_date today = kd_date_from_days(demo->options.today);
	size_t k = kd_rng_pick(&rng, demo->population_totals, demo->kecamatan_count);
	const struct demo_kecamatan *kec = &demo->kecamatan[k];
	*s = (kd_demo_seeker){
		.number = number,
		.id = kd_demo_seeker_id(number, demo->id_key),
		.desa = kec->desa[kd_rng_below(&rng, kec->desa_count)],
		.gender = kd_rng_chance(&rng, FEMALE_SHARE) ? 'F' : 'M',
		.consent_version = CONSENT_VERSION,
	};
	kd_demo_registration_code(number, demo->code_key, s->registration_code);
	kd_demo_seeker_name(number, s->full_name);
	kd_demo_seeker_phone(number, s->phone);
	s->location_given = kd_rng_chance(&rng, LOCATION_GIVEN_SHARE);
	if (s->location_given) {
		demo_jitter(&rng, s->desa->lat, s->desa->lon, HOME_RADIUS_KM, &s->lat, &s->lon);
	} else {
		s->lat = s->desa->lat;
		s->lon = s->desa->lon;
	}
	s->birth_date = birth_date(&rng, today);
	int rc = nik(demo, k, s);
	if (rc < 0)
		return rc;
	int age = kd_date_age(s->birth_date, today);
	s->guardian_consent = age < ADULT_AGE;
	s->education = education(&rng, age);
	size_t ns = demo->sector_count;
	/* Where no listed sector works (only general skills are known), any will do. */
	size_t sector = kec->sector_totals[ns - 1] > 0 ? kd_rng_pick(&rng, kec->sector_totals, ns) :
			kd_rng_below(&rng, ns);
	set_skills(demo, &rng, sector, s);
	if (kd_rng_chance(&rng, UNKNOWN_SKILL_SHARE))
		s->unknown_skill = unknown_skills[kd_rng_below(&rng, KD_ARRAY_LEN(unknown_skills))];
	int most = age - 16 < 25 ? age - 16 : 25;
	double u = kd_rng_unit(&rng);
	s->experience_years = most > 0 ? (int)(u * u * (most + 1)) : 0;
	if (kd_rng_chance(&rng, MAX_DISTANCE_SHARE))
		s->max_distance_km =
			max_distances_km[kd_rng_below(&rng, KD_ARRAY_LEN(max_distances_km))];
	s->disability = kd_rng_chance(&rng, DISABILITY_SHARE);
	s->registered_at = (int64_t)demo->options.today * SECONDS_PER_DAY -
			   1 - (int64_t)kd_rng_below(&rng, REGISTRATION_DAYS * SECONDS_PER_DAY);
	demo->seekers_made++;
	return 1;
}
