#include "xbar/sim/nn/tile.hpp"

#include <algorithm>

#include "xbar/sim/backends/transfer.hpp"

namespace xbar::sim {

ProgrammedDesign program_tile(const Spec& spec, const DesignProblem& problem, std::uint64_t stream,
                              const RunOptions& options) {
  ProgrammedDesign design = program_design(spec, problem, stream, options);
  const auto& shape = design.crossbar.shape;
  bool opened = false;
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j) {
      if (problem.weights(i, j) != 0.0) continue;
      const std::size_t first = shape.branch(i, j, models::Polarity::positive, 0);
      std::fill_n(design.states.on.begin() + static_cast<std::ptrdiff_t>(first), shape.branches_per_cell(), 0);
      opened = true;
    }
  if (opened) design.programmed_weights = programmed_weights(design);
  return design;
}

Eigen::MatrixXd tile_matrix(const ProgrammedDesign& tile, Backend& backend) {
  // v = x v_fs / x_fs and y = I x_fs w_fs / (v_fs g_fs): x_fs and v_fs cancel.
  return transfer_matrix(backend, tile.crossbar, tile.states) * (tile.scale.w_fs / tile.scale.g_fs);
}

}  // namespace xbar::sim
