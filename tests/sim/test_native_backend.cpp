// The native nodal solver against ngspice on random crossbars with wires, and its error reports.
#include <doctest/doctest.h>

#include <cmath>

#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/spice_reader.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/backends/native/nodal_system.hpp"

using namespace xbar;

TEST_CASE("native equals ngspice to 1e-9 on random crossbars, wires, switch states and both bank kinds") {
  models::Rng rng(test::test_seed(55));
  auto native = sim::make_backend(sim::BackendKind::native);
  auto ngspice = sim::make_backend(sim::BackendKind::ngspice);
  for (int trial = 0; trial < 12; ++trial) {
    models::CellTechnology tech;
    tech.resistors = 1 + static_cast<int>(rng.next() % 4);
    tech.topology = trial % 3 == 2 ? models::CellTopology::series : models::CellTopology::parallel;
    const int rows = 1 + static_cast<int>(rng.next() % 6), cols = 1 + static_cast<int>(rng.next() % 6);
    auto xbar = models::fabricate_crossbar(tech, rows, cols, rng.next());
    // Zero or random resistance per wire kind, so every combination of merged nodes is exercised.
    const auto maybe = [&](double scale) { return rng.uniform01() < 0.3 ? 0.0 : scale * rng.uniform(0.1, 10.0); };
    xbar.wires = {maybe(1.0), maybe(10.0), maybe(10.0)};
    models::SwitchStates states(xbar.shape);
    for (auto& s : states.on) s = rng.uniform01() < 0.5;
    for (auto& e : states.enable) e = rng.uniform01() < 0.8;
    Eigen::MatrixXd v(3, rows);
    for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = rng.uniform(-0.3, 0.3);
    const Eigen::MatrixXd a = native->column_currents(xbar, states, v);
    const Eigen::MatrixXd b = ngspice->column_currents(xbar, states, v);
    CAPTURE(trial);
    CAPTURE(rows);
    CAPTURE(cols);
    CAPTURE(xbar.wires.segment);
    CHECK(test::worst_relative(a, b) <= 1e-9);
    if (xbar.wires.ideal()) {
      const Eigen::MatrixXd ideal = sim::make_backend(sim::BackendKind::ideal)->column_currents(xbar, states, v);
      CHECK(test::worst_relative(a, ideal) <= 1e-12);
    }
  }
}

TEST_CASE("the factorization is reused across crossbars of one topology") {
  models::CellTechnology tech;
  tech.resistors = 3;
  auto native = sim::make_backend(sim::BackendKind::native);
  auto reference = sim::make_backend(sim::BackendKind::ngspice);
  Eigen::MatrixXd v = Eigen::MatrixXd::Constant(2, 5, 0.2);
  v(1, 3) = -0.1;
  for (std::uint64_t seed : {1u, 2u, 3u}) {  // same shape and wires, new fabrication each time
    auto xbar = models::fabricate_crossbar(tech, 5, 4, seed);
    xbar.wires = {2.0, 1.0, 1.0};
    models::SwitchStates states(xbar.shape);
    for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = (b + seed) % 2;
    CHECK(test::worst_relative(native->column_currents(xbar, states, v), reference->column_currents(xbar, states, v)) <= 1e-9);
  }
}

TEST_CASE("unsolvable circuits are reported as a status and a message with node and element names") {
  const auto floating = netlist::read_spice("* t\nV1 a 0 DC 1\nR1 a b 1k\nR2 b 0 1k\nR3 c d 1k\nR4 d c 1k\n.end\n");
  sim::NodalSystem system(floating.circuit);
  REQUIRE(system.info() == sim::NodalStatus::success);  // the pattern is fine; the numbers are not
  CHECK(system.factorize(floating.circuit) == sim::NodalStatus::singular);
  CHECK(system.info() == sim::NodalStatus::singular);
  const std::string message = system.last_error();
  CHECK((message.find("singular at node c connected to [R3, R4]") != std::string::npos ||
         message.find("singular at node d connected to [R3, R4]") != std::string::npos));
  CHECK_THROWS_AS(system.source_currents(Eigen::MatrixXd::Ones(1, 1)), std::logic_error);

  const auto refused = [](const std::string& text) {
    const auto net = netlist::read_spice(text);
    const sim::NodalSystem s(net.circuit);
    CHECK(s.info() == sim::NodalStatus::invalid_network);
    return s.last_error();
  };
  CHECK_MESSAGE(refused("* t\nV1 a b DC 1\nR1 a 0 1k\nR2 b 0 1k\n.end\n").find("V1 (nodes a, b) is not referenced to ground") !=
                    std::string::npos,
                "loose source");
  CHECK(refused("* t\nV1 a 0 DC 1\nV2 a 0 DC 1\nR1 a 0 1k\n.end\n").find("V2 closes a loop") != std::string::npos);
  CHECK(refused("* t\nV1 a a DC 1\nR1 a 0 1k\n.end\n").find("V1 is shorted") != std::string::npos);
}

