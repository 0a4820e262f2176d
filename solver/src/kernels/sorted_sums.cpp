#include "sorted_sums.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "mask_search_avx2.hpp"
#include "shift_merge_avx2.hpp"

namespace xbar::solver::detail {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// The number of bits set, written out: the portable build has no popcount instruction, and
// std::popcount would call a library routine for each of the 2^h masks.
constexpr unsigned bits_set(std::uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0f0f0f0fu;
  return (x * 0x01010101u) >> 24;
}

// Where level k (the 2^k sums of the first k values, with its two sentinels) starts in a list's storage.
constexpr std::size_t level_start(std::size_t k) { return (std::size_t{1} << k) - 1 + 2 * k; }

// Merges a level [1, size] with itself shifted by `value` into the next level, `out` [1, 2 size]. Two
// independent chains run at once, one taking the smallest element from the front, one the largest from the
// back: each chain is a serial dependency (load, compare, advance), so more chains in flight mean more
// throughput. Ties go to the unshifted list at the front and to the shifted one at the back, so the
// chains agree on one order and meet exactly in the middle. The picks use min/max and bit masks, not
// branches: the comparisons are unpredictable. Masks are optional: carrying them costs a third of the
// work, and most searches can recover the one mask they need afterwards (recover_masks).
template <bool WithMasks>
struct ShiftMerge {
  const double* sums;
  const std::uint32_t* masks;
  double value;
  std::uint32_t bit;
  double* out;
  std::uint32_t* out_masks;
  std::size_t front_a, front_b, back_a, back_b, front, back;

  ShiftMerge(SortedSums& list, std::size_t level, double shift, std::uint32_t shift_bit)
      : sums(list.sum.data() + level_start(level)),
        masks(WithMasks ? list.mask.data() + level_start(level) : nullptr),
        value(shift),
        bit(shift_bit),
        out(list.sum.data() + level_start(level + 1)),
        out_masks(WithMasks ? list.mask.data() + level_start(level + 1) : nullptr),
        front_a(1),
        front_b(1),
        back_a(std::size_t{1} << level),
        back_b(std::size_t{1} << level),
        front(1),
        back(std::size_t{2} << level) {}

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

void prepare(SortedSums& list, std::size_t values, bool with_masks, Kernel kernel) {
  const std::size_t total = level_start(values + 1);
  // Grow only: resizing down and up again would rewrite it all.
  if (list.sum.size() < total) list.sum.resize(total);
  if (with_masks && list.mask.size() < total) list.mask.resize(total);
  if (!with_masks) list.mask.clear();
  // Only the vector merge reads a level's shifted copy.
  const std::size_t largest_level = values == 0 ? 0 : std::size_t{1} << (values - 1);
  const bool vector = !with_masks && kernel == Kernel::vector;
  if (vector && list.shifted.size() < largest_level + 2) list.shifted.resize(largest_level + 2);
  list.count = 1;
  list.first = 0;
  list.sum[0] = -infinity;
  list.sum[1] = 0.0;
  list.sum[2] = infinity;
  if (with_masks) list.mask[0] = list.mask[1] = list.mask[2] = 0;
}

// Level `level` of `list` is merged into the next: mark that one's ends and make it the list.
void finish_level(SortedSums& list, std::size_t level) {
  const std::size_t start = level_start(level + 1), size = std::size_t{2} << level;
  list.sum[start] = -infinity;
  list.sum[start + size + 1] = infinity;
  list.count = size;
  list.first = start;
}

template <bool WithMasks>
void merge_levels(std::span<const double> first, SortedSums& first_out, std::span<const double> second,
                  SortedSums& second_out, Kernel kernel) {
  using ShiftMerge = ShiftMerge<WithMasks>;
  constexpr std::size_t vector_width = 4;  // AVX2: four doubles a register
  for (std::size_t k = 0, size = 1; k < std::max(first.size(), second.size()); ++k, size *= 2) {
    const std::uint32_t bit = std::uint32_t{1} << k;
    const bool in_first = k < first.size(), in_second = k < second.size();
    const bool vector = !WithMasks && kernel == Kernel::vector && size >= vector_width;
    double* first_level = first_out.sum.data() + level_start(k);
    double* second_level = second_out.sum.data() + level_start(k);
    if (vector && in_first && in_second) {
      shift_merge_pair_avx2(first_level, first[k], first_out.shifted.data(),
                            first_out.sum.data() + level_start(k + 1), second_level, second[k],
                            second_out.shifted.data(), second_out.sum.data() + level_start(k + 1), size);
    } else if (vector) {
      SortedSums& list = in_first ? first_out : second_out;
      shift_merge_avx2(in_first ? first_level : second_level, in_first ? first[k] : second[k],
                       list.shifted.data(), list.sum.data() + level_start(k + 1), size);
    } else if (in_first && in_second) {  // both halves at the same level: four chains in flight
      ShiftMerge one(first_out, k, first[k], bit);
      ShiftMerge two(second_out, k, second[k], bit);
      for (std::size_t step = 0; step < size; ++step) {
        one.step();
        two.step();
      }
    } else {
      ShiftMerge only(in_first ? first_out : second_out, k, in_first ? first[k] : second[k], bit);
      for (std::size_t step = 0; step < size; ++step) only.step();
    }
    if (in_first) finish_level(first_out, k);
    if (in_second) finish_level(second_out, k);
  }
}

}  // namespace

void generate_sorted_sums_pair(std::span<const double> first, SortedSums& first_out,
                               std::span<const double> second, SortedSums& second_out, bool with_masks,
                               Kernel kernel) {
  if (kernel == Kernel::vector && !have_avx2()) {
    throw std::logic_error("sorted sums: the vector merge needs AVX2, which this processor lacks");
  }
  prepare(first_out, first.size(), with_masks, kernel);
  prepare(second_out, second.size(), with_masks, kernel);
  if (with_masks) {
    merge_levels<true>(first, first_out, second, second_out, kernel);
  } else {
    merge_levels<false>(first, first_out, second, second_out, kernel);
  }
}

namespace {

// One half's way back through its levels. Level k is level k - 1 merged with itself shifted by value
// k - 1: the sum is in the unshifted copy (value k - 1 not taken) or is x + value for some x there
// (taken). Either way the search goes on one level down with an exact sum of that level, so the mask
// found adds up to the sum bit for bit. Both candidates are searched at once, without branches: a
// search's comparisons are unpredictable.
struct Trace {
  std::span<const double> half;
  const SortedSums& list;
  double sum;
  std::uint32_t mask = 0;

