// Sorted subset sums of one half of an instance (meet in the middle, Horowitz–Sahni).
#pragma once

#include <span>
#include <vector>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver::detail {

// All 2^h subset sums of `half` (h <= 24), ascending, built by merging: after k values the list is
// sorted; adding value k+1 merges it with a copy shifted by that value. O(2^h), no sort, and the
// merge is branch-free (the comparison picks with conditional moves).
void generate_sorted_sums(std::span<const double> half, SortedSums& out, SortedSums& scratch);

// Both halves of an instance at once: their merges interleave, which keeps more independent work in
// flight (each merge is latency-bound). Each list needs its own scratch.
void generate_sorted_sums_pair(std::span<const double> first, SortedSums& first_out, SortedSums& first_scratch,
                               std::span<const double> second, SortedSums& second_out,
                               SortedSums& second_scratch);

// The same sums split by how many values each subset holds; each group stays ascending.
void group_by_count(const SortedSums& all, std::size_t values, std::vector<SortedSums>& groups);

}  // namespace xbar::solver::detail
