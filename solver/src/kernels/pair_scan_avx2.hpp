// The pair scan of pair_scan.cpp in AVX2 registers: a block of four sums from each list, all sixteen
// pairs at once.
#pragma once

#include <cstddef>
#include <limits>

namespace xbar::solver::detail {

// The closest pair a scan found: its error and the two entries.
struct ScanHit {
  double error = std::numeric_limits<double>::infinity();
  const double* low = nullptr;
  const double* high = nullptr;
};

// Over low[1..n_low] x high[1..n_high] (ascending, -inf at 0 and +inf after the last; sizes multiples of
// 4, at least 16): the closest a + b to target, or the first pair found within tolerance. Every pair the
// scalar walk compares is among the ones compared here, each error computed the same way. Call only
// where have_avx2() (kernel.hpp).
ScanHit scan_blocks_avx2(const double* low, std::size_t n_low, const double* high, std::size_t n_high,
                         double target, double tolerance);

}  // namespace xbar::solver::detail
