/*
 * Turns a solved batch into a kd_match_result: assignments with their
 * scores and distances, the reason for every seeker left out, statistics,
 * and, when asked, every candidate pair with both sides' ranks.
 */
#include <stdlib.h>

#include "kd.h"
#include "match/batch.h"

typedef struct ranked {
	double key;
	size_t edge;
	uint32_t seeker;
} ranked;

/* The vacancy's preference between two candidate pairs of the same vacancy. */
static int vacancy_cmp(const void *pa, const void *pb, void *arg)
{
	const kd_match_batch *b = arg;
	const ranked *x = pa, *y = pb;
	const batch_edge *ex = &b->edges[x->edge], *ey = &b->edges[y->edge];
	const batch_seeker *sx = &b->seekers[x->seeker], *sy = &b->seekers[y->seeker];
	if (ex->same_kecamatan != ey->same_kecamatan)
		return ex->same_kecamatan ? -1 : 1;
	if (ex->required_matched != ey->required_matched)
		return ex->required_matched > ey->required_matched ? -1 : 1;
	if (ex->optional_matched != ey->optional_matched)
		return ex->optional_matched > ey->optional_matched ? -1 : 1;
	if (sx->experience_years != sy->experience_years)
		return sx->experience_years > sy->experience_years ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (sx->registered_at != sy->registered_at)
		return sx->registered_at < sy->registered_at ? -1 : 1;
	return (x->seeker > y->seeker) - (x->seeker < y->seeker);
}

/* Writes each pair's rank among its vacancy's candidates to rank[edge]. */
static int vacancy_ranks(const kd_match_batch *b, uint32_t *rank)
{
	size_t nv = b->n_vacancies;
	size_t *first = calloc(nv + 2, sizeof(*first));
	ranked *r = malloc((b->n_edges + 1) * sizeof(*r));
	if (first == NULL || r == NULL) {
		free(first), free(r);
		return kd_error(ENOMEM);
	}
	for (size_t e = 0; e < b->n_edges; e++)
		first[b->edges[e].vacancy + 2]++;
	for (size_t v = 0; v < nv; v++)
		first[v + 2] += first[v + 1];
	for (size_t s = 0; s < b->n_seekers; s++)
		for (size_t e = b->edge_first[s]; e < b->edge_first[s + 1]; e++) {
			const batch_edge *edge = &b->edges[e];
			r[first[edge->vacancy + 1]++] = (ranked){
				kd_match_batch_key(b, (uint32_t)s, edge->vacancy,
						   edge->same_kecamatan, NULL), e, (uint32_t)s };
		}
	for (size_t v = 0; v < nv; v++) {
		qsort_r(r + first[v], first[v + 1] - first[v], sizeof(*r), vacancy_cmp,
			(void *)b);
		for (size_t i = first[v]; i < first[v + 1]; i++)
			rank[r[i].edge] = (uint32_t)(i - first[v] + 1);
	}
	free(first), free(r);
	return kd_ok();
}

static int keep_edges(const kd_match_batch *b, kd_match_result *r)
{
	uint32_t *rank = malloc((b->n_edges + 1) * sizeof(*rank));
	r->edges = malloc((b->n_edges + 1) * sizeof(*r->edges));
	if (rank == NULL || r->edges == NULL) {
		free(rank);
		return kd_error(ENOMEM);
	}
	int rc = vacancy_ranks(b, rank);
	for (size_t s = 0; rc == kd_ok() && s < b->n_seekers; s++)
		for (size_t e = b->edge_first[s]; e < b->edge_first[s + 1]; e++)
			r->edges[e] = (kd_match_edge){
				.seeker = b->seeker_input[s],
				.vacancy = b->vacancy_input[b->edges[e].vacancy],
				.score = kd_match_batch_score(b, s, &b->edges[e]),
				.seeker_rank = (uint32_t)(e - b->edge_first[s] + 1),
				.vacancy_rank = rank[e],
			};
	r->n_edges = b->n_edges;
	free(rank);
	return rc;
}

int kd_match_build_result(const kd_match_batch *b, const kd_match_options *options,
			  kd_match_result *r)
{
	kd_match_stats *st = &r->stats;
	size_t n_assigned = 0;
	for (size_t s = 0; s < b->n_seekers; s++)
		n_assigned += b->assigned[s] != KD_MATCH_UNASSIGNED;
	r->assignments = malloc((n_assigned + 1) * sizeof(*r->assignments));
	r->unassigned = malloc((b->n_seekers - n_assigned + 1) * sizeof(*r->unassigned));
	if (r->assignments == NULL || r->unassigned == NULL)
		return kd_error(ENOMEM);
	st->seekers = b->n_seekers;
	st->vacancies = b->in->n_vacancies;
	st->vacancies_open = b->n_vacancies;
	for (size_t v = 0; v < b->n_vacancies; v++)
		st->openings += b->vacancies[v].capacity;
	st->edges = b->n_edges;
	for (size_t s = 0; s < b->n_seekers; s++) {
		const batch_seeker *seeker = &b->seekers[s];
		uint32_t input = b->seeker_input[s];
		st->seekers_complete += seeker->complete;
		if (b->assigned[s] == KD_MATCH_UNASSIGNED) {
			kd_match_reason why = KD_MATCH_REASON_OUTCOMPETED;
			if (!seeker->complete)
				why = KD_MATCH_REASON_INCOMPLETE_PROFILE, st->incomplete_profile++;
			else if (b->edge_first[s + 1] == b->edge_first[s])
				why = KD_MATCH_REASON_NO_FEASIBLE_VACANCY, st->no_feasible_vacancy++;
			else
				st->outcompeted++;
			r->unassigned[r->n_unassigned++] = (kd_match_unassigned){ input, why };
			continue;
		}
		const batch_edge *e = &b->edges[b->assigned[s]];
		kd_match_assignment *a = &r->assignments[r->n_assignments++];
		*a = (kd_match_assignment){
			.seeker = input,
			.vacancy = b->vacancy_input[e->vacancy],
			.score = kd_match_batch_score(b, s, e),
			.same_kecamatan = e->same_kecamatan,
		};
		kd_match_batch_key(b, (uint32_t)s, e->vacancy, e->same_kecamatan, &a->distance_km);
		r->total_score += a->score;
		st->assigned++;
		st->assigned_same_kecamatan += a->same_kecamatan;
		st->distance_km_sum += a->distance_km;
	}
	return options->keep_edges ? keep_edges(b, r) : kd_ok();
}
