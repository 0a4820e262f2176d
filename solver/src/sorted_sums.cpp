#include "sorted_sums.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

namespace xbar::solver::detail {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Merges list [1, size] with itself shifted by `value` into `out` [1, 2 size]. Two independent chains
// run at once, one taking the smallest element from the front, one the largest from the back: each
// chain is a serial dependency (load, compare, advance), so more chains in flight mean more
// throughput. Ties go to the unshifted list at the front and to the shifted one at the back, so the
// chains agree on one order and meet exactly in the middle. The picks use min/max and bit masks, not
// branches: the comparisons are unpredictable. Masks are optional: carrying them costs a third of the
// work, and most searches can recover the one mask they need afterwards (recover_mask).
template <bool WithMasks>
struct ShiftMerge {
  const double* sums;
  const std::uint32_t* masks;
  double value;
  std::uint32_t bit;
  double* out;
  std::uint32_t* out_masks;
  std::size_t front_a, front_b, back_a, back_b, front, back;

  ShiftMerge(const SortedSums& in, std::size_t size, double shift, std::uint32_t shift_bit, SortedSums& to)
      : sums(in.sum.data()), masks(in.mask.data()), value(shift), bit(shift_bit), out(to.sum.data()),
        out_masks(to.mask.data()), front_a(1), front_b(1), back_a(size), back_b(size), front(1), back(2 * size) {}

  [[gnu::always_inline]] inline void step() {
    const double fx = sums[front_a], fy = sums[front_b] + value;
    const std::size_t take_front_a = fx <= fy;
    const std::uint32_t front_select = 0u - static_cast<std::uint32_t>(take_front_a);
    out[front] = std::min(fx, fy);
    if constexpr (WithMasks) {
      out_masks[front] = (masks[front_a] & front_select) | ((masks[front_b] | bit) & ~front_select);
    }
    front_a += take_front_a;
    front_b += 1 - take_front_a;
    ++front;

    const double bx = sums[back_a], by = sums[back_b] + value;
    const std::size_t take_back_a = bx > by;
    const std::uint32_t back_select = 0u - static_cast<std::uint32_t>(take_back_a);
    out[back] = std::max(bx, by);
    if constexpr (WithMasks) {
      out_masks[back] = (masks[back_a] & back_select) | ((masks[back_b] | bit) & ~back_select);
    }
    back_a -= take_back_a;
    back_b -= 1 - take_back_a;
    --back;
  }
};

void prepare(SortedSums& list, std::size_t total, bool with_masks) {
  // Grow only: resizing down and up again would rewrite it all.
  if (list.sum.size() < total + 2) list.sum.resize(total + 2);
  if (with_masks && list.mask.size() < total + 2) list.mask.resize(total + 2);
  if (!with_masks) list.mask.clear();
  list.count = 1;
  list.sum[0] = -infinity;
  list.sum[1] = 0.0;
  list.sum[2] = infinity;
  if (with_masks) list.mask[0] = list.mask[1] = 0;
}

// One merge level of one list: `list` [1, size] doubles into `scratch`, which then becomes `list`.
void finish_level(SortedSums& list, SortedSums& scratch, std::size_t size) {
  scratch.sum[2 * size + 1] = infinity;
  scratch.count = 2 * size;
  std::swap(list.count, scratch.count);
  std::swap(list.sum, scratch.sum);
  std::swap(list.mask, scratch.mask);
}

template <bool WithMasks>
void merge_levels(std::span<const double> first, SortedSums& first_out, SortedSums& first_scratch,
                  std::span<const double> second, SortedSums& second_out, SortedSums& second_scratch) {
  using ShiftMerge = ShiftMerge<WithMasks>;
  std::size_t size = 1;
  for (std::size_t k = 0; k < std::max(first.size(), second.size()); ++k, size *= 2) {
    const std::uint32_t bit = std::uint32_t{1} << k;
    const bool both = k < first.size() && k < second.size();
    if (both) {  // the usual case: both halves at the same level, four chains in flight
      ShiftMerge one(first_out, size, first[k], bit, first_scratch);
      ShiftMerge two(second_out, size, second[k], bit, second_scratch);
      for (std::size_t step = 0; step < size; ++step) {
        one.step();
        two.step();
      }
    } else {
      const bool in_first = k < first.size();
      ShiftMerge only(in_first ? first_out : second_out, size, in_first ? first[k] : second[k], bit,
                      in_first ? first_scratch : second_scratch);
      for (std::size_t step = 0; step < size; ++step) only.step();
    }
    if (k < first.size()) finish_level(first_out, first_scratch, size);
    if (k < second.size()) finish_level(second_out, second_scratch, size);
  }
}

}  // namespace

void generate_sorted_sums_pair(std::span<const double> first, SortedSums& first_out, SortedSums& first_scratch,
                               std::span<const double> second, SortedSums& second_out, SortedSums& second_scratch,
                               bool with_masks) {
  prepare(first_out, std::size_t{1} << first.size(), with_masks);
  prepare(first_scratch, std::size_t{1} << first.size(), with_masks);
  prepare(second_out, std::size_t{1} << second.size(), with_masks);
  prepare(second_scratch, std::size_t{1} << second.size(), with_masks);
  if (with_masks) {
    merge_levels<true>(first, first_out, first_scratch, second, second_out, second_scratch);
  } else {
    merge_levels<false>(first, first_out, first_scratch, second, second_out, second_scratch);
  }
}

std::uint32_t recover_mask(std::span<const double> half, double sum, std::vector<double>& work) {
  const std::size_t count = std::size_t{1} << half.size();
  if (work.size() < count) work.resize(count);
  work[0] = 0.0;
  for (std::size_t k = 0, size = 1; k < half.size(); ++k, size *= 2) {
    const double value = half[k];
    for (std::size_t m = 0; m < size; ++m) work[size + m] = work[m] + value;  // independent adds: vectorised
  }
  const auto found = std::find(work.begin(), work.begin() + static_cast<std::ptrdiff_t>(count), sum);
  if (found == work.begin() + static_cast<std::ptrdiff_t>(count)) {
    throw std::logic_error("closest subset sum: a sorted sum matches no subset");
  }
  return static_cast<std::uint32_t>(found - work.begin());
}

void group_by_count(const SortedSums& all, std::size_t values, std::vector<SortedSums>& groups) {
  groups.resize(values + 1);
  for (auto& g : groups) {
    g.sum.assign(1, -infinity);
    g.mask.assign(1, 0);
  }
  for (std::size_t k = 1; k <= all.size(); ++k) {
    SortedSums& g = groups[static_cast<std::size_t>(std::popcount(all.mask[k]))];
    g.sum.push_back(all.sum[k]);
    g.mask.push_back(all.mask[k]);
  }
  for (auto& g : groups) {
    g.count = g.sum.size() - 1;
    g.sum.push_back(infinity);
    g.mask.push_back(0);
  }
}

}  // namespace xbar::solver::detail
