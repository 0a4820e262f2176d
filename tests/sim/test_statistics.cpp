// The one percentile rule (nearest rank) and the summaries built on it.
#include <doctest/doctest.h>

#include <cmath>

#include "xbar/sim/program/coverage.hpp"
#include "xbar/sim/studies/statistics.hpp"

using namespace xbar;

TEST_CASE("nearest-rank percentiles") {
  const std::vector<double> v = sim::sorted({5, 1, 4, 2, 3});
  CHECK(sim::percentile(v, 0.0) == 1);
  CHECK(sim::percentile(v, 0.2) == 1);   // ceil(0.2 * 5) = 1st value
  CHECK(sim::percentile(v, 0.21) == 2);
  CHECK(sim::percentile(v, 0.5) == 3);
  CHECK(sim::percentile(v, 0.95) == 5);
  CHECK(sim::percentile(v, 1.0) == 5);
  CHECK_THROWS_AS(sim::percentile({}, 0.5), std::invalid_argument);
}

TEST_CASE("summaries and coverage quantiles use the same rule") {
  std::vector<double> v;
  for (int k = 1; k <= 10; ++k) v.push_back(k);
  const sim::MetricSummary s = sim::summarise(v);
  CHECK(s.p50 == 5);  // nearest rank: ceil(5) = 5th; a rounded index would give 6
  CHECK(s.p5 == 1);
  CHECK(s.p95 == 10);
  CHECK(s.mean == doctest::Approx(5.5));
  const sim::Quantiles q = sim::quantiles_of(v);
  CHECK(q.median == s.p50);
  CHECK(q.p90 == 9);
  CHECK(q.min == 1);
  CHECK(q.max == 10);
}

TEST_CASE("p5 and p95 are their own ranks, not the extremes") {
  std::vector<double> v;
  for (int k = 21; k >= 1; --k) v.push_back(k);  // any order
  const sim::MetricSummary s = sim::summarise(v);
  CHECK(s.min == 1);
  CHECK(s.p5 == 2);    // ceil(0.05 * 21) = 2nd
  CHECK(s.p50 == 11);  // ceil(10.5) = 11th
  CHECK(s.p95 == 20);  // ceil(19.95) = 20th
  CHECK(s.max == 21);
  CHECK(s.std == doctest::Approx(std::sqrt(38.5)));  // sample std of 1..21: sqrt(21 * 22 / 12)
}
