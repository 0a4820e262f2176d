// The read-out chain: the transimpedance amplifier against its closed form and ngspice (a VCVS with its
// feedback resistor), the converters against their definitions.
#include <doctest/doctest.h>

#include <cmath>
#include <regex>

#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/flow/energy.hpp"
#include "xbar/sim/nn/tile.hpp"

using namespace xbar;

TEST_CASE("a TIA's closed form: virtual ground, output and inferred current") {
  const models::Tia ideal{0.0, 10e3, 2e-3};
  CHECK(ideal.column_voltage(1e-5) == 2e-3);
  CHECK(ideal.output(1e-5) == doctest::Approx(2e-3 - 0.1).epsilon(1e-15));
  const models::Tia finite{1e3, 10e3, 2e-3};
  const double i = 1e-5, vc = finite.column_voltage(i), vo = finite.output(i);
  CHECK(vo == doctest::Approx(finite.gain * (finite.offset - vc)).epsilon(1e-14));  // the op-amp's law
  CHECK((vc - vo) / finite.rf == doctest::Approx(i).epsilon(1e-14));               // the feedback's
  // Seen from the column: (1 + A) / rf to a source of A off / (1 + A).
  CHECK(finite.equivalent_conductance() * (vc - finite.equivalent_source()) == doctest::Approx(i).epsilon(1e-12));
  CHECK(finite.inferred_current(vo) == doctest::Approx(i * finite.gain / (1 + finite.gain) - finite.offset * finite.gain / (1 + finite.gain) / finite.rf).epsilon(1e-12));
  CHECK_FALSE(models::Tia{}.present());
}

TEST_CASE("converters: levels, rounding, clipping; the input DAC keeps zero") {
  const models::Quantizer adc{3, -1.0, 1.0};
  CHECK(adc.lsb() == doctest::Approx(2.0 / 7));
  bool clipped = false;
  CHECK(adc.apply(0.1, clipped) == doctest::Approx(-1.0 + 4 * 2.0 / 7).epsilon(1e-15));  // the nearest level
  CHECK_FALSE(clipped);
  CHECK(adc.apply(1.2, clipped) == 1.0);
  CHECK(clipped);
  CHECK(adc.apply(-5.0, clipped) == -1.0);
  CHECK(clipped);
  CHECK(adc.apply(1.0 + adc.lsb() * 0.49, clipped) == 1.0);
  CHECK_FALSE(clipped);
  for (int bits : {2, 3, 8, 12}) {
    const models::Quantizer dac = models::input_dac(bits, 0.2);
    CAPTURE(bits);
    CHECK(dac.apply(0.0, clipped) == 0.0);
    CHECK(dac.apply(0.2, clipped) == doctest::Approx(0.2).epsilon(1e-14));
    CHECK(dac.apply(-0.2, clipped) == doctest::Approx(-0.2).epsilon(1e-14));
    CHECK_FALSE(clipped);
    CHECK(dac.lsb() == doctest::Approx(0.4 / (std::ldexp(1.0, bits) - 2)));
    models::Rng rng(static_cast<std::uint64_t>(bits));
    for (int k = 0; k < 100; ++k) {
      const double v = rng.uniform(-0.2, 0.2);
      CHECK(std::abs(dac.apply(v, clipped) - v) <= dac.lsb() / 2 * (1 + 1e-12));
    }
  }
}

