#include "quantized_search.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <stdexcept>

#include "quantized_avx2.hpp"

namespace xbar::solver::detail {

namespace {

constexpr std::size_t fewest_values = 4, most_values = 12;  // per half
constexpr double steps_in_range = 1 << 30;  // sums and errors stay within +-2^30 (+ rounding) steps
// Give up on instances where more than this share of searches would end undecided.
constexpr double most_undecided = 0.05;

// The subset sums of `values`, offset by `base`, ascending in level[1..2^h] with INT32_MIN/MAX around
// them: the first three values' eight sums sorted in a register, then a merge per value.
struct SortedIntegerSums {
  std::vector<std::int32_t>* level;  // two buffers taking turns
  std::span<const std::int32_t> values;
  int current = 0;

  void start(std::int32_t base) {
    const std::size_t total = (std::size_t{1} << values.size()) + 2;
    for (int b = 0; b < 2; ++b) {
      if (level[b].size() < total) level[b].resize(total);
    }
    sorted_sums_of_three_avx2(values.data(), base, level[0].data());
    current = 0;
  }
  std::int32_t* now() { return level[current].data(); }
  std::int32_t* next() { return level[1 - current].data(); }
};

// The integer steps of an instance: how many to a unit of value, and how far rounding can move a pair's
// error in them. std::nullopt where the integer search does not apply, or would often give up.
struct Steps {
  double per_unit;
  std::int64_t slack;
};

std::optional<Steps> steps_for(std::span<const double> low, std::span<const double> high, double target) {
  // Every subset sum lies in [negative, positive], every error in [negative - target, positive - target].
  double positive = 0.0, negative = 0.0, squares = 0.0;
  for (std::span<const double> half : {low, high}) {
    for (double v : half) {
      positive += std::max(v, 0.0);
      negative += std::min(v, 0.0);
      squares += v * v;
    }
  }
  const double range =
      std::max({positive - target, target - negative, positive, -negative, std::abs(target)});
  if (!(range > 0.0) || !std::isfinite(range)) return std::nullopt;
  const std::size_t n = low.size() + high.size();
  // Each of the n values and the target is off by less than a step (half a step when rounding to
  // nearest, as by default), so a pair's error in steps is off by less than this.
  const Steps steps{steps_in_range / range, static_cast<std::int64_t>(n) + 2};
  // Pair sums crowd most near their middle: 2^n of them spread about normally, deviation sqrt(sum v^2 / 4).
  // Another pair within the slack either side of the best is then this likely:
  constexpr double sqrt_two_pi = 2.5066282746310002;
  const double pairs_per_step =
      static_cast<double>(std::uint64_t{1} << n) / (sqrt_two_pi * std::sqrt(squares / 4.0) * steps.per_unit);
  if (4.0 * static_cast<double>(steps.slack) * pairs_per_step > most_undecided) return std::nullopt;
  return steps;
}

// Whether the best pair is the closest in exact arithmetic: no other pair comes within twice the slack of
// it, neither one the walk compared nor one it skipped. A skipped pair is no closer, on the same side of
// the target, than a compared pair sharing its low or its high sum; where that is the best pair, the
// skipped one lies beyond the best's outward neighbour in that list, which is then no further than it.
bool proven(const IntScanHit& hit, std::int64_t slack) {
  const std::int64_t within = hit.best + 2 * slack;
  if (hit.second <= within) return false;
  const std::int64_t error = std::int64_t{*hit.low} + *hit.high;
  const int outward = error >= 0 ? 1 : -1;
  const std::int32_t edge = error >= 0 ? INT32_MAX : INT32_MIN;  // no neighbour there
  for (const auto& [a, b] :
       {std::pair{hit.low[outward], *hit.high}, std::pair{*hit.low, hit.high[outward]}}) {
    if (a != edge && b != edge && std::abs(std::int64_t{a} + b) <= within) return false;
  }
  return true;
}

}  // namespace

std::optional<std::pair<std::uint32_t, std::uint32_t>> quantized_closest(std::span<const double> low,
                                                                         std::span<const double> high,
                                                                         double target,
                                                                         QuantizedLists& lists) {
  const std::size_t n_low = low.size(), n_high = high.size();
  if (std::min(n_low, n_high) < fewest_values || std::max(n_low, n_high) > most_values) return std::nullopt;

  const std::optional<Steps> steps = steps_for(low, high, target);
  if (!steps) return std::nullopt;

  for (int h = 0; h < 2; ++h) {
    const std::span<const double> half = h == 0 ? low : high;
    lists.values[h].resize(half.size());
    to_steps_avx2(half, steps->per_unit, lists.values[h].data());
  }
  std::int32_t target_steps;
  to_steps_avx2({&target, 1}, steps->per_unit, &target_steps);

  // The low half's sums start from -target: a pair's error is then low + high.
  SortedIntegerSums one{lists.level[0], lists.values[0]};
  SortedIntegerSums two{lists.level[1], lists.values[1]};
  one.start(-target_steps);
  two.start(0);
  for (std::size_t k = 3, size = 8; k < std::max(n_low, n_high); ++k, size *= 2) {
    if (k < n_low && k < n_high) {
      shift_merge_int_pair_avx2(one.now(), one.values[k], one.next(), two.now(), two.values[k], two.next(),
                                size);
      one.current = 1 - one.current;
      two.current = 1 - two.current;
    } else {
      SortedIntegerSums& only = k < n_low ? one : two;
      shift_merge_int_avx2(only.now(), only.values[k], only.next(), size);
      only.current = 1 - only.current;
    }
  }

  const IntScanHit hit =
      scan_int_blocks_avx2(one.now(), std::size_t{1} << n_low, two.now(), std::size_t{1} << n_high);
  if (!proven(hit, steps->slack)) return std::nullopt;

  const std::int64_t low_mask = find_int_mask_avx2(lists.values[0], -target_steps, *hit.low);
  const std::int64_t high_mask = find_int_mask_avx2(lists.values[1], 0, *hit.high);
  if (low_mask < 0 || high_mask < 0)
    throw std::logic_error("quantized search: a sorted sum matches no subset");
  return std::pair{static_cast<std::uint32_t>(low_mask), static_cast<std::uint32_t>(high_mask)};
}

}  // namespace xbar::solver::detail
