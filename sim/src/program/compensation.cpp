#include "xbar/sim/program/compensation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/backends/transfer.hpp"
#include "xbar/sim/program/programming.hpp"
#include "xbar/solver/held_pair.hpp"

namespace xbar::sim {

namespace {

using models::Polarity;

constexpr std::size_t reported_saturations = 20;

double temperature_factor(double tc1, double tc2, double celsius) {
  const double dt = celsius - models::nominal_temperature;
  return 1.0 + tc1 * dt + tc2 * dt * dt;
}

// A crossbar whose true branches are `c` exactly (ron = 0: each resistor stands for resistor + switch), with
// the layout's wires: what the native backend needs to compute the model's transfer matrix.
models::Crossbar model_crossbar(const models::Calibration& c, const models::Wires& layout) {
  models::Crossbar x;
  x.shape = c.shape;
  x.wires = layout;
  x.topology = models::CellTopology::parallel;
  const std::size_t branches = c.shape.branch_count();
  x.resistance.resize(branches);
  x.ron.assign(branches, 0.0);
  x.roff.resize(branches);
  for (std::size_t b = 0; b < branches; ++b) {
    x.resistance[b] = 1.0 / c.branch_conductance.closed[b];
    x.roff[b] = 1.0 / c.branch_conductance.open[b] - x.resistance[b];
  }
  return x;
}

// Each bank as one conductance (one closed branch per bank): the continuous phase's circuit.
models::Crossbar continuous_crossbar(const models::CrossbarShape& shape, const models::Wires& layout) {
  models::Crossbar x;
  x.shape = {shape.rows, shape.cols, 1};
  x.wires = layout;
  x.topology = models::CellTopology::parallel;
  x.resistance.assign(x.shape.branch_count(), 1.0);
  x.ron.assign(x.shape.branch_count(), 0.0);
  x.roff.assign(x.shape.branch_count(), 1.0);
  return x;
}
models::SwitchStates closed_states(const models::CrossbarShape& shape) {
  models::SwitchStates states(shape);
  std::fill(states.on.begin(), states.on.end(), 1);
  return states;
}
// Banks at the given conductances; a zero weight's cell open (its leakage is negligible here).
void set_banks(models::Crossbar& x, const Eigen::MatrixXd& positive, const Eigen::MatrixXd& negative,
               const Eigen::MatrixXd& targets) {
  constexpr double open = 1e30;  // ohm
  for (int i = 0; i < x.shape.rows; ++i)
    for (int j = 0; j < x.shape.cols; ++j) {
      const bool zero = targets(i, j) == 0.0;
      x.resistance[x.shape.branch(i, j, Polarity::positive, 0)] = zero ? open : 1.0 / positive(i, j);
      x.resistance[x.shape.branch(i, j, Polarity::negative, 0)] = zero ? open : 1.0 / negative(i, j);
    }
}

// One cell's banks as the held-pair solver sees them: steps closed - open, leakage all open.
struct CellBanks {
  std::vector<double> steps[2];
  double leakage[2] = {0.0, 0.0};
  double full[2] = {0.0, 0.0};  // every switch closed
};
CellBanks banks_of(const models::Calibration& c, int i, int j) {
  CellBanks banks;
  const models::CrossbarShape& shape = c.shape;
  for (int p = 0; p < 2; ++p) {
    banks.steps[p].resize(static_cast<std::size_t>(shape.resistors));
    for (int k = 0; k < shape.resistors; ++k) {
      const std::size_t b = shape.branch(i, j, static_cast<Polarity>(p), k);
      banks.steps[p][static_cast<std::size_t>(k)] = c.branch_conductance.closed[b] - c.branch_conductance.open[b];
      banks.leakage[p] += c.branch_conductance.open[b];
      banks.full[p] += c.branch_conductance.closed[b];
    }
  }
  return banks;
}

// Bank targets for a new difference with the common mode held: the change goes to the bank that carries
// the cell's sign (the larger one), as long as both stay within their reach; what one bank cannot take,
// the other does. Returns whether the difference is reachable at all.
bool held_targets(const CellBanks& banks, double held_positive, double held_negative, double difference,
                  double& positive, double& negative) {
  positive = held_positive;
  negative = held_negative;
  if (held_positive >= held_negative) {
    positive = held_negative + difference;
  } else {
    negative = held_positive - difference;
  }
  if (positive < banks.leakage[0]) {
    negative += banks.leakage[0] - positive;
    positive = banks.leakage[0];
  }
  if (negative < banks.leakage[1]) {
    positive += banks.leakage[1] - negative;
    negative = banks.leakage[1];
  }
  const bool reachable = positive <= banks.full[0] && negative <= banks.full[1];
  positive = std::min(positive, banks.full[0]);
  negative = std::min(negative, banks.full[1]);
  return reachable;
}

}  // namespace

models::Calibration calibration_at_operation(const models::Calibration& measured, const CompensationSettings& s) {
  models::Calibration model = measured;
  if (!s.temperature) return model;
  const double ratio = temperature_factor(s.tc1, s.tc2, s.operating_temperature) /
                       temperature_factor(s.tc1, s.tc2, s.calibration_temperature);
  for (std::size_t b = 0; b < measured.branch_conductance.closed.size(); ++b) {
    const double closed = 1.0 / measured.branch_conductance.closed[b];  // R + ron
    const double open = 1.0 / measured.branch_conductance.open[b];      // R + roff
    const double resistor = closed - s.ron;
    const double moved = resistor * (ratio - 1.0);
    model.branch_conductance.closed[b] = 1.0 / (closed + moved);
    model.branch_conductance.open[b] = 1.0 / (open + moved);
  }
  return model;
}

models::SwitchStates program_compensated(const models::Calibration& measured, const Eigen::MatrixXd& targets,
                                         const SolveMode& mode, const CompensationSettings& s,
                                         CompensationReport& report, const solver::Progress& progress) {
  if (measured.topology != models::CellTopology::parallel ||
      !(mode.kind == SolveMode::Kind::signed_banks || (mode.kind == SolveMode::Kind::free && !mode.per_bank))) {
    throw std::invalid_argument("program_compensated: parallel banks in solver mode signed or free only");
  }
  report = {};
  const models::Calibration model = calibration_at_operation(measured, s);
  models::SwitchStates states =
      program_crossbar(model, targets, mode, s.solver_tolerance, s.jobs, progress, s.objective);
  const models::CrossbarShape& shape = model.shape;
  // A zero weight stays open: no current, nothing to correct (pruned cells; a tile opens them too).
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j) {
      if (targets(i, j) != 0.0) continue;
      std::fill_n(states.on.begin() + static_cast<std::ptrdiff_t>(shape.branch(i, j, Polarity::positive, 0)),
                  shape.branches_per_cell(), 0);
    }
  if (!s.wires || s.layout.ideal()) {
    report.converged = true;
    report.stopped_by = "tolerance";
    return states;
  }

