/*
 * The optimal mode's solver (lib/match/flow.c) against LEMON's network
 * simplex, an independent exact solver, on random instances from a few
 * dozen seekers to a few thousand, with more places than seekers and with
 * fewer: the same maximum total weight, a feasible assignment, and the
 * same assignment when solved twice; and the same again solved zone by
 * zone (zones.c), on one thread or three.
 *
 * The weights are drawn from short ranges so that ties abound (they are
 * what makes an auction stall and a shortest-path search wander), from
 * long ranges, and with a large bonus on some edges, as strict local
 * priority adds; some are zero or negative, which the solver never uses.
 */
/* GCC 12 warns falsely inside std::vector as LEMON's graphs use it; clang
 * (the sanitizer build) has no such warning. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cstdlib>
#include <vector>

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

extern "C" {
#include <cmocka.h>

#include "match/flow.h"
#include "match/zones.h"
}

namespace {

struct instance {
	size_t seekers, vacancies;
	std::vector<size_t> edge_first;
	std::vector<uint32_t> edge_vacancy;
	std::vector<int64_t> weight;            /* score, plus the bonus on a bonus edge */
	std::vector<uint32_t> capacity;
	/* The same graph as the solver reads it (flow.h). */
	std::vector<batch_edge> edges;
	std::vector<int32_t> score;
	int64_t bonus;
};

uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

uint64_t below(uint64_t *state, uint64_t n)
{
	return next(state) % n;
}

instance draw(uint64_t *state, int shape)
{
	instance in;
	in.seekers = 20 + below(state, shape % 2 ? 3000 : 300);
	/* Both sides of flow.c: more places than seekers, and fewer. */
	bool sparse = shape % 7 >= 4;
	in.vacancies = 2 + below(state, shape % 5 == 0 ? 2 * in.seekers :
				    sparse ? in.seekers : in.seekers / 5 + 1);
	int64_t range = shape % 3 == 0 ? 4 : shape % 3 == 1 ? 50 : 100000;
	int64_t bonus = shape % 4 == 3 ? 1000000000 : 0;
	in.bonus = bonus;
	uint32_t most_openings = 1 + (uint32_t)below(state, 8);
	for (size_t v = 0; v < in.vacancies; v++)
		in.capacity.push_back(1 + (uint32_t)below(state, most_openings));
	std::vector<bool> used(in.vacancies);
	in.edge_first.push_back(0);
	for (size_t s = 0; s < in.seekers; s++) {
		/* Short lists split the graph into many zones. */
		size_t most = sparse ? 2 : 30;
		size_t degree = below(state, 1 + (in.vacancies < most ? in.vacancies : most));
		std::vector<uint32_t> mine;
		for (size_t i = 0; i < degree; i++) {
			uint32_t v = (uint32_t)below(state, in.vacancies);
			if (used[v])
				continue;
			used[v] = true;
			mine.push_back(v);
			int64_t w = (int64_t)below(state, (uint64_t)range + 2) - 1;
			bool bonus_edge = bonus && below(state, 2);
			in.edge_vacancy.push_back(v);
			in.weight.push_back(w + (bonus_edge ? bonus : 0));
			batch_edge edge = {};
			edge.vacancy = v;
			edge.same_kecamatan = bonus_edge;
			in.edges.push_back(edge);
			in.score.push_back((int32_t)w);
		}
		for (uint32_t v : mine)
			used[v] = false;
		in.edge_first.push_back(in.edge_vacancy.size());
	}
	return in;
}

int64_t lemon_optimum(const instance &in)
{
	using Graph = lemon::SmartDigraph;
	Graph g;
	std::vector<Graph::Node> node;
	for (size_t i = 0; i < in.seekers + in.vacancies + 1; i++)
		node.push_back(g.addNode());
	Graph::Node sink = node.back();
	Graph::ArcMap<int64_t> cost(g), upper(g);
	Graph::NodeMap<int64_t> supply(g, 0);
	auto arc = [&](Graph::Node from, Graph::Node to, int64_t c, int64_t cap) {
		Graph::Arc a = g.addArc(from, to);
		cost[a] = c;
		upper[a] = cap;
	};
	for (size_t s = 0; s < in.seekers; s++) {
		supply[node[s]] = 1;
		arc(node[s], sink, 0, 1);
		for (size_t e = in.edge_first[s]; e < in.edge_first[s + 1]; e++)
			if (in.weight[e] > 0)
				arc(node[s], node[in.seekers + in.edge_vacancy[e]], -in.weight[e], 1);
	}
	for (size_t v = 0; v < in.vacancies; v++)
		arc(node[in.seekers + v], sink, 0, in.capacity[v]);
	supply[sink] = -(int64_t)in.seekers;
	using Simplex = lemon::NetworkSimplex<Graph, int64_t, int64_t>;
	Simplex solver(g);
	solver.costMap(cost).upperMap(upper).supplyMap(supply);
	assert_int_equal(solver.run(), Simplex::OPTIMAL);
	return -solver.totalCost<int64_t>();
}

/* The assignment's total weight, after checking that it is feasible. */
int64_t total(const instance &in, const std::vector<size_t> &assigned)
{
	std::vector<uint32_t> held(in.vacancies);
	int64_t sum = 0;
	for (size_t s = 0; s < in.seekers; s++) {
		size_t e = assigned[s];
		if (e == SIZE_MAX)
			continue;
		assert_true(e >= in.edge_first[s] && e < in.edge_first[s + 1]);
		assert_true(in.weight[e] > 0);
		held[in.edge_vacancy[e]]++;
		sum += in.weight[e];
	}
	for (size_t v = 0; v < in.vacancies; v++)
		assert_true(held[v] <= in.capacity[v]);
	return sum;
}

/* Solved whole (threads 0), or zone by zone on that many threads. */
std::vector<size_t> solve(const instance &in, unsigned threads)
{
	kd_match_flow_graph g = {
		in.seekers, in.vacancies, in.edge_first.data(), in.edges.data(),
		in.score.data(), in.bonus, in.capacity.data(),
	};
	kd_match_flow_part whole = {};
	whole.n_seekers = in.seekers;
	whole.n_vacancies = in.vacancies;
	whole.every_edge = true;
	std::vector<size_t> assigned(in.seekers + 1);
	if (threads == 0)
		assert_int_equal(kd_match_flow_solve_part(&g, &whole, assigned.data()), 0);
	else
		assert_int_equal(kd_match_flow_solve_zones(&g, assigned.data(), threads), 0);
	return assigned;
}

void test_against_lemon(void **)
{
	uint64_t state = 20261205;
	for (int round = 0; round < 240; round++) {
		instance in = draw(&state, round);
		std::vector<size_t> whole = solve(in, 0);
		int64_t optimum = lemon_optimum(in);
		assert_int_equal(total(in, whole), optimum);
		assert_true(solve(in, 0) == whole);
		std::vector<size_t> zoned = solve(in, 1);
		assert_int_equal(total(in, zoned), optimum);
		assert_true(solve(in, 3) == zoned);
	}
}

} // namespace

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_lemon),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
