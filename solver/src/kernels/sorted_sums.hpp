// Sorted subset sums of one half of an instance (meet in the middle, Horowitz–Sahni).
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "kernel.hpp"
#include "xbar/solver/detail/sorted_sums_list.hpp"

namespace xbar::solver::detail {

// All 2^h subset sums of each half (h <= 24), ascending, built by merging: the sums of the first k
// values are a sorted level; adding value k+1 merges it with a copy shifted by that value into the next
// level, and every level is kept (SortedSums). O(2^h), no sort. Both halves are built at once: their
// merges interleave, which keeps more independent work in flight. Without masks, `mask` is left empty.
// The scalar merge is branch-free (the comparisons pick with conditional moves); with Kernel::vector,
// lists without masks merge in AVX2 registers four sums a step (shift_merge_avx2.hpp), bit for bit the
// same; lists with masks always merge scalar.
void generate_sorted_sums_pair(std::span<const double> first, SortedSums& first_out,
                               std::span<const double> second, SortedSums& second_out, bool with_masks,
                               Kernel kernel = fastest_kernel());

// The subsets of `first` and `second` whose sums, added in index order as the lists add them, are
// exactly `first_sum` and `second_sum`, entries of their lists (built with or without masks): traced
// back through each list's levels, both halves at once. With Kernel::vector, small halves look the sums
// up among their subset sums in mask order instead (same additions, so the same exact match), which
// beats the trace's chain of dependent loads there. Throws std::logic_error if a sum is no entry.
std::pair<std::uint32_t, std::uint32_t> recover_masks(std::span<const double> first,
                                                      const SortedSums& first_list, double first_sum,
                                                      std::span<const double> second,
                                                      const SortedSums& second_list, double second_sum,
                                                      Kernel kernel = fastest_kernel());

// The same sums split by how many values each subset holds; each group stays ascending. Needs masks.
void group_by_count(const SortedSums& all, std::size_t values, std::vector<SortedSums>& groups);

}  // namespace xbar::solver::detail
