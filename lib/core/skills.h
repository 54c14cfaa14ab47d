/*
 * The skills taxonomy: skills with a code, an Indonesian and an English
 * label, and synonyms people type ("las", "welder" for welding).  Labels,
 * codes and synonyms are compared after kd_text_normalise().  The index is
 * built by add calls, then frozen; after kd_skills_freeze() it is read-only
 * and any number of threads may look up and search concurrently.
 */
#ifndef KD_SKILLS_H
#define KD_SKILLS_H

#include <stddef.h>

/* Longest normalised label, code or synonym, NUL included. */
#define KD_SKILL_TERM_SIZE 128

typedef struct kd_skill {
	int id;
	const char *code;		/* owned by the index, as given */
	const char *label_id;		/* Indonesian label, as given */
	const char *label_en;		/* English label, as given */
} kd_skill;

typedef struct kd_skills kd_skills;

/* A new, empty index (owned by the caller; kd_skills_free()), or NULL. */
kd_skills *kd_skills_new(void);
void kd_skills_free(kd_skills *skills);

/*
 * Adds a skill; strings are copied.  Returns kd_ok(), kd_error(EINVAL) when a
 * string normalises to nothing or to more than KD_SKILL_TERM_SIZE - 1 bytes,
 * kd_error(EBUSY) once frozen, kd_error(ENOMEM).
 */
int kd_skills_add(kd_skills *skills, int id, const char *code, const char *label_id,
		  const char *label_en);

/*
 * Adds a synonym of the skill with id skill_id (which may be added before or
 * after it); the text is normalised and copied.  Same errors as
 * kd_skills_add().
 */
int kd_skills_add_synonym(kd_skills *skills, int skill_id, const char *synonym);

/*
 * Builds the lookup tables.  One normalised text names one skill: an
 * Indonesian label beats an English label, which beats a code, which beats
 * a synonym; two different skills claiming the same text at the same rank
 * are an error.  Returns kd_ok(), kd_error(EEXIST) for a repeated id or code
 * or such a clash, kd_error(ENOENT) for a synonym of an unknown id,
 * kd_error(EBUSY) when already frozen, kd_error(ENOMEM).  On failure the
 * index stays unfrozen: lookups find nothing.
 */
int kd_skills_freeze(kd_skills *skills);

/* Number of skills (0 until frozen). */
size_t kd_skills_count(const kd_skills *skills);

/*
 * Lookups on a frozen index; borrowed pointers valid until kd_skills_free(),
 * NULL when nothing matches.  kd_skills_lookup() normalises text first and
 * matches it against labels, codes and synonyms.
 */
const kd_skill *kd_skills_by_id(const kd_skills *skills, int id);
const kd_skill *kd_skills_lookup(const kd_skills *skills, const char *text);

/*
 * Autocompletion: up to limit distinct skills for the query q (normalised
 * first), best first, into out.  A skill matches when q occurs in one of its
 * labels, code or synonyms; it ranks by its best such match: the whole text
 * equal to q, then the text starting with q, then a word of it starting with
 * q, then q anywhere inside; equal ranks go by Indonesian label.  An empty q
 * matches every skill, so the first skills by label come back.  Returns the
 * number stored.
 */
size_t kd_skills_search(const kd_skills *skills, const char *q, size_t limit,
			const kd_skill **out);

#endif
