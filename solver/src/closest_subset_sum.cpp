#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "sorted_sums.hpp"
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
  for (double v : values) {
    if (!std::isfinite(v)) throw std::invalid_argument("closest subset sum: a value is not finite");
  }
  const bool impossible = cardinality.count < 0 ||
                          (cardinality.kind == Cardinality::Kind::exactly &&
                           static_cast<std::size_t>(cardinality.count) > values.size());
  if (cardinality.kind != Cardinality::Kind::any && impossible) {
    throw std::invalid_argument("closest subset sum: cannot choose " + cardinality.describe() + " of " +
                                std::to_string(values.size()));
  }
}

// Best pair found so far across one or more scans: the two halves' sums, and their masks where the
// lists carry them.
struct Best {
  double error = std::numeric_limits<double>::infinity();
  double sum = 0.0;
  double low_sum = 0.0, high_sum = 0.0;
  std::uint32_t low = 0, high = 0;
};

// Closest a + b to `target` over a in `low`, b in `high` (both ascending): the two-pointer search.
// Moving forward, a rises and b falls; moving backward, the mirror. Either way, every a meets the two b
// nearest to target - a. Each chain is a serial dependency (load, add, compare, move), so the low list is
// cut into four parts searched at once, each by its own chain starting from a binary search, for four
// times the work in flight. Returns true when the best error is within `tolerance`.
class PairScan {
 public:
  PairScan(const detail::SortedSums& low, const detail::SortedSums& high, double target, Best& best)
      : m_a(low.sum.data()), m_b(high.sum.data()), m_low_masks(low.mask.empty() ? nullptr : low.mask.data()),
        m_high_masks(high.mask.empty() ? nullptr : high.mask.data()),
        m_n_high(high.size()), m_target(target), m_best(best) {}

  bool run(std::size_t n_low, double tolerance) {
    const std::size_t middle = n_low / 2;
    Chain chains[4] = {forward_from(1, middle), backward_from(middle, 1), forward_from(middle + 1, n_low),
                       backward_from(n_low, middle + 1)};
    // Forward chains take the lower half of their part, backward ones the upper half.
    split(chains[0], chains[1], 1, middle);
    split(chains[2], chains[3], middle + 1, n_low);
    while (active(chains[0]) && active(chains[1]) && active(chains[2]) && active(chains[3])) {
      step<true>(chains[0]);
      step<false>(chains[1]);
      step<true>(chains[2]);
      step<false>(chains[3]);
      if (m_best.error <= tolerance) return true;
    }
    for (Chain& chain : chains) {
      while (active(chain)) {
        chain.forward ? step<true>(chain) : step<false>(chain);
        if (m_best.error <= tolerance) return true;
      }
    }
    return m_best.error <= tolerance;
  }

 private:
  struct Chain {
    std::size_t i, j, end;  // low and high positions; i stops at end
    bool forward;
  };

  // Forward from low position i: high starts at the first b with a_i + b >= target (the same sums the
  // scan compares, so rounding cannot start it past a neighbour). Backward: at the last b with a_i + b <=
  // target. The sentinels (-inf, +inf) make both well defined at the ends.
  Chain forward_from(std::size_t i, std::size_t last) const {
    if (i > last) return {i, 0, i, true};
    const double a = m_a[i];
    const double* first = std::partition_point(m_b + 1, m_b + 1 + m_n_high, [&](double b) { return a + b < m_target; });
    return {i, static_cast<std::size_t>(first - m_b), last + 1, true};
  }
  Chain backward_from(std::size_t i, std::size_t first) const {
    if (i < first) return {i, 0, i, false};
    const double a = m_a[i];
    const double* above = std::partition_point(m_b + 1, m_b + 1 + m_n_high, [&](double b) { return a + b <= m_target; });
    return {i, static_cast<std::size_t>(above - m_b) - 1, first - 1, false};
  }
  static void split(Chain& forward, Chain& backward, std::size_t first, std::size_t last) {
    if (first > last) return;
    const std::size_t cut = first + (last - first + 1) / 2;  // forward takes [first, cut), backward [cut, last]
    forward.end = cut;
    backward.end = cut - 1;
  }
  static bool active(const Chain& chain) { return chain.forward ? chain.i < chain.end : chain.i > chain.end; }

