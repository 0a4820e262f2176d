#include "xbar/sim/backends/transfer.hpp"

namespace xbar::sim {

SourceCurrents Backend::unit_responses(const models::Crossbar& crossbar, const models::SwitchStates& states) {
  const auto rows = static_cast<Eigen::Index>(crossbar.shape.rows);
  SourceCurrents unit = source_currents(crossbar, states, Eigen::MatrixXd::Identity(rows, rows));
  // An amplifier's offset drives the same currents whatever the input: take them away, so that the
  // map is linear.
  if (crossbar.tia.present() && crossbar.tia.offset != 0.0) {
    const SourceCurrents zero = source_currents(crossbar, states, Eigen::MatrixXd::Zero(1, rows));
    unit.columns.rowwise() -= zero.columns.row(0);
    unit.rows.rowwise() -= zero.rows.row(0);
  }
  return unit;
}

Eigen::MatrixXd transfer_matrix(Backend& backend, const models::Crossbar& crossbar, const models::SwitchStates& states) {
  return backend.unit_responses(crossbar, states).columns;
}

}  // namespace xbar::sim
