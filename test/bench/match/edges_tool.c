/*
 * Reads the candidate graph that `kerjadekat match --dump-edges` printed,
 * with the instance's meta file from gen_kukar, and
 *  - writes the same optimisation problem as a DIMACS minimum-cost flow
 *    file for the reference solver (lemon_ref), and
 *  - solves it greedily: pairs by descending weight, each taken when its
 *    seeker is free and its vacancy has an opening left.
 * Weights are the printed scores in thousandths; under strict local
 * priority a same-kecamatan pair also gets a bonus M, chosen here as one
 * more than the sum over seekers of their best score (a different, looser
 * bound than the matcher's own), so that the reference decides the
 * lexicographic objective independently.
 *
 *   edges_tool META MATCH_OUTPUT strict|weighted DIMACS_OUT
 *
 * prints "bonus M", "greedy L S" (same-kecamatan placements, total score).
 * It reads the one-object-per-line layout the matcher prints.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge {
	long seeker, vacancy;
	int64_t score;
	bool local;
} edge;

static long max_seeker, max_vacancy;
static int *seeker_kecamatan, *vacancy_kecamatan, *openings;
static edge *edges;
static size_t n_edges, cap_edges;

static void read_meta(const char *path)
{
	FILE *f = fopen(path, "r");
	char kind;
	long id, a, b;
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	while (fscanf(f, " %c %ld %ld", &kind, &id, &a) == 3) {
		if (kind == 'v' && fscanf(f, " %ld", &b) != 1)
			exit(1);
		if (kind == 's' && id > max_seeker)
			max_seeker = id;
		if (kind == 'v' && id > max_vacancy)
			max_vacancy = id;
	}
	seeker_kecamatan = calloc((size_t)max_seeker + 1, sizeof(int));
	vacancy_kecamatan = calloc((size_t)max_vacancy + 1, sizeof(int));
	openings = calloc((size_t)max_vacancy + 1, sizeof(int));
	rewind(f);
	while (fscanf(f, " %c %ld %ld", &kind, &id, &a) == 3) {
		if (kind == 's') {
			seeker_kecamatan[id] = (int)a;
		} else if (fscanf(f, " %ld", &b) == 1) {
			openings[id] = (int)a;
			vacancy_kecamatan[id] = (int)b;
		}
	}
	fclose(f);
}

static void read_edges(const char *path)
{
	FILE *f = fopen(path, "r");
	static char line[4096];
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		long s, v, whole, thousandths;
		if (strstr(line, "\"seeker_rank\"") == NULL ||
		    sscanf(line, "{\"seeker_id\":%ld,\"vacancy_id\":%ld,\"score\":%ld.%ld", &s, &v,
			   &whole, &thousandths) != 4)
			continue;
		if (n_edges == cap_edges) {
			cap_edges = cap_edges ? 2 * cap_edges : 1 << 20;
			edges = realloc(edges, cap_edges * sizeof(*edges));
			if (edges == NULL)
				exit(1);
		}
		edges[n_edges++] = (edge){ s, v, whole * 1000 + thousandths,
					   seeker_kecamatan[s] == vacancy_kecamatan[v] };
	}
	fclose(f);
}

static bool strict;

static int by_weight(const void *pa, const void *pb)
{
	const edge *a = pa, *b = pb;
	if (strict && a->local != b->local)
		return a->local ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->seeker != b->seeker)
		return a->seeker < b->seeker ? -1 : 1;
	return (a->vacancy > b->vacancy) - (a->vacancy < b->vacancy);
}

static void greedy(void)
{
	bool *placed = calloc((size_t)max_seeker + 1, 1);
	int *left = malloc(((size_t)max_vacancy + 1) * sizeof(int));
	long local = 0;
	int64_t total = 0;
	memcpy(left, openings, ((size_t)max_vacancy + 1) * sizeof(int));
	edge *sorted = malloc(n_edges * sizeof(*sorted));
	memcpy(sorted, edges, n_edges * sizeof(*sorted));
	qsort(sorted, n_edges, sizeof(*sorted), by_weight);
	for (size_t i = 0; i < n_edges; i++) {
		const edge *e = &sorted[i];
		if (placed[e->seeker] || left[e->vacancy] == 0 || e->score <= 0)
			continue;
		placed[e->seeker] = true;
		left[e->vacancy]--;
		local += e->local;
		total += e->score;
	}
	printf("greedy %ld %lld\n", local, (long long)total);
	free(placed), free(left), free(sorted);
}

/* Nodes: 1 the sink, 2.. seekers by id, then vacancies by id. */
static void write_dimacs(const char *path)
{
	int64_t *best = calloc((size_t)max_seeker + 1, sizeof(int64_t)), bonus = 1;
	for (size_t i = 0; i < n_edges; i++)
		if (edges[i].score > best[edges[i].seeker])
			best[edges[i].seeker] = edges[i].score;
	for (long s = 1; s <= max_seeker; s++)
		bonus += best[s];
	if (!strict)
		bonus = 0;
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	long nodes = 1 + max_seeker + max_vacancy;
	fprintf(f, "p min %ld %zu\n", nodes, n_edges + (size_t)max_seeker + (size_t)max_vacancy);
	fprintf(f, "n 1 %ld\n", -max_seeker);
	for (long s = 1; s <= max_seeker; s++)
		fprintf(f, "n %ld 1\n", 1 + s);
	for (long s = 1; s <= max_seeker; s++)
		fprintf(f, "a %ld 1 0 1 0\n", 1 + s);
	for (long v = 1; v <= max_vacancy; v++)
		fprintf(f, "a %ld 1 0 %d 0\n", 1 + max_seeker + v, openings[v]);
	for (size_t i = 0; i < n_edges; i++) {
		const edge *e = &edges[i];
		int64_t weight = e->score + (e->local ? bonus : 0);
		fprintf(f, "a %ld %ld 0 1 %lld\n", 1 + e->seeker, 1 + max_seeker + e->vacancy,
			-(long long)weight);
	}
	fclose(f);
	printf("bonus %lld\n", (long long)bonus);
	free(best);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: edges_tool META MATCH_OUTPUT strict|weighted DIMACS_OUT\n");
		return 2;
	}
	strict = strcmp(argv[3], "strict") == 0;
	read_meta(argv[1]);
	read_edges(argv[2]);
	write_dimacs(argv[4]);
	greedy();
	return 0;
}
