// Programming a crossbar: for every cell, the switch states whose *measured* conductance is closest to
// the cell's target (thesis MIP (6.1), both banks of a differential cell solved jointly, §6.5).
//
//   SwitchStates states = program_crossbar(measured, targets, options, progress);
//
// A branch leaks through its open switch, so a bank's conductance is
//   sum_k off_k + sum_k s_k (on_k - off_k):
// the solver gets the differences (negated for the - bank) and the target less the leakage, which
// makes the programming exact with respect to what was measured.
#pragma once

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"
#include "xbar/sim/backend.hpp"
#include "xbar/solver/subset_sum.hpp"

namespace xbar::sim {

// targets: rows x cols signed conductances (siemens), G+ - G- wanted for each cell.
models::SwitchStates program_crossbar(const models::BranchConductances& measured, const Eigen::MatrixXd& targets,
                                      const solver::ClosestSumOptions& options = {},
                                      const ProgressCallback& progress = {});

}  // namespace xbar::sim
