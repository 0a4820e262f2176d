// The native backend's two factorizations: CHOLMOD (supernodal, the crossbar's nested dissection or
// METIS) against Eigen's simplicial LDL^T, the reference; their failures named alike.
#include <doctest/doctest.h>

#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/netlist/spice_reader.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/backends/native/nodal_system.hpp"

using namespace xbar;

TEST_CASE("cholmod equals eigen to 1e-12 on random crossbars with wires, and many input vectors at once") {
  models::Rng rng(test::test_seed(71));
  const auto cholmod = sim::make_backend(sim::BackendKind::native, {sim::Factorization::cholmod});
  const auto eigen = sim::make_backend(sim::BackendKind::native, {sim::Factorization::eigen});
  for (int trial = 0; trial < 10; ++trial) {
    models::CellTechnology tech;
    tech.resistors = 1 + static_cast<int>(rng.next() % 6);
    // Sizes from one cell to past the nested dissection's leaves (16 cells), and rectangles both ways.
    const int rows = 1 + static_cast<int>(rng.next() % 40), cols = 1 + static_cast<int>(rng.next() % 40);
    auto xbar = models::fabricate_crossbar(tech, rows, cols, rng.next());
    const auto maybe = [&](double scale) { return rng.uniform01() < 0.25 ? 0.0 : scale * rng.uniform(0.1, 10.0); };
    xbar.wires = {trial < 6 ? rng.uniform(0.1, 5.0) : maybe(1.0), maybe(10.0), maybe(10.0)};
    models::SwitchStates states(xbar.shape);
    for (auto& s : states.on) s = rng.uniform01() < 0.5;
    Eigen::MatrixXd v(20, rows);
    for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = rng.uniform(-0.3, 0.3);
    CAPTURE(trial);
    CAPTURE(rows);
    CAPTURE(cols);
    CAPTURE(xbar.wires.segment);
    CHECK(test::worst_relative(cholmod->column_currents(xbar, states, v), eigen->column_currents(xbar, states, v)) <= 1e-12);
  }
}

TEST_CASE("a large crossbar: cholmod with the layout's nested dissection equals eigen") {
  models::CellTechnology tech;
  tech.resistors = 4;
  auto xbar = models::fabricate_crossbar(tech, 96, 80, 5);
  xbar.wires = {1.0, 2.0, 1.5};
  models::SwitchStates states(xbar.shape);
  models::Rng rng(9);
  for (auto& s : states.on) s = rng.uniform01() < 0.5;
  Eigen::MatrixXd v(3, 96);
  for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = rng.uniform(-0.2, 0.2);
  const Eigen::MatrixXd a = sim::make_backend(sim::BackendKind::native, {sim::Factorization::cholmod})->column_currents(xbar, states, v);
  const Eigen::MatrixXd b = sim::make_backend(sim::BackendKind::native, {sim::Factorization::eigen})->column_currents(xbar, states, v);
  CHECK(test::worst_relative(a, b) <= 1e-12);
}

TEST_CASE("both factorizations name the node and elements of a floating part") {
  const auto floating = netlist::read_spice("* t\nV1 a 0 DC 1\nR1 a b 1k\nR2 b 0 1k\nR3 c d 1k\nR4 d c 1k\n.end\n");
  for (auto f : {sim::Factorization::cholmod, sim::Factorization::eigen}) {
    sim::NodalSystem system(floating.circuit, f);
    CHECK(system.factorization() == f);
    REQUIRE(system.info() == sim::NodalStatus::success);
    CHECK(system.factorize(floating.circuit) == sim::NodalStatus::singular);
    const std::string message = system.last_error();
    CHECK((message.find("singular at node c connected to [R3, R4]") != std::string::npos ||
           message.find("singular at node d connected to [R3, R4]") != std::string::npos));
  }
}

