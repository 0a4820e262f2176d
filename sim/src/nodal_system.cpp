#include "xbar/sim/nodal_system.hpp"

#include <Eigen/SparseCholesky>


namespace xbar::sim {

struct NodalSystem::Factor {
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::AMDOrdering<int>> ldlt;
};

// Topology problems a nodal system cannot hold are refused here by name; a floating part shows up as
// a zero pivot in factorize(), reported with its node and elements (`xbar check` gives the full
// picture with Boost.Graph before any solve).
NodalSystem::NodalSystem(const netlist::Circuit& circuit) : m_factor(std::make_unique<Factor>()) {
  const auto nodes = circuit.node_count();
  m_node_index.assign(nodes, -1);
  m_node_source.assign(nodes, -1);
  for (std::size_t n = 0; n < nodes; ++n) m_node_names.push_back(circuit.node_name(static_cast<netlist::NodeId>(n)));
  const auto& elements = circuit.elements();
  for (std::size_t e = 0; e < elements.size(); ++e) {
    const netlist::Element& el = elements[e];
    if (el.kind != netlist::ElementKind::voltage_source) continue;
    if (el.positive == el.negative) {
      throw NodalError("voltage source " + el.name + " is shorted: both terminals on node " + circuit.node_name(el.positive));
    }
    if (el.positive != netlist::Circuit::ground && el.negative != netlist::Circuit::ground) {
      throw NodalError("voltage source " + el.name + " (nodes " + circuit.node_name(el.positive) + ", " +
                       circuit.node_name(el.negative) +
                       ") is not referenced to ground: the native solver takes grounded sources only; use ngspice");
    }
    const netlist::NodeId node = el.positive == netlist::Circuit::ground ? el.negative : el.positive;
    if (const int other = m_node_source[static_cast<std::size_t>(node)]; other >= 0) {
      throw NodalError("voltage source " + el.name + " closes a loop of voltage sources: node " +
                       circuit.node_name(node) + " is already driven by " +
                       elements[m_sources[static_cast<std::size_t>(other)]].name);
    }
    m_node_source[static_cast<std::size_t>(node)] = static_cast<int>(m_sources.size());
    m_sources.push_back(e);
    m_sign.push_back(el.positive == netlist::Circuit::ground ? -1.0 : 1.0);
  }
  for (std::size_t n = 1; n < nodes; ++n) {
    if (m_node_source[n] >= 0) continue;
    m_node_index[n] = static_cast<int>(m_unknown_nodes.size());
    m_unknown_nodes.push_back(static_cast<netlist::NodeId>(n));
  }
  m_element_count = elements.size();
  stamp(circuit);
  m_factor->ldlt.analyzePattern(m_a);
}

NodalSystem::~NodalSystem() = default;

// A resistor g between nodes a and b adds to A where both are unknown, moves known potentials to the
// right-hand side (B), and adds to the currents of the sources at known nodes (C and D).
void NodalSystem::stamp(const netlist::Circuit& circuit) {
  const auto n = static_cast<Eigen::Index>(m_unknown_nodes.size());
  const auto s = static_cast<Eigen::Index>(m_sources.size());
  m_stamped_values.clear();
  for (const netlist::Element& el : circuit.elements()) m_stamped_values.push_back(el.value);
  std::vector<Eigen::Triplet<double>> a, b, c, d;
  for (const netlist::Element& el : circuit.elements()) {
    if (el.kind != netlist::ElementKind::resistor) continue;
    const double g = 1.0 / el.value;
    const netlist::NodeId ends[2] = {el.positive, el.negative};
    for (int side = 0; side < 2; ++side) {
      const auto here = static_cast<std::size_t>(ends[side]), there = static_cast<std::size_t>(ends[1 - side]);
      const int unknown = m_node_index[here], source = m_node_source[here];
      if (unknown >= 0) {  // KCL row of an unknown node
        a.emplace_back(unknown, unknown, g);
        if (m_node_index[there] >= 0) a.emplace_back(unknown, m_node_index[there], -g);
        if (m_node_source[there] >= 0) b.emplace_back(unknown, m_node_source[there], g * m_sign[static_cast<std::size_t>(m_node_source[there])]);
      } else if (source >= 0) {  // current into the source at a known node: sign * sum g (v_there - v_here)
        const double sign = m_sign[static_cast<std::size_t>(source)];
        d.emplace_back(source, source, -g);
        if (m_node_index[there] >= 0) c.emplace_back(source, m_node_index[there], sign * g);
        if (m_node_source[there] >= 0) {
          d.emplace_back(source, m_node_source[there], sign * g * m_sign[static_cast<std::size_t>(m_node_source[there])]);
        }
      }
    }
  }
  m_a.resize(n, n);
  m_a.setFromTriplets(a.begin(), a.end());
  m_b.resize(n, s);
  m_b.setFromTriplets(b.begin(), b.end());
  m_c.resize(s, n);
  m_c.setFromTriplets(c.begin(), c.end());
  m_d.resize(s, s);
  m_d.setFromTriplets(d.begin(), d.end());
}

void NodalSystem::factorize(const netlist::Circuit& circuit) {
  if (circuit.elements().size() != m_element_count || circuit.node_count() != m_node_names.size()) {
    throw NodalError("factorize: the circuit's topology differs from the one analysed");
  }
  // Re-stamp only when a value changed since the last stamp (construction stamps once already).
  bool same = true;
  for (std::size_t e = 0; e < m_element_count && same; ++e) same = circuit.elements()[e].value == m_stamped_values[e];
  if (!same) stamp(circuit);
  if (m_unknown_nodes.empty()) return;  // every node known: the currents are closed form
  m_factor->ldlt.factorize(m_a);
  // A pivot that vanishes against its own diagonal entry means a node with no path to a source.
  const Eigen::VectorXd pivots = m_factor->ldlt.vectorD();
  const Eigen::VectorXd diagonal = m_a.diagonal();
  for (Eigen::Index p = 0; p < pivots.size(); ++p) {
    const int original = m_factor->ldlt.permutationPinv().indices()(p);
    const bool last = p + 1 == pivots.size();
    if (!(pivots(p) > 1e-12 * diagonal(original)) || (last && m_factor->ldlt.info() != Eigen::Success)) {
      const std::string& node = m_node_names[static_cast<std::size_t>(m_unknown_nodes[static_cast<std::size_t>(original)])];
      std::string elements;
      for (const auto& el : circuit.elements()) {
        if (circuit.node_name(el.positive) == node || circuit.node_name(el.negative) == node) {
          elements += (elements.empty() ? "" : ", ") + el.name;
        }
      }
      throw NodalError("the nodal matrix is singular at node " + node + " connected to [" + elements +
                       "]: part of the circuit has no DC path to a source or ground");
    }
  }
}

Eigen::MatrixXd NodalSystem::source_currents(const Eigen::MatrixXd& source_values) const {
  if (source_values.rows() != static_cast<Eigen::Index>(m_sources.size())) {
    throw NodalError("source_currents: one row of values per voltage source expected");
  }
  Eigen::MatrixXd currents = m_d * source_values;
  if (!m_unknown_nodes.empty()) {
    const Eigen::MatrixXd rhs = m_b * source_values;
    const Eigen::MatrixXd voltages = m_factor->ldlt.solve(rhs);
    currents += m_c * voltages;
  }
  return currents;
}

}  // namespace xbar::sim
