#include "xbar/sim/backends/transfer.hpp"

namespace xbar::sim {

Eigen::MatrixXd transfer_matrix(Backend& backend, const models::Crossbar& crossbar, const models::SwitchStates& states) {
  const auto rows = static_cast<Eigen::Index>(crossbar.shape.rows);
  // Input vector k is one volt on row k: the k-th row of the result is that row's column currents.
  return backend.column_currents(crossbar, states, Eigen::MatrixXd::Identity(rows, rows));
}

}  // namespace xbar::sim
