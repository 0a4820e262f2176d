#include "xbar/sim/flow/design.hpp"

#include <algorithm>

#include "xbar/models/random.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/names.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/program/programming.hpp"

namespace xbar::sim {

namespace {

Eigen::MatrixXd spec_inputs(const Spec& spec) {
  if (spec.inputs.random_vectors == 0) return spec.inputs.values;
  const auto rows = static_cast<Eigen::Index>(spec.inputs.random_vectors);
  const auto cols = spec.design.weights.rows();
  const std::vector<double> values = models::random_inputs(spec.seed, static_cast<std::size_t>(rows * cols));
  return Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(values.data(), rows,
                                                                                                   cols);
}

}  // namespace

Eigen::MatrixXd row_voltages(const ProgrammedDesign& design) {
  return through_dacs(design, design.inputs * (design.scale.v_fs / design.scale.x_fs));
}

Eigen::MatrixXd through_dacs(const ProgrammedDesign& design, Eigen::MatrixXd volts) {
  if (design.readout.dac_bits > 0) {
    const models::Quantizer dac = models::input_dac(design.readout.dac_bits, design.scale.v_fs);
    bool clipped = false;
    for (Eigen::Index k = 0; k < volts.size(); ++k) volts.data()[k] = dac.apply(volts.data()[k], clipped);
  }
  return volts;
}

void require_weights(const Spec& spec) {
  if (spec.design.weights.size() > 0) return;
  throw InputError({{spec.path.string(), 0, 0, "layer",
                     "this spec describes a layer (layer: section, no weights:); run it with `xbar layer`, or give "
                     "weights.file or weights.values for a single crossbar",
                     ""}});
}

DesignProblem design_problem(const Spec& spec) {
  require_weights(spec);
  DesignProblem problem;
  problem.weights = spec.design.weights;
  problem.inputs = spec_inputs(spec);
  models::Scale& scale = problem.scale;
  scale.w_fs = spec.design.w_fs.value_or(spec.design.weights.cwiseAbs().maxCoeff());
  scale.g_fs = spec.design.g_fs.value_or(spec.design.full_scale *
                                         models::full_scale_reference(spec.design.cell, spec.design.full_scale_of));
  const double input_peak = problem.inputs.size() ? problem.inputs.cwiseAbs().maxCoeff() : 0.0;
  scale.x_fs = spec.inputs.x_fs.value_or(spec.inputs.random_vectors > 0 || input_peak == 0.0 ? 1.0 : input_peak);
  scale.v_fs = spec.inputs.v_fs;
  return problem;
}

ProgrammedDesign program_design(const Spec& spec, const DesignProblem& problem, std::uint64_t trial,
                                const RunOptions& options) {
  ProgrammedDesign design;
  design.weights = problem.weights;
  design.inputs = problem.inputs;
  design.scale = problem.scale;
  const auto rows = static_cast<int>(problem.weights.rows());
  const auto cols = static_cast<int>(problem.weights.cols());
  design.crossbar = models::fabricate_crossbar(spec.design.cell, rows, cols, spec.seed, trial);
  design.crossbar.wires = models::fabricate_wires(spec.design.wires, spec.design.wire_variation,
                                                  spec.design.cell.distribution, rows, cols, spec.seed, trial);
  design.crossbar.temperature = operating_temperature(spec, trial);
  design.crossbar.tia = spec.design.readout.tia;
  design.crossbar.wire_capacitance = spec.design.wire_capacitance;
  design.readout = spec.design.readout;
  design.measured = models::measure_calibration(design.crossbar, spec.design.measurement, spec.seed, trial);
  reprogram(design, spec, options);
  return design;
}

double operating_temperature(const Spec& spec, std::uint64_t trial) {
  if (spec.design.temperature_spread == 0.0) return spec.design.operating_temperature;
  models::Rng rng(models::derive_seed(spec.seed, trial, models::StreamPurpose::operation));
  return spec.design.operating_temperature + spec.design.temperature_spread * rng.standard_normal();
}

ProgrammedDesign program_design(const Spec& spec, const RunOptions& options, std::uint64_t trial) {
  return program_design(spec, design_problem(spec), trial, options);
}

void reprogram(ProgrammedDesign& design, const Spec& spec, const RunOptions& options) {
  const Eigen::MatrixXd targets = design.weights * (design.scale.g_fs / design.scale.w_fs);
  const bool series = spec.design.cell.topology == models::CellTopology::series;
  const double tolerance = spec.solver.tolerance * (series ? 1.0 / design.scale.g_fs : design.scale.g_fs);
  const solver::Progress solving = begin_stage(options.progress, "solving", design.crossbar.shape.cell_count());
  if (!spec.programming.compensates()) {
    design.compensation.reset();
    design.states = program_crossbar(design.measured, targets, spec.solver.mode, tolerance, options.jobs, solving,
                                     spec.solver.objective);
  } else {
    CompensationSettings settings;
    settings.wires = spec.programming.wires;
    settings.temperature = spec.programming.temperature;
    settings.layout = spec.design.wires;
    settings.calibration_temperature = spec.design.measurement.temperature;
    settings.operating_temperature = spec.design.operating_temperature;
    settings.tc1 = spec.design.cell.tc1;
    settings.tc2 = spec.design.cell.tc2;
    settings.ron = spec.design.cell.ron;
    settings.g_fs = design.scale.g_fs;
    settings.iterations = spec.programming.iterations;
    settings.tolerance = spec.programming.tolerance;
    settings.solver_tolerance = tolerance;
    settings.objective = spec.solver.objective;
    settings.jobs = options.jobs;
    settings.factorization = spec.simulation.factorization;
    CompensationReport report;
    design.states = program_compensated(design.measured, targets, spec.solver.mode, settings, report, solving);
    design.compensation = std::move(report);
  }
  design.programmed_weights = programmed_weights(design);
}

Eigen::MatrixXd programmed_weights(const ProgrammedDesign& design) {
  return models::signed_conductances(models::true_calibration(design.crossbar), design.states) *
         (design.scale.w_fs / design.scale.g_fs);
}

ProgrammingStats programming_stats(const ProgrammedDesign& design) {
  const models::CrossbarShape& shape = design.crossbar.shape;
  const models::Calibration truth = models::true_calibration(design.crossbar);
  ProgrammingStats stats;
  std::size_t closed = 0;
  for (std::uint8_t on : design.states.on) closed += on;
  stats.closed_per_bank = static_cast<double>(closed) / static_cast<double>(std::max<std::size_t>(1, shape.bank_count()));
  Eigen::MatrixXd common(shape.rows, shape.cols), signal(shape.rows, shape.cols);
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j) {
      const double p = models::bank_conductance(truth, design.states, i, j, models::Polarity::positive);
      const double n = models::bank_conductance(truth, design.states, i, j, models::Polarity::negative);
      common(i, j) = p + n;
      signal(i, j) = std::abs(p - n);
    }
  stats.total_conductance = common.sum();
  const Eigen::MatrixXd volts = row_voltages(design).cwiseAbs();
  if (volts.rows() > 0) {
    stats.drawn_current = (volts * common).sum() / static_cast<double>(volts.rows());
    stats.common_mode_current = stats.drawn_current - (volts * signal).sum() / static_cast<double>(volts.rows());
  }
  return stats;
}

