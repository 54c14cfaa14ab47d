/*
 * The deterministic demo data generator: given a region table and a skills
 * taxonomy, makes employers spread over the kecamatan by their sectors,
 * their vacancies, and job seekers spread by population, all from one seed.
 * The region table may be one regency or all of Indonesia: every village is
 * as likely a home as any other, except where the generator knows better
 * (the population shares of Kutai Kartanegara's kecamatan, lib/demo/places.c).
 * The same world, options and seed always give the same data, record for
 * record.  Pure computation: reading the world and writing the records is
 * the caller's business.
 */
#ifndef KD_DEMO_H
#define KD_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/education.h"
#include "demo/identity.h"

/* Input rows; every string is borrowed and must outlive the generator. */
typedef struct kd_demo_kecamatan_row {
	const char *code;		/* "PP.RR.KK" */
	const char *name;
} kd_demo_kecamatan_row;

typedef struct kd_demo_desa_row {
	const char *code;		/* "PP.RR.KK.NNNN" */
	const char *kecamatan_code;
	double lat, lon;		/* centroid */
} kd_demo_desa_row;

typedef struct kd_demo_skill_row {
	int id;
	const char *code;
	const char *sector;
} kd_demo_skill_row;

/* Kecamatan in code order, so that each regency's are together; desa in any order. */
typedef struct kd_demo_world {
	const kd_demo_kecamatan_row *kecamatan;
	size_t kecamatan_count;
	const kd_demo_desa_row *desa;
	size_t desa_count;
	const kd_demo_skill_row *skills;
	size_t skill_count;
} kd_demo_world;

/* Years that `today` may fall in, so that every date made is a valid one. */
#define KD_DEMO_FIRST_YEAR 1900
#define KD_DEMO_LAST_YEAR 9998

typedef struct kd_demo_options {
	uint64_t seed;
	long today;			/* days since 1970-01-01: the data is made as of this day */
	size_t employers, vacancies, seekers;
	/*
	 * Numbers of the first record of each kind, from 1.  A run that adds
	 * to earlier demo data continues their numbering, so that it makes
	 * new records rather than the same ones again.
	 */
	uint64_t first_employer, first_vacancy, first_seeker;
} kd_demo_options;

#define KD_DEMO_EMPLOYER_NAME_SIZE 96
#define KD_DEMO_EMAIL_SIZE 64
#define KD_DEMO_MAX_REQUIRED 4
#define KD_DEMO_MAX_OPTIONAL 3
#define KD_DEMO_MAX_SKILLS 6

/* Pointers are borrowed: static strings, or rows of the world. */
typedef struct kd_demo_employer {
	char name[KD_DEMO_EMPLOYER_NAME_SIZE];
	const char *kbli;
	const char *sector;
	const kd_demo_desa_row *desa;
	const char *contact_name;
	char contact_phone[KD_PHONE_SIZE];
	char contact_email[KD_DEMO_EMAIL_SIZE];
	double lat, lon;		/* the site, near the desa centroid */
	int64_t created_at;		/* Unix time, seconds */
} kd_demo_employer;

typedef struct kd_demo_vacancy {
	size_t employer;		/* index, as for kd_demo_employer_at() */
	const char *title;
	const char *kbji;
	const kd_demo_desa_row *desa;
	double lat, lon;
	int required[KD_DEMO_MAX_REQUIRED];
	size_t required_count;		/* at least 1 */
	int optional[KD_DEMO_MAX_OPTIONAL];
	size_t optional_count;
	kd_education min_education;
	int openings;
	bool wage_given;
	long wage_min, wage_max;	/* IDR a month, when wage_given */
	kd_date closes_on;
	bool disability_friendly;
	int64_t created_at;
} kd_demo_vacancy;

typedef struct kd_demo_seeker {
	uint64_t number;
	uint64_t id;
	char registration_code[KD_REGCODE_SIZE];
	char nik[KD_NIK_LEN + 1];	/* to be hashed and masked, never stored as is */
	char full_name[KD_DEMO_NAME_SIZE];
	kd_date birth_date;
	char gender;			/* 'M' or 'F' */
	char phone[KD_PHONE_SIZE];
	const kd_demo_desa_row *desa;
	double lat, lon;
	bool location_given;		/* false: exactly the desa centroid */
	kd_education education;
	int skills[KD_DEMO_MAX_SKILLS];
	size_t skill_count;		/* at least 1 */
	const char *unknown_skill;	/* free text outside the taxonomy, or NULL */
	int experience_years;
	double max_distance_km;		/* 0 when not given */
	bool disability;
	bool guardian_consent;		/* true exactly when under 18 */
	const char *consent_version;
	int64_t registered_at;
} kd_demo_seeker;

typedef struct kd_demo kd_demo;

/*
 * Indexes the world and makes the employers.  On success *out is a new
 * generator (kd_demo_free()).  Returns kd_error(EINVAL) with *why set to a
 * static reason when the world cannot hold the data asked for (no desa, a
 * desa of an unknown kecamatan, no skills, no sector with employers while
 * employers are wanted, vacancies without employers, a first number of 0,
 * numbers beyond KD_DEMO_MAX_NUMBER, today outside the years allowed), or
 * kd_error(ENOMEM).
 */
int kd_demo_new(const kd_demo_world *world, const kd_demo_options *options, kd_demo **out,
		const char **why);
void kd_demo_free(kd_demo *demo);

/* The employers, 0..options.employers-1; borrowed, valid until kd_demo_free(). */
size_t kd_demo_employer_count(const kd_demo *demo);
const kd_demo_employer *kd_demo_employer_at(const kd_demo *demo, size_t index);

/*
 * The next vacancy or seeker into *out: returns 1, or 0 once all asked for
 * have been made; kd_demo_next_seeker() may also fail with kd_error(ENOMEM).
 */
int kd_demo_next_vacancy(kd_demo *demo, kd_demo_vacancy *out);
int kd_demo_next_seeker(kd_demo *demo, kd_demo_seeker *out);

#endif
