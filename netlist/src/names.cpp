#include "xbar/netlist/names.hpp"

namespace xbar::netlist::names {

namespace {

std::string line(int row, Polarity p) { return "r" + std::to_string(row) + "_" + models::polarity_letter(p); }

std::string position(int row, int col, Polarity p, int k) { return bank(row, col, p) + "_k" + std::to_string(k); }

}  // namespace

std::string row_source(int row, Polarity p) { return "V_" + line(row, p); }
std::string column_source(int col) { return "V_c" + std::to_string(col); }
std::string tia_amplifier(int col) { return "E_c" + std::to_string(col); }
std::string tia_feedback(int col) { return "RF_c" + std::to_string(col); }
std::string tia_offset(int col) { return "VOS_c" + std::to_string(col); }
std::string tia_output(int col) { return "tia_c" + std::to_string(col); }
std::string tia_reference(int col) { return "ref_c" + std::to_string(col); }
std::string wire_capacitor(const std::string& node) { return "C_" + node; }

std::string bank(int row, int col, Polarity p) {
  return "r" + std::to_string(row) + "_c" + std::to_string(col) + "_" + models::polarity_letter(p);
}
std::string resistor(int row, int col, Polarity p, int k) { return "R_" + position(row, col, p, k); }
std::string branch_switch(int row, int col, Polarity p, int k) { return "RSW_" + position(row, col, p, k); }
std::string enable_switch(int row, int col, Polarity p) { return "RSW_" + bank(row, col, p) + "_en"; }
std::string branch_node(int row, int col, Polarity p, int k) { return "x_" + position(row, col, p, k); }
std::string bank_equivalent(int row, int col, Polarity p) { return "RB_" + bank(row, col, p); }

std::string row_node(int row, Polarity p, int col, bool segmented) {
  return "row_" + line(row, p) + (segmented ? "_c" + std::to_string(col) : "");
}
std::string column_node(int col, int row, bool segmented) {
  return "col_c" + std::to_string(col) + (segmented ? "_r" + std::to_string(row) : "");
}
std::string input_node(int row, Polarity p) { return "in_" + line(row, p); }
std::string output_node(int col) { return "out_c" + std::to_string(col); }
std::string row_segment(int row, Polarity p, int col) { return "RWR_" + line(row, p) + "_c" + std::to_string(col); }
std::string column_segment(int col, int row) { return "RWC_c" + std::to_string(col) + "_r" + std::to_string(row); }
std::string driver(int row, Polarity p) { return "RD_" + line(row, p); }
std::string sense(int col) { return "RS_c" + std::to_string(col); }

}  // namespace xbar::netlist::names
