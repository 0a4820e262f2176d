#include "xbar/sim/backends/transfer.hpp"

namespace xbar::sim {

Eigen::MatrixXd transfer_matrix(Backend& backend, const models::Crossbar& crossbar, const models::SwitchStates& states) {
  const auto rows = static_cast<Eigen::Index>(crossbar.shape.rows);
  // Input vector k is one volt on row k: the k-th row of the result is that row's column currents,
  // less what flows with every input at 0 V (an amplifier's offset), so that the map is linear.
  Eigen::MatrixXd t = backend.column_currents(crossbar, states, Eigen::MatrixXd::Identity(rows, rows));
  if (crossbar.tia.present() && crossbar.tia.offset != 0.0) {
    t.rowwise() -= backend.column_currents(crossbar, states, Eigen::MatrixXd::Zero(1, rows)).row(0);
  }
  return t;
}

}  // namespace xbar::sim
