#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>

#include "kernels/kernel.hpp"
#include "kernels/pair_scan.hpp"
#include "kernels/quantized_search.hpp"
#include "kernels/sorted_sums.hpp"
#include "subset_choice.hpp"
#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

std::string Cardinality::describe() const {
  switch (kind) {
    case Kind::any:
      return "any number of values";
    case Kind::exactly:
      return "exactly " + std::to_string(count) + " values";
    case Kind::at_most:
      return "at most " + std::to_string(count) + " values";
  }
  return "";
}

namespace {

void check_instance(std::span<const double> values, double target, const Cardinality& cardinality,
                    std::size_t limit) {
  if (values.size() > limit) {
    throw std::invalid_argument("closest subset sum: " + std::to_string(values.size()) +
                                " values given, at most " + std::to_string(limit) + " supported");
  }
  if (!std::isfinite(target)) throw std::invalid_argument("closest subset sum: target is not finite");
  double magnitude = 0.0;
  for (double v : values) {
    if (!std::isfinite(v)) throw std::invalid_argument("closest subset sum: a value is not finite");
    magnitude += std::abs(v);
  }
  if (!std::isfinite(magnitude)) {  // some subset sum would overflow to infinity
    throw std::invalid_argument("closest subset sum: the values' sum overflows a double");
  }
  const bool impossible =
      cardinality.count < 0 || (cardinality.kind == Cardinality::Kind::exactly &&
                                static_cast<std::size_t>(cardinality.count) > values.size());
  if (cardinality.kind != Cardinality::Kind::any && impossible) {
    throw std::invalid_argument("closest subset sum: cannot choose " + cardinality.describe() + " of " +
                                std::to_string(values.size()));
  }
}

}  // namespace

SubsetChoice ClosestSumSolver::solve(std::span<const double> values, double target,
                                     const ClosestSumOptions& options) {
  const Cardinality& cardinality = options.cardinality;
  check_instance(values, target, cardinality, max_values);
  if (options.objective == Objective::min_common) {
    if (cardinality.kind != Cardinality::Kind::any) {
      throw std::invalid_argument("closest subset sum: the min_common objective takes no cardinality constraint");
    }
    return solve_min_common(values, target, options.tolerance);
  }
  if (options.tolerance > 0.0 && cardinality.kind == Cardinality::Kind::any &&
      values.size() >= smallest_inner + fewest_outer) {
    if (auto quick = solve_in_two_levels(values, target, options.tolerance)) return *quick;
  }
  // The exact searches run without the tolerance: stopping at the first pair within it would make the
  // answer depend on the order the kernel (AVX2 or portable) meets the pairs in, and so the machine.
  ClosestSumOptions exact = options;
  exact.tolerance = 0.0;
  return solve_exactly(values, target, exact);
}

namespace {

// How far apart the 2^k subset sums of k of these values lie near the middle of their range, where
// they crowd most: 2^k sums spread (about normally) with deviation sqrt(k * mean square / 4).
double middle_spacing(std::size_t k, double mean_square) {
  constexpr double sqrt_two_pi = 2.5066282746310002;
  return sqrt_two_pi * std::sqrt(static_cast<double>(k) * mean_square / 4.0) /
         std::ldexp(1.0, static_cast<int>(k));
}

}  // namespace

// With a tolerance, most instances need far less than the full search: take k "inner" values (half from
// each half of the instance), solve the other, outer values exactly for the target less the middle of
// the inner sums' range, then the inner values exactly for what is left. The remainder lands where the
// inner sums crowd most, so k is the fewest values whose sums lie there a quarter of the tolerance
// apart: a miss is then rare. After a miss, two more inner sets of k, then one each of k + 2, k + 4, ...
// (each about half the cost of the next); where even all but `fewest_outer` values would not crowd
// closely enough, or all of them miss, the exact search decides. Any answer is within the tolerance.
// Both levels are exact optima, so the answer is the same whatever kernel the machine runs.
std::optional<SubsetChoice> ClosestSumSolver::solve_in_two_levels(std::span<const double> values,
                                                                  double target, double tolerance) {
  const std::size_t n = values.size(), split = n / 2;
  double squares = 0.0;
  for (double v : values) squares += v * v;
  const double mean_square = squares / static_cast<double>(n);
  std::size_t first_inner = smallest_inner;
  while (first_inner + fewest_outer <= n && middle_spacing(first_inner, mean_square) > tolerance / 4.0) {
    first_inner += 2;
  }
  for (std::size_t inner_count = first_inner; inner_count + fewest_outer <= n; inner_count += 2) {
    const std::size_t half_inner = inner_count / 2;
    for (std::size_t attempt = 0; attempt < (inner_count == first_inner ? 3u : 1u); ++attempt) {
      // A different inner set each attempt: when one leaves the remainder in a sparse spot, another
      // rarely does.
      const std::size_t offset = attempt * half_inner / 2;
      std::vector<std::size_t> inner, outer;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t first = k < split ? 0 : split, length = k < split ? split : n - split;
        const bool is_inner = (k - first + length - offset % length) % length < half_inner;
        (is_inner ? inner : outer).push_back(k);
      }
      std::vector<double> inner_values_of(inner.size()), outer_values_of(outer.size());
      double middle = 0.0;
      for (std::size_t k = 0; k < inner.size(); ++k) {
        inner_values_of[k] = values[inner[k]];
        middle += 0.5 * values[inner[k]];
      }
      for (std::size_t k = 0; k < outer.size(); ++k) outer_values_of[k] = values[outer[k]];
      const SubsetChoice coarse = solve_exactly(outer_values_of, target - middle, {});
      const SubsetChoice fine = solve_exactly(inner_values_of, target - coarse.sum, {});  // exact: see solve()
      const double sum = coarse.sum + fine.sum;
      if (!(std::abs(target - sum) <= tolerance)) continue;
      SubsetChoice choice;
      choice.chosen.assign(n, 0);
      for (std::size_t k = 0; k < outer.size(); ++k) choice.chosen[outer[k]] = coarse.chosen[k];
      for (std::size_t k = 0; k < inner.size(); ++k) choice.chosen[inner[k]] = fine.chosen[k];
      choice.sum = sum;
      choice.error = std::abs(target - sum);
      return choice;
    }
  }
  return std::nullopt;
}

