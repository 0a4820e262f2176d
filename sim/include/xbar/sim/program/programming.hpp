// Programming a crossbar: for every cell, the switch states whose *measured* conductance is closest to
// the cell's target (thesis MIP (6.1)), in one of the solver modes (solver/mode.hpp):
//
//   signed    both banks solved jointly, 2n values of both signs (thesis §6.5, Lueker's setting)
//   fixed:K   signed, with exactly K switches closed in the cell
//   max:K     signed, with at most K switches closed in the cell
//   free      the weight's sign picks a bank, the other bank stays open; n values
//   series    series banks (fig. 6.3): the sign picks a bank, whose target *resistance* is solved;
//             the other bank's enable switch is open
// Usage (given const models::Calibration& measured, const Eigen::MatrixXd& targets, unsigned jobs):
//   models::SwitchStates states = program_crossbar(measured, targets, *SolveMode::parse("signed"), 0.0, jobs);
//
// An open parallel branch still leaks through roff, so a bank's conductance is
//   sum_k open_k + sum_k s_k (closed_k - open_k):
// the solver gets the differences and the target less the leakage, which makes the programming exact
// with respect to what was measured.
#pragma once

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"
#include "xbar/sim/program/solve_mode.hpp"
#include "xbar/solver/parallel.hpp"

namespace xbar::sim {

// targets: rows x cols signed conductances (siemens), G+ - G- wanted for each cell. `tolerance` is in
// the solver's units: siemens, or ohm for series banks.
models::SwitchStates program_crossbar(const models::Calibration& measured, const Eigen::MatrixXd& targets,
                                      const sim::SolveMode& mode = {}, double tolerance = 0.0,
                                      unsigned jobs = 0, const solver::Progress& progress = {},
                                      solver::Objective objective = solver::Objective::closest);

// The closest-subset-sum instance of one parallel cell in signed form: the 2n values (the negative
// bank's negated) and the target they must sum to. Shared with the coverage analysis.
struct CellInstance {
  std::vector<double> values;
  double target = 0.0;
};
CellInstance signed_cell_instance(const models::Calibration& measured, int row, int col, double target);

}  // namespace xbar::sim
