#include "xbar/models/crossbar.hpp"

namespace xbar::models {

Crossbar fabricate_crossbar(const CellTechnology& tech, int rows, int cols, std::uint64_t seed,
                            std::uint64_t trial) {
  Crossbar xbar;
  xbar.shape = {rows, cols, tech.resistors};
  const std::size_t branches = xbar.shape.branch_count();
  xbar.resistance.resize(branches);
  xbar.ron.assign(branches, tech.ron);
  xbar.roff.assign(branches, tech.roff);
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

BranchConductances true_branch_conductances(const Crossbar& xbar) {
  BranchConductances g{xbar.shape, {}, {}};
  const std::size_t branches = xbar.shape.branch_count();
  g.on.resize(branches);
  g.off.resize(branches);
  for (std::size_t b = 0; b < branches; ++b) {
    g.on[b] = 1.0 / (xbar.resistance[b] + xbar.ron[b]);
    g.off[b] = 1.0 / (xbar.resistance[b] + xbar.roff[b]);
  }
  return g;
}

BranchConductances measure_branches(const Crossbar& xbar) { return true_branch_conductances(xbar); }

double bank_conductance(const BranchConductances& g, const SwitchStates& states, int row, int col,
                        Polarity p) {
  double total = 0.0;
  for (int k = 0; k < g.shape.resistors; ++k) {
    const std::size_t b = g.shape.branch(row, col, p, k);
    total += states.on[b] ? g.on[b] : g.off[b];
  }
  return total;
}

Eigen::MatrixXd signed_conductances(const BranchConductances& g, const SwitchStates& states) {
  Eigen::MatrixXd result(g.shape.rows, g.shape.cols);
  for (int i = 0; i < g.shape.rows; ++i) {
    for (int j = 0; j < g.shape.cols; ++j) {
      result(i, j) = bank_conductance(g, states, i, j, Polarity::positive) -
                     bank_conductance(g, states, i, j, Polarity::negative);
    }
  }
  return result;
}

}  // namespace xbar::models
