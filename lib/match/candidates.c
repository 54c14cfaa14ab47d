/*
 * Candidate generation: for every complete seeker, its best K feasible
 * vacancies in the seeker's preference order (match/model.h), found without
 * looking at every vacancy.
 *
 * Only vacancies indexed under one of the seeker's skills, in trees its
 * education reaches, can be feasible (spatial.c, run.c).  The search is
 * best first over one queue holding k-d tree nodes of those trees (the
 * local trees of the seeker's own kecamatan, the wide trees for everywhere
 * else) and kecamatan a travel route reaches.  Each item
 * carries a lower bound of its place in the seeker's order, packed like
 * candidate.rank_hi (same kecamatan first, then distance), so candidates
 * arrive nearly in order.  Once K are held, the search stops at the first
 * item that cannot beat the K-th; an item exactly level with it is still
 * opened, because ties are broken by optional skills, wage and id.
 *
 * Seekers are independent, so worker threads take them in chunks and write
 * each seeker's list to its own slot: the output does not depend on the
 * thread count.
 */
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <threads.h>

#include "kd.h"
#include "match/batch.h"
#include "match/shortlist.h"

#define CHUNK 256
/* Blocks from this size on get the huge page hint (edge_block). */
#define HUGE_HINT_BYTES (64u << 20)
/* How many seekers ahead their memory is asked for (work). */
#define PREFETCH_AHEAD 8

enum item_kind {
	ITEM_LOCAL,             /* a node of a local tree; skill is its group's */
	ITEM_WIDE,              /* a node of a wide tree; likewise */
	ITEM_ROUTED,            /* a position in the seeker kecamatan's route list */
};

/*
 * Sixteen bytes, so that an item travels in two registers: at 24 bytes it
 * went through the stack, and reading it back from the stores that built
 * it stalled every enqueue (13 % of the national search).
 */
typedef struct item {
	uint64_t rank;          /* lower bound, packed like candidate.rank_hi */
	uint32_t index;
	uint32_t skill : 30;    /* a skill id; there are far fewer than 2^30 */
	uint32_t kind : 2;      /* enum item_kind */
} item;

/*
 * Workers write their own fields constantly; aligning each to a cache line
 * keeps two threads from fighting over one.
 */
typedef struct worker {
	alignas(64) const kd_match_batch *b;
	atomic_size_t *next_seeker;     /* position in order */
	const uint32_t *order;          /* seekers by kecamatan */
	uint32_t *counts;           /* candidates found per seeker */
	uint8_t *holds;             /* per skill: does the current seeker hold it */
	uint8_t *routed;            /* per kecamatan: does a route from the seeker's reach it */
	bool has_routes;            /* some kecamatan is marked in routed */
	shortlist best;
	item *queue;                /* min-heap by rank */
	size_t n_queue, cap_queue;
	bool out_of_memory;
	const batch_seeker *seeker;
	uint64_t limit_rank;        /* rank of the seeker's distance limit elsewhere */
} worker;

static uint64_t rank_of(bool same_kecamatan, double key)
{
	uint64_t bits;
	memcpy(&bits, &key, sizeof(bits));
	return (uint64_t)!same_kecamatan << 63 | bits;
}

/* The largest rank that may still enter the list. */
static uint64_t cutoff(const worker *w)
{
	const candidate *worst = shortlist_bound(&w->best);
	if (worst != NULL && worst->rank_hi < w->limit_rank)
		return worst->rank_hi;
	return w->limit_rank;
}

static void enqueue(worker *w, item x)
{
	if (x.rank > cutoff(w))
		return;
	if (w->n_queue == w->cap_queue) {
		size_t cap = w->cap_queue ? 2 * w->cap_queue : 256;
		item *q = realloc(w->queue, cap * sizeof(*q));
		if (q == NULL) {
			w->out_of_memory = true;
			return;
		}
		w->queue = q;
		w->cap_queue = cap;
	}
	size_t i = w->n_queue++;
	while (i > 0 && w->queue[(i - 1) / 2].rank > x.rank) {
		w->queue[i] = w->queue[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	w->queue[i] = x;
}

static item dequeue(worker *w)
{
	item top = w->queue[0], last = w->queue[--w->n_queue];
	size_t i = 0, n = w->n_queue;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && w->queue[c + 1].rank < w->queue[c].rank)
			c++;
		if (w->queue[c].rank >= last.rank)
			break;
		w->queue[i] = w->queue[c];
		i = c;
	}
	if (n > 0)
		w->queue[i] = last;
	return top;
}