TEST_CASE("finite-gain TIA: native equals ngspice (shared library) to 1e-9, with wires and offsets") {
  models::Rng rng(test::test_seed(83));
  const auto native = sim::make_backend(sim::BackendKind::native);
  const auto eigen = sim::make_backend(sim::BackendKind::native, {sim::Factorization::eigen});
  const auto ngspice = sim::make_backend(sim::BackendKind::ngspice);
  for (int trial = 0; trial < 8; ++trial) {
    models::CellTechnology tech;
    tech.resistors = 1 + static_cast<int>(rng.next() % 4);
    const int rows = 1 + static_cast<int>(rng.next() % 6), cols = 1 + static_cast<int>(rng.next() % 6);
    auto xbar = models::fabricate_crossbar(tech, rows, cols, rng.next());
    const auto maybe = [&](double scale) { return rng.uniform01() < 0.3 ? 0.0 : scale * rng.uniform(0.1, 10.0); };
    xbar.wires = {maybe(1.0), maybe(10.0), maybe(10.0)};
    xbar.tia = {trial % 4 == 3 ? 0.0 : std::pow(10.0, rng.uniform(1.0, 6.0)), rng.uniform(1e3, 1e5), rng.uniform(-5e-3, 5e-3)};
    models::SwitchStates states(xbar.shape);
    for (auto& s : states.on) s = rng.uniform01() < 0.5;
    Eigen::MatrixXd v(3, rows);
    for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = rng.uniform(-0.3, 0.3);
    const sim::SourceCurrents a = native->source_currents(xbar, states, v);
    const sim::SourceCurrents b = ngspice->source_currents(xbar, states, v);
    CAPTURE(trial);
    CAPTURE(xbar.tia.gain);
    CHECK(test::worst_relative(a.columns, b.columns) <= 1e-9);
    CHECK(test::worst_relative(a.rows, b.rows) <= 1e-9);
    CHECK(test::worst_relative(eigen->column_currents(xbar, states, v), a.columns) <= 1e-12);
  }
}

TEST_CASE("finite-gain TIA: stock ngspice -b gives the column node's voltage and the output the closed form does") {
  models::CellTechnology tech;
  tech.resistors = 3;
  auto xbar = models::fabricate_crossbar(tech, 3, 2, 17);
  xbar.wires = {2.0, 0.0, 0.0};
  xbar.tia = {200.0, 20e3, 1e-3};  // a low gain, so the virtual ground is far from 0 V
  models::SwitchStates states(xbar.shape);
  for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = b % 3 != 0;
  const std::vector<double> volts = {0.2, -0.1, 0.15};
  Eigen::MatrixXd v(1, 3);
  v << 0.2, -0.1, 0.15;
  const Eigen::MatrixXd i = sim::make_backend(sim::BackendKind::native)->column_currents(xbar, states, v);

  const netlist::CrossbarCircuit cc = netlist::build_crossbar_circuit(xbar, states, volts);
  netlist::SpiceWriteOptions options;
  options.print_currents = cc.column_sources;
  std::string text = netlist::write_spice(cc.circuit, options);
  text.insert(text.find("quit 0"), "print v(col_c0_r2) v(col_c1_r2) v(tia_c0) v(tia_c1)\n");
  test::ScratchDir dir("readout_tia");
  test::write_file(dir / "tia.cir", text);
  const auto run = test::run_command("ngspice -b " + test::quote(dir / "tia.cir"));
  REQUIRE(run.status == 0);
  const auto values = test::ngspice_printed(run.output);
  for (int j = 0; j < 2; ++j) {
    CAPTURE(j);
    const std::string c = std::to_string(j);
    REQUIRE(values.count("i(e_c" + c + ")") == 1);
    CHECK(values.at("i(e_c" + c + ")") == doctest::Approx(i(0, j)).epsilon(1e-9));
    CHECK(values.at("v(col_c" + c + "_r2)") == doctest::Approx(xbar.tia.column_voltage(i(0, j))).epsilon(1e-9));
    CHECK(values.at("v(tia_c" + c + ")") == doctest::Approx(xbar.tia.output(i(0, j))).epsilon(1e-9));
    CHECK(std::abs(xbar.tia.column_voltage(i(0, j))) > 1e-5);  // visibly not at 0 V
  }
}

