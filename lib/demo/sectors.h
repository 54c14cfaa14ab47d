/*
 * What employers of each sector look like, for synthetic data: the kinds of
 * firm (KBLI 2020 business codes, name parts) and the jobs they advertise
 * (KBJI 2014 occupation codes, minimum education, monthly wage range, the
 * skills a job needs).  Sectors are named as in the skills table's `sector`
 * column; skills are named by their `code`, and a code the taxonomy lacks is
 * simply not used.  All data here is static and read-only.
 */
#ifndef KD_DEMO_SECTORS_H
#define KD_DEMO_SECTORS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/education.h"

#define KD_DEMO_JOB_SKILLS 3
#define KD_DEMO_BRANCH_FORMS 3
#define KD_DEMO_BRANCH_TAILS 6

/* One kind of firm in a sector: a coal mine and a mining contractor differ. */
typedef struct kd_demo_branch {
	const char *kbli;				/* 5 digits */
	const char *forms[KD_DEMO_BRANCH_FORMS];	/* "PT", "Klinik"; NULL after the last */
	const char *tails[KD_DEMO_BRANCH_TAILS];	/* name endings; NULL after the last */
} kd_demo_branch;

typedef struct kd_demo_job {
	unsigned branch;				/* index into the sector's branches */
	const char *title;
	const char *kbji;				/* 4 digits */
	kd_education min_education;
	int wage_low, wage_high;			/* thousand IDR a month */
	const char *skills[KD_DEMO_JOB_SKILLS];	/* skill codes; NULL after the last */
} kd_demo_job;

typedef struct kd_demo_sector {
	const char *name;
	bool everywhere;		/* present in every kecamatan: shops, clinics, builders */
	double size;			/* relative number of vacancies per employer */
	double disability_share;	/* share of vacancies open to disabled applicants */
	const kd_demo_branch *branches;
	size_t branch_count;		/* 0: skills every sector uses, no employers */
	const kd_demo_job *jobs;
	size_t job_count;
} kd_demo_sector;

/* The profile of the sector with this name, or NULL when there is none. */
const kd_demo_sector *kd_demo_sector_find(const char *name);

/*
 * The profile for a sector without one: generic firm names and job titles,
 * jobs without listed skills (the generator draws them from the sector).
 */
const kd_demo_sector *kd_demo_sector_generic(void);

/*
 * Jobs that employers of any sector advertise besides their own (guards,
 * drivers, clerks); *count receives their number.  Their `branch` is unused.
 */
const kd_demo_job *kd_demo_support_jobs(size_t *count);

/* Words that start employer names ("Mitra", "Cahaya"); *count receives their number. */
const char *const *kd_demo_name_heads(size_t *count);

#endif
