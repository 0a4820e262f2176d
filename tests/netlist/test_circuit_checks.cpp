// Topology checks: each broken circuit is caught with the names involved; crossbars pass.
#include <doctest/doctest.h>

#include "xbar/models/crossbar.hpp"
#include "xbar/netlist/circuit_checks.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/spice_reader.hpp"

using namespace xbar;
using Kind = netlist::CircuitProblem::Kind;

namespace {

std::vector<netlist::CircuitProblem> check(const std::string& text) {
  return netlist::check_circuit(netlist::read_spice(text).circuit);
}

}  // namespace

TEST_CASE("a floating sub-network is named, with its elements") {
  const auto p = check("* t\nV1 a 0 DC 1\nR1 a 0 1k\nR2 b c 1k\nR3 c b 2k\n.end\n");
  REQUIRE(p.size() == 1);
  CHECK(p[0].kind == Kind::floating);
  CHECK(p[0].nodes == std::vector<std::string>{"b", "c"});
  CHECK(p[0].message.find("R2") != std::string::npos);
  CHECK(p[0].message.find("no DC path to ground") != std::string::npos);
}

TEST_CASE("a dangling node, a source loop and a shorted source") {
  const auto dangling = check("* t\nV1 a 0 DC 1\nR1 a 0 1k\nR2 a d 1k\n.end\n");
  REQUIRE(dangling.size() == 1);
  CHECK(dangling[0].kind == Kind::dangling_node);
  CHECK(dangling[0].nodes[0] == "d");
  CHECK(dangling[0].elements[0] == "R2");

  const auto loop = check("* t\nV1 a 0 DC 1\nV2 a 0 DC 2\nR1 a 0 1k\n.end\n");
  REQUIRE(loop.size() == 1);
  CHECK(loop[0].kind == Kind::source_loop);
  CHECK(loop[0].elements[0] == "V2");

  const auto shorted = check("* t\nV1 a a DC 1\nR1 a 0 1k\nR2 a 0 1k\n.end\n");
  REQUIRE(shorted.size() >= 1);
  CHECK(shorted[0].kind == Kind::shorted_source);
  CHECK(shorted[0].elements[0] == "V1");
}

TEST_CASE("programmed crossbars have no problems, with and without wires") {
  for (auto wires : {models::Wires{}, models::Wires{1, 2, 3}}) {
    models::CellTechnology tech;
    tech.resistors = 2;
    auto xbar = models::fabricate_crossbar(tech, 4, 3, 1);
    xbar.wires = wires;
    const models::SwitchStates states(xbar.shape);
    const std::vector<double> v(4, 0.1);
    CHECK(netlist::check_circuit(netlist::build_crossbar_circuit(xbar, states, v).circuit).empty());
  }
}
