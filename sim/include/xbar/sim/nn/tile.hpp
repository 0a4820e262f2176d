// One tile of a lowered weight matrix as its own crossbar: fabricated from the spec with its own random
// stream, measured, programmed; cells whose weight was pruned get every switch open. Shared by `xbar
// layer` and `xbar network`.
// Usage (given const Spec& spec, const DesignProblem& problem, std::uint64_t stream, Backend& backend,
//        const Eigen::MatrixXd& volts):
//   ProgrammedDesign tile = program_tile(spec, problem, stream);
//   TileResponse r = tile_response(tile, backend);    // r.matrix: inputs x outputs, weight units per input
//   Eigen::MatrixXd i = r.column_currents(volts);    // unit; the currents of row voltages, offset included
//   double watts = r.total_power(volts, i);           // what those products draw, summed
#pragma once

#include <cstdint>

#include <Eigen/Dense>

#include "xbar/sim/flow/design.hpp"

namespace xbar::sim {

ProgrammedDesign program_tile(const Spec& spec, const DesignProblem& problem, std::uint64_t stream,
                              const RunOptions& options = {});

// What the tile does, wires and all, from one solve per input row (its transfer matrix) and one at zero
// input where an amplifier has an offset: for row voltages v (vectors x rows, volts) the column
// currents are I = v T + I0 exactly, and every source together delivers
//   P(v) = v Q v^T + v q^T + kappa |I|^2 - beta sum_j I_j   watts (flow/energy.hpp's power_w),
// Q and q from the row sources' currents, kappa = rf A / (1 + A) for an amplifier of finite gain (its
// output's -v_o i), beta the termination's voltage at zero current (the offset, or the finite-gain
// output's A Vos / (1 + A)). Without an offset, I0, q and beta are zero: y = x * matrix.
struct TileResponse {
  Eigen::MatrixXd matrix;      // inputs x outputs, weight units per input unit (the linear part)
  Eigen::MatrixXd power_form;  // Q: inputs x inputs, watts per volt^2
  Eigen::MatrixXd amperes;     // T: inputs x outputs, amperes per volt
  double output_kappa = 0.0;   // ohm
  Eigen::RowVectorXd offset_amperes;  // I0: outputs, amperes (empty: no offset)
  Eigen::RowVectorXd power_linear;    // q: inputs, watts per volt (empty: no offset)
  double termination_volts = 0.0;     // beta

  // I = v T + I0.
  Eigen::MatrixXd column_currents(const Eigen::MatrixXd& volts) const;
  // P(v) summed over the vectors, given their column currents I.
  double total_power(const Eigen::MatrixXd& volts, const Eigen::MatrixXd& currents) const;
};
TileResponse tile_response(const ProgrammedDesign& tile, Backend& backend);

}  // namespace xbar::sim
