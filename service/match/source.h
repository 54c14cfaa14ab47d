/*
 * The input of a match run together with what is needed to print its
 * result: skill labels and kecamatan codes behind the matcher's integer
 * ids.  Filled from an offline JSON file (source_json.c); any other input
 * (a database, say) fills the same structure and reuses the rest of
 * `kerjadekat match`.
 */
#ifndef KD_MATCH_SOURCE_H
#define KD_MATCH_SOURCE_H

#include <stdio.h>

#include "match/labels.h"
#include "match/run.h"

typedef struct kd_match_source {
	kd_match_input input;          /* points into the arrays below */
	kd_match_seeker *seekers;
	kd_match_vacancy *vacancies;
	int32_t *skill_pool;           /* every skill list, back to back */
	kd_labels skills;              /* label of skill id; ids follow label order */
	kd_labels kecamatan;           /* code of kecamatan index */
	kd_match_travel *travel;
	size_t n_travel;
	kd_match_excluded_pair *excluded;  /* pairs never to offer; NULL when none read */
} kd_match_source;

/*
 * Reads the offline input document (docs/matcher.md) from in (borrowed).
 * Skill labels are normalised as the API does (core/text.h) and ids are
 * assigned in label order, so the result does not depend on the order in
 * which labels first appear.  Returns kd_ok(); kd_error(EINVAL) with err
 * naming the field ("seekers[12].lat: expected a number") or the line of a
 * syntax error; kd_error(EIO) when reading fails; or kd_error(ENOMEM).
 * On failure *src is left empty.
 */
int kd_match_source_read_json(kd_match_source *src, FILE *in, char *err, size_t errlen);

/* Frees what a source owns; an empty or zeroed source is fine. */
void kd_match_source_free(kd_match_source *src);

#endif
