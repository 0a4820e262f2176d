// The merge step of sorted_sums.cpp in AVX2 registers, four sums at a time, for lists without masks.
#pragma once

#include <cstddef>

namespace xbar::solver::detail {

// Whether this processor runs shift_merge_pair_avx2 (x86-64 with AVX2).
bool have_avx2();

// Merges the level [1, size] (a sorted level of sorted_sums.cpp: -inf at 0, +inf at size + 1) with itself
// shifted by its value into `out` [1, 2 size]; the same sums, bit for bit, as the scalar merge. size >= 4
// and a power of two; call only where have_avx2().
void shift_merge_avx2(const double* level, double value, double* out, std::size_t size);
// The same for two levels at once (the two halves of an instance): more independent work in flight.
void shift_merge_pair_avx2(const double* one, double one_value, double* one_out, const double* two,
                           double two_value, double* two_out, std::size_t size);

}  // namespace xbar::solver::detail
