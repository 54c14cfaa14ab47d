/*
 * Interns strings as dense ids 0, 1, 2, ... in order of first appearance:
 * skill labels and kecamatan codes become the small integers lib/match
 * works on.
 */
#ifndef KD_MATCH_LABELS_H
#define KD_MATCH_LABELS_H

#include <stddef.h>
#include <stdint.h>

typedef struct kd_labels {
	char **names;           /* owned; names[id] */
	uint32_t n, cap;
	uint32_t *slots;        /* open addressing: id + 1, 0 when empty */
	size_t n_slots;
} kd_labels;

/* An empty set; kd_labels_free() releases what interning allocated. */
void kd_labels_init(kd_labels *l);
void kd_labels_free(kd_labels *l);

/*
 * The id of name (borrowed, copied on first sight) in *id.  Returns kd_ok()
 * or kd_error(ENOMEM).
 */
int kd_labels_intern(kd_labels *l, const char *name, uint32_t *id);

/*
 * Renumbers the ids so that they follow strcmp order of the names; writes
 * old id -> new id to remap (room for l->n).  Returns kd_ok() or
 * kd_error(ENOMEM).
 */
int kd_labels_sort(kd_labels *l, uint32_t *remap);

#endif
