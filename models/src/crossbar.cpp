#include "xbar/models/crossbar.hpp"

namespace xbar::models {

namespace {

double parallel_pair(double a, double b) { return a * b / (a + b); }

}  // namespace

Crossbar fabricate_crossbar(const CellTechnology& tech, int rows, int cols, std::uint64_t seed,
                            std::uint64_t trial) {
  Crossbar xbar;
  xbar.shape = {rows, cols, tech.resistors};
  xbar.topology = tech.topology;
  const std::size_t branches = xbar.shape.branch_count();
  xbar.resistance.resize(branches);
  xbar.ron.assign(branches, tech.ron);
  xbar.roff.assign(branches, tech.roff);
  if (tech.topology == CellTopology::series) {
    xbar.enable_ron.assign(xbar.shape.bank_count(), tech.ron);
    xbar.enable_roff.assign(xbar.shape.bank_count(), tech.roff);
  }
  const std::vector<double> nominal = nominal_resistances(tech);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      Rng rng(derive_seed(seed, trial, StreamPurpose::fabrication, xbar.shape.cell(i, j)));
      for (Polarity p : {Polarity::positive, Polarity::negative}) {
        for (int k = 0; k < tech.resistors; ++k) {
          const double d = draw_relative_deviation(rng, tech.distribution, tech.variation);
          xbar.resistance[xbar.shape.branch(i, j, p, k)] = nominal[k] * (1.0 + d);
        }
      }
    }
  }
  return xbar;
}

Calibration true_calibration(const Crossbar& xbar) {
  Calibration c{xbar.shape, xbar.topology, {}, {}, {}, {}};
  const std::size_t branches = xbar.shape.branch_count();
  c.closed.resize(branches);
  c.open.resize(branches);
  for (std::size_t b = 0; b < branches; ++b) {
    if (xbar.topology == CellTopology::parallel) {
      c.closed[b] = 1.0 / (xbar.resistance[b] + xbar.ron[b]);
      c.open[b] = 1.0 / (xbar.resistance[b] + xbar.roff[b]);
    } else {
      c.closed[b] = parallel_pair(xbar.resistance[b], xbar.ron[b]);
      c.open[b] = parallel_pair(xbar.resistance[b], xbar.roff[b]);
    }
  }
  c.enable_closed = xbar.enable_ron;
  c.enable_open = xbar.enable_roff;
  return c;
}

Calibration measure_calibration(const Crossbar& xbar) { return true_calibration(xbar); }

double bank_conductance(const Calibration& c, const SwitchStates& states, int row, int col, Polarity p) {
  double total = 0.0;
  for (int k = 0; k < c.shape.resistors; ++k) {
    const std::size_t b = c.shape.branch(row, col, p, k);
    total += states.on[b] ? c.closed[b] : c.open[b];
  }
  if (c.topology == CellTopology::parallel) return total;
  const std::size_t bank = c.shape.bank(row, col, p);
  return 1.0 / (total + (states.enable[bank] ? c.enable_closed[bank] : c.enable_open[bank]));
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
