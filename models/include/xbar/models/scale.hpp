// Weight <-> conductance and input <-> voltage scaling (the project's conventions, docs/circuits.md).
// Usage:
//   Scale s{.w_fs = 0.5, .g_fs = 1e-4, .x_fs = 1.0, .v_fs = 0.2};
//   s.conductance_of_weight(-0.25) == -0.5e-4;   // siemens: the - bank holds 0.5e-4
//
//   g = w / w_fs * g_fs      (sign carried by the bank: + bank for w > 0, - bank for w < 0)
//   v = x / x_fs * v_fs
//   column current I_j = sum_i v_i g_ij  =>  y_j = I_j * (x_fs * w_fs) / (v_fs * g_fs)
#pragma once

namespace xbar::models {

struct Scale {
  double w_fs = 1.0;  // weight units at full scale (max |W| unless the spec says otherwise)
  double g_fs = 1.0;  // siemens that represent w_fs
  double x_fs = 1.0;  // input units at full scale
  double v_fs = 1.0;  // volts that represent x_fs

  double conductance_of_weight(double w) const { return w / w_fs * g_fs; }
  double weight_of_conductance(double g) const { return g / g_fs * w_fs; }
  double voltage_of_input(double x) const { return x / x_fs * v_fs; }
  double output_of_current(double i) const { return i * (x_fs * w_fs) / (v_fs * g_fs); }
};

}  // namespace xbar::models
