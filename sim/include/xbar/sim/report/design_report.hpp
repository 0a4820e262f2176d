// Reports of a design run: the JSON document (`xbar run --json`) and the human summary.
// Usage (given const Spec& spec, const ProgrammedDesign& design, const DesignResult& result):
//   std::string json = design_report_json(spec, design, result, RunExtras{});  // coverage, budget: when given
//   std::cout << design_summary(spec, design, result, RunExtras{});
//
// JSON keys: xbar_version, spec, seed, backend, shape, cell, switch, scale, metrics, per_vector,
// column_sources, inputs, ideal, simulated, column_currents, weights, programmed_weights.
// Matrices are lists of rows; one row per input vector for inputs/ideal/simulated/column_currents.
#pragma once

#include <optional>
#include <string>

#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/flow/error_budget.hpp"
#include "xbar/sim/flow/transient.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

// What `xbar run` adds to the design's own figures, when asked for or meaningful.
struct RunExtras {
  std::optional<CrossbarCoverage> coverage;
  std::optional<ErrorBudget> budget;
  std::optional<TransientResult> transient;
};

std::string design_report_json(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                               const RunExtras& extras);
std::string design_summary(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                           const RunExtras& extras);

// `xbar coverage`: the JSON document (summary and every analysed cell), the per-cell CSV and the summary text.
std::string coverage_report_json(const Spec& spec, const ProgrammedDesign& design, const CrossbarCoverage& coverage);
std::string coverage_csv(const CrossbarCoverage& coverage);
std::string coverage_summary(const Spec& spec, const ProgrammedDesign& design, const CrossbarCoverage& coverage);

}  // namespace xbar::sim
