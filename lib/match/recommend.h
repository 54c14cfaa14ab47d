/*
 * Recommendations for one seeker: the open vacancies that seeker may be
 * placed in, best first, under exactly the rules of a run (match/model.h):
 * the same feasibility, the same seeker's preference order, and pairs that
 * explain themselves the same way.
 *
 * The vacancies live in an index that a daemon keeps current one change at
 * a time.  A recommendation reads only the vacancies indexed under one of
 * the seeker's skills, kecamatan by kecamatan, its own first and then the
 * others nearest first, stopping once no vacancy further away could enter
 * the list; most are passed by on a summary, and only those that could
 * enter the list are judged by kd_match_evaluate.  No scan of the whole
 * index, and usually none beyond the seeker's own kecamatan.
 *
 * Threads: an index is not locked; mutate it from one thread, and run
 * recommendations concurrently only while no one mutates it.
 */
#ifndef KD_MATCH_RECOMMEND_H
#define KD_MATCH_RECOMMEND_H

#include "match/model.h"

typedef struct kd_match_index kd_match_index;

/*
 * A new, empty index judging pairs under model (borrowed: it must outlive
 * the index).  Returns kd_ok() or kd_error(ENOMEM).
 */
int kd_match_index_new(const kd_match_model *model, kd_match_index **out);

/* Frees an index and its copies of the vacancies; NULL is ignored. */
void kd_match_index_free(kd_match_index *index);

/*
 * Adds vacancy v, or replaces the vacancy with the same id.  The index keeps
 * its own copy (skill lists included); v is borrowed.  A vacancy without
 * openings left is removed instead, since it cannot be recommended.
 * Returns kd_ok(), kd_error(EINVAL) with err naming the field (the rules
 * of kd_match_run, skill ids below INT32_MAX), or kd_error(ENOMEM), in
 * which cases the index is unchanged.
 */
int kd_match_index_put(kd_match_index *index, const kd_match_vacancy *v,
		       kd_match_error *err);

/* Removes the vacancy with this id: kd_ok(), or kd_error(ENOENT) when absent. */
int kd_match_index_remove(kd_match_index *index, int64_t id);

/* Vacancies in the index. */
size_t kd_match_index_count(const kd_match_index *index);

/*
 * Orders the kecamatan by where their vacancies lie, so that
 * kd_match_recommend reads only those that may be within a seeker's reach
 * instead of every one.  Call it after a set of puts and removes: a put
 * that widens a kecamatan's extent, or a remove that empties one, makes
 * recommendations read every kecamatan again, with the same answers,
 * until the next call; when nothing moved the call costs nothing.
 */
void kd_match_index_settle(kd_match_index *index);

/*
 * Ranks the feasible vacancies of the index for seeker s, best first, and
 * writes at most limit of them to out (room for limit pairs); *n receives
 * how many.  A seeker with an incomplete profile gets none.  The pairs
 * borrow s and the index's copies of the vacancies: they stay valid until
 * the index next changes.  Returns kd_ok(), or kd_error(EINVAL) when s
 * breaks the rules of kd_match_run.
 */
int kd_match_recommend(const kd_match_index *index, const kd_match_seeker *s, size_t limit,
		       kd_match_pair *out, size_t *n);

#endif
