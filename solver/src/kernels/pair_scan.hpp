// The second stage of meet in the middle: the closest a + b to a target over a in one half's sorted
// sums and b in the other's.
#pragma once

#include <cstdint>
#include <limits>

#include "kernel.hpp"
#include "xbar/solver/detail/sorted_sums_list.hpp"

namespace xbar::solver::detail {

// Best pair found so far across one or more scans: the two halves' sums, and their masks where the
// lists carry them.
struct BestPair {
  double error = std::numeric_limits<double>::infinity();
  double sum = 0.0;
  double low_sum = 0.0, high_sum = 0.0;
  std::uint32_t low = 0, high = 0;
};

// Replaces `best` with the closest pair of `low` x `high` where that is strictly closer. May stop early
// once an error within `tolerance` is found; returns whether best.error <= tolerance. The vector kernel
// takes lists of at least 16 entries, a multiple of 4; others are scanned scalar.
bool scan_pairs(const SortedSums& low, const SortedSums& high, double target, double tolerance,
                BestPair& best, Kernel kernel = fastest_kernel());

}  // namespace xbar::solver::detail
