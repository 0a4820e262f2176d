// Programming a fabricated crossbar: every mode against brute force on the measured values.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>

#include "support.hpp"
#include "xbar/models/crossbar.hpp"
#include "xbar/sim/program/programming.hpp"
#include "xbar/sim/program/solve_mode.hpp"
#include "xbar/solver/subset_sum.hpp"

using namespace xbar;
using models::Polarity;

namespace {

// The best |achieved - target| over every switch setting of a cell the mode allows, by brute force
// on the measured values.
double brute_force_cell(const models::Calibration& c, int i, int j, double target, const sim::SolveMode& mode) {
  const int n = c.shape.resistors;
  const bool series = mode.kind == sim::SolveMode::Kind::series;
  const bool split = mode.one_bank() || series;
  models::SwitchStates states(c.shape);
  double best = 1e300;
  const int bits = split ? n : 2 * n;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << bits); ++mask) {
    if (!mode.cardinality().allows(std::popcount(mask))) continue;
    for (int enable_active = 0; enable_active <= (series ? 1 : 0); ++enable_active) {
      std::fill(states.on.begin(), states.on.end(), 0);
      const Polarity active = target < 0 ? Polarity::negative : Polarity::positive;
      for (int k = 0; k < bits; ++k) {
        const Polarity p = split ? active : (k < n ? Polarity::positive : Polarity::negative);
        states.on[c.shape.branch(i, j, p, k % n)] = (mask >> k) & 1u;
      }
      if (series) {
        states.enable[c.shape.bank(i, j, Polarity::positive)] = active == Polarity::positive && enable_active;
        states.enable[c.shape.bank(i, j, Polarity::negative)] = active == Polarity::negative && enable_active;
      }
      best = std::min(best, std::abs(models::signed_conductances(c, states)(i, j) - target));
    }
  }
  return best;
}

}  // namespace

TEST_CASE("programming solves each cell optimally on the measured values, in every parallel mode") {
  models::CellTechnology tech;
  tech.resistors = 5;
  tech.roff = 1e5;  // strong leakage, so that the offset handling matters
  const auto xbar = models::fabricate_crossbar(tech, 3, 2, test::test_seed(4));
  const auto measured = models::measure_calibration(xbar);
  Eigen::MatrixXd targets(3, 2);
  targets << 2e-4, -1e-4, 0.0, 3.3e-4, -4.1e-4, 5e-5;
  for (const char* name : {"signed", "free", "fixed:4", "max:3", "bank_fixed:2", "bank_max:3"}) {
    const auto mode = *sim::SolveMode::parse(name);
    const auto states = sim::program_crossbar(measured, targets, mode);
    const Eigen::MatrixXd achieved = models::signed_conductances(measured, states);
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 2; ++j) {
        CAPTURE(name);
        CAPTURE(i);
        CAPTURE(j);
        const double best = brute_force_cell(measured, i, j, targets(i, j), mode);
        CHECK(std::abs(achieved(i, j) - targets(i, j)) == doctest::Approx(best).epsilon(1e-9).scale(1e-4));
        int on = 0, on_positive = 0;
        for (int k = 0; k < 2 * tech.resistors; ++k) {
          const int closed = states.on[xbar.shape.branch(i, j, Polarity::positive, 0) + k];
          on += closed;
          on_positive += k < tech.resistors ? closed : 0;
        }
        CHECK(mode.cardinality().allows(on));
        if (mode.one_bank()) {  // the bank the sign does not pick stays open
          const int idle = targets(i, j) < 0 ? on_positive : on - on_positive;
          CHECK(idle == 0);
        }
      }
    }
  }
}

TEST_CASE("series banks: chain resistance, and programming near the brute-force optimum") {
  models::CellTechnology tech;
  tech.resistors = 4;
  tech.topology = models::CellTopology::series;
  tech.nominal = 1e3;
  tech.design = models::BankDesign::binary;
  auto xbar = models::fabricate_crossbar(tech, 2, 2, test::test_seed(8));
  const auto c = models::true_calibration(xbar);
  models::SwitchStates states(xbar.shape);
  // Bypass positions 0 and 2 of the + bank of cell (0, 0); disable the - bank.
  states.on[xbar.shape.branch(0, 0, Polarity::positive, 0)] = 1;
  states.on[xbar.shape.branch(0, 0, Polarity::positive, 2)] = 1;
  states.enable[xbar.shape.bank(0, 0, Polarity::negative)] = 0;
  const auto r = [&](int k) { return xbar.resistance[xbar.shape.branch(0, 0, Polarity::positive, k)]; };
  const auto par = [](double a, double b) { return a * b / (a + b); };
  const double plus = 1.0 / (par(r(0), tech.ron) + par(r(1), tech.roff) + par(r(2), tech.ron) + par(r(3), tech.roff) + tech.ron);
  double chain = tech.roff;
  for (int k = 0; k < 4; ++k) chain += par(xbar.resistance[xbar.shape.branch(0, 0, Polarity::negative, k)], tech.roff);
  CHECK(models::signed_conductances(c, states)(0, 0) == doctest::Approx(plus - 1.0 / chain).epsilon(1e-12));

  // Solving in resistance is not solving in conductance, so allow a little above the optimum.
  Eigen::MatrixXd targets(2, 2);
  targets << 2e-4, -1.5e-4, 0.0, 9e-5;
  const auto mode = *sim::SolveMode::parse("series");
  const auto programmed = sim::program_crossbar(c, targets, mode);
  const Eigen::MatrixXd achieved = models::signed_conductances(c, programmed);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      const double best = brute_force_cell(c, i, j, targets(i, j), mode);
      CAPTURE(i);
      CAPTURE(j);
      CHECK(std::abs(achieved(i, j) - targets(i, j)) <= 1.5 * best + 1e-15);
    }
  }
  CHECK_THROWS_AS(sim::program_crossbar(c, targets, *sim::SolveMode::parse("signed")), std::invalid_argument);
}
