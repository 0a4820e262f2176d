#include "xbar/sim/flow/error_budget.hpp"

#include <algorithm>

namespace xbar::sim {

namespace {

// The effects a variant keeps on, and how it is programmed.
struct Variant {
  bool measurement = false;
  bool temperature = false;
  bool wires = false;
  bool switch_spread = false;
  bool compensate_wires = false;
  bool compensate_temperature = false;
  bool amplifier = false, adc = false, dac = false;
};

// The simulated outputs of the design's crossbar with only `v`'s effects on, measured and programmed anew.
Eigen::MatrixXd simulate_variant(const Spec& spec, const ProgrammedDesign& design, Backend& backend,
                                 std::uint64_t trial, const RunOptions& options, const Variant& v) {
  ProgrammedDesign variant = design;
  Spec programmed = spec;
  programmed.programming.wires = v.compensate_wires;
  programmed.programming.temperature = v.compensate_temperature;
  if (!v.switch_spread) std::fill(variant.crossbar.ron.begin(), variant.crossbar.ron.end(), spec.design.cell.ron);
  if (!v.wires) {
    variant.crossbar.wires = {};
    programmed.design.wires = {};
  }
  if (!v.temperature) {
    variant.crossbar.temperature = spec.design.measurement.temperature;
    programmed.design.operating_temperature = spec.design.measurement.temperature;
  }
  models::MeasurementSetup setup = spec.design.measurement;
  if (!v.measurement) {
    setup.relative_error = 0.0;
    setup.bits = 0;
  }
  // Read-out effects off: an ideal amplifier of the same rf (so an ADC still has its voltage), no ADC, exact inputs.
  if (!v.amplifier) variant.crossbar.tia = {0.0, spec.design.readout.tia.rf, 0.0};
  variant.readout.tia = variant.crossbar.tia;
  if (!v.adc) variant.readout.adc = {};
  if (!v.dac) variant.readout.dac_bits = 0;
  variant.measured = models::measure_calibration(variant.crossbar, setup, spec.seed, trial);
  reprogram(variant, programmed, options);
  return simulate_design(variant, backend, options).simulated;
}

// The max metric of an error vector `part` (outputs less a reference), normalised like the run's.
double metric(const Eigen::MatrixXd& part, const Eigen::MatrixXd& ideal) {
  return output_errors(ideal + part, ideal).max;
}

}  // namespace

ErrorBudget error_budget(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                         Backend& backend, std::uint64_t trial, const RunOptions& options) {
  RunOptions quiet = options;
  quiet.progress = {};
  const auto run = [&](const Variant& v) { return simulate_variant(spec, design, backend, trial, quiet, v); };
  const Eigen::MatrixXd& ideal = result.ideal;
  const Eigen::MatrixXd gap = run({});
  const auto part = [&](const Variant& v) -> Eigen::MatrixXd { return run(v) - gap; };
  const bool cw = spec.programming.wires, ct = spec.programming.temperature;
  const Eigen::MatrixXd measurement = part({.measurement = true, .compensate_wires = cw, .compensate_temperature = ct});
  const Eigen::MatrixXd spread = part({.switch_spread = true, .compensate_wires = cw, .compensate_temperature = ct});
  const Eigen::MatrixXd amplifier = part({.compensate_wires = cw, .compensate_temperature = ct, .amplifier = true});
  const Eigen::MatrixXd adc = part({.compensate_wires = cw, .compensate_temperature = ct, .adc = true});
  const Eigen::MatrixXd dac = part({.compensate_wires = cw, .compensate_temperature = ct, .dac = true});
  Eigen::MatrixXd wires[2], temperature[2];  // [0] uncompensated, [1] compensated
  for (int c = 0; c < 2; ++c) {
    wires[c] = part({.wires = true, .compensate_wires = c == 1, .compensate_temperature = ct});
    temperature[c] = part({.temperature = true, .compensate_wires = cw, .compensate_temperature = c == 1});
  }
  const Eigen::MatrixXd& wires_used = wires[cw ? 1 : 0];
  const Eigen::MatrixXd& temperature_used = temperature[ct ? 1 : 0];
  ErrorBudget b;
  b.all = result.output.max;
  b.gap = metric(gap - ideal, ideal);
  b.measurement = metric(measurement, ideal);
  b.switch_spread = metric(spread, ideal);
  b.wires = metric(wires_used, ideal);
  b.temperature = metric(temperature_used, ideal);
  b.amplifier = metric(amplifier, ideal);
  b.adc = metric(adc, ideal);
  b.dac = metric(dac, ideal);
  b.interaction = metric(result.simulated - gap - measurement - spread - wires_used - temperature_used - amplifier - adc - dac,
                         ideal);
  b.wires_uncompensated = metric(wires[0], ideal);
  b.wires_compensated = metric(wires[1], ideal);
  b.temperature_uncompensated = metric(temperature[0], ideal);
  b.temperature_compensated = metric(temperature[1], ideal);
  return b;
}

}  // namespace xbar::sim
