// Fabrication, branch conductances and switch states of a crossbar (the truth, no programming).
#include <doctest/doctest.h>

#include <bit>
#include <cmath>

#include "support.hpp"
#include "xbar/models/crossbar.hpp"
#include "xbar/solver/subset_sum.hpp"

using namespace xbar;
using models::Polarity;

TEST_CASE("nominal designs") {
  models::CellTechnology tech;
  tech.resistors = 4;
  tech.nominal = 1e3;
  tech.design = models::BankDesign::binary;
  CHECK(models::nominal_resistances(tech) == std::vector<double>{1e3, 2e3, 4e3, 8e3});
  tech.design = models::BankDesign::uniform;
  CHECK(models::nominal_resistances(tech) == std::vector<double>(4, 1e3));
  tech.ron = 0.0;
  CHECK(models::nominal_bank_conductance(tech) == doctest::Approx(4e-3));
}

TEST_CASE("fabricated values stay within the uniform spread and are reproducible") {
  models::CellTechnology tech;
  tech.resistors = 6;
  tech.variation = 0.2;
  const auto a = models::fabricate_crossbar(tech, 5, 4, 99);
  const auto b = models::fabricate_crossbar(tech, 5, 4, 99);
  const auto c = models::fabricate_crossbar(tech, 5, 4, 100);
  CHECK(a.resistance == b.resistance);
  CHECK(a.resistance != c.resistance);
  REQUIRE(a.resistance.size() == 5u * 4u * 2u * 6u);
  double low = 1e300, high = 0;
  for (double r : a.resistance) {
    low = std::min(low, r);
    high = std::max(high, r);
  }
  CHECK(low >= 0.8 * tech.nominal);
  CHECK(high <= 1.2 * tech.nominal);
  CHECK(high - low > 0.2 * tech.nominal);  // it really varies
}

TEST_CASE("signed conductance of a cell counts closed and leaking open branches") {
  models::CellTechnology tech;
  tech.resistors = 2;
  tech.ron = 100;
  tech.roff = 1e6;
  auto xbar = models::fabricate_crossbar(tech, 1, 1, 1);
  xbar.resistance = {1000, 2000, 3000, 4000};  // + bank k0 k1, - bank k0 k1
  models::SwitchStates states(xbar.shape);
  states.on = {1, 0, 0, 1};
  const auto g = models::true_calibration(xbar);
  const double expected = (1 / 1100.0 + 1 / (2000 + 1e6)) - (1 / (3000 + 1e6) + 1 / 4100.0);
  CHECK(models::signed_conductances(g, states)(0, 0) == doctest::Approx(expected).epsilon(1e-14));
}


TEST_CASE("a bank of the truth read directly equals the one read through the true calibration, bit for bit") {
  for (auto topology : {models::CellTopology::parallel, models::CellTopology::series}) {
    models::CellTechnology tech;
    tech.topology = topology;
    tech.resistors = 5;
    tech.tc1 = 2e-3;
    tech.tc2 = 1e-6;
    auto xbar = models::fabricate_crossbar(tech, 3, 4, 7);
    xbar.temperature = 61.5;
    models::SwitchStates states(xbar.shape);
    for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = static_cast<std::uint8_t>((b * 7 + 3) % 5 < 2);
    for (std::size_t b = 0; b < states.enable.size(); ++b) states.enable[b] = static_cast<std::uint8_t>(b % 3 != 0);
    const models::Calibration truth = models::true_calibration(xbar);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j)
        for (auto p : {Polarity::positive, Polarity::negative}) {
          CAPTURE(i);
          CAPTURE(j);
          CHECK(models::true_bank_conductance(xbar, states, i, j, p) == models::bank_conductance(truth, states, i, j, p));
        }
  }
}
