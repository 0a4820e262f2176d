// The error budget: what each effect contributes to the output error of one fabricated crossbar. Each part
// is measured on that crossbar with only its effect on and the rest ideal (exact measurement, calibration
// temperature, no wires, nominal switches), against the same crossbar with every effect off (the
// subset-sum gap alone), as error *vectors*: part_x = y(x alone) - y(gap). Then, exactly,
//   y(all) - y_ideal = (y(gap) - y_ideal) + sum_x part_x + interaction,
// and each figure is the max metric of its vector (|.| / max |y_ideal| per input vector, the run's
// output_error_max), so all <= gap + sum of parts + interaction: additive up to the triangle inequality,
// with the interaction (second-order effects of two effects together) measured, never negative.
// Wires and temperature are measured both with and without their compensation (programming.compensate);
// the sum uses what the spec programs with.
// Usage (given const Spec& spec, Backend& backend):
//   ProgrammedDesign design = program_design(spec);
//   DesignResult result = simulate_design(design, backend);
//   ErrorBudget b = error_budget(spec, design, result, backend);   // b.all == result.output.max
#pragma once

#include <cstdint>

#include "xbar/sim/flow/design.hpp"

namespace xbar::sim {

struct ErrorBudget {
  double all = 0.0;            // the run's output_error_max
  double gap = 0.0;            // every effect off: the subset-sum gap
  double measurement = 0.0;    // measurement error alone
  double temperature = 0.0;    // operating away from the calibration temperature alone (as programmed)
  double wires = 0.0;          // wire resistance alone (as programmed)
  double switch_spread = 0.0;  // switch on-resistance spread alone
  double amplifier = 0.0;      // the TIA's finite gain and offset alone (readout.tia)
  double adc = 0.0;            // the ADC's quantisation and clipping alone (readout.adc)
  double dac = 0.0;            // the input DACs' quantisation alone (readout.dac)
  double interaction = 0.0;    // what the parts do not add up to
  double temperature_uncompensated = 0.0, temperature_compensated = 0.0;
  double wires_uncompensated = 0.0, wires_compensated = 0.0;
};

// `design` was programmed from `spec` for `trial`, and `result` is its simulation on `backend`.
ErrorBudget error_budget(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                         Backend& backend, std::uint64_t trial = 0, const RunOptions& options = {});

}  // namespace xbar::sim
