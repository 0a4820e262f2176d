// The solver's internals against their references: the AVX2 merge against the scalar one, bit for bit,
// and masks traced back through the merge levels against the sums they must add up to.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <span>

#include "kernels/kernel.hpp"
#include "kernels/pair_scan.hpp"
#include "kernels/sorted_sums.hpp"
#include "support.hpp"
#include "xbar/models/random.hpp"

using namespace xbar;
using solver::detail::Kernel;
using solver::detail::SortedSums;

namespace {

std::vector<double> random_values(models::Rng& rng, std::size_t count, int kind) {
  std::vector<double> values(count);
  for (double& v : values) {
    switch (kind) {
      case 0:
        v = rng.uniform(0.8, 1.2);
        break;  // one bank
      case 1:
        v = rng.uniform(-1.2, 1.2);
        break;  // both signs
      default:
        v = static_cast<double>(static_cast<int>(rng.next() % 5) - 2);  // many equal sums, zeros
    }
  }
  return values;
}

bool same_bits(const SortedSums& x, const SortedSums& y) {
  return x.size() == y.size() &&
         std::memcmp(x.sums(), y.sums(), (x.size() + 2) * sizeof(double)) == 0;  // with both sentinels
}

}  // namespace

TEST_CASE("the AVX2 merge builds the same sorted sums as the scalar merge, bit for bit") {
  if (!solver::detail::have_avx2()) {
    MESSAGE("this processor has no AVX2: the vector merge is never used here, nothing to compare");
    return;
  }
  models::Rng rng(test::test_seed(31));
  SortedSums scalar_first, scalar_second, vector_first, vector_second;
  for (int trial = 0; trial < 90; ++trial) {
    const std::size_t first_count = static_cast<std::size_t>(trial % 15),
                      second_count = first_count + trial % 2;
    const auto first = random_values(rng, first_count, trial % 3);
    const auto second = random_values(rng, second_count, (trial + 1) % 3);
    solver::detail::generate_sorted_sums_pair(first, scalar_first, second, scalar_second, false,
                                              Kernel::scalar);
    solver::detail::generate_sorted_sums_pair(first, vector_first, second, vector_second, false,
                                              Kernel::vector);
    CAPTURE(trial);
    CHECK(same_bits(scalar_first, vector_first));
    CHECK(same_bits(scalar_second, vector_second));
    CHECK(std::is_sorted(vector_second.sums() + 1, vector_second.sums() + 1 + vector_second.size()));
  }
}

TEST_CASE("the AVX2 pair scan finds the same optimum as the scalar walk, on lists of up to 2^18 sums") {
  if (!solver::detail::have_avx2()) {
    MESSAGE("this processor has no AVX2: the vector scan is never used here, nothing to compare");
    return;
  }
  // Both compute every error as |(a + b) - target|; the scalar walk meets each a with the two b around
  // target - a, where that error is smallest, and the block walk compares a superset: the same minimum.
  models::Rng rng(test::test_seed(33));
  SortedSums first_list, second_list;
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t m = 8 + static_cast<std::size_t>(trial) % 29;  // 8 .. 36 values: lists of 16 .. 2^18
    const auto values = random_values(rng, m, trial % 2);
    const auto split = std::span<const double>(values).first(m / 2),
               rest = std::span<const double>(values).subspan(m / 2);
    solver::detail::generate_sorted_sums_pair(split, first_list, rest, second_list, false);
    double total = 0.0;
    for (double v : values) total += std::abs(v);
    const double target = rng.uniform(-0.2 * total, 0.8 * total);
    solver::detail::BestPair scalar, vector;
    solver::detail::scan_pairs(first_list, second_list, target, 0.0, scalar, Kernel::scalar);
    solver::detail::scan_pairs(first_list, second_list, target, 0.0, vector, Kernel::vector);
    CAPTURE(trial);
    CAPTURE(m);
    CHECK(vector.error == scalar.error);
    CHECK(std::abs(vector.low_sum + vector.high_sum - target) == vector.error);
  }
}

TEST_CASE("every entry of a list without masks traces back to a subset with exactly that sum") {
  models::Rng rng(test::test_seed(32));
  SortedSums first_list, second_list, with_masks_first, with_masks_second;
  std::vector<Kernel> kernels = {Kernel::scalar};
  if (solver::detail::have_avx2()) kernels.push_back(Kernel::vector);  // small halves: listed, not traced
  for (int kind = 0; kind < 3; ++kind) {
    const auto first = random_values(rng, 9, kind), second = random_values(rng, 10, kind);
    solver::detail::generate_sorted_sums_pair(first, first_list, second, second_list, false);
    solver::detail::generate_sorted_sums_pair(first, with_masks_first, second, with_masks_second, true);
    CAPTURE(kind);
    REQUIRE(second_list.size() == 1024);
    for (std::size_t k = 1; k <= second_list.size(); ++k) {
      const double sum = second_list.sums()[k], first_sum = first_list.sums()[1 + k % first_list.size()];
      for (const Kernel kernel : kernels) {
        const auto [first_mask, second_mask] =
            solver::detail::recover_masks(first, first_list, first_sum, second, second_list, sum, kernel);
        CHECK(test::sum_in_index_order(first, first_mask) == first_sum);
        CHECK(test::sum_in_index_order(second, second_mask) == sum);
      }
      CHECK(with_masks_second.sums()[k] == sum);  // the masked merge sorts the same sums
      CHECK(test::sum_in_index_order(second, with_masks_second.masks()[k]) == sum);
    }
    for (const Kernel kernel : kernels) {
      CHECK_THROWS_AS(solver::detail::recover_masks(first, first_list, 1e9, second, second_list, 0.0, kernel),
                      std::logic_error);
    }
  }
}