/* The first of e's index skills the seeker holds: the only tree that offers e. */
static bool owns(const worker *w, const int32_t *keys, uint32_t n_keys, uint32_t probe)
{
	for (uint32_t i = 0; i < n_keys; i++)
		if (w->holds[keys[i]])
			return (uint32_t)keys[i] == probe;
	return false;
}

/* Whether the seeker must never be offered this open vacancy. */
static bool excluded(const batch_seeker *s, uint32_t vacancy)
{
	uint32_t lo = 0, hi = s->n_excluded;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->excluded[mid] == vacancy)
			return true;
		if (s->excluded[mid] < vacancy)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void consider(worker *w, const spatial_layout *lay, const spatial_entry *e,
		     uint32_t probe, uint64_t rank)
{
	if (rank > cutoff(w))
		return;
	const int32_t *skills = lay->skills + e->skills;
	const int32_t *optional_skills = skills + e->n_required;
	if (e->n_keys > 1 && !owns(w, optional_skills + e->n_optional, e->n_keys, probe))
		return;
	uint32_t required = 0, optional = 0;
	for (uint32_t i = 0; i < e->n_required; i++)
		required += w->holds[skills[i]];
	if (required < e->needed)
		return;
	if (w->seeker->n_excluded > 0 && excluded(w->seeker, e->vacancy))
		return;
	for (uint32_t i = 0; i < e->n_optional; i++)
		optional += w->holds[optional_skills[i]];
	candidate c = candidate_make(rank >> 63 == 0, rank & ~(1ull << 63), optional,
				     e->tie_rank, required);
	shortlist_add(&w->best, &c);
}

/*
 * Reads a leaf in two passes: a tight loop over the required-skill
 * summaries that only stores the entries worth a closer look, then the
 * closer look.  Keeping the loop free of stores through pointers lets the
 * compiler keep the seeker's skills in a register.  A wide leaf also holds
 * vacancies of the seeker's own kecamatan, already found at their own rank,
 * and of kecamatan a route reaches, whose distance is the route's: both are
 * passed by here.
 */
static void scan_leaf(worker *w, const spatial_node *nd, const item *from)
{
	const kd_match_spatial *sp = &w->b->spatial;
	bool wide = from->kind == ITEM_WIDE;
	const spatial_layout *lay = wide ? &sp->wide : &sp->local;
	const uint64_t *masks = lay->required_masks;
	const uint8_t *educations = lay->educations;
	const uint32_t *kecamatan = lay->kecamatan;
	const double *u = w->seeker->u;
	uint64_t lacking = ~w->seeker->skill_mask;
	uint8_t education = w->seeker->education_rank;
	uint32_t own = wide ? w->seeker->kecamatan : KD_MATCH_NONE;
	uint64_t elsewhere = from->rank & 1ull << 63;
	uint32_t fit[KD_MATCH_LEAF_SIZE], n = 0;
	for (uint32_t i = nd->begin; i < nd->end; i++) {
		fit[n] = i;
		n += (masks[i] & lacking) == 0 && educations[i] <= education &&
		     kecamatan[i] != own;
	}
	for (uint32_t j = 0; j < n; j++) {
		if (wide && w->has_routes && w->routed[kecamatan[fit[j]]])
			continue;
		consider(w, lay, &lay->entries[fit[j]], from->skill,
			 elsewhere | rank_of(true, kd_match_chord2(u, lay->points[fit[j]])));
	}
}

/*
 * Whether a wide node holds nothing to read: all its entries are in the
 * seeker's own kecamatan or in one a route reaches.  Near the seeker these
 * are the nearest nodes, and in a busy kecamatan the most numerous.
 */
static bool passed_by(const worker *w, const spatial_node *nd)
{
	if (nd->kecamatan == KD_MATCH_NONE)
		return false;
	return nd->kecamatan == w->seeker->kecamatan ||
	       (w->has_routes && w->routed[nd->kecamatan]);
}

static void open_node(worker *w, const item *x)
{
	const kd_match_spatial *sp = &w->b->spatial;
	const spatial_node *nd = &sp->nodes[x->index];
	if (nd->child == 0) {
		scan_leaf(w, nd, x);
		return;
	}
	bool same = x->rank >> 63 == 0;
	for (uint32_t c = nd->child; c < nd->child + 2; c++)
		if (x->kind != ITEM_WIDE || !passed_by(w, &sp->nodes[c]))
			enqueue(w, (item){ rank_of(same, kd_match_box_key(sp->nodes[c].box,
									  w->seeker->u)),
					   c, x->skill, x->kind });
}

