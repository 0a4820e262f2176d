// Topology checks before any simulation, on a Boost.Graph view of a Circuit (nodes = vertices,
// elements = edges). Each problem names the nodes and elements involved, so a person can find them.
// Usage (given const Circuit& circuit):
//   for (const CircuitProblem& p : check_circuit(circuit)) std::cerr << p.message << "\n";
//
// - dangling node:       a node with a single element terminal (nothing can flow through it)
// - no DC path to ground: a connected part of the circuit that does not contain ground
// - voltage-source loop:  voltage sources (and only sources) forming a loop: over-determined
// - shorted source:       a voltage source with both terminals on one node
#pragma once

#include <string>
#include <vector>

#include "xbar/netlist/circuit.hpp"

namespace xbar::netlist {

struct CircuitProblem {
  enum class Kind { dangling_node, floating, source_loop, shorted_source };
  Kind kind;
  std::string message;
  std::vector<std::string> nodes;
  std::vector<std::string> elements;
};

std::vector<CircuitProblem> check_circuit(const Circuit& circuit);

}  // namespace xbar::netlist
