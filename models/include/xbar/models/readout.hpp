// The periphery of a crossbar (spec `readout:`): the transimpedance amplifier that holds each column
// and turns its current into a voltage, the ADC that digitises that voltage, the DACs that make the
// row voltages, and the integration time that turns power into energy.
// Usage (given double i):
//   xbar::models::Tia tia{1e5, 10e3, 1e-3};               // open-loop gain, feedback ohm, input offset V
//   double vo = tia.output(i);                      // the amplifier's output for column current i
//   double seen = tia.inferred_current(vo);         // what a reader concludes: -vo / rf
//   xbar::models::Quantizer adc{8, -1.0, 1.0};            // bits, range in volts
//   bool clipped = false;
//   double code_value = adc.apply(vo, clipped);
//
// The TIA is an op-amp whose + input sits at `offset` and whose - input is the column node c, with rf
// from c to its output o: v_o = A (offset - v_c), i = (v_c - v_o) / rf for the current i into the
// column node from the array. Seen from the array that is exactly a conductance (1 + A) / rf from c to
// a source of A offset / (1 + A) volts: linear, and how the native solver stamps it. A = 0 means an
// ideal amplifier (v_c = offset exactly); rf = 0 means no amplifier: the column held at 0 V and its
// current read as it is (xbar's model before the read-out existed).
#pragma once

namespace xbar::models {

struct Tia {
  double gain = 0.0;    // open-loop, V/V; 0: ideal
  double rf = 0.0;      // ohm; 0: no amplifier
  double offset = 0.0;  // volts at the + input

  bool present() const { return rf > 0.0; }
  bool ideal() const { return gain == 0.0; }
  // The column node's potential and the output voltage for a current `i` into the column node.
  double column_voltage(double i) const;
  double output(double i) const;
  // The voltage the column's termination holds for a current `i` into the column node: 0 V without an
  // amplifier, the offset for an ideal one, else the output (what the power it draws is counted at).
  double held(double i) const { return !present() ? 0.0 : ideal() ? offset : output(i); }
  // The current a reader infers from the output voltage, knowing only rf: -v_o / rf.
  double inferred_current(double output_voltage) const { return -output_voltage / rf; }
  // What the array sees (finite gain): a conductance to a source of this voltage.
  double equivalent_conductance() const { return (1.0 + gain) / rf; }
  double equivalent_source() const { return gain * offset / (1.0 + gain); }
};

// A uniform converter of `bits` over [low, high]: 2^bits levels low + k lsb, lsb = (high - low) /
// (2^bits - 1); a value is rounded to the nearest level and clipped to the range (where 0 V is a level, it
// comes out exactly 0). bits 0: none.
struct Quantizer {
  int bits = 0;
  double low = 0.0, high = 0.0;

  bool present() const { return bits > 0; }
  double lsb() const;
  // The level nearest `v`; `clipped` is set when v lies more than half an lsb outside the range.
  double apply(double v, bool& clipped) const;
};

// The whole periphery as a spec gives it.
struct Readout {
  Tia tia;
  Quantizer adc;        // on each amplifier output, volts
  int dac_bits = 0;     // on each row voltage (input_dac over +-v_fs); 0: none
  double t_int = 1e-6;  // seconds each product takes: energy = power x t_int
};

// A DAC for inputs within +-v_fs, zero exactly on a level so that zero inputs stay zero: lsb =
// 2 v_fs / (2^bits - 2), levels from -v_fs (the top code, v_fs + lsb, is unused). bits >= 2.
Quantizer input_dac(int bits, double v_fs);

}  // namespace xbar::models
