// The meet-in-the-middle closest subset sum against brute force, on random instances.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/solver/subset_sum.hpp"

using namespace xbar;

namespace {

double chosen_sum(const std::vector<double>& values, const solver::SubsetChoice& c) {
  double sum = 0.0;
  for (std::size_t k = 0; k < values.size(); ++k) sum += c.chosen[k] ? values[k] : 0.0;
  return sum;
}

// The solver's answer against brute force: the same optimal error, and a sum that is the chosen values'.
void check_optimal(solver::ClosestSumSolver& fast, const std::vector<double>& values, double target) {
  const auto reference = solver::closest_subset_sum_brute_force(values, target);
  const auto choice = fast.solve(values, target);
  REQUIRE(choice.chosen.size() == values.size());
  CHECK(choice.error == doctest::Approx(reference.error).epsilon(1e-12).scale(1.0));
  CHECK(std::abs(chosen_sum(values, choice) - choice.sum) <= 1e-12 * (1.0 + std::abs(choice.sum)));
  CHECK(std::abs(std::abs(target - choice.sum) - choice.error) <= 1e-15 * (1.0 + std::abs(target)));
}

}  // namespace

TEST_CASE("closest subset sum matches brute force on random instances of both signs") {
  models::Rng rng(test::test_seed(11));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t m = static_cast<std::size_t>(trial % 19);  // 0 .. 18 values
    const bool signed_values = trial % 2 == 0;
    std::vector<double> values(m);
    for (double& v : values) v = signed_values ? rng.uniform(-1.0, 1.0) : rng.uniform(0.8, 1.2);
    const double target = rng.uniform(-2.0, static_cast<double>(m) * 0.6);
    CAPTURE(trial);
    CAPTURE(m);
    check_optimal(fast, values, target);
  }
}

TEST_CASE("equal values (many subsets share a sum) and free and counted searches alternating on one solver") {
  models::Rng rng(test::test_seed(12));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 120; ++trial) {
    const std::size_t m = 1 + static_cast<std::size_t>(trial % 18);
    std::vector<double> values(m);
    for (double& v : values) v = static_cast<double>(1 + rng.next() % 3) * 0.25;  // 0.25, 0.5 or 0.75
    const double target = rng.uniform(-0.5, static_cast<double>(m) * 0.6);
    const auto cardinality =
        trial % 3 == 0 ? solver::Cardinality::at_most(static_cast<int>(m / 2)) : solver::Cardinality::any();
    const auto reference = solver::closest_subset_sum_brute_force(values, target, cardinality);
    const auto choice = fast.solve(values, target, {.cardinality = cardinality});
    CAPTURE(trial);
    CHECK(choice.error == doctest::Approx(reference.error).epsilon(1e-12).scale(1.0));
    CHECK(chosen_sum(values, choice) == choice.sum);  // quarters add exactly
  }
}

TEST_CASE("longer instances, targets from below the smallest sum to above the largest") {
  // Lists of 512 to 2048 sums: the scan's walk is cut into four stretches and trimmed at its ends.
  models::Rng rng(test::test_seed(13));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 12; ++trial) {
    const std::size_t m = 18 + static_cast<std::size_t>(trial % 4);
    std::vector<double> values(m);
    for (double& v : values) v = trial % 3 == 0 ? rng.uniform(-1.2, 1.2) : rng.uniform(0.8, 1.2);
    CAPTURE(trial);
    check_optimal(fast, values, rng.uniform(-3.0, static_cast<double>(m) * 1.3));
  }
}

