#pragma once

#include "xbar/sim/backends/backend.hpp"

namespace xbar::sim {

class IdealBackend final : public Backend {
 public:
  BackendKind kind() const override { return BackendKind::ideal; }
  SourceCurrents source_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                 const Eigen::MatrixXd& row_voltages, const solver::Progress& progress) override;
};

}  // namespace xbar::sim
