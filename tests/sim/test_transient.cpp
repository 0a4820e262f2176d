// Settling time through ngspice's transient against the analytic RC response of a one-cell crossbar.
#include <doctest/doctest.h>

#include <cmath>

#include "support.hpp"
#include "xbar/sim/flow/transient.hpp"

using namespace xbar;

TEST_CASE("a driven line with capacitance settles as its RC time constants say") {
  models::CellTechnology tech;
  tech.resistors = 1;
  tech.nominal = 20e3;
  sim::ProgrammedDesign design;
  design.crossbar = models::fabricate_crossbar(tech, 1, 1, 5);
  design.crossbar.wires.driver = 10e3;
  design.crossbar.wire_capacitance = 1e-12;
  design.readout.tia = {0.0, 100e3, 0.0};
  design.readout.adc = {10, -1.0, 1.0};
  design.readout.t_int = 1e-6;
  design.crossbar.tia = design.readout.tia;
  design.states = models::SwitchStates(design.crossbar.shape);
  design.states.on[design.crossbar.shape.branch(0, 0, models::Polarity::positive, 0)] = 1;  // + bank closed, - open
  design.inputs = Eigen::MatrixXd::Constant(1, 1, 1.0);
  design.scale.v_fs = 0.2;
  const sim::TransientResult t = sim::settle(design, 0);
  REQUIRE(t.settled);

  // Each line node: C to ground, 1/Rd to its source, G to the column (held at 0 V by the amplifier).
  const models::Calibration truth = models::true_calibration(design.crossbar);
  const double v = 0.2, gd = 1.0 / 10e3, c = 1e-12;
  const double g[2] = {models::bank_conductance(truth, design.states, 0, 0, models::Polarity::positive),
                       models::bank_conductance(truth, design.states, 0, 0, models::Polarity::negative)};
  const auto current = [&](double time) {  // into the column: G+ v+(t) + G- v-(t)
    double i = 0.0;
    for (int p = 0; p < 2; ++p) {
      const double tau = c / (gd + g[p]), final = (p == 0 ? v : -v) * gd / (gd + g[p]);
      i += g[p] * final * (1.0 - std::exp(-time / tau));
    }
    return i;
  };
  const double final_current = current(1.0);
  CHECK(t.final_currents[0] == doctest::Approx(final_current).epsilon(1e-9));
  // Where |rf (i(t) - i_final)| falls to half an LSB, by bisection on the analytic response.
  double low = 0.0, high = 1e-6;
  for (int k = 0; k < 200; ++k) {
    const double mid = (low + high) / 2;
    (std::abs(100e3 * (current(mid) - final_current)) > t.tolerance ? low : high) = mid;
  }
  const double tau = c / (gd + g[0]);
  CAPTURE(tau);
  CHECK(t.tolerance == doctest::Approx(2.0 / 1023 / 2));
  CHECK(t.settling_time == doctest::Approx(low).epsilon(0.02));
  CHECK(t.settling_time > 3 * tau);  // the band is far below the step: several time constants
}

TEST_CASE("settle refuses a design without an amplifier or an ADC") {
  sim::ProgrammedDesign design;
  models::CellTechnology tech;
  design.crossbar = models::fabricate_crossbar(tech, 1, 1, 1);
  design.states = models::SwitchStates(design.crossbar.shape);
  design.inputs = Eigen::MatrixXd::Zero(1, 1);
  CHECK_THROWS_AS(sim::settle(design, 0), std::invalid_argument);
}
