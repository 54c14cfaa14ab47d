#include "match/shortlist.h"

#include <stdlib.h>

bool shortlist_init(shortlist *l, uint32_t k)
{
	l->items = malloc((size_t)k * sizeof(*l->items));
	l->k = k;
	shortlist_reset(l);
	return l->items != NULL;
}

void shortlist_free(shortlist *l)
{
	free(l->items);
	l->items = NULL;
}

/*
 * Insertion from the back: searches walk nearest first, so a newcomer
 * usually belongs at or near the end and the list stays sorted at almost
 * no cost, with no sort at the end.
 */
void shortlist_add(shortlist *l, const candidate *c)
{
	candidate *items = l->items;
	bool full = l->n == l->k;
	if (full && !candidate_better(c, &items[l->k - 1]))
		return;
	uint32_t i = full ? l->k - 1 : l->n++;
	for (; i > 0 && candidate_better(c, &items[i - 1]); i--)
		items[i] = items[i - 1];
	items[i] = *c;
}