TEST_CASE("node voltages: every source node at its value, and the currents follow from them by Ohm's law") {
  const auto net = netlist::read_spice("* t\nV1 a 0 DC 1\nR1 a b 1k\nR2 b 0 2k\nR3 b c 3k\nV2 0 c DC 0.5\n.end\n");
  for (auto f : {sim::Factorization::cholmod, sim::Factorization::eigen}) {
    sim::NodalSystem system(net.circuit, f);
    REQUIRE(system.factorize(net.circuit) == sim::NodalStatus::success);
    Eigen::MatrixXd values(2, 1);
    values << 1.0, 0.5;
    const Eigen::MatrixXd v = system.node_voltages(values);
    const auto node = [&](const char* name) { return v(*net.circuit.find_node(name), 0); };
    CHECK(node("a") == 1.0);
    CHECK(node("c") == -0.5);
    const double b = (1.0 / 1e3 - 0.5 / 3e3) / (1 / 1e3 + 1 / 2e3 + 1 / 3e3);
    CHECK(node("b") == doctest::Approx(b).epsilon(1e-12));
    CHECK(system.source_currents(values)(0, 0) == doctest::Approx((b - 1.0) / 1e3).epsilon(1e-12));
  }
}



TEST_CASE("the sources' conductance matrix from the factor's last block equals one solve per source") {
  // A general network: sources on both sides, a node next to two sources, one far from any.
  const auto net = netlist::read_spice(
      "* t\nV1 a 0 DC 1\nV2 0 e DC 1\nV3 g 0 DC 0\nR1 a b 1k\nR2 b c 2k\nR3 c d 3k\nR4 d e 4k\nR5 b d 5k\n"
      "R6 c 0 6k\nR7 d g 7k\nR8 c f 8k\nR9 f 0 9k\nR10 a g 10k\n.end\n");
  sim::NodalSystem eigen(net.circuit, sim::Factorization::eigen), cholmod(net.circuit, sim::Factorization::cholmod);
  REQUIRE(eigen.factorize(net.circuit) == sim::NodalStatus::success);
  REQUIRE(cholmod.factorize(net.circuit) == sim::NodalStatus::success);
  CHECK(eigen.sources_last());
  CHECK_FALSE(cholmod.sources_last());
  const Eigen::MatrixXd& y = eigen.source_conductance();
  const Eigen::MatrixXd by_solves = eigen.source_currents(Eigen::MatrixXd::Identity(3, 3));
  CHECK(test::worst_relative(y, by_solves) <= 1e-13);
  CHECK(test::worst_relative(cholmod.source_conductance(), by_solves) <= 1e-13);
  CHECK((y - y.transpose()).cwiseAbs().maxCoeff() <= 1e-15 * y.cwiseAbs().maxCoeff());
}

TEST_CASE("a crossbar's unit responses from the conductance matrix equal per-vector solves, amplifiers and offsets included") {
  models::Rng rng(test::test_seed(73));
  const auto eigen = sim::make_backend(sim::BackendKind::native, {sim::Factorization::eigen});
  const auto cholmod = sim::make_backend(sim::BackendKind::native, {sim::Factorization::cholmod});
  for (int trial = 0; trial < 8; ++trial) {
    models::CellTechnology tech;
    tech.resistors = 1 + static_cast<int>(rng.next() % 6);
    const int rows = 1 + static_cast<int>(rng.next() % 30), cols = 1 + static_cast<int>(rng.next() % 30);
    auto xbar = models::fabricate_crossbar(tech, rows, cols, rng.next());
    const auto maybe = [&](double scale) { return rng.uniform01() < 0.3 ? 0.0 : scale * rng.uniform(0.1, 10.0); };
    xbar.wires = {trial < 5 ? rng.uniform(0.1, 5.0) : maybe(1.0), maybe(10.0), maybe(10.0)};
    if (trial % 2 == 1) xbar.tia = {rng.uniform(1e2, 1e5), rng.uniform(1e4, 1e6), trial % 4 == 1 ? 1e-3 : 0.0};
    models::SwitchStates states(xbar.shape);
    for (auto& s : states.on) s = rng.uniform01() < 0.5;
    CAPTURE(trial);
    CAPTURE(rows);
    CAPTURE(cols);
    const sim::SourceCurrents reference = eigen->Backend::unit_responses(xbar, states);  // the identity, solved
    for (sim::Backend* backend : {eigen.get(), cholmod.get()}) {
      const sim::SourceCurrents fast = backend->unit_responses(xbar, states);
      CHECK(test::worst_relative(fast.columns, reference.columns) <= 1e-12);
      // A row source's current is g (v - v_next) over a segment of up to 10 S: both ways cancel alike
      // to ~1e-12 of it, in a different order.
      CHECK(test::worst_relative(fast.rows, reference.rows) <= 1e-10);
    }
    // The system kept for the conductance matrix (cholmod: now with the sources last) solves per vector
    // through its leading block.
    Eigen::MatrixXd v(3, rows);
    for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = rng.uniform(-0.3, 0.3);
    CHECK(test::worst_relative(cholmod->column_currents(xbar, states, v), eigen->column_currents(xbar, states, v)) <= 1e-12);
  }
}

