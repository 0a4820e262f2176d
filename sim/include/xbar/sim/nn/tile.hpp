// One tile of a lowered weight matrix as its own crossbar: fabricated from the spec with its own random
// stream, measured, programmed; cells whose weight was pruned get every switch open. Shared by `xbar
// layer` and `xbar network`.
// Usage (given const Spec& spec, const DesignProblem& problem, std::uint64_t stream, Backend& backend):
//   ProgrammedDesign tile = program_tile(spec, problem, stream);
//   TileResponse r = tile_response(tile, backend);    // r.matrix: inputs x outputs, weight units per input
//                                                     // unit; r.power_form: its power as a quadratic form
#pragma once

#include <cstdint>

#include <Eigen/Dense>

#include "xbar/sim/flow/design.hpp"

namespace xbar::sim {

ProgrammedDesign program_tile(const Spec& spec, const DesignProblem& problem, std::uint64_t stream,
                              const RunOptions& options = {});

// The matrix the tile computes, wires and all (its transfer matrix in weight units: y = x * M for any
// input x within [-x_fs, x_fs]), from one solve per input row, with what the tile's products cost: for row voltages v (a row
// vector, volts) every source delivers P(v) = v Q v^T + kappa |v T|^2 watts (flow/energy.hpp's power_w),
// Q from the row sources' currents, T the transfer matrix in amperes per volt, kappa = rf A / (1 + A) for
// an amplifier of finite gain (its output's -v_o i), else 0. Needs no amplifier offset (the map is linear).
struct TileResponse {
  Eigen::MatrixXd matrix;      // inputs x outputs, weight units per input unit
  Eigen::MatrixXd power_form;  // Q: inputs x inputs, watts per volt^2
  Eigen::MatrixXd amperes;     // T: inputs x outputs, amperes per volt
  double output_kappa = 0.0;   // ohm
};
TileResponse tile_response(const ProgrammedDesign& tile, Backend& backend);

}  // namespace xbar::sim
