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

/* Max-heap: the worst candidate at the root. */
static void sift_down(candidate *h, uint32_t n, uint32_t i)
{
	candidate x = h[i];
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && candidate_better(&h[c], &h[c + 1]))
			c++;
		if (!candidate_better(&x, &h[c]))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

void shortlist_add(shortlist *l, const candidate *c)
{
	candidate *h = l->items;
	if (l->full) {
		if (!candidate_better(c, &h[0]))
			return;
		h[0] = *c;
		sift_down(h, l->n, 0);
		l->worst = h[0];
		return;
	}
	uint32_t i = l->n++;
	while (i > 0 && candidate_better(&h[(i - 1) / 2], c)) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = *c;
	if (l->n == l->k) {
		l->full = true;
		l->worst = h[0];
	}
}

uint32_t shortlist_finish(shortlist *l)
{
	uint32_t n = l->n;
	for (uint32_t m = n; m > 1; m--) {
		candidate worst = l->items[0];
		l->items[0] = l->items[m - 1];
		sift_down(l->items, m - 1, 0);
		l->items[m - 1] = worst;
	}
	return n;
}