namespace {

// A ladder of `rungs` nodes between a driven rail and a column source at its far end, every node also
// tied to ground, with its elimination order given (as a crossbar's layout gives one).
sim::ConductanceNetwork ladder(int rungs) {
  sim::ConductanceNetwork n;
  n.nodes = static_cast<std::size_t>(rungs) + 3;  // ground, the rungs, the input, the output
  const int input = rungs + 1, output = rungs + 2;
  n.resistors.push_back({input, 1, 2.0});
  for (int k = 1; k < rungs; ++k) n.resistors.push_back({k, k + 1, 1.0 + 0.1 * k});
  for (int k = 1; k <= rungs; ++k) n.resistors.push_back({k, 0, 0.01 * k});
  n.resistors.push_back({rungs, output, 3.0});
  n.resistors.push_back({input, output, 0.5});
  n.sources = {{input, 1.0}, {output, -1.0}};
  for (int k = rungs; k >= 1; --k) n.elimination_order.push_back(k);
  n.node_name = [](int k) { return "n" + std::to_string(k); };
  n.resistor_name = [](std::size_t k) { return "R" + std::to_string(k); };
  n.source_name = [](std::size_t k) { return "V" + std::to_string(k); };
  return n;
}

}  // namespace

TEST_CASE("cholmod puts the sources last where the conductance matrix is wanted: it and the solves equal eigen") {
  const sim::ConductanceNetwork net = ladder(40);
  sim::NodalSystem eigen(net, sim::Factorization::eigen);
  sim::NodalSystem plain(net, sim::Factorization::cholmod);
  sim::NodalSystem last(net, sim::Factorization::cholmod, sim::SourceConductance::wanted);
  for (sim::NodalSystem* system : {&eigen, &plain, &last}) REQUIRE(system->factorize(net) == sim::NodalStatus::success);
  CHECK(eigen.sources_last());
  CHECK_FALSE(plain.sources_last());
  CHECK(last.sources_last());
  const Eigen::MatrixXd by_solves = eigen.source_currents(Eigen::MatrixXd::Identity(2, 2));
  CHECK(test::worst_relative(last.source_conductance(), by_solves) <= 1e-13);
  CHECK(test::worst_relative(plain.source_conductance(), by_solves) <= 1e-13);
  Eigen::MatrixXd values(2, 3);
  values << 1.0, -0.5, 0.25, 0.0, 0.3, -2.0;
  CHECK(test::worst_relative(last.node_voltages(values), eigen.node_voltages(values)) <= 1e-13);
  CHECK(test::worst_relative(last.source_currents(values), eigen.source_currents(values)) <= 1e-12);
}

TEST_CASE("automatic takes Eigen for small systems, CHOLMOD from 5,000 unknowns where the conductance matrix is wanted") {
  const auto net = netlist::read_spice("* t\nV1 a 0 DC 1\nR1 a b 1k\nR2 b 0 2k\n.end\n");
  const sim::NodalSystem system(net.circuit);
  CHECK(system.factorization() == sim::Factorization::eigen);
  CHECK(sim::automatic_cholmod_unknowns == 100000);
  const sim::ConductanceNetwork small = ladder(4999), large = ladder(5000);
  CHECK(sim::NodalSystem(small, sim::Factorization::automatic, sim::SourceConductance::wanted).factorization() == sim::Factorization::eigen);
  CHECK(sim::NodalSystem(large, sim::Factorization::automatic).factorization() == sim::Factorization::eigen);
  const sim::NodalSystem wanted(large, sim::Factorization::automatic, sim::SourceConductance::wanted);
  CHECK(wanted.factorization() == sim::Factorization::cholmod);
  CHECK(wanted.sources_last());
  // Without the layout's order CHOLMOD cannot put the sources last: one operating point's rule holds.
  sim::ConductanceNetwork unordered = large;
  unordered.elimination_order.clear();
  CHECK(sim::NodalSystem(unordered, sim::Factorization::automatic, sim::SourceConductance::wanted).factorization() == sim::Factorization::eigen);
}
