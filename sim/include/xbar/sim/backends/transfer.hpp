// A programmed crossbar's transfer matrix: the column currents for one volt on each input row (its
// + line at +1 V, its - line at -1 V), all else at 0 V. The circuit is linear, wires included, so the
// currents of any input vector v are v * T exactly: computed once, it replaces a solve per vector (the
// native backend reads it off one dense block of its factor: Backend::unit_responses).
// An amplifier's offset adds the same currents whatever the input (v * T + the response to v = 0);
// T is the linear part alone.
// Usage (given Backend& backend, const models::Crossbar& crossbar, const models::SwitchStates& states,
//        const Eigen::MatrixXd& row_voltages):
//   Eigen::MatrixXd t = transfer_matrix(backend, crossbar, states);   // rows x cols, amperes per volt
//   Eigen::MatrixXd currents = row_voltages * t;                      // = backend.column_currents(...)
#pragma once

#include <Eigen/Dense>

#include "xbar/sim/backends/backend.hpp"

namespace xbar::sim {

Eigen::MatrixXd transfer_matrix(Backend& backend, const models::Crossbar& crossbar, const models::SwitchStates& states);

}  // namespace xbar::sim
