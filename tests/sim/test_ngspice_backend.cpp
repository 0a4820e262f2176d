// Backends against a hand-written Ohm/Kirchhoff sum over every branch, on random crossbars.
#include <doctest/doctest.h>

#include <cmath>

#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/sim/backends/backend.hpp"

using namespace xbar;
using models::Polarity;

namespace {

struct Case {
  models::Crossbar crossbar;
  models::SwitchStates states;
  Eigen::MatrixXd voltages;
};

Case random_case(std::uint64_t seed, int rows, int cols, int resistors, int vectors) {
  models::CellTechnology tech;
  tech.resistors = resistors;
  tech.roff = 1e6;  // leak enough for open switches to matter
  Case c{models::fabricate_crossbar(tech, rows, cols, seed), {}, {}};
  c.states = models::SwitchStates(c.crossbar.shape);
  models::Rng rng(seed);
  for (auto& s : c.states.on) s = rng.uniform01() < 0.5;
  c.voltages.resize(vectors, rows);
  for (Eigen::Index k = 0; k < c.voltages.size(); ++k) c.voltages.data()[k] = rng.uniform(-0.3, 0.3);
  return c;
}

// Every column is held at 0 V and every row line at +v or -v, so each branch carries v / (R + Rswitch).
Eigen::MatrixXd hand_currents(const Case& c) {
  const auto& shape = c.crossbar.shape;
  Eigen::MatrixXd currents = Eigen::MatrixXd::Zero(c.voltages.rows(), shape.cols);
  for (Eigen::Index v = 0; v < c.voltages.rows(); ++v)
    for (int i = 0; i < shape.rows; ++i)
      for (int j = 0; j < shape.cols; ++j)
        for (Polarity p : {Polarity::positive, Polarity::negative})
          for (int k = 0; k < shape.resistors; ++k) {
            const auto b = shape.branch(i, j, p, k);
            const double line = (p == Polarity::positive ? 1.0 : -1.0) * c.voltages(v, i);
            const double r = c.crossbar.resistance[b] + (c.states.on[b] ? c.crossbar.ron[b] : c.crossbar.roff[b]);
            currents(v, j) += line / r;
          }
  return currents;
}

double worst_relative(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("ngspice and ideal backends agree with the hand sum to 1e-9") {
  const std::uint64_t seed = test::test_seed(2024);
  for (auto [rows, cols, resistors] : {std::tuple{1, 1, 1}, std::tuple{3, 4, 2}, std::tuple{6, 5, 4}}) {
    const Case c = random_case(seed + rows, rows, cols, resistors, 3);
    const Eigen::MatrixXd expected = hand_currents(c);
    const Eigen::MatrixXd ngspice =
        sim::make_backend(sim::BackendKind::ngspice)->column_currents(c.crossbar, c.states, c.voltages);
    const Eigen::MatrixXd ideal =
        sim::make_backend(sim::BackendKind::ideal)->column_currents(c.crossbar, c.states, c.voltages);
    CAPTURE(rows);
    CAPTURE(cols);
    CHECK(worst_relative(ngspice, expected) <= 1e-9);
    CHECK(worst_relative(ideal, expected) <= 1e-12);
  }
}

TEST_CASE("many input vectors through one loaded circuit equal one load per vector") {
  const Case c = random_case(test::test_seed(77), 4, 3, 3, 5);
  auto backend = sim::make_backend(sim::BackendKind::ngspice);
  const Eigen::MatrixXd together = backend->column_currents(c.crossbar, c.states, c.voltages);
  for (Eigen::Index v = 0; v < c.voltages.rows(); ++v) {
    const Eigen::MatrixXd alone = backend->column_currents(c.crossbar, c.states, c.voltages.row(v));
    CHECK(worst_relative(together.row(v), alone) <= 1e-12);
  }
}
