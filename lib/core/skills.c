#include "core/skills.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "kd.h"

/* Which text of a skill a term is; lower ranks win a clash. */
enum term_source { FROM_LABEL_ID, FROM_LABEL_EN, FROM_CODE, FROM_SYNONYM };

/* How well a term matches a search; lower is better. */
enum match { MATCH_EXACT, MATCH_START, MATCH_WORD, MATCH_INSIDE, MATCH_NONE };

struct term {
	char *text;			/* normalised */
	int skill_id;
	size_t skill;			/* index into skills, set by freeze */
	enum term_source source;
};

/* A sort key that carries what its comparison needs, as qsort has no context. */
struct entry {
	const char *text;
	size_t skill;
	enum term_source source;
};

struct kd_skills {
	kd_skill *skills;		/* sorted by id once frozen */
	size_t count, cap;
	struct term *terms;		/* grouped by skill, label_id first, once frozen */
	size_t term_count, term_cap;
	size_t *first_term;		/* skill i owns terms [first_term[i], first_term[i + 1]) */
	struct entry *lookup;		/* the winner of every distinct text, sorted by text */
	size_t lookup_count;
	struct entry *by_label;		/* every skill, by normalised Indonesian label */
	bool frozen;
};

kd_skills *kd_skills_new(void)
{
	return calloc(1, sizeof(kd_skills));
}

void kd_skills_free(kd_skills *skills)
{
	if (!skills)
		return;
	for (size_t i = 0; i < skills->count; i++) {
		free((char *)skills->skills[i].code);
		free((char *)skills->skills[i].label_id);
		free((char *)skills->skills[i].label_en);
	}
	for (size_t i = 0; i < skills->term_count; i++)
		free(skills->terms[i].text);
	free(skills->skills);
	free(skills->terms);
	free(skills->first_term);
	free(skills->lookup);
	free(skills->by_label);
	free(skills);
}

static int grow(void **items, size_t count, size_t *cap, size_t size)
{
	if (count < *cap)
		return kd_ok();
	size_t new_cap = *cap ? *cap * 2 : 64;
	void *grown = realloc(*items, new_cap * size);
	if (!grown)
		return kd_error(ENOMEM);
	*items = grown;
	*cap = new_cap;
	return kd_ok();
}

static int add_term(kd_skills *skills, int skill_id, const char *text, enum term_source source)
{
	char norm[KD_SKILL_TERM_SIZE];
	if (kd_text_normalise(text, norm, sizeof(norm)) <= 0)
		return kd_error(EINVAL);
	int rc = grow((void **)&skills->terms, skills->term_count, &skills->term_cap,
		      sizeof(struct term));
	if (rc < 0)
		return rc;
	char *copy = strdup(norm);
	if (!copy)
		return kd_error(ENOMEM);
	skills->terms[skills->term_count++] = (struct term){
		.text = copy, .skill_id = skill_id, .source = source,
	};
	return kd_ok();
}

static void drop_terms_from(kd_skills *skills, size_t first)
{
	while (skills->term_count > first)
		free(skills->terms[--skills->term_count].text);
}

int kd_skills_add(kd_skills *skills, int id, const char *code, const char *label_id,
		  const char *label_en)
{
	if (skills->frozen)
		return kd_error(EBUSY);
	size_t terms_before = skills->term_count;
	int rc = add_term(skills, id, label_id, FROM_LABEL_ID);
	if (rc == 0)
		rc = add_term(skills, id, label_en, FROM_LABEL_EN);
	if (rc == 0)
		rc = add_term(skills, id, code, FROM_CODE);
	if (rc == 0)
		rc = grow((void **)&skills->skills, skills->count, &skills->cap, sizeof(kd_skill));
	if (rc < 0) {
		drop_terms_from(skills, terms_before);
		return rc;
	}
	kd_skill skill = { id, strdup(code), strdup(label_id), strdup(label_en) };
	if (!skill.code || !skill.label_id || !skill.label_en) {
		free((char *)skill.code);
		free((char *)skill.label_id);
		free((char *)skill.label_en);
		drop_terms_from(skills, terms_before);
		return kd_error(ENOMEM);
	}
	skills->skills[skills->count++] = skill;
	return kd_ok();
}

int kd_skills_add_synonym(kd_skills *skills, int skill_id, const char *synonym)
{
	if (skills->frozen)
		return kd_error(EBUSY);
	return add_term(skills, skill_id, synonym, FROM_SYNONYM);
}

static int compare_skill_id(const void *a, const void *b)
{
	const kd_skill *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* qsort() and bsearch() want a real array even for no elements; ours may be NULL. */
static void sort(void *items, size_t count, size_t size, int (*compare)(const void *, const void *))
{
	if (count > 1)
		qsort(items, count, size, compare);
}

static kd_skill *find_id(const kd_skills *skills, int id)
{
	kd_skill key = { .id = id };
	if (skills->count == 0)
		return NULL;
	return bsearch(&key, skills->skills, skills->count, sizeof(kd_skill), compare_skill_id);
}

static int compare_term_owner(const void *a, const void *b)
{
	const struct term *x = a, *y = b;
	if (x->skill != y->skill)
		return x->skill < y->skill ? -1 : 1;
	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	return strcmp(x->text, y->text);
}

static int compare_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	if (c == 0)
		c = (x->source > y->source) - (x->source < y->source);
	if (c == 0)
		c = (x->skill > y->skill) - (x->skill < y->skill);
	return c;
}

