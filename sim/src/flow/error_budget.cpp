#include "xbar/sim/flow/error_budget.hpp"

#include <algorithm>

namespace xbar::sim {

namespace {

// The effects a variant switches off.
struct Without {
  bool measurement_error = false;
  bool temperature = false;
  bool wires = false;
  bool switch_spread = false;
};

double error_without(const Spec& spec, const ProgrammedDesign& design, Backend& backend, std::uint64_t trial,
                     const RunOptions& options, Without off) {
  ProgrammedDesign variant = design;
  if (off.switch_spread) std::fill(variant.crossbar.ron.begin(), variant.crossbar.ron.end(), spec.design.cell.ron);
  if (off.wires) variant.crossbar.wires = {};
  if (off.temperature) variant.crossbar.temperature = spec.design.measurement.temperature;
  if (off.measurement_error || off.switch_spread) {
    models::MeasurementSetup setup = spec.design.measurement;
    if (off.measurement_error) {
      setup.relative_error = 0.0;
      setup.bits = 0;
    }
    variant.measured = models::measure_calibration(variant.crossbar, setup, spec.seed, trial);
    reprogram(variant, spec, options);
  } else {
    variant.programmed_weights = programmed_weights(variant);
  }
  return simulate_design(variant, backend, options).output.max;
}

}  // namespace

ErrorBudget error_budget(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                         Backend& backend, std::uint64_t trial, const RunOptions& options) {
  RunOptions quiet = options;
  quiet.progress = {};
  const auto without = [&](Without off) { return error_without(spec, design, backend, trial, quiet, off); };
  ErrorBudget budget;
  budget.all = result.output.max;
  budget.without_measurement = without({.measurement_error = true});
  budget.without_temperature = without({.temperature = true});
  budget.without_wires = without({.wires = true});
  budget.without_switch_spread = without({.switch_spread = true});
  budget.gap_only = without({true, true, true, true});
  return budget;
}

}  // namespace xbar::sim
