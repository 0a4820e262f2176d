// Nodal analysis of a linear resistive network whose voltage sources all have one terminal at ground
// (every crossbar: inputs, inverted inputs, virtual-ground columns). Source-driven nodes are known
// potentials, so the unknowns are the other nodes only and the matrix is symmetric positive definite.
// Two factorizations of it, each analysed once per sparsity pattern:
// - cholmod: CHOLMOD's supernodal LL^T with METIS nested-dissection ordering (BLAS-3 on dense
//   supernodes): the fast one for large arrays, whose grid graphs fill in badly under minimum degree;
// - eigen:   Eigen's simplicial LDL^T in the layout's order (else AMD's), the portable reference it
//            is tested against;
// - automatic: cholmod from automatic_cholmod_unknowns unknowns up (automatic_cholmod_transfer_unknowns
//   where the sources' conductance matrix is wanted and CHOLMOD can put them last), eigen below.
// Sources last: the factorization takes every node but ground, the source nodes after the unknowns, so
// that the sources' conductance matrix (source_conductance) is the factor's last block: a tile's transfer
// matrix without a solve per input (per-vector solves use the leading block, the unknowns' own factor).
// The dense last block costs s^3/3 flops for s sources: eigen always pays it (up to max_sources_last
// sources: it serves small systems), cholmod where the caller asks (SourceConductance::wanted) and the
// layout gives the elimination order: one operating point of a 256 x 256 array with wires takes a fifth
// longer with its 768 sources last.
// Usage (given const ConductanceNetwork& network, const Eigen::MatrixXd& values):
//   NodalSystem system(network, Factorization::cholmod, SourceConductance::wanted);  // checks the sources,
//                                                           // analyses the pattern once
//   if (system.factorize(network) != NodalStatus::success)   // numeric factorization, same topology
//     std::cerr << system.last_error();   // e.g. "the nodal matrix is singular at node col_c3 connected to [...]"
//   Eigen::MatrixXd i = system.source_currents(values);   // one solve per column of `values`
//   Eigen::MatrixXd v = system.node_voltages(values);     // every node's potential (nodes x vectors)
//   Eigen::MatrixXd y = system.source_conductance();      // sources x sources: currents = y * values
//
// Failures are a status plus a message (Eigen's info() style), never an exception: a caller decides
// whether a singular crossbar is an error (the native backend throws NodalError) or a finding.
//
// A network is plain numbers (node ids, conductances), so a large crossbar never builds names; a
// netlist::Circuit converts with network_of(). values: one row per source, in the network's order, one
// column per input vector (volts). Currents have the same shape, positive into the source's +
// terminal (as ngspice's i(V)). Problems are reported with node and element names.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/Sparse>

#include "xbar/netlist/circuit.hpp"
#include "xbar/sim/backends/factorization.hpp"

namespace xbar::sim {

class NodalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class NodalStatus {
  success,
  invalid_network,  // a source not tied to ground, a shorted source, a loop of sources
  singular,         // part of the circuit has no DC path to a source
};

struct ConductanceNetwork {
  struct Resistor {
    int a, b;
    double conductance;  // siemens
  };
  struct Source {
    int node;     // the node it holds (the other terminal is ground)
    double sign;  // +1: the + terminal is on the node; -1: on ground (the node sits at -value)
  };
  std::size_t nodes = 1;  // node 0 is ground
  std::vector<Resistor> resistors;
  std::vector<Source> sources;
  // Optional: nodes in the order to eliminate them (a nested dissection the builder knows from the
  // layout); the cholmod factorization takes it instead of running METIS. Empty: METIS.
  std::vector<int> elimination_order;
  std::function<std::string(int)> node_name;              // for messages
  std::function<std::string(std::size_t)> resistor_name;  // for messages
  std::function<std::string(std::size_t)> source_name;    // for messages
};

// The network of a circuit (sources in element order; switches as their present resistance); NodalError
// for a source not tied to ground.
ConductanceNetwork network_of(const netlist::Circuit& circuit);

// Whether source_conductance() will be asked for (the factorization then puts the sources last).
enum class SourceConductance { not_wanted, wanted };

class NodalSystem {
 public:
  explicit NodalSystem(ConductanceNetwork network, Factorization factorization = Factorization::automatic,
                       SourceConductance conductance = SourceConductance::not_wanted);
  explicit NodalSystem(const netlist::Circuit& circuit, Factorization factorization = Factorization::automatic,
                       SourceConductance conductance = SourceConductance::not_wanted);
  ~NodalSystem();
  NodalSystem(const NodalSystem&) = delete;
  NodalSystem& operator=(const NodalSystem&) = delete;