  void down_from(std::size_t k) {
    const double* level = list.sum.data() + level_start(k - 1);
    const double value = half[k - 1];
    // The last entry < sum, and the last x with x + value < sum, among entries 0..size (-inf at 0).
    const double *below = level, *base_below = level;
    for (std::size_t left = (std::size_t{1} << (k - 1)) + 1; left > 1; left -= left / 2) {
      const std::size_t middle = left / 2;
      below = below[middle] < sum ? below + middle : below;
      base_below = base_below[middle] + value < sum ? base_below + middle : base_below;
    }
    if (below[1] == sum) return;  // +inf after the last entry never matches
    if (base_below[1] + value != sum)
      throw std::logic_error("closest subset sum: a sorted sum matches no subset");
    mask |= std::uint32_t{1} << (k - 1);
    sum = base_below[1];
  }
};

}  // namespace

std::pair<std::uint32_t, std::uint32_t> recover_masks(std::span<const double> first,
                                                      const SortedSums& first_list, double first_sum,
                                                      std::span<const double> second,
                                                      const SortedSums& second_list, double second_sum,
                                                      Kernel kernel) {
  if (kernel == Kernel::vector && first.size() <= listed_values && second.size() <= listed_values) {
    return {find_in_mask_order_avx2(first, first_sum), find_in_mask_order_avx2(second, second_sum)};
  }
  // Level by level in both halves: two independent chains of dependent loads in flight, not one.
  Trace one{first, first_list, first_sum}, two{second, second_list, second_sum};
  for (std::size_t k = std::max(first.size(), second.size()); k > 0; --k) {
    if (k <= first.size()) one.down_from(k);
    if (k <= second.size()) two.down_from(k);
  }
  return {one.mask, two.mask};
}

void group_by_count(const SortedSums& all, std::size_t values, std::vector<SortedSums>& groups) {
  if (all.size() != std::size_t{1} << values) throw std::logic_error("group_by_count: not a full list");
  // Group j holds C(values, j) subsets: sized up front, filled through a cursor each.
  constexpr std::size_t most = 25;  // values <= 24
  double* sum_at[most];
  std::uint32_t* mask_at[most];
  groups.resize(values + 1);
  for (std::size_t j = 0, binomial = 1; j <= values; binomial = binomial * (values - j) / (j + 1), ++j) {
    SortedSums& g = groups[j];
    g.sum.resize(binomial + 2);
    g.mask.resize(binomial + 2);
    g.count = binomial;
    g.first = 0;
    g.sum[0] = -infinity;
    g.sum[binomial + 1] = infinity;
    g.mask[0] = g.mask[binomial + 1] = 0;
    sum_at[j] = g.sum.data() + 1;
    mask_at[j] = g.mask.data() + 1;
  }
  const double* sums = all.sums();
  const std::uint32_t* masks = all.masks();
  for (std::size_t k = 1; k <= all.size(); ++k) {
    const unsigned count = bits_set(masks[k]);
    *sum_at[count]++ = sums[k];
    *mask_at[count]++ = masks[k];
  }
}

}  // namespace xbar::solver::detail
