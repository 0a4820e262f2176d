// Sorted subset sums of one half of an instance (meet in the middle, Horowitz–Sahni).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "xbar/solver/detail/sorted_sums_list.hpp"

namespace xbar::solver::detail {

// All 2^h subset sums of each half (h <= 24), ascending, built by merging: after k values the list is
// sorted; adding value k+1 merges it with a copy shifted by that value. O(2^h), no sort, and the merge is
// branch-free (the comparisons pick with conditional moves). Both halves are built at once: their merges
// interleave, which keeps more independent work in flight (each merge is latency-bound). Each list needs
// its own scratch. Without masks, `mask` is left empty.
void generate_sorted_sums_pair(std::span<const double> first, SortedSums& first_out, SortedSums& first_scratch,
                               std::span<const double> second, SortedSums& second_out, SortedSums& second_scratch,
                               bool with_masks);

// The subset of `half` whose sum, added in index order as the lists add it, is exactly `sum`: the mask of
// one entry of a list built without masks. `work` is scratch.
std::uint32_t recover_mask(std::span<const double> half, double sum, std::vector<double>& work);

// The same sums split by how many values each subset holds; each group stays ascending. Needs masks.
void group_by_count(const SortedSums& all, std::size_t values, std::vector<SortedSums>& groups);

}  // namespace xbar::solver::detail