/* The seeker's probes: its skills, then "any" when some vacancy needs no skill. */
static uint32_t probe_count(const worker *w)
{
	return w->seeker->n_skills + w->b->spatial.has_any;
}

static uint32_t probe_skill(const worker *w, uint32_t i)
{
	return i < w->seeker->n_skills ? (uint32_t)w->seeker->skills[i] : w->b->any_skill;
}

/*
 * The trees of group g that the seeker's education reaches: a prefix, since
 * a group's trees ascend by the lowest rank they ask for.
 */
static uint32_t reachable_trees(const worker *w, const spatial_group *g)
{
	uint32_t n = 0;
	while (g != NULL && n < g->count &&
	       w->b->spatial.trees[g->first + n].education_rank <= w->seeker->education_rank)
		n++;
	return n;
}

/*
 * Queues the roots of the reachable trees of group g (local trees rank as
 * the seeker's own kecamatan, wide ones as elsewhere).  A tree that is a
 * single leaf is read at once: in sparse data most are, and queueing one
 * costs more than the order it would buy.
 */
static void open_group(worker *w, const spatial_group *g, uint32_t skill, enum item_kind kind)
{
	const kd_match_spatial *sp = &w->b->spatial;
	for (uint32_t t = 0, n = reachable_trees(w, g); t < n; t++) {
		uint32_t root = sp->trees[g->first + t].root;
		if (kind == ITEM_WIDE && passed_by(w, &sp->nodes[root]))
			continue;
		double key = kd_match_box_key(sp->nodes[root].box, w->seeker->u);
		item x = { rank_of(kind == ITEM_LOCAL, key), root, skill, kind };
		if (sp->nodes[root].child == 0 && x.rank <= cutoff(w))
			scan_leaf(w, &sp->nodes[root], &x);
		else
			enqueue(w, x);
	}
}

/*
 * Reads every reachable tree of a routed kecamatan: all its pairs have the
 * route's key, so there is no geometry to prune by.  Then queues the next
 * route of the seeker's kecamatan.
 */
static void open_routed(worker *w, size_t i)
{
	const kd_match_spatial *sp = &w->b->spatial;
	const spatial_layout *lay = &sp->local;
	const spatial_visit *route = &sp->routed[i];
	uint64_t lacking = ~w->seeker->skill_mask, rank = rank_of(false, route->key);
	for (uint32_t p = 0; p < probe_count(w); p++) {
		uint32_t skill = probe_skill(w, p);
		const spatial_group *g = kd_match_spatial_find(sp, route->kecamatan, skill);
		for (uint32_t t = 0, n = reachable_trees(w, g); t < n; t++) {
			const spatial_node *nd = &sp->nodes[sp->trees[g->first + t].root];
			for (uint32_t j = nd->begin; j < nd->end && rank <= cutoff(w); j++)
				if ((lay->required_masks[j] & lacking) == 0 &&
				    lay->educations[j] <= w->seeker->education_rank)
					consider(w, lay, &lay->entries[j], skill, rank);
		}
	}
	if (i + 1 < sp->routed_first[w->seeker->kecamatan + 1])
		enqueue(w, (item){ rank_of(false, sp->routed[i + 1].key), (uint32_t)i + 1, 0,
				   ITEM_ROUTED });
}

static void search(worker *w)
{
	const kd_match_spatial *sp = &w->b->spatial;
	uint32_t k = w->seeker->kecamatan;
	w->n_queue = 0;
	for (uint32_t i = 0; i < probe_count(w); i++) {
		uint32_t skill = probe_skill(w, i);
		open_group(w, kd_match_spatial_find(sp, k, skill), skill, ITEM_LOCAL);
	}
	if (sp->routed_first[k] < sp->routed_first[k + 1])
		enqueue(w, (item){ rank_of(false, sp->routed[sp->routed_first[k]].key),
				   (uint32_t)sp->routed_first[k], 0, ITEM_ROUTED });
	for (uint32_t i = 0; i < probe_count(w); i++) {
		uint32_t skill = probe_skill(w, i);
		const spatial_group *g = &sp->wide_groups[skill];
		open_group(w, g->count > 0 ? g : NULL, skill, ITEM_WIDE);
	}
	while (w->n_queue > 0) {
		item x = dequeue(w);
		if (x.rank > cutoff(w))
			break;
		if (x.kind == ITEM_ROUTED)
			open_routed(w, x.index);
		else
			open_node(w, &x);
	}
}

