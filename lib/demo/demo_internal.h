/*
 * The generator's state, shared by demo.c (indexing the world),
 * demo_employers.c, demo_seekers.c and demo_tally.c.  Internal to lib/demo.
 */
#ifndef KD_DEMO_INTERNAL_H
#define KD_DEMO_INTERNAL_H

#include "demo/demo.h"
#include "demo/rng.h"
#include "demo/sectors.h"

/* Independent random streams, so that one kind of record never shifts another. */
enum demo_stream {
	DEMO_STREAM_KEYS = 1,
	DEMO_STREAM_EMPLOYERS,
	DEMO_STREAM_VACANCIES,
	DEMO_STREAM_SEEKERS,
};

#define DEMO_NO_SECTOR ((size_t)-1)
#define DEMO_PLACE_WORD_SIZE 32

/* Skill ids a job needs, resolved from the profile's codes against the world. */
struct demo_job_skills {
	int ids[KD_DEMO_JOB_SKILLS];
	size_t count;
};

struct demo_sector {
	const char *name;			/* borrowed from the world */
	const kd_demo_sector *profile;		/* static */
	int *skills;				/* ids of the world's skills in this sector */
	size_t skill_count;
	struct demo_job_skills *jobs;		/* one per profile job */
	unsigned *names_made;			/* employers named so far, per branch */
};

struct demo_kecamatan {
	const kd_demo_kecamatan_row *row;
	const kd_demo_desa_row **desa;		/* slice of kd_demo.desa_by_kecamatan */
	size_t desa_count;
	char place_word[DEMO_PLACE_WORD_SIZE];	/* for employer names; may be empty */
	double *sector_totals;			/* running totals over sectors: what people do here */
};

struct demo_employer {
	kd_demo_employer out;
	size_t sector;
	unsigned branch;
};

/* How often each packed (kecamatan, birth date, gender, serial) was handed out. */
struct demo_tally {
	uint64_t *keys;				/* 0 marks a free slot */
	unsigned *counts;
	size_t capacity, used;
};

struct kd_demo {
	const kd_demo_world *world;
	kd_demo_options options;
	uint64_t id_key, code_key, name_key;

	struct demo_kecamatan *kecamatan;
	size_t kecamatan_count;
	const kd_demo_desa_row **desa_by_kecamatan;
	double *population;			/* share of the people, per kecamatan */
	double *population_totals;		/* its running totals */

	struct demo_sector *sectors;
	size_t sector_count;
	size_t general;				/* sector of skills every job uses, or DEMO_NO_SECTOR */
	double *sector_weights;			/* kecamatan-major matrix */

	struct demo_job_skills *support;	/* one per kd_demo_support_jobs() entry */
	size_t support_count;

	struct demo_employer *employers;
	size_t employer_count;
	double *employer_totals;		/* running totals of employer size */

	size_t vacancies_made;
	uint64_t seekers_made;
	struct demo_tally tally;
};

/* A point uniformly distributed within radius_km of (lat, lon). */
void demo_jitter(kd_rng *rng, double lat, double lon, double radius_km,
		 double *out_lat, double *out_lon);

/* A random skill of the sector, or of the whole world when sector is DEMO_NO_SECTOR. */
int demo_random_skill(const kd_demo *demo, kd_rng *rng, size_t sector);

/* Appends id to ids (count entries, room for limit) unless it is there or there is no room. */
void demo_add_skill(int *ids, size_t *count, size_t limit, int id);

/*
 * Makes every employer; called once by kd_demo_new().  Returns kd_ok(),
 * kd_error(ENOMEM), or kd_error(EINVAL) with *why set.
 */
int demo_make_employers(kd_demo *demo, const char **why);

/*
 * Returns the number of earlier calls with this key (0 for the first) and
 * counts this one, or kd_error(ENOMEM).  key must not be 0.
 */
long demo_tally_bump(struct demo_tally *tally, uint64_t key);
void demo_tally_free(struct demo_tally *tally);

#endif