  NodalStatus factorize(const ConductanceNetwork& network);
  NodalStatus factorize(const netlist::Circuit& circuit);
  // Needs info() == success.
  Eigen::MatrixXd source_currents(const Eigen::MatrixXd& source_values) const;
  // Every node's potential, ground (row 0) included: nodes x vectors. Needs info() == success.
  Eigen::MatrixXd node_voltages(const Eigen::MatrixXd& source_values) const;
  // The sources' conductance matrix Y (siemens, symmetric): source_currents(values) = Y * values. From
  // the factor's last block where sources_last(), else one solve per source. Kept until the next
  // factorization. Needs info() == success.
  const Eigen::MatrixXd& source_conductance() const;
  // Whether the source nodes are factored after the unknowns (see the top of this file), so that
  // source_conductance() is one dense product.
  bool sources_last() const { return m_sources_last; }
  static constexpr std::size_t max_sources_last = 1024;

  NodalStatus info() const { return m_status; }
  const std::string& last_error() const { return m_error; }

  std::size_t sources() const { return m_network.sources.size(); }
  std::size_t unknowns() const { return m_unknown_nodes.size(); }
  Factorization factorization() const { return m_factorization; }  // as chosen (automatic resolved by size)

 private:
  void stamp(const ConductanceNetwork& network);
  void build_pattern(const ConductanceNetwork& network);
  NodalStatus fail(NodalStatus status, std::string message);
  void analyse(ConductanceNetwork network, SourceConductance conductance);
  Eigen::MatrixXd solve_unknowns(const Eigen::MatrixXd& source_values) const;
  NodalStatus singular_at(int node, const ConductanceNetwork& network);
  std::optional<int> floating_node() const;
  std::vector<int> layout_order() const;
  std::vector<int> fill_reducing_order(std::vector<int> layout);
  void renumber(const std::vector<int>& order);
  int matrix_index(int node) const;
  std::size_t matrix_size() const;

  ConductanceNetwork m_network;              // as last stamped (names and topology)
  std::vector<int> m_node_index;             // node -> unknown index, or -1
  std::vector<int> m_node_source;            // node -> source index driving it, or -1
  std::vector<int> m_unknown_nodes;
  Eigen::SparseMatrix<double> m_a, m_b, m_c, m_d;  // A x = B s;  I = C x + D s (A: lower triangle,
                                                   // with the source nodes' rows after it when sources last)
  std::vector<int> m_resistor_slot;          // resistor -> its entry in A's values, or -1
  Factorization m_factorization;
  std::optional<int> m_floating;             // cholmod: a node with no path to a source (analysed once)
  bool m_sources_last = false;               // the source nodes follow the unknowns in m_a
  Eigen::VectorXd m_source_shunt;            // what stamp() added to each source node's diagonal
  bool m_factored = false;                   // m_a as stamped is factored
  mutable std::optional<Eigen::MatrixXd> m_conductance;  // source_conductance(), until the next factorization
  struct Factor;
  std::unique_ptr<Factor> m_factor;
  NodalStatus m_status = NodalStatus::success;
  std::string m_error;
};

}  // namespace xbar::sim