TEST_CASE("binary-weighted designs, both signs, free and exactly K on, match brute force") {
  // Value k is 2^k times a random ±20 % factor (the binary bank of thesis §6.2): sums spread evenly over
  // a range 2^m wide, unlike a uniform bank's bell-shaped crowd.
  models::Rng rng(test::test_seed(14));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 90; ++trial) {
    const std::size_t m = 4 + static_cast<std::size_t>(trial % 15);  // 4 .. 18 values
    const bool both_signs = trial % 2 == 1;
    std::vector<double> values(m);
    double reach = 0.0;
    for (std::size_t k = 0; k < m; ++k) {
      values[k] =
          std::ldexp(rng.uniform(0.8, 1.2), static_cast<int>(k)) * (both_signs && k % 3 == 1 ? -1.0 : 1.0);
      reach += std::abs(values[k]);
    }
    const double target = rng.uniform(both_signs ? -0.5 * reach : 0.0, reach);
    const auto cardinality =
        trial % 3 == 0 ? solver::Cardinality::exactly(static_cast<int>(m / 2)) : solver::Cardinality::any();
    const auto reference = solver::closest_subset_sum_brute_force(values, target, cardinality);
    const auto choice = fast.solve(values, target, {.cardinality = cardinality});
    CAPTURE(trial);
    CHECK(choice.error == doctest::Approx(reference.error).epsilon(1e-12).scale(reach));
    CHECK(std::abs(chosen_sum(values, choice) - choice.sum) <= 1e-12 * reach);
  }
}

TEST_CASE("any tolerance, any size: an answer within it, or the optimum when none is") {
  // Inner sets sized from the tolerance, larger ones after a miss, the exact search last: every path
  // must keep the promise.
  models::Rng rng(test::test_seed(42));
  solver::ClosestSumSolver solver;
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t m = 12 + 4 * static_cast<std::size_t>(trial % 4);              // 12 .. 24 values
    const double tolerance = std::pow(10.0, -2.0 - static_cast<double>(trial % 5));  // 1e-2 .. 1e-6
    std::vector<double> values(m);
    for (std::size_t k = 0; k < m; ++k) values[k] = (trial % 2 && k % 2 ? -1.0 : 1.0) * rng.uniform(0.8, 1.2);
    const double target = rng.uniform(-1.0, 0.5 * static_cast<double>(m));
    const auto exact = solver.solve(values, target);
    solver::ClosestSumOptions options;
    options.tolerance = tolerance;
    const auto quick = solver.solve(values, target, options);
    CAPTURE(trial);
    CHECK((quick.error <= tolerance || quick.error == exact.error));
    CHECK(std::abs(chosen_sum(values, quick) - quick.sum) < 1e-12);
  }
}

