// The one naming scheme of crossbar elements and nodes, used by the circuit builder, the native
// backend's messages and the ngspice backend's `alter` commands. A name says where a thing sits
// (netlist/README.md has the table).
// Usage:
//   names::resistor(3, 7, Polarity::positive, 2) == "R_r3_c7_p_k2";  // its switch: names::branch_switch
//   names::row_node(3, Polarity::negative, 7, true) == "row_r3_n_c7";  // false (no wire segments): "row_r3_n"
//   names::column_source(7) == "V_c7";                               // its current is output 7
#pragma once

#include <string>

#include "xbar/models/crossbar.hpp"

namespace xbar::netlist::names {

using models::Polarity;

// Sources: row i's + line and inverted - line, column j's virtual ground.
std::string row_source(int row, Polarity p);
std::string column_source(int col);

// Column j's transimpedance amplifier (readout.tia with a finite gain): E_c<j> drives tia_c<j> from
// its + input ref_c<j> (held at the offset by VOS_c<j>) and - input (the column), RF_c<j> feeds back.
std::string tia_amplifier(int col);  // E_c<j>: its branch current is output j
std::string tia_feedback(int col);   // RF_c<j>
std::string tia_offset(int col);     // VOS_c<j>
std::string tia_output(int col);     // tia_c<j>
std::string tia_reference(int col);  // ref_c<j>
// Wire capacitance (transients): C_<node> from that wire node to ground.
std::string wire_capacitor(const std::string& node);

// A bank "r<i>_c<j>_<p>" and what it holds.
std::string bank(int row, int col, Polarity p);
std::string resistor(int row, int col, Polarity p, int k);       // R_<bank>_k<k>
std::string branch_switch(int row, int col, Polarity p, int k);  // RSW_<bank>_k<k>
std::string enable_switch(int row, int col, Polarity p);         // RSW_<bank>_en (series banks)
std::string branch_node(int row, int col, Polarity p, int k);    // x_<bank>_k<k>
std::string bank_equivalent(int row, int col, Polarity p);       // RB_<bank>: a bank collapsed to one resistor

// The wire grid. Without segment resistance a line is one node (`segmented` false).
std::string row_node(int row, Polarity p, int col, bool segmented);  // row_r<i>_<p>[_c<j>]
std::string column_node(int col, int row, bool segmented);           // col_c<j>[_r<i>]
std::string input_node(int row, Polarity p);                          // in_r<i>_<p>, before the driver
std::string output_node(int col);                                     // out_c<j>, after the sense resistor
std::string row_segment(int row, Polarity p, int col);  // RWR_r<i>_<p>_c<j>: from column j-1 to j
std::string column_segment(int col, int row);           // RWC_c<j>_r<i>: from row i-1 to i
std::string driver(int row, Polarity p);                // RD_r<i>_<p>
std::string sense(int col);                             // RS_c<j>

}  // namespace xbar::netlist::names
