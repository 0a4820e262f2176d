#include "xbar/sim/program/coverage.hpp"

#include <algorithm>
#include <stdexcept>

#include "xbar/sim/program/programming.hpp"
#include "xbar/sim/studies/statistics.hpp"
#include "xbar/solver/coverage.hpp"

namespace xbar::sim {

Quantiles quantiles_of(std::vector<double> values) {
  Quantiles q;
  if (values.empty()) return q;
  values = sorted(std::move(values));
  q.min = values.front();
  q.median = percentile(values, 0.5);
  q.p90 = percentile(values, 0.9);
  q.max = values.back();
  return q;
}

namespace {

CellCoverage cell_coverage(const models::Calibration& measured, double g_fs, const sim::SolveMode& mode, int i,
                           int j, std::size_t budget) {
  const CellInstance cell = signed_cell_instance(measured, i, j, 0.0);  // cell.target = -leakage
  const double offset = cell.target;
  solver::Coverage c;
  if (mode.one_bank()) {
    const std::span<const double> values(cell.values);
    const std::size_t n = values.size() / 2;
    const solver::Cardinality allowed = mode.cardinality();  // per bank
    const auto plus = solver::subset_sum_coverage(values.first(n), offset, g_fs + offset, allowed, budget);
    const auto minus = solver::subset_sum_coverage(values.subspan(n), -g_fs + offset, offset, allowed, budget);
    c = {std::max(plus.max_gap, minus.max_gap), std::max(plus.worst_error, minus.worst_error),
         plus.exact && minus.exact};
  } else {
    // fixed:K and max:K reach only the sums of the subsets they allow.
    c = solver::subset_sum_coverage(cell.values, -g_fs + offset, g_fs + offset, mode.cardinality(), budget);
  }
  return {i, j, c.max_gap / g_fs, c.worst_error / g_fs, c.exact};
}

}  // namespace

CrossbarCoverage crossbar_coverage(const models::Calibration& measured, double g_fs, const sim::SolveMode& mode,
                                   const CoverageSettings& settings, unsigned jobs, const solver::Progress& progress) {
  if (measured.topology != models::CellTopology::parallel) {
    throw std::invalid_argument("coverage analysis is available for parallel banks only, not series");
  }
  const models::CrossbarShape& shape = measured.shape;
  CrossbarCoverage result;
  result.total_cells = shape.cell_count();
  const std::size_t count =
      settings.sample == 0 ? result.total_cells : std::min(settings.sample, result.total_cells);
  result.cells.resize(count);
  const auto budget = static_cast<std::size_t>(settings.budget);
  solver::parallel_for(
      count, jobs,
      [&](std::size_t k) {
        const std::size_t cell = k * result.total_cells / count;  // evenly spread over the crossbar
        const int i = static_cast<int>(cell / static_cast<std::size_t>(shape.cols));
        const int j = static_cast<int>(cell % static_cast<std::size_t>(shape.cols));
        result.cells[k] = cell_coverage(measured, g_fs, mode, i, j, budget);
      },
      progress);
  std::vector<double> worst, gaps;
  for (const CellCoverage& c : result.cells) {
    worst.push_back(c.worst_error);
    gaps.push_back(c.max_gap);
    result.all_exact = result.all_exact && c.exact;
  }
  result.worst_error = quantiles_of(worst);
  result.max_gap = quantiles_of(gaps);
  return result;
}

}  // namespace xbar::sim
