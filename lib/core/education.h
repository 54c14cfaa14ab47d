/*
 * Indonesian education levels as the API spells them, and their order.
 * SMA and SMK are the same level (upper secondary), as are D4 and S1.
 */
#ifndef KD_EDUCATION_H
#define KD_EDUCATION_H

typedef enum kd_education {
	KD_EDU_NONE, KD_EDU_SD, KD_EDU_SMP, KD_EDU_SMA, KD_EDU_SMK,
	KD_EDU_D1, KD_EDU_D2, KD_EDU_D3, KD_EDU_D4, KD_EDU_S1, KD_EDU_S2, KD_EDU_S3,
	KD_EDU_COUNT
} kd_education;

/* Parses an exact code such as "SMK"; returns the level or kd_error(EINVAL). */
int kd_education_parse(const char *code);
/* The API code of a level; a static string. */
const char *kd_education_code(kd_education level);
/* Comparable rank: a seeker qualifies when rank(seeker) >= rank(minimum). */
int kd_education_rank(kd_education level);

#endif