CrossbarCoverage full_coverage(const Spec& spec, const ProgrammedDesign& design, std::size_t sample,
                               const RunOptions& options) {
  CoverageSettings settings = spec.coverage.settings;
  settings.sample = sample;
  const std::size_t cells = sample == 0 ? design.crossbar.shape.cell_count() : sample;
  return crossbar_coverage(design.measured, design.scale.g_fs, spec.solver.mode, settings, options.jobs,
                           begin_stage(options.progress, "coverage", cells));
}

std::optional<CrossbarCoverage> design_coverage(const Spec& spec, const ProgrammedDesign& design,
                                                const RunOptions& options) {
  if (spec.design.cell.topology == models::CellTopology::series) return std::nullopt;
  if (!spec.coverage.all_cells && spec.coverage.settings.sample == 0) return std::nullopt;
  return full_coverage(spec, design, spec.coverage.all_cells ? 0 : spec.coverage.settings.sample, options);
}

Eigen::MatrixXd read_out(const ProgrammedDesign& design, const Eigen::MatrixXd& currents, std::size_t& adc_clipped,
                         Eigen::MatrixXd* amplifier_output) {
  const models::Tia& tia = design.crossbar.tia;
  if (!tia.present()) return currents;
  const Eigen::MatrixXd outputs = currents.unaryExpr([&](double i) { return tia.output(i); });
  Eigen::MatrixXd seen(currents.rows(), currents.cols());
  for (Eigen::Index k = 0; k < currents.size(); ++k) {
    bool clipped = false;
    const double volts = design.readout.adc.apply(outputs.data()[k], clipped);
    adc_clipped += clipped ? 1 : 0;
    seen.data()[k] = tia.inferred_current(volts);
  }
  if (amplifier_output != nullptr) *amplifier_output = outputs;
  return seen;
}