static int resolve_owners(kd_skills *skills)
{
	sort(skills->skills, skills->count, sizeof(kd_skill), compare_skill_id);
	for (size_t i = 1; i < skills->count; i++)
		if (skills->skills[i - 1].id == skills->skills[i].id)
			return kd_error(EEXIST);
	for (size_t i = 0; i < skills->term_count; i++) {
		kd_skill *owner = find_id(skills, skills->terms[i].skill_id);
		if (!owner)
			return kd_error(ENOENT);
		skills->terms[i].skill = (size_t)(owner - skills->skills);
	}
	sort(skills->terms, skills->term_count, sizeof(struct term), compare_term_owner);
	for (size_t i = 0, s = 0; s <= skills->count; s++) {
		while (i < skills->term_count && skills->terms[i].skill < s)
			i++;
		skills->first_term[s] = i;
	}
	return kd_ok();
}

/* Keeps the winning term of every distinct text; a tie between two skills is a clash. */
static int build_lookup(kd_skills *skills)
{
	for (size_t i = 0; i < skills->term_count; i++) {
		const struct term *t = &skills->terms[i];
		skills->lookup[i] = (struct entry){ t->text, t->skill, t->source };
	}
	sort(skills->lookup, skills->term_count, sizeof(struct entry), compare_entry);
	size_t kept = 0;
	for (size_t i = 0; i < skills->term_count; i++) {
		const struct entry *e = &skills->lookup[i];
		const struct entry *prev = kept ? &skills->lookup[kept - 1] : NULL;
		if (prev && strcmp(prev->text, e->text) == 0) {
			if (prev->source == e->source && prev->skill != e->skill)
				return kd_error(EEXIST);
			continue;
		}
		skills->lookup[kept++] = *e;
	}
	skills->lookup_count = kept;
	return kd_ok();
}

static void build_label_order(kd_skills *skills)
{
	/* Terms are grouped by skill with the Indonesian label first. */
	for (size_t i = 0; i < skills->count; i++) {
		const struct term *label = &skills->terms[skills->first_term[i]];
		skills->by_label[i] = (struct entry){ label->text, i, FROM_LABEL_ID };
	}
	sort(skills->by_label, skills->count, sizeof(struct entry), compare_entry);
}

int kd_skills_freeze(kd_skills *skills)
{
	if (skills->frozen)
		return kd_error(EBUSY);
	free(skills->first_term);
	free(skills->lookup);
	free(skills->by_label);
	skills->first_term = malloc((skills->count + 1) * sizeof(size_t));
	skills->lookup = malloc((skills->term_count + 1) * sizeof(struct entry));
	skills->by_label = malloc((skills->count + 1) * sizeof(struct entry));
	if (!skills->first_term || !skills->lookup || !skills->by_label)
		return kd_error(ENOMEM);

	int rc = resolve_owners(skills);
	if (rc == 0)
		rc = build_lookup(skills);
	if (rc < 0)
		return rc;
	build_label_order(skills);
	skills->frozen = true;
	return kd_ok();
}

size_t kd_skills_count(const kd_skills *skills)
{
	return skills->frozen ? skills->count : 0;
}

const kd_skill *kd_skills_by_id(const kd_skills *skills, int id)
{
	return skills->frozen ? find_id(skills, id) : NULL;
}

const kd_skill *kd_skills_lookup(const kd_skills *skills, const char *text)
{
	char norm[KD_SKILL_TERM_SIZE];
	if (!skills->frozen || kd_text_normalise(text, norm, sizeof(norm)) <= 0)
		return NULL;
	size_t lo = 0, hi = skills->lookup_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct entry *e = &skills->lookup[mid];
		int c = strcmp(norm, e->text);
		if (c == 0)
			return &skills->skills[e->skill];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static enum match match_term(const char *text, const char *q, size_t qlen)
{
	if (strncmp(text, q, qlen) == 0)
		return text[qlen] == '\0' ? MATCH_EXACT : MATCH_START;
	for (const char *space = strchr(text, ' '); space; space = strchr(space + 1, ' '))
		if (strncmp(space + 1, q, qlen) == 0)
			return MATCH_WORD;
	return strstr(text, q) ? MATCH_INSIDE : MATCH_NONE;
}

static enum match match_skill(const kd_skills *skills, size_t skill, const char *q, size_t qlen)
{
	enum match best = MATCH_NONE;
	for (size_t i = skills->first_term[skill]; i < skills->first_term[skill + 1]; i++) {
		enum match m = match_term(skills->terms[i].text, q, qlen);
		if (m < best)
			best = m;
		if (best == MATCH_EXACT)
			break;
	}
	return best;
}

size_t kd_skills_search(const kd_skills *skills, const char *q, size_t limit,
			const kd_skill **out)
{
	char norm[KD_SKILL_TERM_SIZE];
	int qlen = kd_text_normalise(q, norm, sizeof(norm));
	if (!skills->frozen || qlen < 0)
		return 0;
	/*
	 * One pass per match quality over the skills in label order yields the
	 * ranking without a scratch buffer, so concurrent searches share nothing.
	 */
	size_t n = 0;
	for (enum match want = MATCH_EXACT; want < MATCH_NONE && n < limit; want++) {
		for (size_t i = 0; i < skills->count && n < limit; i++) {
			size_t skill = skills->by_label[i].skill;
			if (match_skill(skills, skill, norm, (size_t)qlen) == want)
				out[n++] = &skills->skills[skill];
		}
	}
	return n;
}
