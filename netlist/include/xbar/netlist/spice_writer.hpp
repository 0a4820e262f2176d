// ngspice-dialect SPICE text for a Circuit, runnable as is with `ngspice -b FILE`.
// Usage (given const Circuit& circuit):
//   SpiceWriteOptions opts;  opts.print_currents = {"V_c0", "V_c1"};
//   std::string text = write_spice(circuit, opts);   // .control: op, print i(V_c0) i(V_c1), quit
//   opts.control_block = false;                       // element lines and .end only (shared library)
//
// Numbers are written in the shortest form that reads back to the same double.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "xbar/netlist/circuit.hpp"
#include "xbar/netlist/spice_number.hpp"  // format_number

namespace xbar::netlist {

struct SpiceWriteOptions {
  std::optional<double> temperature;        // .temp (degC) when given
  bool control_block = true;                // add .control: op, print the currents below, quit
  std::vector<std::string> print_currents;  // voltage-source names whose branch currents are printed
  std::vector<std::string> print_voltages;  // node names whose voltages are printed after them
  std::vector<std::string> header_comments; // extra "* ..." lines after the title
};

std::string write_spice(const Circuit& circuit, const SpiceWriteOptions& options = {});


}  // namespace xbar::netlist
