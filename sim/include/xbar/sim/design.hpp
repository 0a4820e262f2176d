// One design, end to end (DESIGN.md data flow):
//   spec -> weights, inputs, scale -> fabricate -> measure -> program (solver) -> simulate -> metrics
//
//   ProgrammedDesign design = program_design(spec);            // everything up to the switch states
//   std::string spice = design_netlist(design, 0);              // netlist of input vector 0
//   DesignResult result = simulate_design(design, BackendKind::ngspice);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"
#include "xbar/models/scale.hpp"
#include "xbar/sim/backend.hpp"
#include "xbar/sim/coverage.hpp"
#include "xbar/sim/metrics.hpp"
#include "xbar/sim/spec.hpp"

namespace xbar::sim {

struct ProgrammedDesign {
  Eigen::MatrixXd weights;            // inputs x outputs
  Eigen::MatrixXd inputs;             // vectors x inputs, input units
  models::Scale scale;
  models::Crossbar crossbar;          // the truth
  models::Calibration measured;       // what the solver saw
  models::SwitchStates states;
  Eigen::MatrixXd programmed_weights; // weights the true circuit holds, weight units
};

struct DesignResult {
  BackendKind backend;
  Eigen::MatrixXd ideal;            // vectors x outputs: inputs * weights (Eigen)
  Eigen::MatrixXd simulated;        // vectors x outputs, weight units
  Eigen::MatrixXd column_currents;  // vectors x outputs, amperes
  std::vector<std::string> column_sources;
  double weight_error = 0.0;
  OutputErrors output;
};

struct RunOptions {
  bool show_progress = true;  // progress bars on a terminal (never when stderr is piped)
  unsigned jobs = 0;          // threads for solving and coverage; 0 = all
};

// `trial` picks the fabrication and measurement streams (Monte Carlo); 0 for a single design.
ProgrammedDesign program_design(const Spec& spec, const RunOptions& options = {}, std::uint64_t trial = 0);

// The weights the true circuit holds for the design's switch states (after any change to them).
Eigen::MatrixXd programmed_weights(const ProgrammedDesign& design);

// The coverage `xbar run` reports: spec.coverage's sample of cells (none if the spec asks for 0).
std::optional<CrossbarCoverage> design_coverage(const Spec& spec, const ProgrammedDesign& design,
                                                const RunOptions& options = {});
// Every cell's coverage, or `sample` of them (0 = all): `xbar coverage`.
CrossbarCoverage full_coverage(const Spec& spec, const ProgrammedDesign& design, std::size_t sample,
                               const RunOptions& options = {});
DesignResult simulate_design(const ProgrammedDesign& design, BackendKind backend, const RunOptions& options = {});
// The same with a backend the caller keeps (the native backend reuses its analysis across trials).
DesignResult simulate_design(const ProgrammedDesign& design, Backend& backend, const RunOptions& options = {});

// The error budget (thesis-style attribution): the output error of the same fabricated crossbar with
// each effect switched off in turn, and with all of them off (the subset-sum gap alone).
struct ErrorBudget {
  double all = 0.0;
  double without_measurement = 0.0;  // exact calibration
  double without_temperature = 0.0;  // operated at the calibration temperature
  double without_wires = 0.0;
  double without_switch_spread = 0.0;
  double gap_only = 0.0;
};
ErrorBudget error_budget(const Spec& spec, Backend& backend, std::uint64_t trial = 0, const RunOptions& options = {});
// True when the spec has any effect beyond the subset-sum gap (the budget then says something).
bool has_error_sources(const Spec& spec);

// ngspice text for input vector `vector`, with a .control block printing the column currents.
std::string design_netlist(const ProgrammedDesign& design, const Spec& spec, int vector = 0);

}  // namespace xbar::sim