  const models::Crossbar model_circuit = model_crossbar(model, s.layout);
  const auto backend = make_backend(BackendKind::native, {s.factorization});
  const auto rows = static_cast<Eigen::Index>(shape.rows), cols = static_cast<Eigen::Index>(shape.cols);
  std::vector<CellBanks> banks(shape.cell_count());
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j) banks[shape.cell(i, j)] = banks_of(model, i, j);
  // The common mode each cell keeps: its banks after the first solve.
  Eigen::MatrixXd held[2] = {Eigen::MatrixXd(rows, cols), Eigen::MatrixXd(rows, cols)};
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j)
      for (int p = 0; p < 2; ++p) held[p](i, j) = models::bank_conductance(model, states, i, j, static_cast<Polarity>(p));
  // How close each cell can get: the first solve's error (a joint solve over both banks, at least as
  // precise as any held one). A re-solve aims at the programming precision, or at twice that.
  const Eigen::MatrixXd first_error = (models::signed_conductances(model, states) - targets).cwiseAbs();

  // 1. Continuous: the corrected differences, each cell's banks at their held-common-mode values exactly
  // (no subset sums), until the model computes W. The map is smooth, so this contracts to rounding by the
  // IR-drop fraction per step.
  Eigen::MatrixXd corrected = targets;
  Eigen::MatrixXd bank_target[2] = {held[0], held[1]};
  std::vector<std::uint8_t> reachable(shape.cell_count(), 1);
  const auto place_banks = [&]() {
    for (int i = 0; i < shape.rows; ++i)
      for (int j = 0; j < shape.cols; ++j) {
        if (targets(i, j) == 0.0) continue;
        reachable[shape.cell(i, j)] = held_targets(banks[shape.cell(i, j)], held[0](i, j), held[1](i, j),
                                                   corrected(i, j), bank_target[0](i, j), bank_target[1](i, j));
      }
  };
  models::Crossbar continuous = continuous_crossbar(shape, s.layout);
  const models::SwitchStates all_closed = closed_states(continuous.shape);
  for (int step = 0; step <= s.iterations; ++step) {
    place_banks();
    set_banks(continuous, bank_target[0], bank_target[1], targets);
    const Eigen::MatrixXd residual = targets - transfer_matrix(*backend, continuous, all_closed);
    std::vector<double>& r = report.continuous_residual;
    r.push_back(residual.cwiseAbs().maxCoeff() / s.g_fs);
    if (r.back() <= 1e-2 * s.tolerance || step == s.iterations) break;
    // Over-relaxed: the wires only take current away (the loss operator's spectrum lies in [0, rho]), so a
    // step of 2 / (2 - rho) contracts by rho / (2 - rho) instead of rho; rho from the first two steps.
    const double rho = r.size() >= 2 ? std::clamp(r[1] / r[0], 0.0, 0.9) : 0.0;
    corrected += (2.0 / (2.0 - rho)) * residual;
  }

  // 2. Quantized: every cell solved to its banks' targets with the common mode held, then corrected in
  // passes that re-solve only the cells the subset sums left too far from their corrected target.
  const double resolve_threshold = std::max(s.solver_tolerance, s.tolerance * s.g_fs);
  const double precision = std::max(s.solver_tolerance, 0.25 * s.tolerance * s.g_fs);
  // How far a bank may leave its target to find a closer difference (the common mode's give): a little,
  // widened per cell as far as its precision needs (up to the whole bank where its sums are sparse).
  const double band = 2e-3 * s.g_fs;
  // The banks a cell reaches are off their targets by a little (the give above): along each input line
  // those shifts are diffused, each cell aiming to cancel what the cells after it on the line moved (a
  // segment carries the current of every cell beyond it), so the lines' currents, and their IR drops,
  // stay where the continuous phase put them. Lines are independent: one task per row, its cells from
  // the line's far end; the same states for any thread count.
  const auto resolve = [&](const std::vector<std::size_t>& cells) {
    std::vector<std::vector<std::size_t>> by_row(static_cast<std::size_t>(shape.rows));
    for (std::size_t cell : cells) by_row[cell / static_cast<std::size_t>(shape.cols)].push_back(cell);
    solver::parallel_for(by_row.size(), s.jobs, [&](std::size_t row) {
      thread_local solver::HeldPairSolver solver;
      double carry[2] = {0.0, 0.0};
      for (auto it = by_row[row].rbegin(); it != by_row[row].rend(); ++it) {
        const int i = static_cast<int>(row), j = static_cast<int>(*it % static_cast<std::size_t>(shape.cols));
        const CellBanks& b = banks[*it];
        const double widest_band = std::max(b.full[0] - b.leakage[0], b.full[1] - b.leakage[1]);
        const solver::HeldPairChoice c = solver.solve(
            {b.steps[0], b.leakage[0]}, {b.steps[1], b.leakage[1]}, bank_target[0](i, j) - bank_target[1](i, j),
            bank_target[0](i, j) - carry[0], bank_target[1](i, j) - carry[1], band,
            std::max(precision, 2.0 * first_error(i, j)), widest_band);
        const double reached[2] = {c.common / 2 + c.difference / 2, c.common / 2 - c.difference / 2};
        for (int p = 0; p < 2; ++p) {
          carry[p] += reached[p] - bank_target[p](i, j);
          held[p](i, j) = reached[p];  // later corrections move the cell from where it now is
          const std::uint32_t mask = p == 0 ? c.positive : c.negative;
          for (int r = 0; r < shape.resistors; ++r) states.on[shape.branch(i, j, static_cast<Polarity>(p), r)] = (mask >> r) & 1u;
        }
      }
    });
  };
  std::vector<std::size_t> cells;
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j)
      if (targets(i, j) != 0.0) cells.push_back(shape.cell(i, j));
  resolve(cells);
  report.resolved.push_back(cells.size());

  models::SwitchStates best = states;
  double best_residual = std::numeric_limits<double>::infinity();
  for (int step = 0;; ++step) {
    const Eigen::MatrixXd residual = targets - transfer_matrix(*backend, model_circuit, states);
    const double largest = residual.cwiseAbs().maxCoeff() / s.g_fs;
    report.residual.push_back(largest);
    if (largest < best_residual) {
      best_residual = largest;
      best = states;
    }
    if (largest <= s.tolerance) {
      report.converged = true;
      report.stopped_by = "tolerance";
      break;
    }
    // Stalled: the cells left over the tolerance cannot get closer within their common mode's give, and
    // moving them further only shakes the rest.
    const std::vector<double>& r = report.residual;
    const bool stalled =
        r.size() >= 3 && std::min(r[r.size() - 1], r[r.size() - 2]) > 0.9 * *std::min_element(r.begin(), r.end() - 2);
    if (step == s.iterations || stalled) {
      report.stopped_by = stalled ? "no gain" : "iterations";
      break;
    }
    corrected += residual;
    place_banks();
    const Eigen::MatrixXd reached = models::signed_conductances(model, states);
    cells.clear();
    for (int i = 0; i < shape.rows; ++i)
      for (int j = 0; j < shape.cols; ++j) {
        if (targets(i, j) != 0.0 && std::abs(corrected(i, j) - reached(i, j)) > resolve_threshold) {
          cells.push_back(shape.cell(i, j));
        }
      }
    report.resolved.push_back(cells.size());
    resolve(cells);
  }
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j) {
      if (targets(i, j) == 0.0 || reachable[shape.cell(i, j)]) continue;
      ++report.saturated;
      if (report.saturated_cells.size() < reported_saturations) {
        report.saturated_cells.push_back({i, j, corrected(i, j), bank_target[0](i, j) - bank_target[1](i, j)});
      }
    }
  return best;
}

}  // namespace xbar::sim
