// The integer fast path of the exact search against its references: its kernels against std::sort and
// brute force over all pairs, and its answers against the search on doubles (portable kernels), which
// they must match exactly whenever it gives one.
#include <doctest/doctest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "kernels/kernel.hpp"
#include "kernels/pair_scan.hpp"
#include "kernels/quantized_avx2.hpp"
#include "kernels/quantized_search.hpp"
#include "kernels/sorted_sums.hpp"
#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/solver/subset_sum.hpp"

using namespace xbar;
using solver::detail::Kernel;

namespace {

// A sorted level of `size` sums within +-2^29, with its sentinels.
std::vector<std::int32_t> random_level(models::Rng& rng, std::size_t size, bool repeats) {
  std::vector<std::int32_t> level(size + 2);
  for (std::size_t k = 1; k <= size; ++k) {
    const auto spread = repeats ? 20u : (1u << 29);
    level[k] = static_cast<std::int32_t>(rng.next() % spread) - static_cast<std::int32_t>(spread / 2);
  }
  std::sort(level.begin() + 1, level.end() - 1);
  level.front() = INT32_MIN;
  level.back() = INT32_MAX;
  return level;
}

// The merged level as std::sort makes it, sentinels included.
std::vector<std::int32_t> merged_by_sorting(const std::vector<std::int32_t>& level, std::int32_t value) {
  const std::size_t size = level.size() - 2;
  std::vector<std::int32_t> merged(level.begin() + 1, level.end() - 1);
  for (std::size_t k = 1; k <= size; ++k) merged.push_back(level[k] + value);
  std::sort(merged.begin(), merged.end());
  merged.insert(merged.begin(), INT32_MIN);
  merged.push_back(INT32_MAX);
  return merged;
}

// The answer of the search on doubles with the portable kernels: the pair's masks and its sum.
struct DoubleAnswer {
  std::uint32_t low, high;
  double sum;
};
DoubleAnswer search_on_doubles(std::span<const double> values, double target) {
  const std::size_t split = values.size() / 2;
  solver::detail::SortedSums low, high;
  solver::detail::generate_sorted_sums_pair(values.first(split), low, values.subspan(split), high, false,
                                            Kernel::scalar);
  solver::detail::BestPair best;
  solver::detail::scan_pairs(low, high, target, 0.0, best, Kernel::scalar);
  const auto [low_mask, high_mask] = solver::detail::recover_masks(
      values.first(split), low, best.low_sum, values.subspan(split), high, best.high_sum, Kernel::scalar);
  return {low_mask, high_mask, best.low_sum + best.high_sum};
}

}  // namespace

TEST_CASE("the integer merges sort exactly what std::sort sorts, repeated sums included") {
  if (!solver::detail::have_avx2()) {
    MESSAGE("this processor has no AVX2: the integer path is never used here, nothing to compare");
    return;
  }
  models::Rng rng(test::test_seed(41));
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t size = std::size_t{8} << (trial % 9);  // 8 .. 2048
    const bool repeats = trial % 3 == 0;
    const auto one = random_level(rng, size, repeats), two = random_level(rng, size, repeats);
    const auto one_value = static_cast<std::int32_t>(rng.next() % 2001) - 1000;
    const auto two_value = static_cast<std::int32_t>(rng.next() % (1u << 28));
    std::vector<std::int32_t> one_out(2 * size + 2), two_out(2 * size + 2);
    CAPTURE(trial);
    solver::detail::shift_merge_int_avx2(one.data(), one_value, one_out.data(), size);
    CHECK(one_out == merged_by_sorting(one, one_value));
    solver::detail::shift_merge_int_pair_avx2(one.data(), two_value, one_out.data(), two.data(), one_value,
                                              two_out.data(), size);
    CHECK(one_out == merged_by_sorting(one, two_value));
    CHECK(two_out == merged_by_sorting(two, one_value));
  }
  // The first three values' eight sums, any signs.
  for (int trial = 0; trial < 50; ++trial) {
    std::int32_t values[3];
    for (auto& v : values) v = static_cast<std::int32_t>(rng.next() % 2001) - 1000;
    const auto base = static_cast<std::int32_t>(rng.next() % 101) - 50;
    std::vector<std::int32_t> out(10), expected;
    for (std::uint32_t m = 0; m < 8; ++m) {
      expected.push_back(base + ((m & 1u) ? values[0] : 0) + ((m & 2u) ? values[1] : 0) +
                         ((m & 4u) ? values[2] : 0));
    }
    std::sort(expected.begin(), expected.end());
    solver::detail::sorted_sums_of_three_avx2(values, base, out.data());
    CHECK(std::equal(expected.begin(), expected.end(), out.begin() + 1));
    CHECK(out[0] == INT32_MIN);
    CHECK(out[9] == INT32_MAX);
  }
}

TEST_CASE(
    "the integer pair scan finds the smallest |a + b| of all pairs, and a second no smaller than the true "
    "one") {
  if (!solver::detail::have_avx2()) return;
  models::Rng rng(test::test_seed(42));
  for (int trial = 0; trial < 80; ++trial) {
    const std::size_t n_low = std::size_t{8} << (trial % 5), n_high = std::size_t{4} << ((trial / 5) % 6);
    auto low = random_level(rng, n_low, trial % 4 == 0), high = random_level(rng, n_high, trial % 4 == 0);
    std::vector<std::int64_t> all;
    for (std::size_t i = 1; i <= n_low; ++i) {
      for (std::size_t j = 1; j <= n_high; ++j) all.push_back(std::abs(std::int64_t{low[i]} + high[j]));
    }
    std::sort(all.begin(), all.end());
    const auto hit = solver::detail::scan_int_blocks_avx2(low.data(), n_low, high.data(), n_high);
    CAPTURE(trial);
    CHECK(hit.best == all[0]);
    CHECK(hit.second >= all[1]);
    CHECK(std::abs(std::int64_t{*hit.low} + *hit.high) == hit.best);
  }
}

