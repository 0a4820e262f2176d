#include "xbar/models/crossbar.hpp"

#include <algorithm>
#include <cmath>

namespace xbar::models {

namespace {

double parallel_pair(double a, double b) { return a * b / (a + b); }

}  // namespace

Crossbar fabricate_crossbar(const CellTechnology& tech, int rows, int cols, std::uint64_t seed,
                            std::uint64_t trial) {
  Crossbar xbar;
  xbar.shape = {rows, cols, tech.resistors};
  xbar.topology = tech.topology;
  xbar.tc1 = tech.tc1;
  xbar.tc2 = tech.tc2;
  const std::size_t branches = xbar.shape.branch_count();
  xbar.resistance.resize(branches);
  xbar.ron.assign(branches, tech.ron);
  xbar.roff.assign(branches, tech.roff);
  if (tech.topology == CellTopology::series) {
    xbar.enable_ron.assign(xbar.shape.bank_count(), tech.ron);
    xbar.enable_roff.assign(xbar.shape.bank_count(), tech.roff);
  }
  const std::vector<double> nominal = nominal_resistances(tech);
  const std::vector<double> spread = mismatch_spreads(tech);
  Rng die(derive_seed(seed, trial, StreamPurpose::fabrication, global_stream));
  const double shift = tech.global > 0.0 ? draw_relative_deviation(die, tech.global_distribution, tech.global) : 0.0;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const double x = cols > 1 ? static_cast<double>(j) / (cols - 1) : 0.5;
      const double y = rows > 1 ? static_cast<double>(i) / (rows - 1) : 0.5;
      const double gradient = 1.0 + tech.gradient_x * (x - 0.5) + tech.gradient_y * (y - 0.5);
      Rng rng(derive_seed(seed, trial, StreamPurpose::fabrication, xbar.shape.cell(i, j)));
      for (Polarity p : {Polarity::positive, Polarity::negative}) {
        for (int k = 0; k < tech.resistors; ++k) {
          // spread: conductance u / R with u uniform in (0, 1], drawn before the mismatch
          const double u = tech.design == BankDesign::spread ? 1.0 - rng.uniform(0.0, 1.0) : 1.0;
          const double d = draw_relative_deviation(rng, tech.distribution, spread[k]);
          xbar.resistance[xbar.shape.branch(i, j, p, k)] = nominal[k] / u * (1.0 + shift) * (1.0 + d) * gradient;
        }
      }
      if (tech.ron_spread > 0.0) {  // drawn after the resistors, so they do not change with it
        for (int k = 0; k < 2 * tech.resistors; ++k) {
          const std::size_t b = xbar.shape.branch(i, j, Polarity::positive, 0) + static_cast<std::size_t>(k);
          xbar.ron[b] = tech.ron * (1.0 + draw_relative_deviation(rng, Distribution::normal, tech.ron_spread));
        }
      }
    }
  }
  return xbar;
}

Wires fabricate_wires(const Wires& layout, double variation, Distribution distribution, int rows, int cols,
                      std::uint64_t seed, std::uint64_t trial) {
  Wires wires = layout;
  wires.row_segments.clear();
  wires.column_segments.clear();
  if (variation == 0.0 || layout.segment == 0.0) return wires;
  Rng rng(derive_seed(seed, trial, StreamPurpose::fabrication, wire_stream));
  wires.row_segments.resize(static_cast<std::size_t>(2 * rows) * static_cast<std::size_t>(cols - 1));
  wires.column_segments.resize(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows - 1));
  for (double& r : wires.row_segments) r = layout.segment * (1.0 + draw_relative_deviation(rng, distribution, variation));
  for (double& r : wires.column_segments) r = layout.segment * (1.0 + draw_relative_deviation(rng, distribution, variation));
  return wires;
}

double resistance_at(const Crossbar& xbar, std::size_t branch, double celsius) {
  const double dt = celsius - nominal_temperature;
  return xbar.resistance[branch] * (1.0 + xbar.tc1 * dt + xbar.tc2 * dt * dt);
}

namespace {

// A branch at `celsius` with its switch closed or open, in its topology's unit: a parallel branch's
// conductance (resistor + switch), a series branch's resistance (resistor || its bypass switch).
double branch_value(const Crossbar& xbar, std::size_t branch, double celsius, bool closed) {
  const double r = resistance_at(xbar, branch, celsius);
  const double s = closed ? xbar.ron[branch] : xbar.roff[branch];
  return xbar.topology == CellTopology::parallel ? 1.0 / (r + s) : parallel_pair(r, s);
}

}  // namespace