SubsetChoice ClosestSumSolver::solve_exactly(std::span<const double> values, double target,
                                             const ClosestSumOptions& options) {
  const Cardinality& cardinality = options.cardinality;
  const std::size_t split = values.size() / 2;
  const std::size_t n_low = split, n_high = values.size() - split;
  // Only the counts of values chosen need every mask; otherwise the best pair's two are recovered.
  const bool any_count = cardinality.kind == Cardinality::Kind::any;
  detail::BestPair best;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> decided;
  if (any_count && detail::fastest_kernel() == detail::Kernel::vector) {
    decided = detail::quantized_closest(values.first(split), values.subspan(split), target, m_quantized);
  }
  if (decided) {
    // The same sums the lists would hold: each half's chosen values added in index order from 0 (adding
    // v * 0 = +-0 for the others changes nothing, and has no branch to mispredict).
    std::tie(best.low, best.high) = *decided;
    for (std::size_t k = 0; k < split; ++k)
      best.low_sum += values[k] * static_cast<double>((best.low >> k) & 1u);
    for (std::size_t k = split; k < values.size(); ++k)
      best.high_sum += values[k] * static_cast<double>((best.high >> (k - split)) & 1u);
    best.sum = best.low_sum + best.high_sum;
    best.error = std::abs(best.sum - target);
  } else if (any_count) {
    detail::generate_sorted_sums_pair(values.first(split), m_low, values.subspan(split), m_high, false);
    detail::scan_pairs(m_low, m_high, target, options.tolerance, best);
    std::tie(best.low, best.high) = detail::recover_masks(values.first(split), m_low, best.low_sum,
                                                          values.subspan(split), m_high, best.high_sum);
  } else {
    detail::generate_sorted_sums_pair(values.first(split), m_low, values.subspan(split), m_high, true);
    // Pair the subsets of the low half that hold k values with the high-half subsets whose counts
    // complete an allowed total.
    detail::group_by_count(m_low, n_low, m_low_groups);
    detail::group_by_count(m_high, n_high, m_high_groups);
    const int k_total = cardinality.count;
    bool done = false;
    for (int k_low = 0; k_low <= static_cast<int>(n_low) && !done; ++k_low) {
      const int k_high_min = cardinality.kind == Cardinality::Kind::exactly ? k_total - k_low : 0;
      const int k_high_max = std::min<int>(k_total - k_low, static_cast<int>(n_high));
      for (int k_high = std::max(k_high_min, 0); k_high <= k_high_max && !done; ++k_high) {
        done = detail::scan_pairs(m_low_groups[static_cast<std::size_t>(k_low)],
                                  m_high_groups[static_cast<std::size_t>(k_high)], target, options.tolerance,
                                  best);
      }
    }
  }

  SubsetChoice choice;
  choice.chosen.assign(values.size(), 0);
  for (std::size_t k = 0; k < split; ++k) choice.chosen[k] = (best.low >> k) & 1u;
  for (std::size_t k = split; k < values.size(); ++k) choice.chosen[k] = (best.high >> (k - split)) & 1u;
  choice.sum = best.sum;
  choice.error = best.error;
  return choice;
}

SubsetChoice closest_subset_sum(std::span<const double> values, double target,
                                const ClosestSumOptions& options) {
  ClosestSumSolver solver;
  return solver.solve(values, target, options);
}

SubsetChoice closest_subset_sum_brute_force(std::span<const double> values, double target,
                                            const Cardinality& cardinality) {
  check_instance(values, target, cardinality, max_brute_force_values);
  const std::uint64_t subsets = std::uint64_t{1} << values.size();
  double best_error = std::numeric_limits<double>::infinity();
  double best_sum = 0.0;
  std::uint64_t best_mask = 0;
  for (std::uint64_t mask = 0; mask < subsets; ++mask) {
    if (!cardinality.allows(static_cast<int>(std::popcount(mask)))) continue;
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
  SubsetChoice choice = detail::choice_from_mask(values.size(), best_mask, best_sum, target);
  choice.error = best_error;  // as the search compared it
  return choice;
}

}  // namespace xbar::solver