TEST_CASE("values whose sums overflow are refused, not solved with infinities") {
  const std::vector<double> huge = {1e308, 1e308, -1e308};
  CHECK_THROWS_AS(solver::closest_subset_sum(huge, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(solver::closest_subset_sum_brute_force(huge, 0.0), std::invalid_argument);
}

TEST_CASE("exact hits and targets outside the reachable range") {
  const std::vector<double> values = {3.0, 5.0, 9.0, -4.0};
  auto hit = solver::closest_subset_sum(values, 4.0);  // 3 + 5 - 4
  CHECK(hit.error == 0.0);
  CHECK(hit.sum == 4.0);
  auto above = solver::closest_subset_sum(values, 100.0);
  CHECK(above.sum == 17.0);  // every positive value
  CHECK(above.chosen == std::vector<std::uint8_t>{1, 1, 1, 0});
  auto below = solver::closest_subset_sum(values, -100.0);
  CHECK(below.sum == -4.0);
  auto empty = solver::closest_subset_sum({}, 2.5);
  CHECK(empty.sum == 0.0);
  CHECK(empty.error == 2.5);
}

TEST_CASE("a tolerance stops early with an answer inside it") {
  models::Rng rng(test::test_seed(5));
  std::vector<double> values(24);
  for (double& v : values) v = rng.uniform(0.8, 1.2);
  solver::ClosestSumOptions options;
  options.tolerance = 1e-3;
  const auto choice = solver::closest_subset_sum(values, 7.3, options);
  CHECK(choice.error <= 1e-3);
  CHECK(std::abs(chosen_sum(values, choice) - choice.sum) < 1e-12);
}

TEST_CASE("24 resistors per bank (48 signed values) are solved exactly and quickly enough for a unit test") {
  models::Rng rng(test::test_seed(7));
  std::vector<double> values(48);
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = (k < 24 ? 1.0 : -1.0) * rng.uniform(0.8, 1.2);
  const auto choice = solver::closest_subset_sum(values, 3.14159);
  // 2^48 subsets spread over ~[-29, 29]: the optimum is far below 1e-9.
  CHECK(choice.error < 1e-9);
  CHECK(std::abs(chosen_sum(values, choice) - 3.14159) < 1e-9);
}

TEST_CASE("bad instances are refused") {
  std::vector<double> too_many(solver::max_values + 1, 1.0);
  CHECK_THROWS_AS(solver::closest_subset_sum(too_many, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(solver::closest_subset_sum(std::vector<double>{1.0, NAN}, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(solver::closest_subset_sum(std::vector<double>{1.0}, INFINITY), std::invalid_argument);
  std::vector<double> brute(solver::max_brute_force_values + 1, 1.0);
  CHECK_THROWS_AS(solver::closest_subset_sum_brute_force(brute, 1.0), std::invalid_argument);
}

TEST_CASE("cardinality constraints match brute force: exactly K and at most K") {
  models::Rng rng(test::test_seed(31));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t m = 1 + static_cast<std::size_t>(trial % 16);
    std::vector<double> values(m);
    for (std::size_t k = 0; k < m; ++k)
      values[k] = (trial % 3 == 0 && k % 2 ? -1.0 : 1.0) * rng.uniform(0.8, 1.2);
    const int count = static_cast<int>(rng.next() % (m + 1));
    const double target = rng.uniform(-3.0, static_cast<double>(m));
    for (auto cardinality : {solver::Cardinality::exactly(count), solver::Cardinality::at_most(count)}) {
      const auto reference = solver::closest_subset_sum_brute_force(values, target, cardinality);
      solver::ClosestSumOptions options;
      options.cardinality = cardinality;
      const auto choice = fast.solve(values, target, options);
      CAPTURE(trial);
      CAPTURE(cardinality.describe());
      CHECK(choice.error == doctest::Approx(reference.error).epsilon(1e-12).scale(1.0));
      int on = 0;
      for (auto c : choice.chosen) on += c;
      CHECK(cardinality.allows(on));
      CHECK(std::abs(chosen_sum(values, choice) - choice.sum) <= 1e-12 * (1.0 + std::abs(choice.sum)));
    }
  }
  CHECK_THROWS_AS(
      solver::closest_subset_sum(std::vector<double>{1, 2}, 1.0, {.cardinality = solver::Cardinality::exactly(3)}),
      std::invalid_argument);
}

TEST_CASE(
    "with a tolerance, the two-level search answers within it; a hopeless tolerance falls back to the "
    "optimum") {
  models::Rng rng(test::test_seed(41));
  solver::ClosestSumSolver solver;
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t per_bank = 14 + static_cast<std::size_t>(trial % 3);  // 28 to 32 values
    std::vector<double> values;
    for (std::size_t k = 0; k < 2 * per_bank; ++k)
      values.push_back((k < per_bank ? 1.0 : -1.0) * rng.uniform(0.8, 1.2));
    const double target = rng.uniform(-0.4, 0.4) * static_cast<double>(per_bank);
    solver::ClosestSumOptions loose;
    loose.tolerance = 1e-5;
    const auto quick = solver.solve(values, target, loose);
    CHECK(quick.error <= 1e-5);
    CHECK(std::abs(chosen_sum(values, quick) - quick.sum) < 1e-12);
    solver::ClosestSumOptions hopeless;
    hopeless.tolerance = 1e-300;  // nothing short of the optimum: the exact search decides
    const auto exact = solver.solve(values, target);
    CHECK(solver.solve(values, target, hopeless).error == exact.error);
  }
}