TEST_CASE("a general resistive network: nodal currents equal ngspice's") {
  const std::string text = "* ladder\nV1 a 0 DC 1\nR1 a b 1k\nR2 b 0 2k\nR3 b c 3k\nR4 c 0 4k\nV2 0 d DC 0.5\nR5 c d 5k\n.end\n";
  const auto net = netlist::read_spice(text);
  sim::NodalSystem system(net.circuit);
  REQUIRE(system.factorize(net.circuit) == sim::NodalStatus::success);
  Eigen::MatrixXd values(2, 1);
  values << 1.0, 0.5;
  const Eigen::MatrixXd i = system.source_currents(values);
  // By hand: node d = -0.5 V. Unknowns b, c.
  Eigen::Matrix2d a;
  a << 1 / 1e3 + 1 / 2e3 + 1 / 3e3, -1 / 3e3, -1 / 3e3, 1 / 3e3 + 1 / 4e3 + 1 / 5e3;
  const Eigen::Vector2d v = a.inverse() * Eigen::Vector2d(1 / 1e3, -0.5 / 5e3);
  CHECK(i(0, 0) == doctest::Approx((v(0) - 1.0) / 1e3).epsilon(1e-12));  // into V1's + terminal from R1
  CHECK(i(1, 0) == doctest::Approx(-((v(1) + 0.5) / 5e3)).epsilon(1e-12));  // V2: + at ground
}

TEST_CASE("the directly numbered network equals the named, collapsed crossbar circuit") {
  models::CellTechnology tech;
  tech.resistors = 3;
  auto xbar = models::fabricate_crossbar(tech, 4, 5, 11);
  xbar.wires = {0.7, 3.0, 2.0};
  models::SwitchStates states(xbar.shape);
  for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = (b * 5) % 3 != 0;
  Eigen::MatrixXd v(2, 4);
  v << 0.1, -0.2, 0.05, 0.3, -0.1, 0.0, 0.2, 0.1;
  const Eigen::MatrixXd direct = sim::make_backend(sim::BackendKind::native)->column_currents(xbar, states, v);
  // The same through a netlist::Circuit with names: sources in element order (row +, row -, ..., columns).
  const auto cc = netlist::build_crossbar_circuit(xbar, states, std::vector<double>(4, 0.0), netlist::BankDetail::collapsed);
  sim::NodalSystem system(cc.circuit);
  REQUIRE(system.factorize(cc.circuit) == sim::NodalStatus::success);
  Eigen::MatrixXd values = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(system.sources()), 2);
  for (int i = 0; i < 4; ++i) {
    values.row(2 * i) = v.col(i).transpose();
    values.row(2 * i + 1) = -v.col(i).transpose();
  }
  const Eigen::MatrixXd named = system.source_currents(values).bottomRows(5).transpose();
  CHECK(test::worst_relative(direct, named) <= 1e-12);
}

TEST_CASE("temperature coefficients: native (values at temperature) equals ngspice (tc1, tc2, .temp)") {
  models::CellTechnology tech;
  tech.resistors = 2;
  tech.tc1 = 2e-3;
  tech.tc2 = 3e-6;
  tech.topology = models::CellTopology::parallel;
  for (auto topology : {models::CellTopology::parallel, models::CellTopology::series}) {
    tech.topology = topology;
    auto xbar = models::fabricate_crossbar(tech, 3, 2, 4);
    xbar.temperature = 85.0;
    xbar.wires = {0.5, 0.0, 1.0};
    models::SwitchStates states(xbar.shape);
    for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = b % 2;
    Eigen::MatrixXd v(1, 3);
    v << 0.1, -0.2, 0.3;
    const Eigen::MatrixXd a = sim::make_backend(sim::BackendKind::native)->column_currents(xbar, states, v);
    const Eigen::MatrixXd b = sim::make_backend(sim::BackendKind::ngspice)->column_currents(xbar, states, v);
    CHECK(test::worst_relative(a, b) <= 1e-9);
    xbar.temperature = 27.0;  // and it matters
    const Eigen::MatrixXd cold = sim::make_backend(sim::BackendKind::native)->column_currents(xbar, states, v);
    CHECK(test::worst_relative(cold, b) > 1e-3);
  }
}
