// The merge step of sorted_sums.cpp in AVX2 registers, four sums at a time, for lists without masks.
#pragma once

#include <cstddef>

namespace xbar::solver::detail {

// Merges the level [1, size] (a sorted level of sorted_sums.cpp: -inf at 0, +inf at size + 1) with itself
// shifted by its value into `out` [1, 2 size]; the same sums, bit for bit, as the scalar merge. size >= 4
// and a power of two; call only where have_avx2() (kernel.hpp).
// `shifted` is scratch for size + 2 sums.
void shift_merge_avx2(const double* level, double value, double* shifted, double* out, std::size_t size);
// The same for two levels at once (the two halves of an instance): more independent work in flight.
void shift_merge_pair_avx2(const double* one, double one_value, double* one_shifted, double* one_out,
                           const double* two, double two_value, double* two_shifted, double* two_out,
                           std::size_t size);

}  // namespace xbar::solver::detail
