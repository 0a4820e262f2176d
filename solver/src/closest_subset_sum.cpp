#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

namespace {

void check_instance(std::span<const double> values, double target, std::size_t limit) {
  if (values.size() > limit) {
    throw std::invalid_argument("closest subset sum: " + std::to_string(values.size()) +
                                " values given, at most " + std::to_string(limit) + " supported");
  }
  if (!std::isfinite(target)) throw std::invalid_argument("closest subset sum: target is not finite");
  for (double v : values) {
    if (!std::isfinite(v)) throw std::invalid_argument("closest subset sum: a value is not finite");
  }
}

}  // namespace

SubsetChoice ClosestSumSolver::solve(std::span<const double> values, double target,
                                     const ClosestSumOptions& options) {
  check_instance(values, target, max_values);
  const std::size_t split = values.size() / 2;
  sorted_sums(values.first(split), m_low);
  sorted_sums(values.subspan(split), m_high);

  // Two-pointer scan: low ascending, high descending; every pair that could be closest is visited.
  double best_error = std::numeric_limits<double>::infinity();
  double best_sum = 0.0;
  std::uint32_t best_low = 0, best_high = 0;
  std::size_t i = 0;
  std::size_t j = m_high.size();
  while (i < m_low.size() && j > 0) {
    const double sum = m_low[i].sum + m_high[j - 1].sum;
    const double error = std::abs(sum - target);
    if (error < best_error) {
      best_error = error;
      best_sum = sum;
      best_low = m_low[i].mask;
      best_high = m_high[j - 1].mask;
      if (error <= options.tolerance) break;
    }
    if (sum < target) {
      ++i;
    } else {
      --j;
    }
  }

  SubsetChoice choice;
  choice.chosen.assign(values.size(), 0);
  for (std::size_t k = 0; k < split; ++k) choice.chosen[k] = (best_low >> k) & 1u;
  for (std::size_t k = split; k < values.size(); ++k) choice.chosen[k] = (best_high >> (k - split)) & 1u;
  choice.sum = best_sum;
  choice.error = best_error;
  return choice;
}

SubsetChoice closest_subset_sum(std::span<const double> values, double target,
                                const ClosestSumOptions& options) {
  ClosestSumSolver solver;
  return solver.solve(values, target, options);
}

SubsetChoice closest_subset_sum_brute_force(std::span<const double> values, double target) {
  check_instance(values, target, max_brute_force_values);
  const std::uint64_t subsets = std::uint64_t{1} << values.size();
  double best_error = std::numeric_limits<double>::infinity();
  double best_sum = 0.0;
  std::uint64_t best_mask = 0;
  for (std::uint64_t mask = 0; mask < subsets; ++mask) {
    double sum = 0.0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      if ((mask >> k) & 1u) sum += values[k];
    }
    const double error = std::abs(sum - target);
    if (error < best_error) {
      best_error = error;
      best_sum = sum;
      best_mask = mask;
    }
  }
  SubsetChoice choice;
  choice.chosen.resize(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) choice.chosen[k] = (best_mask >> k) & 1u;
  choice.sum = best_sum;
  choice.error = best_error;
  return choice;
}

}  // namespace xbar::solver
