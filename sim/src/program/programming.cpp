#include "xbar/sim/program/programming.hpp"

#include <cmath>
#include <stdexcept>

#include "xbar/solver/batch.hpp"

namespace xbar::sim {

using models::Polarity;
using Kind = sim::SolveMode::Kind;

CellInstance signed_cell_instance(const models::Calibration& measured, int row, int col, double target) {
  const models::CrossbarShape& shape = measured.shape;
  CellInstance instance;
  instance.values.resize(shape.branches_per_cell());
  const models::SwitchedConductances& g = measured.branch_conductance;
  double leakage = 0.0;
  for (Polarity p : {Polarity::positive, Polarity::negative}) {
    const double sign = p == Polarity::positive ? 1.0 : -1.0;
    for (int k = 0; k < shape.resistors; ++k) {
      const std::size_t b = shape.branch(row, col, p, k);
      instance.values[static_cast<std::size_t>(p) * shape.resistors + k] = sign * (g.closed[b] - g.open[b]);
      leakage += sign * g.open[b];
    }
  }
  instance.target = target - leakage;
  return instance;
}

namespace {

// The active bank of a split cell: the weight's sign (zero goes to the positive bank).
Polarity active_bank(double target) { return target < 0.0 ? Polarity::negative : Polarity::positive; }
Polarity other_bank(Polarity p) { return p == Polarity::positive ? Polarity::negative : Polarity::positive; }

// Calls f(row, col, cell index) for every cell, in cell (row-major) order.
template <class F>
void for_each_cell(const models::CrossbarShape& shape, F f) {
  for (int i = 0; i < shape.rows; ++i) {
    for (int j = 0; j < shape.cols; ++j) f(i, j, shape.cell(i, j));
  }
}

// Every cell's closest-subset-sum instance (m values and a goal, in cell order), as one batch.
struct CellBatch {
  explicit CellBatch(const models::CrossbarShape& shape, std::size_t values_per_cell)
      : m(values_per_cell), values(shape.cell_count() * m), goals(shape.cell_count()) {}
  std::size_t m;
  std::vector<double> values, goals;
  double* cell_values(std::size_t cell) { return values.data() + cell * m; }
};

// Parallel cells in signed/fixed/max/free modes: one instance per cell, solved as a batch.
void program_parallel(const models::Calibration& measured, const Eigen::MatrixXd& targets, const sim::SolveMode& mode,
                      double tolerance, solver::Objective objective, unsigned jobs, const solver::Progress& progress,
                      models::SwitchStates& states) {
  const models::CrossbarShape& shape = measured.shape;
  const bool split = mode.one_bank();
  const std::size_t m = split ? static_cast<std::size_t>(shape.resistors) : shape.branches_per_cell();
  CellBatch batch(shape, m);
  for_each_cell(shape, [&](int i, int j, std::size_t cell) {
    CellInstance instance = signed_cell_instance(measured, i, j, targets(i, j));
    // Split: keep only the active bank's values (all of one sign); the other bank stays open.
    const std::size_t first = split ? static_cast<std::size_t>(active_bank(targets(i, j))) * m : 0;
    std::copy_n(instance.values.begin() + static_cast<std::ptrdiff_t>(first), m, batch.cell_values(cell));
    batch.goals[cell] = instance.target;
  });
  solver::ClosestSumOptions options;
  options.tolerance = tolerance;
  options.cardinality = mode.cardinality();
  options.objective = objective;
  const solver::BatchResult result = solver::solve_batch(batch.values, m, batch.goals, options, jobs, progress);
  for_each_cell(shape, [&](int i, int j, std::size_t cell) {
    const std::size_t first = shape.branch(i, j, split ? active_bank(targets(i, j)) : Polarity::positive, 0);
    std::copy_n(result.chosen.begin() + static_cast<std::ptrdiff_t>(cell * m), m,
                states.on.begin() + static_cast<std::ptrdiff_t>(first));
  });
}

// Resistance of a series bank with every bypass switch open and the enable switch as given.
double series_bank_open_resistance(const models::Calibration& c, int i, int j, Polarity p, bool enabled) {
  double total = 0.0;
  for (int k = 0; k < c.shape.resistors; ++k) total += c.branch_resistance.open[c.shape.branch(i, j, p, k)];
  const std::size_t bank = c.shape.bank(i, j, p);
  return total + (enabled ? c.enable_resistance.closed[bank] : c.enable_resistance.open[bank]);
}

// Series cells: the active bank's target resistance, solved as a closest subset sum of the extra
// resistance each position adds when its bypass switch opens; then the cell is compared with both
// banks disabled, which is what a (near-)zero weight wants.
void program_series(const models::Calibration& measured, const Eigen::MatrixXd& targets, double tolerance,
                    unsigned jobs, const solver::Progress& progress, models::SwitchStates& states) {
  const models::CrossbarShape& shape = measured.shape;
  const std::size_t m = static_cast<std::size_t>(shape.resistors);
  const models::SwitchedResistances& r = measured.branch_resistance;
  CellBatch batch(shape, m);
  for_each_cell(shape, [&](int i, int j, std::size_t cell) {
    const Polarity active = active_bank(targets(i, j));
    const double idle_leak = 1.0 / series_bank_open_resistance(measured, i, j, other_bank(active), false);
    const double wanted = std::abs(targets(i, j)) + idle_leak;  // conductance of the active bank
    double bypassed = 0.0;
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t b = shape.branch(i, j, active, static_cast<int>(k));
      batch.cell_values(cell)[k] = r.open[b] - r.closed[b];
      bypassed += r.closed[b];
    }
    batch.goals[cell] = 1.0 / wanted - measured.enable_resistance.closed[shape.bank(i, j, active)] - bypassed;
  });
  solver::ClosestSumOptions options;
  options.tolerance = tolerance;
  const solver::BatchResult result = solver::solve_batch(batch.values, m, batch.goals, options, jobs, progress);
  const auto signed_conductance = [&](int i, int j) {
    return models::bank_conductance(measured, states, i, j, Polarity::positive) -
           models::bank_conductance(measured, states, i, j, Polarity::negative);
  };
  for_each_cell(shape, [&](int i, int j, std::size_t cell) {
    const Polarity active = active_bank(targets(i, j));
    const Polarity idle = other_bank(active);
    for (std::size_t k = 0; k < m; ++k) {
      // chosen = the resistor is in the path = its bypass switch is open
      states.on[shape.branch(i, j, active, static_cast<int>(k))] = !result.chosen[cell * m + k];
      states.on[shape.branch(i, j, idle, static_cast<int>(k))] = 0;
    }
    states.enable[shape.bank(i, j, active)] = 1;
    states.enable[shape.bank(i, j, idle)] = 0;
    const double enabled = signed_conductance(i, j);
    states.enable[shape.bank(i, j, active)] = 0;
    const double disabled = signed_conductance(i, j);
    if (std::abs(enabled - targets(i, j)) <= std::abs(disabled - targets(i, j))) {
      states.enable[shape.bank(i, j, active)] = 1;
    }
  });
}

}  // namespace

models::SwitchStates program_crossbar(const models::Calibration& measured, const Eigen::MatrixXd& targets,
                                      const sim::SolveMode& mode, double tolerance, unsigned jobs,
                                      const solver::Progress& progress, solver::Objective objective) {
  const models::CrossbarShape& shape = measured.shape;
  if (targets.rows() != shape.rows || targets.cols() != shape.cols) {
    throw std::invalid_argument("program_crossbar: targets must be rows x cols of the crossbar");
  }
  const bool series_cells = measured.topology == models::CellTopology::series;
  if (series_cells != (mode.kind == Kind::series)) {
    throw std::invalid_argument("program_crossbar: solver mode " + mode.name() + " does not match " +
                                std::string(models::to_string(measured.topology)) + " banks");
  }
  models::SwitchStates states(shape);
  if (series_cells) {
    program_series(measured, targets, tolerance, jobs, progress, states);
  } else {
    program_parallel(measured, targets, mode, tolerance, objective, jobs, progress, states);
  }
  return states;
}

}  // namespace xbar::sim
