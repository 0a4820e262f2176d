// The circuit of a programmed crossbar for one input vector (names: netlist/README.md).
// Usage (given const models::Crossbar& crossbar, const models::SwitchStates& states,
//        const std::vector<double>& row_voltages, int j):
//   auto cc = build_crossbar_circuit(crossbar, states, row_voltages);
//   cc.column_sources[j];   // "V_c<j>": its branch current is output j, in amperes
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "xbar/models/crossbar.hpp"
#include "xbar/netlist/circuit.hpp"

namespace xbar::netlist {

struct CrossbarCircuit {
  Circuit circuit;
  std::vector<std::string> column_sources;    // "V_c<j>", per column
  std::optional<double> temperature;          // .temp for the netlist, when resistors have tempcos
};

enum class BankDetail {
  full,       // every resistor and every switch its own element (what ngspice is given)
  collapsed,  // each bank one resistor RB_<bank> of its exact equivalent (the native solver's view, by name)
};

// Every resistor and every switch is its own element; a switch is a device with its true on- and
// off-resistance and its state (written to SPICE as the resistance of that state). Row i is driven at +v_i and, through an ideal inverter, -v_i. Parallel banks:
// R_<bank>_k<k> then RSW_<bank>_k<k> from the row line to the column. Series banks: R_<bank>_k<k>
// chained from the row line, each with RSW_<bank>_k<k> across it (bypass), then RSW_<bank>_en.
// Wires (crossbar.wires): row lines row_r<i>_<p>_c<j> joined by RWR_r<i>_<p>_c<j> (from column j-1 to
// j), driven through RD_r<i>_<p> from in_r<i>_<p>; column lines col_c<j>_r<i> joined by
// RWC_c<j>_r<i> (from row i-1 to i), ending through RS_c<j> at out_c<j>. Zero resistances merge nodes.
CrossbarCircuit build_crossbar_circuit(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                       std::span<const double> row_voltages, BankDetail detail = BankDetail::full);

}  // namespace xbar::netlist
