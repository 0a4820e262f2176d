#include "xbar/sim/design.hpp"

#include "xbar/models/random.hpp"
#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/programming.hpp"
#include "xbar/sim/progress.hpp"

namespace xbar::sim {

namespace {

Eigen::MatrixXd draw_inputs(const Spec& spec) {
  if (spec.random_vectors == 0) return spec.input_values;
  models::Rng rng(models::derive_seed(spec.seed, 0, models::StreamPurpose::inputs));
  Eigen::MatrixXd inputs(spec.random_vectors, spec.weights.rows());
  for (Eigen::Index v = 0; v < inputs.rows(); ++v) {
    for (Eigen::Index i = 0; i < inputs.cols(); ++i) inputs(v, i) = rng.uniform(-1.0, 1.0);
  }
  return inputs;
}

models::Scale design_scale(const Spec& spec, const Eigen::MatrixXd& inputs) {
  models::Scale scale;
  scale.w_fs = spec.w_fs.value_or(spec.weights.cwiseAbs().maxCoeff());
  scale.g_fs = spec.g_fs.value_or(spec.full_scale * models::reference_bank_conductance(spec.cell));
  const double input_peak = inputs.size() ? inputs.cwiseAbs().maxCoeff() : 0.0;
  scale.x_fs = spec.x_fs.value_or(spec.random_vectors > 0 || input_peak == 0.0 ? 1.0 : input_peak);
  scale.v_fs = spec.v_fs;
  return scale;
}

Eigen::MatrixXd row_voltages(const ProgrammedDesign& design) {
  return design.inputs * (design.scale.v_fs / design.scale.x_fs);
}

}  // namespace

ProgrammedDesign program_design(const Spec& spec, const RunOptions& options, std::uint64_t trial) {
  ProgrammedDesign design;
  design.weights = spec.weights;
  design.inputs = draw_inputs(spec);
  design.scale = design_scale(spec, design.inputs);
  const auto rows = static_cast<int>(spec.weights.rows());
  const auto cols = static_cast<int>(spec.weights.cols());
  design.crossbar = models::fabricate_crossbar(spec.cell, rows, cols, spec.seed, trial);
  design.crossbar.wires = spec.wires;
  design.crossbar.temperature = spec.operating_temperature;
  design.measured = models::measure_calibration(design.crossbar, spec.calibration, spec.seed, trial);

  const Eigen::MatrixXd targets = spec.weights * (design.scale.g_fs / design.scale.w_fs);
  const bool series = spec.cell.topology == models::CellTopology::series;
  const double tolerance = spec.solver_tolerance * (series ? 1.0 / design.scale.g_fs : design.scale.g_fs);
  ProgressBar bar("solving", design.crossbar.shape.cell_count(),
                  options.show_progress && ProgressBar::stderr_is_terminal());
  design.states = program_crossbar(design.measured, targets, spec.solver_mode, tolerance, options.jobs,
                                   [&](std::size_t done, std::size_t) { bar.update(done); });
  bar.finish();

  design.programmed_weights = programmed_weights(design);
  return design;
}

Eigen::MatrixXd programmed_weights(const ProgrammedDesign& design) {
  return models::signed_conductances(models::true_calibration(design.crossbar), design.states) *
         (design.scale.w_fs / design.scale.g_fs);
}

CrossbarCoverage full_coverage(const Spec& spec, const ProgrammedDesign& design, std::size_t sample,
                               const RunOptions& options) {
  CoverageSettings settings = spec.coverage;
  settings.sample = sample;
  ProgressBar bar("coverage", sample == 0 ? design.crossbar.shape.cell_count() : sample,
                  options.show_progress && ProgressBar::stderr_is_terminal());
  CrossbarCoverage coverage = crossbar_coverage(design.measured, design.scale.g_fs, spec.solver_mode, settings,
                                                options.jobs, [&](std::size_t done, std::size_t) { bar.update(done); });
  bar.finish();
  return coverage;
}

std::optional<CrossbarCoverage> design_coverage(const Spec& spec, const ProgrammedDesign& design,
                                                const RunOptions& options) {
  if (spec.cell.topology == models::CellTopology::series) return std::nullopt;
  if (!spec.coverage_all_cells && spec.coverage.sample == 0) return std::nullopt;
  return full_coverage(spec, design, spec.coverage_all_cells ? 0 : spec.coverage.sample, options);
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
  ProgressBar bar("simulating", static_cast<std::size_t>(voltages.rows()),
                  options.show_progress && ProgressBar::stderr_is_terminal());
  result.column_currents = backend.column_currents(design.crossbar, design.states, voltages,
                                                   [&](std::size_t done, std::size_t) { bar.update(done); });
  bar.finish();
  result.simulated = result.column_currents * design.scale.output_of_current(1.0);
  for (int j = 0; j < design.crossbar.shape.cols; ++j) result.column_sources.push_back(netlist::column_source_name(j));
  result.weight_error = weight_error(design.programmed_weights, design.weights);
  result.output = output_errors(result.simulated, result.ideal);
  return result;
}

bool has_error_sources(const Spec& spec) {
  return spec.calibration.relative_error > 0 || spec.calibration.bits > 0 || !spec.wires.ideal() ||
         spec.cell.ron_spread > 0 ||
         (spec.operating_temperature != spec.calibration.temperature && (spec.cell.tc1 != 0 || spec.cell.tc2 != 0));
}

ErrorBudget error_budget(const Spec& spec, Backend& backend, std::uint64_t trial, const RunOptions& options) {
  RunOptions quiet = options;
  quiet.show_progress = false;
  const auto error_of = [&](const Spec& variant) {
    return simulate_design(program_design(variant, quiet, trial), backend, quiet).output.max;
  };
  Spec exact = spec;
  exact.calibration.relative_error = 0.0;
  exact.calibration.bits = 0;
  Spec isothermal = spec;
  isothermal.operating_temperature = spec.calibration.temperature;
  Spec no_wires = spec;
  no_wires.wires = {};
  Spec ideal_switches = spec;
  ideal_switches.cell.ron_spread = 0.0;
  Spec gap = exact;
  gap.operating_temperature = spec.calibration.temperature;
  gap.wires = {};
  gap.cell.ron_spread = 0.0;
  return {error_of(spec), error_of(exact), error_of(isothermal), error_of(no_wires), error_of(ideal_switches),
          error_of(gap)};
}

std::string design_netlist(const ProgrammedDesign& design, const Spec& spec, int vector) {
  const Eigen::VectorXd volts = row_voltages(design).row(vector).transpose();
  const netlist::CrossbarCircuit cc = netlist::build_crossbar_circuit(
      design.crossbar, design.states, std::span<const double>(volts.data(), static_cast<std::size_t>(volts.size())));
  netlist::SpiceWriteOptions options;
  options.temperature = cc.temperature;
  options.print_currents = cc.column_sources;
  const models::Scale& s = design.scale;
  options.header_comments = {
      "spec " + spec.path.string() + ", seed " + std::to_string(spec.seed) + ", input vector " +
          std::to_string(vector),
      "scale: w_fs=" + netlist::format_number(s.w_fs) + " g_fs=" + netlist::format_number(s.g_fs) +
          " S, x_fs=" + netlist::format_number(s.x_fs) + " v_fs=" + netlist::format_number(s.v_fs) + " V",
      "output j = i(V_cj) * " + netlist::format_number(s.output_of_current(1.0)) + " (weight units)",
      "switches are resistors of ron (closed) or roff (open); RSW_* sits in series with R_*"};
  return netlist::write_spice(cc.circuit, options);
}

}  // namespace xbar::sim