/* Marks (or clears) the kecamatan the routes from the seeker's kecamatan reach. */
static void mark_routes(worker *w, uint8_t mark)
{
	const kd_match_spatial *sp = &w->b->spatial;
	uint32_t k = w->seeker->kecamatan;
	for (size_t r = sp->routed_first[k]; r < sp->routed_first[k + 1]; r++)
		w->routed[sp->routed[r].kecamatan] = mark;
	w->has_routes = mark && sp->routed_first[k] < sp->routed_first[k + 1];
}

/* Finds seeker i's candidates and writes them best first to its slot. */
static void collect(worker *w, size_t i)
{
	const kd_match_batch *b = w->b;
	const batch_seeker *s = &b->seekers[i];
	w->counts[i] = 0;
	if (!s->complete || b->n_vacancies == 0)
		return;
	w->seeker = s;
	shortlist_reset(&w->best);
	w->limit_rank = rank_of(false, s->limit_key);
	for (uint32_t j = 0; j < s->n_skills; j++)
		w->holds[s->skills[j]] = 1;
	mark_routes(w, 1);
	search(w);
	mark_routes(w, 0);
	for (uint32_t j = 0; j < s->n_skills; j++)
		w->holds[s->skills[j]] = 0;
	batch_edge *out = b->edges + i * (size_t)b->candidates_cap;
	uint32_t n = w->best.n;
	for (uint32_t j = 0; j < n; j++) {
		const candidate *c = &w->best.items[j];
		out[j] = (batch_edge){ b->vacancy_by_tie[candidate_tie_rank(c)],
				       candidate_same_kecamatan(c), candidate_required(c),
				       candidate_optional(c) };
	}
	w->counts[i] = n;
}

/*
 * Takes seekers in chunks of the kecamatan order until none are left.
 *
 * While one seeker is searched, the memory of one a few places ahead is
 * asked for: its record and skill list, read first by its search, and its
 * slot of edges, written last.  Seekers are stored by id but taken by
 * kecamatan, so each of these is a cache miss; over the nation waiting for
 * them was a quarter of the search.  The skill list is asked for later
 * than the record, whose pointer to it must have arrived by then.  (In a
 * function of their own the prefetches vanish: the compiler finds it has
 * no effect and drops the call.)
 */
static int work(void *arg)
{
	worker *w = arg;
	const kd_match_batch *b = w->b;
	size_t n = b->n_seekers;
	for (;;) {
		size_t first = atomic_fetch_add(w->next_seeker, CHUNK);
		if (first >= n)
			return 0;
		size_t last = first + CHUNK < n ? first + CHUNK : n;
		for (size_t i = first; i < last; i++) {
			if (i + PREFETCH_AHEAD < last) {
				uint32_t s = w->order[i + PREFETCH_AHEAD];
				const char *record = (const char *)&b->seekers[s];
				__builtin_prefetch(record);
				__builtin_prefetch(record + sizeof(batch_seeker) - 1);
				__builtin_prefetch(b->edges + s * (size_t)b->candidates_cap, 1);
			}
			if (i + PREFETCH_AHEAD / 2 < last)
				__builtin_prefetch(b->seekers[w->order[i + PREFETCH_AHEAD / 2]].skills);
			collect(w, w->order[i]);
		}
	}
}

static int worker_init(worker *w, const kd_match_batch *b, atomic_size_t *next,
		       const uint32_t *order, uint32_t *counts)
{
	*w = (worker){ .b = b, .next_seeker = next, .order = order, .counts = counts };
	w->holds = calloc((size_t)b->any_skill + 1, 1);
	w->routed = calloc((size_t)b->model->n_kecamatan + 1, 1);
	bool listed = shortlist_init(&w->best, b->candidates_cap);
	if (w->holds == NULL || w->routed == NULL || !listed)
		return kd_error(ENOMEM);
	w->holds[b->any_skill] = 1;
	return kd_ok();
}

static void worker_free(worker *w)
{
	free(w->holds);
	free(w->routed);
	shortlist_free(&w->best);
	free(w->queue);
}

/*
 * Runs the workers, the calling thread being one of them.  A thread that
 * cannot be started only means fewer workers: the others take its share.
 */
