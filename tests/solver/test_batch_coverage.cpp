// Batch solving (any thread count, same answer) and exact coverage (against full enumeration).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/solver/batch.hpp"
#include "xbar/solver/coverage.hpp"

using namespace xbar;

TEST_CASE("batch results are identical for 1, 2 and 5 threads and equal the single solver's") {
  models::Rng rng(test::test_seed(9));
  const std::size_t instances = 203, m = 12;
  std::vector<double> values(instances * m), targets(instances);
  for (double& v : values) v = rng.uniform(-1.2, 1.2);
  for (double& t : targets) t = rng.uniform(-2.0, 2.0);
  const auto one = solver::solve_batch(values, m, targets, {}, 1);
  std::size_t reported = 0;
  const auto two =
      solver::solve_batch(values, m, targets, {}, 2, [&](std::size_t done, std::size_t) { reported = done; });
  const auto five = solver::solve_batch(values, m, targets, {}, 5);
  CHECK(reported == instances);
  CHECK(one.chosen == two.chosen);
  CHECK(one.chosen == five.chosen);
  CHECK(one.error == five.error);
  solver::ClosestSumSolver single;
  for (std::size_t k = 0; k < instances; k += 17) {
    const auto c = single.solve(std::span<const double>(values).subspan(k * m, m), targets[k]);
    CHECK(c.error == one.error[k]);
  }
  std::vector<double> bad = values;
  bad[5] = NAN;
  CHECK_THROWS_AS(solver::solve_batch(bad, m, targets, {}, 2), std::invalid_argument);
}

TEST_CASE("coverage equals full enumeration on random signed and unsigned instances") {
  models::Rng rng(test::test_seed(13));
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t m = 2 + static_cast<std::size_t>(trial % 15);  // up to 16 values
    std::vector<double> values(m);
    const bool signed_values = trial % 2 == 0;
    for (std::size_t k = 0; k < m; ++k) values[k] = (signed_values && k >= m / 2 ? -1.0 : 1.0) * rng.uniform(0.8, 1.2);
    const double low = signed_values ? -0.4 * static_cast<double>(m) : -0.5;
    const double high = 0.45 * static_cast<double>(m);
    const auto exact = solver::subset_sum_coverage(values, low, high);
    const auto reference = solver::subset_sum_coverage_brute_force(values, low, high);
    CAPTURE(trial);
    CAPTURE(m);
    CHECK(exact.max_gap == doctest::Approx(reference.max_gap).epsilon(1e-9));
    CHECK(exact.worst_error == doctest::Approx(reference.worst_error).epsilon(1e-9));
  }
}

TEST_CASE("coverage of a hand-checked set") {
  // Sums of {1, 2.5}: 0, 1, 2.5, 3.5. Over [0, 3.5] the largest gap is (1, 2.5).
  const std::vector<double> values = {1.0, 2.5};
  const auto c = solver::subset_sum_coverage(values, 0.0, 3.5);
  CHECK(c.max_gap == doctest::Approx(1.5));
  CHECK(c.worst_error == doctest::Approx(0.75));
  // A range reaching past every sum: the end gap counts in full.
  const auto wide = solver::subset_sum_coverage(values, -1.0, 3.5);
  CHECK(wide.max_gap == doctest::Approx(1.5));
  CHECK(wide.worst_error == doctest::Approx(1.0));  // target -1 is 1 away from the sum 0
}

TEST_CASE("coverage falls as values are added (Lueker)") {
  models::Rng rng(test::test_seed(17));
  double previous = 1e9;
  for (std::size_t per_bank : {2, 4, 6, 8, 10}) {
    std::vector<double> values;
    for (std::size_t k = 0; k < 2 * per_bank; ++k) values.push_back((k < per_bank ? 1.0 : -1.0) * rng.uniform(0.8, 1.2));
    const auto c = solver::subset_sum_coverage(values, -1.0, 1.0);
    CAPTURE(per_bank);
    CHECK(c.worst_error < previous);
    previous = c.worst_error;
  }
  CHECK(previous < 1e-3);
}

// Each batch runs on fresh pool threads; their solvers (work buffers) must die with them. A Monte Carlo
// study makes one batch per trial, so any per-batch leak grows without bound.
TEST_CASE("memory stays flat over thousands of batches on pool threads") {
#ifdef __SANITIZE_ADDRESS__
  MESSAGE("not run under AddressSanitizer: its quarantine holds freed memory, so resident memory grows anyway");
  return;
#endif
  models::Rng rng(test::test_seed(13));
  const std::size_t instances = 8, m = 16;
  std::vector<double> values(instances * m), targets(instances);
  for (double& v : values) v = rng.uniform(-1.2, 1.2);
  for (double& t : targets) t = rng.uniform(-2.0, 2.0);
  for (int k = 0; k < 200; ++k) solver::solve_batch(values, m, targets, {}, 2);  // warm up the allocator
  const std::size_t before = test::resident_bytes();
  for (int k = 0; k < 4000; ++k) solver::solve_batch(values, m, targets, {}, 2);
  const std::size_t after = test::resident_bytes();
  INFO("resident before ", before, " after ", after);
  CHECK(after < before + 4 * 1024 * 1024);
}

TEST_CASE("coverage under a cardinality equals enumerating only the allowed subsets") {
  models::Rng rng(test::test_seed(21));
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t m = 4 + static_cast<std::size_t>(trial % 9);  // 4 .. 12 values
    std::vector<double> values(m);
    for (double& v : values) v = rng.uniform(-1.0, 1.0);
    const int k = 1 + trial % 3;
    const auto allowed = trial % 2 ? solver::Cardinality::exactly(k) : solver::Cardinality::at_most(k);
    // Reference: every mask, kept when its count is allowed.
    std::vector<double> sums;
    for (std::uint32_t mask = 0; mask < (1u << m); ++mask) {
      if (!allowed.allows(std::popcount(mask))) continue;
      sums.push_back(test::sum_in_index_order(values, mask));
    }
    std::sort(sums.begin(), sums.end());
    const double low = -1.5, high = 1.5;
    double worst = 0.0;
    for (int s = 0; s <= 3000; ++s) {  // the worst error sampled densely over the range
      const double t = low + (high - low) * s / 3000.0;
      const auto nearest = std::lower_bound(sums.begin(), sums.end(), t);
      double e = std::numeric_limits<double>::infinity();
      if (nearest != sums.end()) e = std::min(e, *nearest - t);
      if (nearest != sums.begin()) e = std::min(e, t - *(nearest - 1));
      worst = std::max(worst, e);
    }
    CAPTURE(trial);
    const solver::Coverage c = solver::subset_sum_coverage(values, low, high, allowed);
    CHECK(c.exact);
    CHECK(c.worst_error >= worst - 1e-12);                    // never below what the samples show
    CHECK(c.worst_error <= worst + (high - low) / 3000.0);    // and within one sampling step of it
    const solver::Coverage unconstrained = solver::subset_sum_coverage(values, low, high);
    CHECK(c.worst_error >= unconstrained.worst_error - 1e-15);  // fewer subsets cover no better
    // With a budget smaller than the allowed sums: a subset of them, so bounds from above.
    const solver::Coverage bounded = solver::subset_sum_coverage(values, low, high, allowed, 3);
    CHECK(bounded.worst_error >= c.worst_error - 1e-15);
  }
}
