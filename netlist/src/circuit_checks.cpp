#include "xbar/netlist/circuit_checks.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/pending/disjoint_sets.hpp>

namespace xbar::netlist {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                    boost::property<boost::edge_index_t, std::size_t>>;

// "a, b, c and 7 more"
std::string listing(const std::vector<std::string>& names, std::size_t shown = 6) {
  std::string text;
  for (std::size_t k = 0; k < names.size() && k < shown; ++k) text += (k ? ", " : "") + names[k];
  if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
  return text;
}

}  // namespace

std::vector<CircuitProblem> check_circuit(const Circuit& circuit) {
  std::vector<CircuitProblem> problems;
  const auto nodes = circuit.node_count();
  const auto& elements = circuit.elements();
  Graph graph(nodes);
  std::vector<int> terminals(nodes, 0);
  std::vector<std::vector<std::size_t>> touching(nodes);
  for (std::size_t e = 0; e < elements.size(); ++e) {
    const auto a = static_cast<std::size_t>(elements[e].positive), b = static_cast<std::size_t>(elements[e].negative);
    // A capacitor is no DC path, and a vcvs's control nodes draw no current: terminals, not edges.
    if (elements[e].kind != ElementKind::capacitor) boost::add_edge(a, b, e, graph);
    ++terminals[a];
    ++terminals[b];
    touching[a].push_back(e);
    if (b != a) touching[b].push_back(e);
    if (elements[e].kind == ElementKind::vcvs) {
      for (const NodeId n : {elements[e].control_positive, elements[e].control_negative}) {
        ++terminals[static_cast<std::size_t>(n)];
        touching[static_cast<std::size_t>(n)].push_back(e);
      }
    }
  }

  for (std::size_t n = 1; n < nodes; ++n) {
    if (terminals[n] == 1) {
      const std::string& element = elements[touching[n][0]].name;
      problems.push_back({CircuitProblem::Kind::dangling_node,
                          "node " + circuit.node_name(static_cast<NodeId>(n)) + " has a single connection (" + element +
                              "): no current can flow through it",
                          {circuit.node_name(static_cast<NodeId>(n))},
                          {element}});
    }
  }

  std::vector<int> component(nodes);
  const int components = boost::connected_components(graph, component.data());
  for (int k = 0; k < components; ++k) {
    if (k == component[0]) continue;  // the part that holds ground
    CircuitProblem p{CircuitProblem::Kind::floating, "", {}, {}};
    std::vector<bool> listed(elements.size(), false);
    for (std::size_t n = 1; n < nodes; ++n) {
      if (component[n] != k) continue;
      p.nodes.push_back(circuit.node_name(static_cast<NodeId>(n)));
      for (std::size_t e : touching[n]) {
        if (!listed[e]) p.elements.push_back(elements[e].name);
        listed[e] = true;
      }
    }
    if (p.elements.empty()) continue;  // an unused node name
    p.message = "no DC path to ground: nodes " + listing(p.nodes) + " (elements " + listing(p.elements) + ")";
    problems.push_back(std::move(p));
  }

  std::vector<std::size_t> rank(nodes), parent(nodes);
  boost::disjoint_sets<std::size_t*, std::size_t*> sources(rank.data(), parent.data());
  for (std::size_t n = 0; n < nodes; ++n) sources.make_set(n);
  for (const Element& e : elements) {
    if (e.kind != ElementKind::voltage_source && e.kind != ElementKind::vcvs) continue;
    const auto a = static_cast<std::size_t>(e.positive), b = static_cast<std::size_t>(e.negative);
    if (a == b) {
      problems.push_back({CircuitProblem::Kind::shorted_source,
                          "voltage source " + e.name + " is shorted: both terminals on node " + circuit.node_name(e.positive),
                          {circuit.node_name(e.positive)},
                          {e.name}});
      continue;
    }
    if (sources.find_set(a) == sources.find_set(b)) {
      problems.push_back({CircuitProblem::Kind::source_loop,
                          "voltage source " + e.name + " closes a loop of voltage sources: nodes " +
                              circuit.node_name(e.positive) + " and " + circuit.node_name(e.negative) +
                              " are already tied together by other sources",
                          {circuit.node_name(e.positive), circuit.node_name(e.negative)},
                          {e.name}});
      continue;
    }
    sources.union_set(a, b);
  }
  return problems;
}

}  // namespace xbar::netlist
