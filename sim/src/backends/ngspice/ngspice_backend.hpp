#pragma once

#include "xbar/sim/backends/backend.hpp"

namespace xbar::sim {

// Loads the crossbar's netlist once, then for each input vector alters the row sources and runs an
// operating point: re-parsing is the larger part of ngspice's cost (docs/circuits.md).
class NgspiceBackend final : public Backend {
 public:
  BackendKind kind() const override { return BackendKind::ngspice; }
  SourceCurrents source_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                 const Eigen::MatrixXd& row_voltages, const solver::Progress& progress) override;
};

}  // namespace xbar::sim
