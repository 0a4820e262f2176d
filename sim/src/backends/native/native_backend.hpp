#pragma once

#include <memory>
#include <string>

#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/backends/native/nodal_system.hpp"

namespace xbar::sim {

// Modified nodal analysis of the crossbar with its wires: every bank collapsed exactly into its
// equivalent resistance (the nodes inside a bank never enter the matrix), the sparsity pattern
// analysed once per topology, one numeric factorization per crossbar, one solve per input vector.
// Without wire resistance every node is a source node and the currents are closed form.
class NativeBackend final : public Backend {
 public:
  explicit NativeBackend(const BackendOptions& options = {}) : m_factorization(options.factorization) {}
  BackendKind kind() const override { return BackendKind::native; }
  SourceCurrents source_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                 const Eigen::MatrixXd& row_voltages, const solver::Progress& progress) override;
  SourceCurrents unit_responses(const models::Crossbar& crossbar, const models::SwitchStates& states) override;

 private:
  // The system for this crossbar, analysed once per topology (and again where the sources' conductance
  // matrix is wanted of a system analysed without), factorized for these conductances.
  NodalSystem& factorized(const models::Crossbar& crossbar, const models::SwitchStates& states,
                          SourceConductance conductance = SourceConductance::not_wanted);

  Factorization m_factorization;
  std::string m_topology;  // what m_system was analysed for
  SourceConductance m_conductance = SourceConductance::not_wanted;  // and whether for its conductance matrix
  std::unique_ptr<NodalSystem> m_system;
};

}  // namespace xbar::sim
