// Coverage of a programmed crossbar's cells: for each cell, how far any weight in [-w_fs, w_fs] can be
// from the nearest conductance its measured values can reach (solver/coverage.hpp), relative to g_fs,
// i.e. the weight error the exact solver can leave in the worst case. Reported per cell and as a
// distribution over the crossbar: the number a designer needs to choose n.
// Usage (given const models::Calibration& measured, double g_fs, const SolveMode& mode, unsigned jobs):
//   CrossbarCoverage c = crossbar_coverage(measured, g_fs, mode, {.sample = 16}, jobs);
//   c.worst_error.median;   // relative to g_fs; c.cells[k] for each analysed cell
//
// The signed mode is covered over all 2^(2n) subsets of the cell's 2n values, fixed:K and max:K over the
// subsets with exactly / at most K values; free covers each bank over its half of the range. Series banks have no coverage analysis.
#pragma once

#include <cstddef>
#include <vector>

#include "xbar/models/crossbar.hpp"
#include "xbar/sim/program/solve_mode.hpp"
#include "xbar/solver/parallel.hpp"

namespace xbar::sim {

struct CellCoverage {
  int row = 0, col = 0;
  double max_gap = 0.0;      // relative to g_fs
  double worst_error = 0.0;  // relative to g_fs
  bool exact = true;         // false: upper bounds (work budget reached)
};

struct CoverageSettings {
  std::size_t sample = 0;        // cells analysed, evenly spread; 0 = every cell
  double budget = 2e6;           // sums examined per cell before settling for upper bounds
};

// Where the cells' figures lie (percentiles by the nearest-rank rule of studies/statistics.hpp).
struct Quantiles {
  double min = 0, median = 0, p90 = 0, max = 0;
};

struct CrossbarCoverage {
  std::vector<CellCoverage> cells;
  std::size_t total_cells = 0;
  Quantiles worst_error, max_gap;
  bool all_exact = true;
};

CrossbarCoverage crossbar_coverage(const models::Calibration& measured, double g_fs, const sim::SolveMode& mode,
                                   const CoverageSettings& settings, unsigned jobs = 0,
                                   const solver::Progress& progress = {});

Quantiles quantiles_of(std::vector<double> values);

}  // namespace xbar::sim
