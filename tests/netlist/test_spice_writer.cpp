// SPICE text: a golden netlist for a one-cell crossbar, number formatting and SPICE numbers.
#include <doctest/doctest.h>

#include <cmath>

#include "xbar/models/crossbar.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/netlist/spice_writer.hpp"

using namespace xbar;

TEST_CASE("golden netlist of a 1x1 crossbar with one resistor per bank") {
  models::CellTechnology tech;
  tech.resistors = 1;
  auto xbar = models::fabricate_crossbar(tech, 1, 1, 1);
  xbar.resistance = {10000, 12500};
  models::SwitchStates states(xbar.shape);
  states.on = {1, 0};
  const double volts[] = {0.25};
  const auto cc = netlist::build_crossbar_circuit(xbar, states, volts);
  netlist::SpiceWriteOptions options;
  options.print_currents = cc.column_sources;
  const std::string expected =
      "* xbar crossbar 1x1, 1 resistors per bank\n"
      "* input 0\n"
      "V_r0_p row_r0_p 0 DC 0.25\n"
      "V_r0_n row_r0_n 0 DC -0.25\n"
      "* output 0: virtual ground, current = output\n"
      "V_c0 col_c0 0 DC 0\n"
      "* cell r0 c0 + bank, switches 1\n"
      "R_r0_c0_p_k0 row_r0_p x_r0_c0_p_k0 10000\n"
      "RSW_r0_c0_p_k0 x_r0_c0_p_k0 col_c0 100\n"
      "* cell r0 c0 - bank, switches 0\n"
      "R_r0_c0_n_k0 row_r0_n x_r0_c0_n_k0 12500\n"
      "RSW_r0_c0_n_k0 x_r0_c0_n_k0 col_c0 1e+09\n"
      ".control\n"
      "set numdgt=15\n"
      "op\n"
      "print i(V_c0)\n"
      "quit 0\n"
      ".endc\n"
      ".end\n";
  CHECK(netlist::write_spice(cc.circuit, options) == expected);
  options.control_block = false;
  CHECK(netlist::write_spice(cc.circuit, options).find(".control") == std::string::npos);
}

TEST_CASE("print lines stay short for many columns") {
  netlist::Circuit c;
  netlist::SpiceWriteOptions options;
  for (int j = 0; j < 20; ++j) options.print_currents.push_back("V_c" + std::to_string(j));
  const std::string text = netlist::write_spice(c, options);
  std::size_t prints = 0;
  for (std::size_t at = text.find("print "); at != std::string::npos; at = text.find("print ", at + 1)) ++prints;
  CHECK(prints == 3);  // 8 + 8 + 4
}

TEST_CASE("numbers are written shortest and read back exactly") {
  for (double v : {0.1, 1.0 / 3.0, 1e-300, -2.5e9, 100.0, 6.02214076e23}) {
    const std::string text = netlist::format_number(v);
    CHECK(std::stod(text) == v);
    CHECK(netlist::parse_spice_number(text).value() == v);
  }
  CHECK(netlist::format_number(100.0) == "100");
}

TEST_CASE("SPICE magnitude suffixes") {
  CHECK(netlist::parse_spice_number("10k").value() == 10e3);
  CHECK(netlist::parse_spice_number("1meg").value() == 1e6);
  CHECK(netlist::parse_spice_number("1MEG").value() == 1e6);
  CHECK(netlist::parse_spice_number("100m").value() == doctest::Approx(0.1));
  CHECK(netlist::parse_spice_number("1u").value() == doctest::Approx(1e-6));
  CHECK(netlist::parse_spice_number("1g").value() == 1e9);
  CHECK(netlist::parse_spice_number("2.5e3").value() == 2500);
  CHECK(netlist::parse_spice_number("-3").value() == -3);
  CHECK_FALSE(netlist::parse_spice_number("abc"));
  CHECK_FALSE(netlist::parse_spice_number("1x"));
  CHECK_FALSE(netlist::parse_spice_number(""));
  // Unit words after the scale, as ngspice reads them: they change nothing.
  CHECK(netlist::parse_spice_number("10kohm").value() == 10e3);
  CHECK(netlist::parse_spice_number("10Ohms").value() == 10);
  CHECK(netlist::parse_spice_number("1megohm").value() == 1e6);
  CHECK(netlist::parse_spice_number("1Mohm").value() == doctest::Approx(1e-3));  // milli, as SPICE reads it
  CHECK(netlist::parse_spice_number("0.2V").value() == doctest::Approx(0.2));
  CHECK(netlist::parse_spice_number("1mil").value() == doctest::Approx(25.4e-6));
  CHECK_FALSE(netlist::parse_spice_number("10kohmz"));
  CHECK_FALSE(netlist::parse_spice_number("10x ohm"));
}

TEST_CASE("duplicate element names are refused, ignoring case like SPICE") {
  netlist::Circuit c;
  const auto a = c.node("a");
  c.add_resistor("R1", a, netlist::Circuit::ground, 1.0);
  CHECK_THROWS_AS(c.add_resistor("r1", a, netlist::Circuit::ground, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(c.add_resistor("R2", a, netlist::Circuit::ground, 0.0), std::invalid_argument);
}
