// The min_common objective (smallest sum of |v| within the window) against brute force: signed cells of
// random and binary designs, targets of both signs, with and without a tolerance.
#include <doctest/doctest.h>

#include <cmath>

#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/solver/subset_sum.hpp"

using namespace xbar;

namespace {

solver::ClosestSumOptions min_common(double tolerance) {
  solver::ClosestSumOptions options;
  options.tolerance = tolerance;
  options.objective = solver::Objective::min_common;
  return options;
}

// A signed cell of n per bank: the positive bank's values, then the negative bank's negated.
std::vector<double> signed_cell(models::Rng& rng, int n, bool binary) {
  std::vector<double> values(2 * static_cast<std::size_t>(n));
  for (int bank = 0; bank < 2; ++bank) {
    for (int k = 0; k < n; ++k) {
      const double nominal = binary ? std::ldexp(1.0, -k) : 1.0;
      const double spread = binary && bank == 1 && k % 3 == 0 ? 0.0 : rng.uniform(-0.2, 0.2);
      values[static_cast<std::size_t>(bank * n + k)] = (bank == 0 ? 1.0 : -1.0) * nominal * (1.0 + spread);
    }
  }
  return values;
}

// The fast answer's error is within the window the reference allows, its common is the reference's,
// and so is its count where the commons tie exactly.
void check_against_brute_force(solver::ClosestSumSolver& fast, const std::vector<double>& values, double target,
                               double tolerance) {
  const auto choice = fast.solve(values, target, min_common(tolerance));
  const auto closest = solver::closest_subset_sum_brute_force(values, target);
  const double magnitude = solver::common_of(values, std::vector<std::uint8_t>(values.size(), 1)) + std::abs(target);
  const double window = std::max(tolerance, closest.error + 8 * 2.2e-16 * magnitude);
  const auto reference = solver::min_common_subset_brute_force(values, target, window);
  REQUIRE(choice.chosen.size() == values.size());
  CHECK(choice.error <= window);
  const double common = solver::common_of(values, choice.chosen);
  const double expected = solver::common_of(values, reference.chosen);
  CHECK(common == doctest::Approx(expected).epsilon(1e-12).scale(1.0));
  if (common == expected) {
    int count = 0, expected_count = 0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      count += choice.chosen[k];
      expected_count += reference.chosen[k];
    }
    CHECK(count == expected_count);
  }
}

}  // namespace

TEST_CASE("min_common matches brute force on random signed cells, n <= 10 per bank, both signs") {
  models::Rng rng(test::test_seed(41));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 120; ++trial) {
    const int n = 1 + trial % 10;
    const std::vector<double> values = signed_cell(rng, n, false);
    const double target = rng.uniform(-0.6, 0.6) * n;
    const double tolerance = trial % 3 == 0 ? 0.0 : std::pow(10.0, -rng.uniform(1.0, 6.0));
    CAPTURE(trial);
    CAPTURE(n);
    CAPTURE(tolerance);
    check_against_brute_force(fast, values, target, tolerance);
  }
}

TEST_CASE("min_common matches brute force on binary designs, where many subsets tie") {
  models::Rng rng(test::test_seed(42));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 60; ++trial) {
    const int n = 2 + trial % 9;
    const std::vector<double> values = signed_cell(rng, n, true);
    const double target = rng.uniform(-1.5, 1.5);
    const double tolerance = trial % 2 == 0 ? 0.0 : 0.05;
    CAPTURE(trial);
    check_against_brute_force(fast, values, target, tolerance);
  }
}

TEST_CASE("min_common never takes more common than the closest objective at the same error") {
  models::Rng rng(test::test_seed(43));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 40; ++trial) {
    const std::vector<double> values = signed_cell(rng, 12, false);
    const double target = rng.uniform(-4.0, 4.0);
    const auto closest = fast.solve(values, target, {.tolerance = 1e-4, .objective = solver::Objective::closest, .cardinality = {}});
    const auto minimal = fast.solve(values, target, min_common(1e-4));
    CHECK(minimal.error <= 1e-4);
    CHECK(solver::common_of(values, minimal.chosen) <= solver::common_of(values, closest.chosen) + 1e-12);
    // A cell needs at least |target| of common: G+ + G- >= |G+ - G-|.
    CHECK(solver::common_of(values, minimal.chosen) >= std::abs(target) - 1e-4);
  }
}

TEST_CASE("min_common refuses a cardinality constraint; a zero target opens every switch") {
  const std::vector<double> values = {1.0, 0.5, -1.0, -0.5};
  CHECK_THROWS_AS(solver::closest_subset_sum(values, 0.3, {.objective = solver::Objective::min_common,
                                                           .cardinality = solver::Cardinality::at_most(1)}),
                  std::invalid_argument);
  const auto zero = solver::closest_subset_sum(values, 0.0, min_common(0.0));
  CHECK(solver::common_of(values, zero.chosen) == 0.0);
}

TEST_CASE("min_common's best-first search (11 per bank and more, with a tolerance) matches brute force") {
  models::Rng rng(test::test_seed(44));
  solver::ClosestSumSolver fast;
  for (int trial = 0; trial < 2; ++trial) {  // brute force over 2^22 subsets: about a second each
    const std::vector<double> values = signed_cell(rng, 11, trial == 1);
    const double target = rng.uniform(-5.0, 5.0);
    CAPTURE(trial);
    check_against_brute_force(fast, values, target, trial % 2 == 0 ? 1e-3 : 1e-5);
  }
}