  template <bool Forward>
  [[gnu::always_inline]] inline void step(Chain& chain) {
    const double sum = m_a[chain.i] + m_b[chain.j];
    const double error = std::abs(sum - m_target);
    if (error < m_best.error) {
      m_best = {error, sum, m_a[chain.i], m_b[chain.j], m_low_masks ? m_low_masks[chain.i] : 0u,
                m_high_masks ? m_high_masks[chain.j] : 0u};
    }
    if constexpr (Forward) {
      const std::size_t below = sum < m_target;
      chain.i += below;
      chain.j -= 1 - below;
    } else {
      const std::size_t above = sum > m_target;
      chain.i -= above;
      chain.j += 1 - above;
    }
  }

  const double* m_a;
  const double* m_b;
  const std::uint32_t* m_low_masks;
  const std::uint32_t* m_high_masks;
  std::size_t m_n_high;
  double m_target;
  Best& m_best;
};

bool scan_pairs(const detail::SortedSums& low, const detail::SortedSums& high, double target, double tolerance,
                Best& best) {
  if (low.size() == 0 || high.size() == 0) return best.error <= tolerance;
  return PairScan(low, high, target, best).run(low.size(), tolerance);
}

}  // namespace

SubsetChoice ClosestSumSolver::solve(std::span<const double> values, double target,
                                     const ClosestSumOptions& options) {
  const Cardinality& cardinality = options.cardinality;
  check_instance(values, target, cardinality, max_values);
  if (options.tolerance > 0.0 && cardinality.kind == Cardinality::Kind::any && values.size() >= inner_values + 8) {
    if (auto quick = solve_in_two_levels(values, target, options.tolerance)) return *quick;
  }
  return solve_exactly(values, target, options);
}

// With a tolerance, most instances of many random values need far less than the full search: take
// `inner_values` of them (half from each half of the instance), solve the other, outer values for the
// target less the middle of the inner sums' range, then the inner values exactly for what is left. The
// remainder lands where the inner sums are densest, 2^20 of them within a few values, so it is usually
// met to ~1e-6 of one value. Anything not within tolerance falls back to the exact search.
std::optional<SubsetChoice> ClosestSumSolver::solve_in_two_levels(std::span<const double> values, double target,
                                                                  double tolerance) {
  const std::size_t split = values.size() / 2, half_inner = inner_values / 2;
  // A few different inner sets: when one leaves the remainder in a sparse spot, another rarely does.
  for (std::size_t attempt = 0; attempt < 3; ++attempt) {
    const std::size_t offset = attempt * half_inner / 2;
    std::vector<std::size_t> inner, outer;
    for (std::size_t k = 0; k < values.size(); ++k) {
      const std::size_t first = k < split ? 0 : split, length = k < split ? split : values.size() - split;
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
    const SubsetChoice fine = solve_exactly(inner_values_of, target - coarse.sum, {});
    const double sum = coarse.sum + fine.sum;
    if (!(std::abs(target - sum) <= tolerance)) continue;
    SubsetChoice choice;
    choice.chosen.assign(values.size(), 0);
    for (std::size_t k = 0; k < outer.size(); ++k) choice.chosen[outer[k]] = coarse.chosen[k];
    for (std::size_t k = 0; k < inner.size(); ++k) choice.chosen[inner[k]] = fine.chosen[k];
    choice.sum = sum;
    choice.error = std::abs(target - sum);
    return choice;
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
  detail::generate_sorted_sums_pair(values.first(split), m_low, m_low_scratch, values.subspan(split), m_high,
                                    m_high_scratch, !any_count);

  Best best;
  if (any_count) {
    scan_pairs(m_low, m_high, target, options.tolerance, best);
    best.low = detail::recover_mask(values.first(split), best.low_sum, m_mask_work);
    best.high = detail::recover_mask(values.subspan(split), best.high_sum, m_mask_work);
  } else {
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
        done = scan_pairs(m_low_groups[static_cast<std::size_t>(k_low)],
                          m_high_groups[static_cast<std::size_t>(k_high)], target, options.tolerance, best);
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
  SubsetChoice choice;
  choice.chosen.resize(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) choice.chosen[k] = (best_mask >> k) & 1u;
  choice.sum = best_sum;
  choice.error = best_error;
  return choice;
}

}  // namespace xbar::solver