DesignResult simulate_design(const ProgrammedDesign& design, BackendKind backend, const RunOptions& options) {
  const auto instance = make_backend(backend);
  return simulate_design(design, *instance, options);
}

DesignResult simulate_design(const ProgrammedDesign& design, Backend& backend, const RunOptions& options) {
  DesignResult result;
  result.backend = backend.kind();
  result.ideal = design.inputs * design.weights;
  const Eigen::MatrixXd voltages = row_voltages(design);
  const SourceCurrents currents =
      backend.source_currents(design.crossbar, design.states, voltages,
                              begin_stage(options.progress, "simulating", static_cast<std::size_t>(voltages.rows())));
  result.column_currents = currents.columns;
  result.simulated = read_out(design, currents.columns, result.adc_clipped, &result.amplifier_output) *
                     design.scale.output_of_current(1.0);
  result.energy = energy_of(design.crossbar, design.states, voltages, currents, design.readout.t_int);
  const bool amplified = design.crossbar.tia.present() && !design.crossbar.tia.ideal();
  for (int j = 0; j < design.crossbar.shape.cols; ++j) {
    result.column_sources.push_back(amplified ? netlist::names::tia_amplifier(j) : netlist::names::column_source(j));
  }
  result.weight_error = weight_error(design.programmed_weights, design.weights);
  result.output = output_errors(result.simulated, result.ideal);
  return result;
}

std::string design_netlist(const ProgrammedDesign& design, const Spec& spec, int vector) {
  const Eigen::VectorXd volts = row_voltages(design).row(vector).transpose();
  const netlist::CrossbarCircuit cc = netlist::build_crossbar_circuit(
      design.crossbar, design.states, std::span<const double>(volts.data(), static_cast<std::size_t>(volts.size())));
  netlist::SpiceWriteOptions options;
  options.temperature = cc.temperature;
  // The outputs first, then every other source and the amplifiers' outputs: all a reader needs to
  // check the report's power as the sum of V I over the sources.
  options.print_currents = cc.column_sources;
  for (const netlist::Element& e : cc.circuit.elements()) {
    const bool source = e.kind == netlist::ElementKind::voltage_source || e.kind == netlist::ElementKind::vcvs;
    if (source && std::find(cc.column_sources.begin(), cc.column_sources.end(), e.name) == cc.column_sources.end()) {
      options.print_currents.push_back(e.name);
    }
  }
  if (design.crossbar.tia.present() && !design.crossbar.tia.ideal()) {
    for (int j = 0; j < design.crossbar.shape.cols; ++j) options.print_voltages.push_back(netlist::names::tia_output(j));
  }
  const models::Scale& s = design.scale;
  options.header_comments = {
      "spec " + spec.path.string() + ", seed " + std::to_string(spec.seed) + ", input vector " +
          std::to_string(vector),
      "scale: w_fs=" + netlist::format_number(s.w_fs) + " g_fs=" + netlist::format_number(s.g_fs) +
          " S, x_fs=" + netlist::format_number(s.x_fs) + " v_fs=" + netlist::format_number(s.v_fs) + " V",
      design.crossbar.tia.present() && !design.crossbar.tia.ideal()
          ? "column j's current = i(E_cj), the amplifier's output v(tia_cj); output j = -v(tia_cj) / rf * " +
                netlist::format_number(s.output_of_current(1.0)) + " (weight units, before the ADC)"
          : "output j = i(V_cj) * " + netlist::format_number(s.output_of_current(1.0)) + " (weight units)",
      "switches are resistors of ron (closed) or roff (open); RSW_* sits in series with R_*"};
  return netlist::write_spice(cc.circuit, options);
}

}  // namespace xbar::sim
