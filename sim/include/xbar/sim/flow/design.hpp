// One design, end to end (the data flow of the project's design notes):
//   weights, inputs, scale -> fabricate -> measure -> program (solver) -> simulate -> metrics
// Usage (given const Spec& spec):
//   ProgrammedDesign design = program_design(spec);                        // up to the switch states
//   DesignResult result = simulate_design(design, BackendKind::ngspice);
//   std::string spice = design_netlist(design, spec, 0);                   // netlist of input vector 0
//
// A layer tile is the same job on a part of a larger matrix: it gives its own DesignProblem (weights,
// inputs, a scale shared by every tile) and is programmed from the same spec, which is never copied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"
#include "xbar/models/readout.hpp"
#include "xbar/models/scale.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/flow/energy.hpp"
#include "xbar/sim/flow/metrics.hpp"
#include "xbar/sim/flow/progress.hpp"
#include "xbar/sim/program/compensation.hpp"
#include "xbar/sim/program/coverage.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

// What one crossbar must compute: its weights, the input vectors that drive it, and their scale.
struct DesignProblem {
  Eigen::MatrixXd weights;  // inputs x outputs
  Eigen::MatrixXd inputs;   // vectors x inputs, input units
  models::Scale scale;
};

// The spec's own problem: its weights, its input vectors (drawn or read), the scale it asks for.
DesignProblem design_problem(const Spec& spec);

// InputError unless the spec has a weights matrix (a layer spec has none: it runs with `xbar layer`).
void require_weights(const Spec& spec);

struct ProgrammedDesign {
  Eigen::MatrixXd weights;            // inputs x outputs
  Eigen::MatrixXd inputs;             // vectors x inputs, input units
  models::Scale scale;
  models::Crossbar crossbar;          // the truth
  models::Calibration measured;       // what the solver saw
  models::SwitchStates states;
  Eigen::MatrixXd programmed_weights; // weights the true circuit holds, weight units
  std::optional<CompensationReport> compensation;  // with programming.compensate
  models::Readout readout;            // the periphery (its amplifier is also crossbar.tia)
};

// The row voltages the array is driven with: the inputs scaled to volts, through the input DACs.
Eigen::MatrixXd row_voltages(const ProgrammedDesign& design);
// Row voltages (vectors x rows) through the design's input DACs (unchanged without them).
Eigen::MatrixXd through_dacs(const ProgrammedDesign& design, Eigen::MatrixXd volts);

// The currents a reader infers from column currents (vectors x cols, amperes): through the amplifier
// (its output, with offset and finite gain) and the ADC, then -v_o / rf; without an amplifier, the
// currents themselves. The amplifier outputs go to `amplifier_output` where given; clipped ADC
// samples are added to `adc_clipped`.
Eigen::MatrixXd read_out(const ProgrammedDesign& design, const Eigen::MatrixXd& currents, std::size_t& adc_clipped,
                         Eigen::MatrixXd* amplifier_output = nullptr);

// What the switch states cost, from the true branches (no wires): the array's conductance and the
// current its input vectors draw. A cell passes (G+ - G-) v on to its column; the rest of what its banks
// draw, 2 min(G+, G-) |v|, is common-mode current that carries no signal but loads the wires.
struct ProgrammingStats {
  double closed_per_bank = 0.0;      // mean closed switches per bank
  double total_conductance = 0.0;    // siemens, sum of G+ + G- over the cells
  double drawn_current = 0.0;        // amperes, sum over cells of (G+ + G-) |v_i|, mean over input vectors
  double common_mode_current = 0.0;  // amperes, the part of drawn_current that carries no signal
};
ProgrammingStats programming_stats(const ProgrammedDesign& design);

// A die's operating temperature: temperature.operating, plus temperature.spread x N(0, 1) drawn for `trial`.
double operating_temperature(const Spec& spec, std::uint64_t trial);

struct DesignResult {
  BackendKind backend;
  Eigen::MatrixXd ideal;            // vectors x outputs: inputs * weights (Eigen)
  Eigen::MatrixXd simulated;        // vectors x outputs, weight units
  Eigen::MatrixXd column_currents;  // vectors x outputs, amperes into the column nodes
  Eigen::MatrixXd amplifier_output; // vectors x outputs, volts (readout.tia.rf set), before the ADC
  std::size_t adc_clipped = 0;      // outputs beyond readout.adc.range
  std::vector<std::string> column_sources;
  EnergyReport energy;
  double weight_error = 0.0;
  OutputErrors output;
};

struct RunOptions {
  unsigned jobs = 0;       // threads for solving and coverage; 0 = all
  StageProgress progress;  // empty: silent
};

// `trial` picks the fabrication and measurement streams (Monte Carlo, layer tiles); 0 for a design.
ProgrammedDesign program_design(const Spec& spec, const DesignProblem& problem, std::uint64_t trial,
                                const RunOptions& options = {});
ProgrammedDesign program_design(const Spec& spec, const RunOptions& options = {}, std::uint64_t trial = 0);

// Programs `design.crossbar` anew from `design.measured` (after either changed).
void reprogram(ProgrammedDesign& design, const Spec& spec, const RunOptions& options = {});

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

// ngspice text for input vector `vector`, with a .control block printing the column currents.
std::string design_netlist(const ProgrammedDesign& design, const Spec& spec, int vector = 0);

}  // namespace xbar::sim
