// One tile of a lowered weight matrix as its own crossbar: fabricated from the spec with its own random
// stream, measured, programmed; cells whose weight was pruned get every switch open. Shared by `xbar
// layer` and `xbar network`.
// Usage (given const Spec& spec, const DesignProblem& problem, std::uint64_t stream, Backend& backend):
//   ProgrammedDesign tile = program_tile(spec, problem, stream);
//   Eigen::MatrixXd m = tile_matrix(tile, backend);   // inputs x outputs, weight units per input unit
#pragma once

#include <cstdint>

#include <Eigen/Dense>

#include "xbar/sim/flow/design.hpp"

namespace xbar::sim {

ProgrammedDesign program_tile(const Spec& spec, const DesignProblem& problem, std::uint64_t stream,
                              const RunOptions& options = {});

// The matrix the tile computes, wires and all (its transfer matrix in weight units): y = x * M for any
// input x within [-x_fs, x_fs].
Eigen::MatrixXd tile_matrix(const ProgrammedDesign& tile, Backend& backend);

}  // namespace xbar::sim
