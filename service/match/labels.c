#include "match/labels.h"

#include <stdlib.h>
#include <string.h>

#include "kd.h"

void kd_labels_init(kd_labels *l)
{
	*l = (kd_labels){ 0 };
}

void kd_labels_free(kd_labels *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->slots);
	*l = (kd_labels){ 0 };
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Keeps the table at most a quarter full after growing. */
static int rehash(kd_labels *l)
{
	size_t n_slots = 64;
	while (n_slots < 4 * ((size_t)l->n + 1))
		n_slots *= 2;
	uint32_t *slots = calloc(n_slots, sizeof(*slots));
	if (slots == NULL)
		return kd_error(ENOMEM);
	for (uint32_t id = 0; id < l->n; id++) {
		size_t i = hash(l->names[id]) & (n_slots - 1);
		while (slots[i] != 0)
			i = (i + 1) & (n_slots - 1);
		slots[i] = id + 1;
	}
	free(l->slots);
	l->slots = slots;
	l->n_slots = n_slots;
	return kd_ok();
}

int kd_labels_intern(kd_labels *l, const char *name, uint32_t *id)
{
	if (2 * ((size_t)l->n + 1) > l->n_slots && rehash(l) < 0)
		return kd_error(ENOMEM);
	size_t i = hash(name) & (l->n_slots - 1);
	for (; l->slots[i] != 0; i = (i + 1) & (l->n_slots - 1)) {
		if (strcmp(l->names[l->slots[i] - 1], name) == 0) {
			*id = l->slots[i] - 1;
			return kd_ok();
		}
	}
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? 2 * l->cap : 64;
		char **names = realloc(l->names, cap * sizeof(*names));
		if (names == NULL)
			return kd_error(ENOMEM);
		l->names = names;
		l->cap = cap;
	}
	char *copy = strdup(name);
	if (copy == NULL)
		return kd_error(ENOMEM);
	l->names[l->n] = copy;
	l->slots[i] = ++l->n;
	*id = l->n - 1;
	return kd_ok();
}

static int name_cmp(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

int kd_labels_sort(kd_labels *l, uint32_t *remap)
{
	char **sorted = malloc(((size_t)l->n + 1) * sizeof(*sorted));
	if (sorted == NULL)
		return kd_error(ENOMEM);
	if (l->n > 0) {
		memcpy(sorted, l->names, l->n * sizeof(*sorted));
		qsort(sorted, l->n, sizeof(*sorted), name_cmp);
	}
	/* Slots hold old ids: look each sorted name up to learn its old id. */
	for (uint32_t id = 0; id < l->n; id++) {
		size_t i = hash(sorted[id]) & (l->n_slots - 1);
		while (l->names[l->slots[i] - 1] != sorted[id])
			i = (i + 1) & (l->n_slots - 1);
		remap[l->slots[i] - 1] = id;
	}
	free(l->names);
	l->names = sorted;
	l->cap = l->n;
	/* The slots named old ids; rebuild them for the new ones. */
	free(l->slots);
	l->slots = NULL;
	l->n_slots = 0;
	return rehash(l);
}
