// The SPICE reader: write -> read -> write round trips, and problems reported with their lines.
#include <doctest/doctest.h>

#include "xbar/models/crossbar.hpp"
#include "xbar/netlist/circuit_checks.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/spice_reader.hpp"
#include "xbar/netlist/spice_writer.hpp"

using namespace xbar;

namespace {

std::string crossbar_text(models::CellTopology topology, models::Wires wires, bool control) {
  models::CellTechnology tech;
  tech.resistors = 3;
  tech.topology = topology;
  auto xbar = models::fabricate_crossbar(tech, 3, 2, 5);
  xbar.wires = wires;
  models::SwitchStates states(xbar.shape);
  for (std::size_t b = 0; b < states.on.size(); ++b) states.on[b] = (b * 7) % 3 == 0;
  const double volts[] = {0.1, -0.2, 0.15};
  const auto cc = netlist::build_crossbar_circuit(xbar, states, volts);
  netlist::SpiceWriteOptions options;
  options.control_block = control;
  options.print_currents = cc.column_sources;
  options.header_comments = {"a header line", "another one"};
  return netlist::write_spice(cc.circuit, options);
}

std::vector<netlist::SpiceProblem> problems_of(const std::string& text) {
  try {
    netlist::read_spice(text, "x.cir");
  } catch (const netlist::SpiceReadError& e) {
    return e.problems();
  }
  return {};
}

}  // namespace

TEST_CASE("write -> read -> write gives the same text, for every kind of crossbar netlist") {
  for (auto topology : {models::CellTopology::parallel, models::CellTopology::series}) {
    for (auto wires : {models::Wires{}, models::Wires{1.0, 5.0, 2.0}, models::Wires{0.5, 0.0, 0.0}}) {
      for (bool control : {true, false}) {
        const std::string text = crossbar_text(topology, wires, control);
        const auto net = netlist::read_spice(text, "x.cir");
        CHECK(netlist::write_spice(net.circuit, net.options) == text);
      }
    }
  }
}

TEST_CASE("values, nodes and sources are read as written") {
  const auto net = netlist::read_spice("* title\nV1 a 0 DC 1.5\nR1 a b 2.2k\nR2 b 0 1meg\nV2 0 c -3\n.end\n");
  CHECK(net.circuit.title() == "title");
  REQUIRE(net.circuit.elements().size() == 4);
  CHECK(net.circuit.elements()[1].value == 2200);
  CHECK(net.circuit.elements()[2].value == 1e6);
  CHECK(net.circuit.elements()[3].value == -3);
  CHECK(net.circuit.node_name(net.circuit.elements()[3].positive) == "0");
}

TEST_CASE("every problem is reported with its line") {
  const auto p = problems_of(
      "* t\n"
      "R1 a b 1k\n"
      "L1 a 0 1u\n"     // line 3: unsupported element
      "R2 a b zz\n"     // line 4: bad number
      "R1 b 0 2k\n"     // line 5: duplicate
      "R3 a 0\n"        // line 6: missing value
      ".tran 1n 1u\n"   // line 7: unsupported command
      "R4 a 0 -5\n"     // line 8: negative resistance
      ".end\n");
  REQUIRE(p.size() == 6);
  CHECK(p[0].line == 3);
  CHECK(p[0].message.find("only resistors (R), voltage sources (V), voltage-controlled voltage sources (E) and capacitors (C)") !=
        std::string::npos);
  CHECK(p[1].line == 4);
  CHECK(p[1].message.find("'zz' is not a number") != std::string::npos);
  CHECK(p[2].line == 5);
  CHECK(p[2].message.find("duplicate element name 'R1' (first on line 2)") != std::string::npos);
  CHECK(p[3].line == 6);
  CHECK(p[4].line == 7);
  CHECK(p[5].line == 8);
  CHECK(problems_of("* t\nR1 a 0 1\n.control\nop\n")[0].message.find(".control without .endc") != std::string::npos);
}

TEST_CASE("an empty or CR-only title line is a title; a netlist without elements is refused") {
  CHECK(netlist::read_spice("\nR1 a 0 1k\n.end\n").circuit.elements().size() == 1);
  CHECK(netlist::read_spice("\r\nR1 a 0 1k\n.end\n").circuit.title().empty());
  CHECK(netlist::read_spice("my title\nR1 a 0 1k\n.end\n").circuit.title() == "my title");
  const auto empty = problems_of("");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].message.find("no elements") != std::string::npos);
  CHECK(problems_of("* only a title\n.end\n")[0].message.find("no elements") != std::string::npos);
}

TEST_CASE("an amplifier (E) and capacitors (C) read, check and write back as they were") {
  const std::string text =
      "* tia\nV1 in 0 DC 0.1\nR1 in c 10k\nVOS ref 0 DC 0.001\nRF c o 20k\nE1 o 0 ref c 10000\nC1 c 0 1e-12\n.end\n";
  const auto net = netlist::read_spice(text);
  REQUIRE(net.circuit.elements().size() == 6);
  const netlist::Element& e = net.circuit.elements()[4];
  CHECK(e.kind == netlist::ElementKind::vcvs);
  CHECK(e.value == 1e4);
  CHECK(net.circuit.node_name(e.control_positive) == "ref");
  CHECK(net.circuit.node_name(e.control_negative) == "c");
  CHECK(net.circuit.elements()[5].kind == netlist::ElementKind::capacitor);
  CHECK(netlist::check_circuit(net.circuit).empty());  // control inputs and capacitors are no dangling ends
  netlist::SpiceWriteOptions options;
  options.control_block = false;
  const std::string written = netlist::write_spice(net.circuit, options);
  CHECK(written.find("E1 o 0 ref c 10000\n") != std::string::npos);
  CHECK(written.find("C1 c 0 1e-12\n") != std::string::npos);
  CHECK(netlist::read_spice(written).circuit.elements().size() == 6);
  CHECK_FALSE(problems_of("* t\nV1 a 0 DC 1\nC1 a 0 -1p\n.end\n").empty());
}
