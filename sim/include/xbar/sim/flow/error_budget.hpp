// The error budget (thesis-style attribution): the output error of one fabricated crossbar with each
// effect switched off in turn, and with all of them off (the subset-sum gap alone). The crossbar, its
// measurement and the main result are reused; a variant re-measures and re-programs only when the
// effect it removes changes what the programmer sees (measurement error, switch spread).
// Usage (given const Spec& spec, Backend& backend):
//   ProgrammedDesign design = program_design(spec);
//   DesignResult result = simulate_design(design, backend);
//   ErrorBudget b = error_budget(spec, design, result, backend);   // b.all == result.output.max
#pragma once

#include <cstdint>

#include "xbar/sim/flow/design.hpp"

namespace xbar::sim {

struct ErrorBudget {
  double all = 0.0;
  double without_measurement = 0.0;  // exact calibration
  double without_temperature = 0.0;  // operated at the calibration temperature
  double without_wires = 0.0;
  double without_switch_spread = 0.0;
  double gap_only = 0.0;
};

// `design` was programmed from `spec` for `trial`, and `result` is its simulation on `backend`.
ErrorBudget error_budget(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                         Backend& backend, std::uint64_t trial = 0, const RunOptions& options = {});

}  // namespace xbar::sim