TEST_CASE("the subset of any sum is found among the integer subset sums, and none for a sum no subset has") {
  if (!solver::detail::have_avx2()) return;
  models::Rng rng(test::test_seed(43));
  for (std::size_t count = 4; count <= 12; ++count) {
    std::vector<std::int32_t> values(count);
    for (auto& v : values) v = static_cast<std::int32_t>(rng.next() % 1000001) - 500000;
    const auto base = static_cast<std::int32_t>(rng.next() % 1001);
    for (int trial = 0; trial < 20; ++trial) {
      const std::uint32_t mask = static_cast<std::uint32_t>(rng.next()) & ((1u << count) - 1);
      std::int32_t sum = base;
      for (std::size_t k = 0; k < count; ++k) sum += (mask >> k) & 1u ? values[k] : 0;
      const std::int64_t found = solver::detail::find_int_mask_avx2(values, base, sum);
      REQUIRE(found >= 0);
      std::int32_t found_sum = base;
      for (std::size_t k = 0; k < count; ++k) found_sum += (found >> k) & 1 ? values[k] : 0;
      CHECK(found_sum == sum);
    }
    CHECK(solver::detail::find_int_mask_avx2(values, base, INT32_MAX) == -1);
  }
}

TEST_CASE("where the integer search answers, it is the search on doubles' answer, exactly") {
  if (!solver::detail::have_avx2()) return;
  models::Rng rng(test::test_seed(44));
  solver::detail::QuantizedLists lists;
  int answered = 0, instances = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::size_t n = 8 + static_cast<std::size_t>(trial) % 13;  // 8 .. 20 values
    const int kind = trial % 5;
    std::vector<double> values(n);
    for (std::size_t k = 0; k < n; ++k) {
      switch (kind) {
        case 0:
          values[k] = rng.uniform(0.8, 1.2);
          break;  // one bank
        case 1:
          values[k] = (k < n / 2 ? 1.0 : -1.0) * rng.uniform(0.8, 1.2);
          break;  // a signed cell
        case 2:
          values[k] = rng.uniform(-5.0, 5.0);
          break;  // any signs, sizes
        case 3:
          values[k] = std::ldexp(1.0, static_cast<int>(k % 8)) * rng.uniform(0.98, 1.02);
          break;  // binary
        default:  // small integers a hair off: many subsets within a few integer steps of each other
          values[k] = static_cast<double>(1 + rng.next() % 9) * (1.0 + 1e-9 * rng.uniform(-1.0, 1.0));
      }
    }
    double total = 0.0;
    for (double v : values) total += std::abs(v);
    const double target = rng.uniform(-0.6, 0.6) * total;
    const std::span<const double> all(values);
    const auto masks = solver::detail::quantized_closest(all.first(n / 2), all.subspan(n / 2), target, lists);
    ++instances;
    if (!masks) continue;
    ++answered;
    const DoubleAnswer reference = search_on_doubles(all, target);
    const double sum = test::sum_in_index_order(all.first(n / 2), masks->first) +
                       test::sum_in_index_order(all.subspan(n / 2), masks->second);
    CAPTURE(trial);
    CHECK(masks->first == reference.low);
    CHECK(masks->second == reference.high);
    CHECK(sum == reference.sum);
    if (n <= 16) {
      const auto brute = solver::closest_subset_sum_brute_force(values, target);
      CHECK(std::abs(sum - target) <= brute.error + 1e-12 * total);
    }
  }
  MESSAGE("the integer search answered " << answered << " of " << instances);
  CHECK(answered > instances / 2);  // it is the fast path: it must take most of them
}

TEST_CASE("the integer search declines ties, which only the search on doubles can order") {
  if (!solver::detail::have_avx2()) return;
  solver::detail::QuantizedLists lists;
  // Two equal values: every subset holding one has a twin holding the other, at the same sum.
  std::vector<double> values = {1.0, 1.25, 1.5, 1.75, 1.0, 2.25, 2.5, 2.75};
  const std::span<const double> all(values);
  CHECK_FALSE(solver::detail::quantized_closest(all.first(4), all.subspan(4), 3.3, lists).has_value());
  // Two subsets a hair apart ({1, 2} and {3 + 1e-12}, far less than a step of range / 2^30), the target
  // between them: undecidable in integers.
  values = {1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 3.0 + 1e-12};
  CHECK_FALSE(
      solver::detail::quantized_closest(all.first(4), all.subspan(4), 3.0 + 0.5e-12, lists).has_value());
  // The same values away from the ties (no subset but the empty one comes near 0.4): decided, and right.
  const auto decided = solver::detail::quantized_closest(all.first(4), all.subspan(4), 0.4, lists);
  REQUIRE(decided.has_value());
  CHECK(decided->first == 0u);
  CHECK(decided->second == 0u);
  // Outside its range: halves of fewer than four values.
  values = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  CHECK_FALSE(solver::detail::quantized_closest(all.first(3), all.subspan(3), 7.5, lists).has_value());
}
