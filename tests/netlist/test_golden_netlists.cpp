// Golden netlists (tests/golden/*.cir): the circuit builder must write exactly these texts, and each
// must read back and write again unchanged (write -> read -> write). XBAR_UPDATE_GOLDEN=1 rewrites
// them after an intended change (then review the diff).
#include <doctest/doctest.h>

#include <cstdlib>
#include <vector>

#include "support.hpp"
#include "xbar/models/crossbar.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/spice_reader.hpp"
#include "xbar/netlist/spice_writer.hpp"

using namespace xbar;

namespace {

struct Golden {
  const char* name;
  models::CellTopology topology;
  models::Wires wires;
  double tc1;
};

std::string build(const Golden& g) {
  models::CellTechnology tech;
  tech.resistors = 3;
  tech.topology = g.topology;
  tech.tc1 = g.tc1;
  models::Crossbar x = models::fabricate_crossbar(tech, 2, 2, 42);
  x.wires = g.wires;
  if (g.tc1 != 0.0) x.temperature = 60.0;
  models::SwitchStates states(x.shape);
  for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = (b * 7 + 3) % 5 < 2;
  const std::vector<double> volts = {0.1, -0.05};
  const auto cc = netlist::build_crossbar_circuit(x, states, volts);
  netlist::SpiceWriteOptions options;
  options.temperature = cc.temperature;
  options.print_currents = cc.column_sources;
  return netlist::write_spice(cc.circuit, options);
}

}  // namespace

TEST_CASE("golden netlists: built text and write -> read -> write round trips") {
  const std::vector<Golden> cases = {
      {"parallel_ideal_wires", models::CellTopology::parallel, {}, 0.0},
      {"parallel_wires", models::CellTopology::parallel, {1.0, 5.0, 2.0}, 0.0},
      {"series_tempco", models::CellTopology::series, {0.5, 0.0, 0.0}, 1e-3},
  };
  const bool update = std::getenv("XBAR_UPDATE_GOLDEN") != nullptr;
  for (const Golden& g : cases) {
    CAPTURE(g.name);
    const std::filesystem::path file = std::filesystem::path(XBAR_GOLDEN_DIR) / (std::string(g.name) + ".cir");
    const std::string text = build(g);
    if (update) test::write_file(file, text);
    REQUIRE(std::filesystem::exists(file));
    const std::string golden = test::read_file(file);
    CHECK(text == golden);
    const netlist::ParsedNetlist parsed = netlist::read_spice(golden, file.string());
    CHECK(netlist::write_spice(parsed.circuit, parsed.options) == golden);
  }
}

TEST_CASE("a switch is a device: its state can change after the circuit is built") {
  netlist::Circuit c("switch");
  const auto a = c.node("a");
  c.add_voltage_source("V1", a, netlist::Circuit::ground, 1.0);
  const auto sw = c.add_switch("RSW1", a, netlist::Circuit::ground, 100.0, 1e9, false);
  CHECK(c.elements()[sw].value == 1e9);
  c.set_switch(sw, true);
  CHECK(c.elements()[sw].value == 100.0);
  netlist::SpiceWriteOptions elements_only;
  elements_only.control_block = false;
  CHECK(netlist::write_spice(c, elements_only).find("RSW1 a 0 100\n") != std::string::npos);
  CHECK_THROWS_AS(c.set_switch(0, true), std::invalid_argument);
  CHECK_THROWS_AS(c.add_switch("RSW2", a, netlist::Circuit::ground, 1e9, 100.0, true), std::invalid_argument);
}
