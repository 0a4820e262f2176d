// How long a product takes: one input vector applied as a step to the programmed crossbar with its
// wire capacitance (wire.capacitance on every row and column node), run as a transient by ngspice, and
// the time after which every column's output stays within half an ADC LSB of its final value.
// Usage (given const ProgrammedDesign& design):
//   TransientResult t = settle(design, 0);
//   t.settling_time;            // seconds, the slowest column
//
// The netlist is the DC one with each bank collapsed to its equivalent resistor (exact: a bank's
// inner nodes carry no capacitance) and each row source a step from 0 V at t = 0 (rise time 1e-4 of
// the window). The window starts at readout.t_int and doubles until every output has settled within
// its first 80 %. The tolerance is half an LSB at the amplifier output: lsb / 2 there, so lsb / (2 rf)
// in column current for an ideal amplifier. The final values are the DC operating point of the same
// netlist (ngspice `op`), which is what the native solver gives too.
#pragma once

#include <vector>

#include "xbar/sim/flow/design.hpp"

namespace xbar::sim {

struct TransientResult {
  double settling_time = 0.0;           // seconds: the slowest column's
  std::vector<double> column_settling;  // seconds, per column
  double tolerance = 0.0;               // volts at the amplifier output (half an ADC LSB)
  double window = 0.0;                  // seconds simulated
  std::size_t time_points = 0;
  std::vector<double> final_currents;   // amperes, per column, from ngspice's operating point
  bool settled = true;                  // false: not within the longest window tried
};

TransientResult settle(const ProgrammedDesign& design, int vector = 0);

}  // namespace xbar::sim
