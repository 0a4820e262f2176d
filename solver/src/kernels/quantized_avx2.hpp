// The integer kernels of quantized_search.cpp in AVX2 registers: eight 32-bit sums a register, twice
// the doubles' four, and integer min/max/abs run on more of the processor's vector pipes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace xbar::solver::detail {

// Merges the level [1, size] (a sorted list of 32-bit sums: INT32_MIN at 0, INT32_MAX at size + 1) with
// itself shifted by `value` into `out` [1, 2 size], sentinels included. size >= 8 and a multiple of 8;
// every sum, shifted or not, must fit in 32 bits. The pair version merges two levels
// of the same size at once (more work in flight). Call only where have_avx2() (kernel.hpp).
void shift_merge_int_avx2(const std::int32_t* level, std::int32_t value, std::int32_t* out, std::size_t size);
void shift_merge_int_pair_avx2(const std::int32_t* one, std::int32_t one_value, std::int32_t* one_out,
                               const std::int32_t* two, std::int32_t two_value, std::int32_t* two_out,
                               std::size_t size);

// The pair scan over low[1..n_low] x high[1..n_high] (ascending, sentinels around them; n_low a multiple
// of 8, n_high of 4) for the a + b closest to 0, with the two smallest |a + b| among the pairs it
// compares (the same pair is never compared twice): `best` and `second` (equal when two pairs tie).
// Every pair the scalar walk of pair_scan.cpp would visit is among them. `low` and `high` point at the
// entries of the pair holding `best`.
struct IntScanHit {
  std::int64_t best = 0, second = 0;
  const std::int32_t* low = nullptr;
  const std::int32_t* high = nullptr;
};
IntScanHit scan_int_blocks_avx2(const std::int32_t* low, std::size_t n_low, const std::int32_t* high,
                                std::size_t n_high);

// The first mask m (bit k for values[k]) with base + the sum of its values == sum, or -1; 4..12 values.
std::int64_t find_int_mask_avx2(std::span<const std::int32_t> values, std::int32_t base, std::int32_t sum);

// out[1..8] = base + the subset sums of values[0..2], ascending, with INT32_MIN at 0 and INT32_MAX at 9.
void sorted_sums_of_three_avx2(const std::int32_t* values, std::int32_t base, std::int32_t* out);

// out[k] = values[k] * steps_per_unit rounded to an integer (the processor's rounding mode: to nearest
// unless changed; either way off by less than one step). The products must lie within +-2^31.
void to_steps_avx2(std::span<const double> values, double steps_per_unit, std::int32_t* out);

}  // namespace xbar::solver::detail