TEST_CASE("power: every source's -V I equals the sum of I^2 R over every resistor (Tellegen), from ngspice's node voltages") {
  models::CellTechnology tech;
  tech.resistors = 2;
  auto xbar = models::fabricate_crossbar(tech, 3, 3, 29);
  xbar.wires = {1.5, 2.0, 0.5};
  models::SwitchStates states(xbar.shape);
  for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = (b * 7) % 3 != 0;
  const std::vector<double> volts = {0.2, -0.15, 0.05};
  Eigen::MatrixXd v(1, 3);
  v << 0.2, -0.15, 0.05;
  for (const models::Tia& tia : {models::Tia{}, models::Tia{0.0, 30e3, 2e-3}, models::Tia{300.0, 30e3, -1e-3}}) {
    CAPTURE(tia.gain);
    CAPTURE(tia.rf);
    xbar.tia = tia;
    const sim::SourceCurrents currents = sim::make_backend(sim::BackendKind::native)->source_currents(xbar, states, v);
    const sim::EnergyReport energy = sim::energy_of(xbar, states, v, currents, 1e-6);
    // Every node's voltage from stock ngspice, then I^2 R element by element.
    const netlist::CrossbarCircuit cc = netlist::build_crossbar_circuit(xbar, states, volts);
    netlist::SpiceWriteOptions options;
    for (std::size_t n = 1; n < cc.circuit.node_count(); ++n) options.print_voltages.push_back(cc.circuit.node_name(static_cast<int>(n)));
    test::ScratchDir dir("readout_tellegen");
    test::write_file(dir / "t.cir", netlist::write_spice(cc.circuit, options));
    const auto run = test::run_command("ngspice -b " + test::quote(dir / "t.cir"));
    REQUIRE(run.status == 0);
    const auto values = test::ngspice_printed(run.output);
    const auto voltage = [&](int node) {
      return node == 0 ? 0.0 : values.at("v(" + netlist::to_lower(cc.circuit.node_name(node)) + ")");
    };
    double dissipated = 0.0;
    for (const netlist::Element& e : cc.circuit.elements()) {
      if (e.kind != netlist::ElementKind::resistor && e.kind != netlist::ElementKind::switch_device) continue;
      const double drop = voltage(e.positive) - voltage(e.negative);
      dissipated += drop * drop / e.value;
    }
    CHECK(energy.power_w[0] == doctest::Approx(dissipated).epsilon(1e-9));
    CHECK(energy.input_power_w[0] <= energy.power_w[0] * (1 + 1e-12) + (tia.present() && tia.ideal() ? 1e-6 : 0.0));
    CHECK(energy.common_mode_w[0] > 0.0);
    CHECK(energy.energy_per_mac_j == doctest::Approx(energy.power_w[0] * 1e-6 / 9).epsilon(1e-14));
  }
}

TEST_CASE("a tile's currents and power from its response (networks) equal per-vector solves, offsets included") {
  models::CellTechnology tech;
  tech.resistors = 3;
  for (const models::Tia& tia : {models::Tia{}, models::Tia{0.0, 50e3, 0.0}, models::Tia{500.0, 50e3, 0.0},
                                 models::Tia{0.0, 50e3, 3e-3}, models::Tia{500.0, 50e3, -2e-3}}) {
    CAPTURE(tia.gain);
    CAPTURE(tia.offset);
    sim::ProgrammedDesign tile;
    tile.crossbar = models::fabricate_crossbar(tech, 7, 5, 31);
    tile.crossbar.wires = {1.5, 3.0, 2.0};
    tile.crossbar.tia = tia;
    tile.states = models::SwitchStates(tile.crossbar.shape);
    for (std::size_t b = 0; b < tile.states.on.size(); ++b) tile.states.on[b] = (b * 5) % 3 == 0;
    const auto native = sim::make_backend(sim::BackendKind::native);
    const sim::TileResponse response = sim::tile_response(tile, *native);
    CHECK(response.offset_amperes.size() == (tia.offset != 0.0 ? 5 : 0));
    models::Rng rng(13);
    Eigen::MatrixXd v(6, 7);
    for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = rng.uniform(-0.2, 0.2);
    const sim::SourceCurrents currents = native->source_currents(tile.crossbar, tile.states, v);
    const sim::EnergyReport solved = sim::energy_of(tile.crossbar, tile.states, v, currents, 1e-6);
    const Eigen::MatrixXd from_response = response.column_currents(v);
    CHECK(test::worst_relative(from_response, currents.columns) <= 1e-12);
    for (Eigen::Index k = 0; k < v.rows(); ++k) {
      const double watts = response.total_power(v.row(k), from_response.row(k));
      CHECK(watts == doctest::Approx(solved.power_w[static_cast<std::size_t>(k)]).epsilon(1e-12));
    }
  }
}
