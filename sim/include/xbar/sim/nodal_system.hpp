// Nodal analysis of a linear resistive circuit whose voltage sources all have one terminal at ground
// (every crossbar: inputs, inverted inputs, virtual-ground columns). Source-driven nodes are known
// potentials, so the unknowns are the other nodes only and the matrix is symmetric positive definite:
// sparse LDL^T with a fill-reducing (AMD) ordering, Eigen's three-step API.
//
//   NodalSystem system(circuit);        // checks the topology, analyses the sparsity pattern once
//   system.factorize(circuit);          // numeric factorization for these element values (same topology)
//   Eigen::MatrixXd i = system.source_currents(values);   // one solve per column of `values`
//
// values: one row per voltage source (in the order of sources()), one column per input vector (volts).
// Returned currents have the same shape, positive into the source's + terminal (as ngspice's i(V)).
// Topology problems and singular systems are reported with node and element names.
#pragma once

#include <memory>
#include <stdexcept>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/Sparse>

#include "xbar/netlist/circuit.hpp"

namespace xbar::sim {

class NodalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class NodalSystem {
 public:
  explicit NodalSystem(const netlist::Circuit& circuit);
  ~NodalSystem();
  NodalSystem(const NodalSystem&) = delete;
  NodalSystem& operator=(const NodalSystem&) = delete;

  void factorize(const netlist::Circuit& circuit);
  Eigen::MatrixXd source_currents(const Eigen::MatrixXd& source_values) const;

  const std::vector<std::size_t>& sources() const { return m_sources; }  // element indices
  std::size_t unknowns() const { return m_unknown_nodes.size(); }

 private:
  void stamp(const netlist::Circuit& circuit);

  std::vector<std::size_t> m_sources;        // voltage-source element indices
  std::vector<double> m_sign;                // +1: + terminal on the node, -1: on ground
  std::vector<int> m_node_index;             // circuit node -> unknown index, or -1
  std::vector<int> m_node_source;            // circuit node -> source index driving it, or -1
  std::vector<netlist::NodeId> m_unknown_nodes;
  std::vector<std::string> m_node_names;
  std::size_t m_element_count = 0;
  std::vector<double> m_stamped_values;     // element values the matrices were stamped with
  Eigen::SparseMatrix<double> m_a, m_b, m_c, m_d;  // A x = B s;  I = C x + D s
  struct Factor;
  std::unique_ptr<Factor> m_factor;
};

}  // namespace xbar::sim
