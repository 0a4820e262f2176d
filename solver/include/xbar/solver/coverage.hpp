// Coverage of a set of values: how far any target in a range can be from the nearest subset sum.
// The number a designer needs to choose n (Lueker: n = O(log 1/eps) suffices for eps coverage).
// Usage (given const std::vector<double>& values, double low, double high):
//   Coverage c = subset_sum_coverage(values, low, high);
//   c.max_gap;       // longest sub-interval of [low, high] that holds no subset sum
//   c.worst_error;   // max over targets t in [low, high] of min |t - subset sum|: the worst error the
//                    // exact solver can leave for a target in range
//
// Exact. Meet in the middle gives both halves' sorted sums A and B; the range is cut into windows,
// and a window is first bounded with a sample A' of A (A' + B is a subset of A + B, so its gaps are no
// smaller) and only refined towards all of A while its bound could still beat the largest exact value
// found: the sparse ends of the range are computed exactly, the dense middle is certified with
// sums bucketed (no sorting) at the resolution of the exact value found so far.
// Certifying the middle costs about (range / worst error) sums: cheap up to ~24 values, minutes at
// 32. A work budget (sums examined) stops the search early; the result then holds certified upper
// bounds and `exact` is false.
#pragma once

#include <cstddef>
#include <limits>
#include <span>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

struct Coverage {
  double max_gap = 0.0;
  double worst_error = 0.0;
  bool exact = true;  // false: both numbers are upper bounds (budget exhausted)
};

// values: at most max_values of any sign; low <= high.
Coverage subset_sum_coverage(std::span<const double> values, double low, double high,
                             std::size_t budget = std::numeric_limits<std::size_t>::max());

// The same over the subsets a cardinality allows (exactly K / at most K values chosen). Each half's sums
// are grouped by how many values they take and only the allowed pairs of groups combined; past `budget`
// sums every s-th pair is taken, a subset of the sums, so the figures are upper bounds (exact false).
Coverage subset_sum_coverage(std::span<const double> values, double low, double high, const Cardinality& allowed,
                             std::size_t budget = std::numeric_limits<std::size_t>::max());

// Reference: every subset sum enumerated and sorted. At most 24 values.
Coverage subset_sum_coverage_brute_force(std::span<const double> values, double low, double high);

}  // namespace xbar::solver