Calibration calibration_at(const Crossbar& xbar, double celsius) {
  Calibration c{xbar.shape, xbar.topology, {}, {}, {}};
  const std::size_t branches = xbar.shape.branch_count();
  const bool parallel = xbar.topology == CellTopology::parallel;
  std::vector<double>& closed = parallel ? c.branch_conductance.closed : c.branch_resistance.closed;
  std::vector<double>& open = parallel ? c.branch_conductance.open : c.branch_resistance.open;
  closed.resize(branches);
  open.resize(branches);
  for (std::size_t b = 0; b < branches; ++b) {
    closed[b] = branch_value(xbar, b, celsius, true);
    open[b] = branch_value(xbar, b, celsius, false);
  }
  if (!parallel) c.enable_resistance = {xbar.enable_ron, xbar.enable_roff};
  return c;
}

Calibration true_calibration(const Crossbar& xbar) { return calibration_at(xbar, xbar.temperature); }

Calibration measure_calibration(const Crossbar& xbar, const MeasurementSetup& setup, std::uint64_t seed,
                                std::uint64_t trial) {
  Calibration c = calibration_at(xbar, setup.temperature);
  const CrossbarShape& shape = xbar.shape;
  const bool parallel = c.topology == CellTopology::parallel;
  // The measured quantity of each branch: one unit per crossbar, whichever its topology holds.
  std::vector<double>& closed = parallel ? c.branch_conductance.closed : c.branch_resistance.closed;
  std::vector<double>& open = parallel ? c.branch_conductance.open : c.branch_resistance.open;
  SwitchedResistances& enable = c.enable_resistance;
  if (setup.relative_error > 0.0) {
    for (std::size_t cell = 0; cell < shape.cell_count(); ++cell) {
      Rng rng(derive_seed(seed, trial, StreamPurpose::measurement, cell));
      const std::size_t first = cell * shape.branches_per_cell();
      for (std::size_t b = first; b < first + shape.branches_per_cell(); ++b) {
        closed[b] *= 1.0 + setup.relative_error * rng.standard_normal();
        open[b] *= 1.0 + setup.relative_error * rng.standard_normal();
      }
      for (std::size_t bank = 2 * cell; bank < 2 * cell + 2 && !enable.closed.empty(); ++bank) {
        enable.closed[bank] *= 1.0 + setup.relative_error * rng.standard_normal();
        enable.open[bank] *= 1.0 + setup.relative_error * rng.standard_normal();
      }
    }
  }
  if (setup.bits > 0) {
    const double largest = std::max(*std::max_element(closed.begin(), closed.end()),
                                    *std::max_element(open.begin(), open.end()));
    const double range = setup.range > 0.0 ? setup.range : 1.25 * largest;
    const double step = range / (std::ldexp(1.0, setup.bits) - 1.0);
    const auto quantise = [&](double& v) { v = std::clamp(std::round(v / step), 0.0, std::ldexp(1.0, setup.bits) - 1.0) * step; };
    for (auto* values : {&closed, &open, &enable.closed, &enable.open}) {
      for (double& v : *values) quantise(v);
    }
  }
  return c;
}

double bank_conductance(const Calibration& c, const SwitchStates& states, int row, int col, Polarity p) {
  const bool parallel = c.topology == CellTopology::parallel;
  const std::vector<double>& closed = parallel ? c.branch_conductance.closed : c.branch_resistance.closed;
  const std::vector<double>& open = parallel ? c.branch_conductance.open : c.branch_resistance.open;
  double total = 0.0;  // siemens (parallel branches) or ohm (series branches)
  for (int k = 0; k < c.shape.resistors; ++k) {
    const std::size_t b = c.shape.branch(row, col, p, k);
    total += states.on[b] ? closed[b] : open[b];
  }
  if (parallel) return total;
  const std::size_t bank = c.shape.bank(row, col, p);
  const SwitchedResistances& enable = c.enable_resistance;
  return 1.0 / (total + (states.enable[bank] ? enable.closed[bank] : enable.open[bank]));
}

double true_bank_conductance(const Crossbar& xbar, const SwitchStates& states, int row, int col, Polarity p) {
  const bool parallel = xbar.topology == CellTopology::parallel;
  double total = 0.0;  // as bank_conductance, in the same order
  for (int k = 0; k < xbar.shape.resistors; ++k) {
    const std::size_t b = xbar.shape.branch(row, col, p, k);
    total += branch_value(xbar, b, xbar.temperature, states.on[b] != 0);
  }
  if (parallel) return total;
  const std::size_t bank = xbar.shape.bank(row, col, p);
  return 1.0 / (total + (states.enable[bank] ? xbar.enable_ron[bank] : xbar.enable_roff[bank]));
}

Eigen::MatrixXd signed_conductances(const Calibration& c, const SwitchStates& states) {
  Eigen::MatrixXd result(c.shape.rows, c.shape.cols);
  for (int i = 0; i < c.shape.rows; ++i) {
    for (int j = 0; j < c.shape.cols; ++j) {
      result(i, j) = bank_conductance(c, states, i, j, Polarity::positive) -
                     bank_conductance(c, states, i, j, Polarity::negative);
    }
  }
  return result;
}

}  // namespace xbar::models
