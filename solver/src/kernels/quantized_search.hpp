// Meet in the middle on integers: the exact search's fast path for instances of up to 24 values.
//
// The values and the target are rounded to integer steps of range / 2^30, so every subset sum is an
// exact 32-bit integer, and the search runs eight sums to a register with integer min/max (about twice
// the throughput of the doubles' search). Rounding moves each pair's error by at most `slack` steps
// ((n + 1) halves of a step), so the integer search can name the answer only when no other pair comes
// within twice that of the best: it checks that (the two smallest errors among the pairs its walk
// compares, and the best pair's outward neighbours, which stand in for the pairs it skips) and gives up
// otherwise, leaving the instance to the search on doubles. When it names a pair, every other pair is
// worse by more than half a step (range / 2^31) in exact arithmetic, far beyond the doubles' rounding, so
// the double search would name the same one.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "xbar/solver/detail/quantized_lists.hpp"

namespace xbar::solver::detail {

// The masks (bit k for half[k]) of the subsets of `low` and `high` whose sums together come closest to
// `target`, where the integer search can prove them the exact answer; std::nullopt where it cannot, or
// does not apply (halves outside 4..12 values; pair sums so crowded in integer steps that it would often
// give up). Needs AVX2.
std::optional<std::pair<std::uint32_t, std::uint32_t>> quantized_closest(std::span<const double> low,
                                                                         std::span<const double> high,
                                                                         double target,
                                                                         QuantizedLists& lists);

}  // namespace xbar::solver::detail
