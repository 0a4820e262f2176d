#include "xbar/models/readout.hpp"

#include <algorithm>
#include <cmath>

namespace xbar::models {

double Tia::column_voltage(double i) const {
  if (!present()) return 0.0;
  if (ideal()) return offset;
  // v_c = v_o + i rf and v_o = A (offset - v_c):  v_c = (A offset + i rf) / (1 + A).
  return (gain * offset + i * rf) / (1.0 + gain);
}

double Tia::output(double i) const {
  if (!present()) return 0.0;
  return column_voltage(i) - i * rf;
}

double Quantizer::lsb() const { return (high - low) / (std::ldexp(1.0, bits) - 1.0); }

double Quantizer::apply(double v, bool& clipped) const {
  if (!present()) return v;
  const double step = lsb();
  const double top = std::ldexp(1.0, bits) - 1.0;
  const double k = std::round((v - low) / step);
  clipped = v < low - step / 2 || v > high + step / 2;
  // Where zero is one of the levels, levels are counted from it, so that it comes out exactly.
  const double zero = -low / step;
  if (std::abs(zero - std::round(zero)) < 1e-9) return (std::clamp(k, 0.0, top) - std::round(zero)) * step;
  return low + std::clamp(k, 0.0, top) * step;
}

Quantizer input_dac(int bits, double v_fs) {
  // Codes 0 .. 2^bits - 2 span -v_fs .. v_fs with 0 V on the middle one; the top code, one lsb past
  // v_fs, is never reached by inputs within range. Needs bits >= 2.
  const double step = 2.0 * v_fs / (std::ldexp(1.0, bits) - 2.0);
  const double below = std::ldexp(1.0, bits - 1) - 1.0;  // levels below zero: low + below * step is 0 exactly
  return {bits, -below * step, (std::ldexp(1.0, bits - 1)) * step};
}

}  // namespace xbar::models
