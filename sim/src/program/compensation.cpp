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
    return states;
  }

  const models::Crossbar model_circuit = model_crossbar(model, s.layout);
  const auto backend = make_backend(BackendKind::native);
  const auto rows = static_cast<Eigen::Index>(shape.rows), cols = static_cast<Eigen::Index>(shape.cols);
  // The common mode each cell keeps: its banks after the first solve.
  Eigen::MatrixXd held[2] = {Eigen::MatrixXd(rows, cols), Eigen::MatrixXd(rows, cols)};
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j)
      for (int p = 0; p < 2; ++p) held[p](i, j) = models::bank_conductance(model, states, i, j, static_cast<Polarity>(p));

  Eigen::MatrixXd corrected = targets;
  models::SwitchStates best = states;
  double best_residual = std::numeric_limits<double>::infinity();
  // A cell is re-solved when its corrected target moved past what it reaches now by more than this, and
  // then aims at a quarter of it: cells already close enough keep their states (and their common mode).
  const double resolve_threshold = std::max(s.solver_tolerance, s.tolerance * s.g_fs);
  const double precision = std::max(s.solver_tolerance, 0.25 * s.tolerance * s.g_fs);
  // How far a bank may leave its held value to find a closer difference (the common mode's give): a
  // little, widened per cell up to about a weight's full scale where its banks are sparse.
  const double band = 2e-3 * s.g_fs, widest_band = 0.15 * s.g_fs;
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
      break;
    }
    // Stalled: the cells left over the tolerance cannot get closer within their common mode's give, and
    // moving them further only shakes the rest.
    const std::vector<double>& r = report.residual;
    const bool stalled =
        r.size() >= 3 && std::min(r[r.size() - 1], r[r.size() - 2]) >
                             0.9 * *std::min_element(r.begin(), r.end() - 2);
    if (step == s.iterations || stalled) break;
    corrected += residual;
    const Eigen::MatrixXd reached = models::signed_conductances(model, states);
    std::vector<std::size_t> moved;
    for (int i = 0; i < shape.rows; ++i)
      for (int j = 0; j < shape.cols; ++j) {
        if (targets(i, j) != 0.0 && std::abs(corrected(i, j) - reached(i, j)) > resolve_threshold) {
          moved.push_back(shape.cell(i, j));
        }
      }
    report.resolved.push_back(moved.size());
    std::vector<std::uint8_t> saturated(moved.size(), 0);
    // Each cell's answer depends on its own inputs only: the same states for any thread count.
    std::vector<solver::HeldPairChoice> choices(moved.size());
    solver::parallel_for(moved.size(), s.jobs, [&](std::size_t k) {
      const int i = static_cast<int>(moved[k] / static_cast<std::size_t>(shape.cols));
      const int j = static_cast<int>(moved[k] % static_cast<std::size_t>(shape.cols));
      const CellBanks banks = banks_of(model, i, j);
      double positive = 0.0, negative = 0.0;
      saturated[k] = !held_targets(banks, held[0](i, j), held[1](i, j), corrected(i, j), positive, negative);
      thread_local solver::HeldPairSolver solver;
      choices[k] = solver.solve({banks.steps[0], banks.leakage[0]}, {banks.steps[1], banks.leakage[1]}, positive,
                                negative, band, precision, widest_band);
    });
    report.saturated = 0;
    report.saturated_cells.clear();
    for (std::size_t k = 0; k < moved.size(); ++k) {
      const int i = static_cast<int>(moved[k] / static_cast<std::size_t>(shape.cols));
      const int j = static_cast<int>(moved[k] % static_cast<std::size_t>(shape.cols));
      for (int p = 0; p < 2; ++p) {
        const std::uint32_t mask = p == 0 ? choices[k].positive : choices[k].negative;
        for (int b = 0; b < shape.resistors; ++b) {
          states.on[shape.branch(i, j, static_cast<Polarity>(p), b)] = (mask >> b) & 1u;
        }
      }
      if (!saturated[k]) continue;
      ++report.saturated;
      if (report.saturated_cells.size() < reported_saturations) {
        report.saturated_cells.push_back({i, j, corrected(i, j), choices[k].difference});
      }
    }
  }
  return best;
}

}  // namespace xbar::sim
