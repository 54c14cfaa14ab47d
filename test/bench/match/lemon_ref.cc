// Reference solver for the benchmark: reads a DIMACS minimum-cost flow
// file (from edges_tool) and solves it with LEMON's CostScaling, and with
// its NetworkSimplex for comparison.  Prints the objective (minus the
// minimum cost) and the seconds each solver took, reading excluded.
#include <chrono>
#include <fstream>
#include <iostream>

#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

using Graph = lemon::SmartDigraph;
using Value = long long;

template <typename Solver>
static void solve(const char *name, const Graph &g, const Graph::ArcMap<Value> &lower,
		  const Graph::ArcMap<Value> &upper, const Graph::ArcMap<Value> &cost,
		  const Graph::NodeMap<Value> &supply)
{
	auto start = std::chrono::steady_clock::now();
	Solver solver(g);
	solver.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
	auto status = solver.run();
	double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
	if (status != Solver::OPTIMAL) {
		std::cout << name << " failed\n";
		return;
	}
	std::cout << name << " " << -solver.template totalCost<Value>() << " " << seconds << "\n";
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::cerr << "usage: lemon_ref FILE.dimacs\n";
		return 2;
	}
	std::ifstream in(argv[1]);
	Graph g;
	Graph::ArcMap<Value> lower(g), upper(g), cost(g);
	Graph::NodeMap<Value> supply(g);
	lemon::readDimacsMin(in, g, lower, upper, cost, supply);
	solve<lemon::CostScaling<Graph, Value, Value>>("cost_scaling", g, lower, upper, cost, supply);
	solve<lemon::NetworkSimplex<Graph, Value, Value>>("network_simplex", g, lower, upper, cost,
							   supply);
	return 0;
}
