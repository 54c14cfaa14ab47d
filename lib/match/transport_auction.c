/*
 * The warm start: an auction at zero increment (Bertsekas's auction for
 * the transportation problem, in the spirit of the Jonker-Volgenant
 * augmenting row reduction) places most units for the cost of reading
 * their edges, and leaves a state the shortest paths can go on from exactly
 * as if they had routed those units themselves.
 *
 * Right nodes carry prices, which only rise.  A unit takes the edge of best
 * profit (weight minus price; staying out is worth 0), and its tolerance is
 * the price at which that edge stops being better than the unit's next
 * best; since other prices only rise, the tolerance stays valid for as long
 * as the unit holds the edge.  A right node with room keeps price 0; a full
 * one admits a bidder of higher tolerance than its weakest holder, evicts
 * that holder and takes the lowest tolerance left as its price.  So every
 * routed unit holds a best edge, every free place costs nothing, and a unit
 * whose best profit is not positive stays out: the invariant of
 * transport_internal.h.
 *
 * A bidder indifferent between a full right node and its next best would
 * evict without raising any price and could go round in circles, so, once
 * the holders' tolerances are brought up to date without a rise, it is
 * left to the shortest paths, as is every unit still unplaced once the
 * auction has made a few bids per unit.
 */
#include <stdlib.h>

#include "kd.h"
#include "match/transport_internal.h"

/* Bids per unit before the shortest paths take over. */
#define BIDS_PER_UNIT 4

typedef struct auction {
	transport_solver *sv;
	int64_t *price;         /* per right node */
	uint32_t *queue;        /* units to bid, a ring */
	size_t ring, head, n_queued;
} auction;

static void enqueue(auction *a, uint32_t x)
{
	a->queue[(a->head + a->n_queued++) % a->ring] = x;
}

static void dequeue(auction *a)
{
	a->head = (a->head + 1) % a->ring;
	a->n_queued--;
}

/*
 * The best profit among unit x's edges other than `except`, and staying
 * out; that edge in *best (SIZE_MAX for staying out) and the runner-up's
 * profit in *second, when they are not NULL.
 */
static int64_t best_profit(const auction *a, uint32_t x, size_t except, size_t *best,
			   int64_t *second)
{
	const kd_match_transport *t = a->sv->t;
	int64_t first = 0, next = 0;
	size_t chosen = SIZE_MAX, e, end;
	for (kd_transport_edges(a->sv, x, &e, &end); e < end; e++) {
		if (e == except || t->weight[e] <= 0)
			continue;
		int64_t profit = t->weight[e] - a->price[t->edge_right[e]];
		if (profit > first) {
			next = first;
			first = profit;
			chosen = e;
		} else if (profit > next) {
			next = profit;
		}
	}
	if (best != NULL)
		*best = chosen;
	if (second != NULL)
		*second = next;
	return first;
}

/* The holder right node v would evict: lowest tolerance, then highest unit. */
static uint32_t weakest(const transport_solver *sv, uint32_t v)
{
	const transport_hold *h = sv->held + sv->held_first[v];
	uint32_t w = 0;
	for (uint32_t i = 1; i < sv->n_held[v]; i++)
		if (h[i].tolerance < h[w].tolerance ||
		    (h[i].tolerance == h[w].tolerance && h[i].unit > h[w].unit))
			w = i;
	return w;
}

static int64_t lowest_tolerance(const transport_solver *sv, uint32_t v)
{
	return sv->held[sv->held_first[v] + weakest(sv, v)].tolerance;
}

/*
 * Tolerances only grow as other prices rise, so a stored one may be below
 * the truth.  Recomputes those of right node v's holders and returns the
 * lowest.
 */
static int64_t refresh_holders(auction *a, uint32_t v)
{
	transport_solver *sv = a->sv;
	transport_hold *h = sv->held + sv->held_first[v];
	for (uint32_t i = 0; i < sv->n_held[v]; i++) {
		int64_t second = best_profit(a, h[i].unit, h[i].edge, NULL, NULL);
		h[i].tolerance = sv->t->weight[h[i].edge] - second;
	}
	return lowest_tolerance(sv, v);
}

/* One bid by unit x, at the head of the queue. */
static void bid(auction *a, uint32_t x)
{
	transport_solver *sv = a->sv;
	const kd_match_transport *t = sv->t;
	size_t e;
	int64_t second;
	best_profit(a, x, SIZE_MAX, &e, &second);
	if (e == SIZE_MAX) {
		sv->routed[x] = true;           /* out */
		dequeue(a);
		return;
	}
	uint32_t v = t->edge_right[e];
	int64_t tolerance = t->weight[e] - second;
	if (sv->n_held[v] == t->capacity[v]) {
		if (tolerance == a->price[v]) {
			int64_t low = refresh_holders(a, v);
			if (low > a->price[v])
				a->price[v] = low;      /* bid again at the new price */
			else
				dequeue(a);             /* indifferent: left to the paths */
			return;
		}
		transport_hold loser = sv->held[sv->held_first[v] + weakest(sv, v)];
		if (tolerance <= loser.tolerance) {
			a->price[v] = tolerance;        /* outbid: bid again */
			return;
		}
		kd_transport_release(sv, v, loser.unit);
		sv->routed[loser.unit] = false;
		enqueue(a, loser.unit);
	}
	dequeue(a);
	kd_transport_hold(sv, v, e, x, tolerance);
	sv->routed[x] = true;
	if (sv->n_held[v] == t->capacity[v])
		a->price[v] = lowest_tolerance(sv, v);
}

/* Potentials from prices, with the sink's at K = -(largest weight). */
static void set_potentials(const auction *a)
{
	transport_solver *sv = a->sv;
	const kd_match_transport *t = sv->t;
	int64_t k = -sv->largest;
	sv->potential[sv->sink] = k;
	for (uint32_t v = 0; v < t->n_right; v++)
		sv->potential[sv->n_units + v] = k - a->price[v];
	for (uint32_t x = 0; x < sv->n_units; x++) {
		size_t e = sv->assigned[x];
		if (e != SIZE_MAX)
			sv->potential[x] = k + t->weight[e] - a->price[t->edge_right[e]];
		else
			sv->potential[x] = sv->routed[x] ? k : k + sv->largest;
	}
}

int kd_transport_warm_start(transport_solver *sv)
{
	auction a = {
		.sv = sv,
		.price = calloc(sv->t->n_right + 1, sizeof(*a.price)),
		.queue = malloc((sv->n_units + 1) * sizeof(*a.queue)),
		.ring = sv->n_units + 1,
	};
	if (a.price == NULL || a.queue == NULL) {
		free(a.price);
		free(a.queue);
		return kd_error(ENOMEM);
	}
	for (uint32_t x = 0; x < sv->n_units; x++)
		enqueue(&a, x);
	for (size_t budget = BIDS_PER_UNIT * (size_t)sv->n_units; a.n_queued > 0 && budget > 0;
	     budget--)
		bid(&a, a.queue[a.head]);
	set_potentials(&a);
	free(a.price);
	free(a.queue);
	return kd_ok();
}
