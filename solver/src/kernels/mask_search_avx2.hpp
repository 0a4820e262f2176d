// Which subset of a small half has a given sum, by listing them all in AVX2 registers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace xbar::solver::detail {

// Halves of up to this many values.
inline constexpr std::size_t listed_values = 12;

// The first mask (in mask order) whose subset of `half`, added in index order as the merge adds it,
// sums to exactly `sum`; throws std::logic_error if none does. Call only where have_avx2() (kernel.hpp).
std::uint32_t find_in_mask_order_avx2(std::span<const double> half, double sum);

}  // namespace xbar::solver::detail