static int run_workers(kd_match_batch *b, unsigned threads, const uint32_t *order,
		       uint32_t *counts)
{
	atomic_size_t next;
	atomic_init(&next, 0);
	if (threads < 1)
		threads = 1;
	worker *ws = aligned_alloc(alignof(worker), threads * sizeof(*ws));
	thrd_t *ids = calloc(threads, sizeof(*ids));
	int rc = ws != NULL && ids != NULL ? kd_ok() : kd_error(ENOMEM);
	unsigned ready = 0, started = 1;
	for (; ready < threads && rc == kd_ok(); ready++)
		rc = worker_init(&ws[ready], b, &next, order, counts);
	if (rc == kd_ok()) {
		while (started < threads && thrd_create(&ids[started], work, &ws[started]) ==
						     thrd_success)
			started++;
		work(&ws[0]);
		for (unsigned t = 1; t < started; t++)
			thrd_join(ids[t], NULL);
	}
	for (unsigned t = 0; t < ready; t++) {
		if (ws[t].out_of_memory)
			rc = kd_error(ENOMEM);
		worker_free(&ws[t]);
	}
	free(ws);
	free(ids);
	return rc;
}

/*
 * The seekers grouped by kecamatan (a counting sort; incomplete ones last).
 * Seekers near each other walk the same tree nodes and leaves, so taking
 * them one after another keeps those in the cache: over the nation, in id
 * order, nearly every node a search opened was a cache miss.  Each seeker's
 * list goes to its own slot, so the order changes nothing else.
 */
static uint32_t *by_kecamatan(const kd_match_batch *b)
{
	uint32_t nk = b->model->n_kecamatan;
	uint32_t *order = malloc((b->n_seekers + 1) * sizeof(*order));
	size_t *first = calloc((size_t)nk + 2, sizeof(*first));
	if (order == NULL || first == NULL) {
		free(order), free(first);
		return NULL;
	}
	for (size_t i = 0; i < b->n_seekers; i++)
		first[(b->seekers[i].complete ? b->seekers[i].kecamatan : nk) + 1]++;
	for (uint32_t k = 0; k <= nk; k++)
		first[k + 1] += first[k];
	for (size_t i = 0; i < b->n_seekers; i++)
		order[first[b->seekers[i].complete ? b->seekers[i].kecamatan : nk]++] = (uint32_t)i;
	free(first);
	return order;
}

/*
 * A block for the edge slots, asking the kernel for huge pages: seekers
 * are searched by kecamatan but their slots lie by id, so nearly every
 * seeker's writes land on a page of their own, and with 4 KiB pages each
 * was a TLB miss and, the first time, a page fault.  Only a hint: without
 * huge pages the block is an ordinary one.
 */
static void *edge_block(size_t bytes)
{
	void *block = malloc(bytes);
#ifdef MADV_HUGEPAGE
	if (block != NULL && bytes >= HUGE_HINT_BYTES) {
		uintptr_t page = (uintptr_t)block & ~(uintptr_t)4095;
		(void)madvise((void *)page, bytes + ((uintptr_t)block - page), MADV_HUGEPAGE);
	}
#endif
	return block;
}

int kd_match_candidates(kd_match_batch *b, unsigned threads)
{
	size_t cap = b->candidates_cap;
	if (cap > b->n_vacancies)
		cap = b->n_vacancies;
	b->candidates_cap = (uint32_t)(cap > 0 ? cap : 1);
	uint32_t *counts = malloc((b->n_seekers + 1) * sizeof(*counts));
	uint32_t *order = by_kecamatan(b);
	b->edge_first = malloc((b->n_seekers + 1) * sizeof(*b->edge_first));
	/* Room for every seeker's full list; pages never written are never used. */
	b->edges = edge_block((b->n_seekers * (size_t)b->candidates_cap + 1) * sizeof(*b->edges));
	if (counts == NULL || order == NULL || b->edge_first == NULL || b->edges == NULL) {
		free(counts), free(order);
		return kd_error(ENOMEM);
	}
	int rc = run_workers(b, threads, order, counts);
	free(order);
	if (rc < 0) {
		free(counts);
		return rc;
	}
	/* Packs the lists to the front; each moves left, never over an unread one. */
	size_t n = 0;
	for (size_t i = 0; i < b->n_seekers; i++) {
		b->edge_first[i] = n;
		memmove(b->edges + n, b->edges + i * (size_t)b->candidates_cap,
			counts[i] * sizeof(*b->edges));
		n += counts[i];
	}
	b->edge_first[b->n_seekers] = n;
	b->n_edges = n;
	free(counts);
	batch_edge *packed = realloc(b->edges, (n + 1) * sizeof(*b->edges));
	if (packed != NULL)
		b->edges = packed;
	return kd_ok();
}
