// The metric definitions (flow/metrics.hpp) on hand-computed cases.
#include <doctest/doctest.h>

#include <cmath>

#include "xbar/sim/flow/metrics.hpp"

using namespace xbar::sim;

TEST_CASE("weight error is the worst deviation over the largest weight") {
  Eigen::MatrixXd w(2, 2), p(2, 2);
  w << 1.0, -2.0, 0.5, 0.0;
  p << 1.1, -2.0, 0.5, -0.05;
  CHECK(weight_error(p, w) == doctest::Approx(0.1 / 2.0));
  CHECK(weight_error(w, w) == 0.0);
}

TEST_CASE("output errors: max and RMS normalised by each vector's largest ideal output") {
  Eigen::MatrixXd ideal(2, 3), sim(2, 3);
  ideal << 1.0, -4.0, 2.0,  //
      0.5, 0.25, 0.0;
  sim << 1.2, -4.0, 2.0,  //
      0.5, 0.20, 0.1;
  const OutputErrors e = output_errors(sim, ideal);
  REQUIRE(e.per_vector_max.size() == 2);
  CHECK(e.per_vector_max[0] == doctest::Approx(0.2 / 4.0));
  CHECK(e.per_vector_max[1] == doctest::Approx(0.1 / 0.5));
  CHECK(e.max == doctest::Approx(0.2));
  CHECK(e.per_vector_rms[0] == doctest::Approx(std::sqrt(0.05 * 0.05 / 3)));
  const double all = 0.05 * 0.05 + 0.1 * 0.1 + 0.2 * 0.2;
  CHECK(e.rms == doctest::Approx(std::sqrt(all / 6)));
}

TEST_CASE("per-image error: each image normalised by its own peak, not the batch's") {
  // Two images of three values: the second's peak is 100 times the first's.
  const std::vector<double> ideal = {1.0, -0.5, 0.25, 100.0, 50.0, -25.0};
  const std::vector<double> simulated = {1.01, -0.5, 0.25, 100.0, 51.0, -25.0};
  const std::vector<double> e = xbar::sim::image_errors(simulated, ideal, 2);
  REQUIRE(e.size() == 2);
  CHECK(e[0] == doctest::Approx(0.01));  // 0.01 / 1: normalised by the batch's peak it would read 1e-4
  CHECK(e[1] == doctest::Approx(0.01));  // 1 / 100
  // An all-zero ideal image: its error is absolute.
  CHECK(xbar::sim::image_errors(std::vector<double>{0.0, 0.002}, std::vector<double>{0.0, 0.0}, 1)[0] ==
        doctest::Approx(0.002));
  CHECK_THROWS_AS(xbar::sim::image_errors(simulated, ideal, 4), std::invalid_argument);
}
