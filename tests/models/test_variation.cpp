// Process variation, temperature and calibration (measurement) models.
#include <doctest/doctest.h>

#include <cmath>

#include "xbar/models/crossbar.hpp"

using namespace xbar;
using models::Polarity;

namespace {

models::CellTechnology base() {
  models::CellTechnology tech;
  tech.resistors = 4;
  tech.nominal = 1e3;
  tech.variation = 0.0;
  return tech;
}

}  // namespace

TEST_CASE("a global shift moves every resistor of a die together, differently per trial") {
  auto tech = base();
  tech.global = 0.1;
  const auto a = models::fabricate_crossbar(tech, 3, 3, 5, 0);
  const auto b = models::fabricate_crossbar(tech, 3, 3, 5, 1);
  const double shift_a = a.resistance[0] / 1e3, shift_b = b.resistance[0] / 1e3;
  for (double r : a.resistance) CHECK(r / 1e3 == doctest::Approx(shift_a).epsilon(1e-12));
  CHECK(shift_a != shift_b);
}

TEST_CASE("gradients change resistors linearly across the array") {
  auto tech = base();
  tech.gradient_x = 0.2;
  tech.gradient_y = -0.1;
  const auto x = models::fabricate_crossbar(tech, 3, 5, 1);
  const auto r = [&](int i, int j) { return x.resistance[x.shape.branch(i, j, Polarity::positive, 0)]; };
  CHECK(r(1, 0) == doctest::Approx(1e3 * (1 - 0.1)));  // first column, middle row
  CHECK(r(1, 4) == doctest::Approx(1e3 * (1 + 0.1)));  // last column
  CHECK(r(0, 2) == doctest::Approx(1e3 * (1 + 0.05)));  // first row, middle column
  CHECK(r(2, 2) == doctest::Approx(1e3 * (1 - 0.05)));
}

TEST_CASE("Pelgrom scaling narrows the mismatch of larger resistors") {
  auto tech = base();
  tech.design = models::BankDesign::binary;
  tech.variation = 0.2;
  tech.pelgrom = true;
  const auto spreads = models::mismatch_spreads(tech);
  CHECK(spreads[0] == doctest::Approx(0.2));
  CHECK(spreads[2] == doctest::Approx(0.2 / 2.0));  // 4x the area, half the mismatch
  const auto x = models::fabricate_crossbar(tech, 8, 8, 3);
  double worst[4] = {0, 0, 0, 0};
  const auto nominal = models::nominal_resistances(tech);
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j)
      for (int k = 0; k < 4; ++k) {
        const double d = x.resistance[x.shape.branch(i, j, Polarity::positive, k)] / nominal[k] - 1.0;
        worst[k] = std::max(worst[k], std::abs(d));
      }
  for (int k = 0; k < 4; ++k) CHECK(worst[k] <= spreads[k] + 1e-12);
}

TEST_CASE("switch spread varies on-resistance only, and leaves the resistors' draws unchanged") {
  auto tech = base();
  tech.variation = 0.2;
  const auto plain = models::fabricate_crossbar(tech, 2, 2, 9);
  tech.ron_spread = 0.1;
  const auto spread = models::fabricate_crossbar(tech, 2, 2, 9);
  CHECK(plain.resistance == spread.resistance);
  CHECK(spread.ron != plain.ron);
  CHECK(spread.roff == plain.roff);
}

TEST_CASE("temperature follows SPICE's tc1/tc2 about 27 degC, and calibration measures at its own") {
  auto tech = base();
  tech.tc1 = 1e-3;
  tech.tc2 = 1e-5;
  auto x = models::fabricate_crossbar(tech, 1, 1, 1);
  CHECK(models::resistance_at(x, 0, 127.0) == doctest::Approx(1e3 * (1 + 0.1 + 0.1)));  // 1 kohm -> 1.2 kohm
  x.temperature = 127.0;
  const auto hot = models::true_calibration(x);
  models::MeasurementSetup cold;
  cold.temperature = 27.0;
  const auto measured = models::measure_calibration(x, cold);
  CHECK(hot.branch_conductance.closed[0] == doctest::Approx(1.0 / (1200.0 + tech.ron)));
  CHECK(measured.branch_conductance.closed[0] == doctest::Approx(1.0 / (1000.0 + tech.ron)));
}

TEST_CASE("measurement error is reproducible noise of the requested size; quantisation lands on the grid") {
  auto tech = base();
  tech.variation = 0.2;
  const auto x = models::fabricate_crossbar(tech, 10, 10, 2);
  const auto truth = models::true_calibration(x);
  models::MeasurementSetup noisy;
  noisy.relative_error = 1e-3;
  const auto closed = [](const models::Calibration& c) { return c.branch_conductance.closed; };
  const std::vector<double> a = closed(models::measure_calibration(x, noisy, 7, 0));
  const std::vector<double> exact = closed(truth);
  CHECK(a == closed(models::measure_calibration(x, noisy, 7, 0)));
  CHECK(a != closed(models::measure_calibration(x, noisy, 7, 1)));
  double sum_squares = 0;
  for (std::size_t b = 0; b < a.size(); ++b) sum_squares += std::pow(a[b] / exact[b] - 1.0, 2);
  CHECK(std::sqrt(sum_squares / static_cast<double>(a.size())) == doctest::Approx(1e-3).epsilon(0.15));
  CHECK(models::true_calibration(x).branch_resistance.closed.empty());  // a parallel crossbar has no resistances

  models::MeasurementSetup coarse;
  coarse.bits = 6;
  coarse.range = 2e-3;
  const auto q = models::measure_calibration(x, coarse);
  const double step = 2e-3 / 63.0;
  const std::vector<double> quantised = closed(q);
  for (std::size_t b = 0; b < quantised.size(); ++b) {
    CHECK(std::abs(quantised[b] / step - std::round(quantised[b] / step)) < 1e-9);
    CHECK(std::abs(quantised[b] - exact[b]) <= 0.5 * step + 1e-15);
  }
}
