#include "xbar/sim/programming.hpp"

#include <stdexcept>

namespace xbar::sim {

using models::Polarity;

models::SwitchStates program_crossbar(const models::BranchConductances& measured, const Eigen::MatrixXd& targets,
                                      const solver::ClosestSumOptions& options,
                                      const ProgressCallback& progress) {
  const models::CrossbarShape& shape = measured.shape;
  if (targets.rows() != shape.rows || targets.cols() != shape.cols) {
    throw std::invalid_argument("program_crossbar: targets must be rows x cols of the crossbar");
  }
  models::SwitchStates states(shape);
  solver::ClosestSumSolver solver;
  std::vector<double> values(shape.branches_per_cell());
  const std::size_t cells = shape.cell_count();
  for (int i = 0; i < shape.rows; ++i) {
    for (int j = 0; j < shape.cols; ++j) {
      double leakage = 0.0;
      for (Polarity p : {Polarity::positive, Polarity::negative}) {
        const double sign = p == Polarity::positive ? 1.0 : -1.0;
        for (int k = 0; k < shape.resistors; ++k) {
          const std::size_t b = shape.branch(i, j, p, k);
          values[static_cast<std::size_t>(p) * shape.resistors + k] = sign * (measured.on[b] - measured.off[b]);
          leakage += sign * measured.off[b];
        }
      }
      const solver::SubsetChoice choice = solver.solve(values, targets(i, j) - leakage, options);
      const std::size_t first = shape.branch(i, j, Polarity::positive, 0);
      std::copy(choice.chosen.begin(), choice.chosen.end(), states.on.begin() + static_cast<std::ptrdiff_t>(first));
      if (progress) progress(shape.cell(i, j) + 1, cells);
    }
  }
  return states;
}

}  // namespace xbar::sim
