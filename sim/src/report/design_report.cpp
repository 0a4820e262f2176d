#include "xbar/sim/report/design_report.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace xbar::sim {

namespace {

using Json = nlohmann::ordered_json;

Json rows_of(const Eigen::MatrixXd& m) {
  Json rows = Json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    Json row = Json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string sci(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3e", v);
  return buffer;
}

std::string fixed(double v, int digits) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

Json distribution_json(const Quantiles& d) {
  return {{"min", d.min}, {"median", d.median}, {"p90", d.p90}, {"max", d.max}};
}

Json coverage_summary_json(const CrossbarCoverage& c) {
  return {{"cells_analysed", c.cells.size()},
          {"cells_total", c.total_cells},
          {"exact", c.all_exact},
          {"worst_error", distribution_json(c.worst_error)},
          {"max_gap", distribution_json(c.max_gap)}};
}

std::string coverage_line(const CrossbarCoverage& c) {
  return "coverage      worst error " + sci(c.worst_error.max) + " max, " + sci(c.worst_error.median) +
         " median over " + std::to_string(c.cells.size()) + " of " + std::to_string(c.total_cells) + " cells" +
         (c.all_exact ? "" : " (upper bounds)") + "  (of full scale)\n";
}

Json readout_json(const ProgrammedDesign& design, const DesignResult& result) {
  const models::Readout& r = design.readout;
  const auto optional = [](bool present, double value) { return present ? Json(value) : Json(nullptr); };
  Json tia = {{"gain", optional(r.tia.present() && !r.tia.ideal(), r.tia.gain)},
              {"rf", optional(r.tia.present(), r.tia.rf)},
              {"offset", r.tia.offset}};
  Json adc = nullptr;
  if (r.adc.present()) {
    adc = {{"bits", r.adc.bits}, {"range", {r.adc.low, r.adc.high}}, {"lsb", r.adc.lsb()}, {"clipped", result.adc_clipped}};
  }
  return {{"tia", tia},
          {"adc", adc},
          {"dac", r.dac_bits > 0 ? Json({{"bits", r.dac_bits}, {"lsb", models::input_dac(r.dac_bits, design.scale.v_fs).lsb()}})
                                 : Json(nullptr)},
          {"t_int", r.t_int}};
}

Json energy_json(const EnergyReport& e) {
  return {{"definition", "power_w: every source's -V I (rows, column terminations, amplifier outputs) per input vector "
                         "= sum of I^2 R; common_mode_w: the drivers' 2 min(G+, G-) v^2 share; energy = mean power x t_int"},
          {"power_w", e.power_w},
          {"input_power_w", e.input_power_w},
          {"common_mode_w", e.common_mode_w},
          {"t_int", e.t_int},
          {"energy_per_mvm_j", e.energy_per_mvm_j},
          {"macs_per_mvm", e.macs_per_mvm},
          {"energy_per_mac_j", e.energy_per_mac_j}};
}

std::string energy_line(const EnergyReport& e) {
  if (e.power_w.empty()) return "";
  double mean = 0.0, common = 0.0;
  for (std::size_t k = 0; k < e.power_w.size(); ++k) {
    mean += e.power_w[k] / static_cast<double>(e.power_w.size());
    common += e.common_mode_w[k] / static_cast<double>(e.power_w.size());
  }
  return "energy        " + sci(mean) + " W mean (" + sci(common) + " W common mode), " + sci(e.energy_per_mvm_j) +
         " J per product, " + sci(e.energy_per_mac_j) + " J per MAC at t_int " + sci(e.t_int) + " s\n";
}

}  // namespace

Json compensation_json(const CompensationReport& c) {
  Json saturated = Json::array();
  for (const SaturatedCell& cell : c.saturated_cells) {
    saturated.push_back({{"row", cell.row}, {"col", cell.col}, {"wanted_s", cell.wanted}, {"reached_s", cell.reachable}});
  }
  return {{"continuous_residual", c.continuous_residual}, {"model_residual", c.residual},
          {"cells_resolved", c.resolved},
          {"converged", c.converged},           {"stopped_by", c.stopped_by},           {"saturated_cells", c.saturated},
          {"saturated", saturated}};
}

Json programming_json(const Spec& spec, const ProgrammedDesign& design) {
  const ProgrammingStats stats = programming_stats(design);
  Json compensate = Json::array();
  if (spec.programming.wires) compensate.push_back("wires");
  if (spec.programming.temperature) compensate.push_back("temperature");
  return {{"objective", spec.solver.objective == solver::Objective::min_common ? "min_common" : "exact"},
          {"closed_switches_per_bank", stats.closed_per_bank},
          {"total_conductance_s", stats.total_conductance},
          {"drawn_current_a", stats.drawn_current},
          {"common_mode_current_a", stats.common_mode_current},
          {"compensate", compensate},
          {"compensation", design.compensation ? compensation_json(*design.compensation) : Json(nullptr)}};
}

std::string design_report_json(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                               const RunExtras& extras) {
  const auto& coverage = extras.coverage;
  const models::CrossbarShape& shape = design.crossbar.shape;
  Json report;
  report["xbar_version"] = XBAR_VERSION;
  report["spec"] = spec.path.string();
  report["seed"] = spec.seed;
  report["backend"] = std::string(to_string(result.backend));
  report["figures"] = {{"simulated", "backend " + std::string(to_string(result.backend)) + " (column_currents scaled)"},
                       {"ideal", "eigen: inputs x weights"},
                       {"programmed_weights", "true conductances of the programmed cells (no wires)"}};
  report["shape"] = {{"inputs", shape.rows},
                     {"outputs", shape.cols},
                     {"resistors_per_bank", shape.resistors},
                     {"cells", shape.cell_count()},
                     {"resistors", shape.branch_count()},
                     {"input_vectors", design.inputs.rows()}};
  report["cell"] = {{"nominal", spec.design.cell.nominal},
                    {"design", std::string(models::to_string(spec.design.cell.design))},
                    {"variation", spec.design.cell.variation},
                    {"distribution", std::string(models::to_string(spec.design.cell.distribution))},
                    {"full_scale", spec.design.full_scale}};
  report["switch"] = {{"ron", spec.design.cell.ron}, {"roff", spec.design.cell.roff}};
  report["wire"] = {{"segment", spec.design.wires.segment}, {"driver", spec.design.wires.driver}, {"sense", spec.design.wires.sense}};
  report["solver"] = {{"mode", spec.solver.mode.name()},
                      {"topology", std::string(models::to_string(spec.design.cell.topology))},
                      {"tolerance", spec.solver.tolerance}};
  report["programming"] = programming_json(spec, design);
  report["scale"] = {{"w_fs", design.scale.w_fs},
                     {"g_fs", design.scale.g_fs},
                     {"x_fs", design.scale.x_fs},
                     {"v_fs", design.scale.v_fs},
                     {"output_per_ampere", design.scale.output_of_current(1.0)}};
  report["metrics"] = {{"weight_error", result.weight_error},
                       {"output_error_max", result.output.max},
                       {"output_error_rms", result.output.rms}};
  report["readout"] = readout_json(design, result);
  report["energy"] = energy_json(result.energy);
  if (extras.transient) {
    const TransientResult& t = *extras.transient;
    report["transient"] = {{"definition", "input vector 0 as a step from 0 V (ngspice .tran, wire.capacitance on every "
                                          "wire node); settling: the last time an amplifier output is beyond half an "
                                          "ADC LSB of its final value"},
                           {"settling_time_s", t.settling_time},
                           {"settled", t.settled},
                           {"tolerance_v", t.tolerance},
                           {"window_s", t.window},
                           {"time_points", t.time_points},
                           {"wire_capacitance_f", design.crossbar.wire_capacitance},
                           {"column_settling_s", t.column_settling},
                           {"final_currents", t.final_currents}};
  }
  report["coverage"] = coverage ? coverage_summary_json(*coverage) : Json(nullptr);
  if (extras.budget) {
    const ErrorBudget& b = *extras.budget;
    report["error_budget"] = {{"metric", "output_error_max"},
                              {"backend", "native"},
                              {"definition", "each part alone on the same crossbar less the gap alone, as error vectors: "
                                             "all <= gap + parts + interaction"},
                              {"all_effects", b.all},
                              {"subset_sum_gap", b.gap},
                              {"measurement_error", b.measurement},
                              {"temperature", b.temperature},
                              {"wires", b.wires},
                              {"switch_spread", b.switch_spread},
                              {"amplifier", b.amplifier},
                              {"adc", b.adc},
                              {"dac", b.dac},
                              {"interaction", b.interaction},
                              {"wires_uncompensated", b.wires_uncompensated},
                              {"wires_compensated", b.wires_compensated},
                              {"temperature_uncompensated", b.temperature_uncompensated},
                              {"temperature_compensated", b.temperature_compensated}};
  } else {
    report["error_budget"] = nullptr;
  }
  report["per_vector"] = {{"output_error_max", result.output.per_vector_max},
                          {"output_error_rms", result.output.per_vector_rms}};
  report["column_sources"] = result.column_sources;
  report["inputs"] = rows_of(design.inputs);
  report["ideal"] = rows_of(result.ideal);
  report["simulated"] = rows_of(result.simulated);
  report["column_currents"] = rows_of(result.column_currents);
  if (result.amplifier_output.size() > 0) report["amplifier_output"] = rows_of(result.amplifier_output);
  report["weights"] = rows_of(design.weights);
  report["programmed_weights"] = rows_of(design.programmed_weights);
  return report.dump(1) + "\n";
}

std::string design_summary(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result,
                           const RunExtras& extras) {
  const auto& coverage = extras.coverage;
  const models::CrossbarShape& shape = design.crossbar.shape;
  const models::Scale& s = design.scale;
  std::string text;
  text += "spec          " + spec.path.string() + " (seed " + std::to_string(spec.seed) + ")\n";
  text += "crossbar      " + std::to_string(shape.rows) + " inputs x " + std::to_string(shape.cols) + " outputs, " +
          std::to_string(shape.resistors) + " resistors per bank (" + std::to_string(shape.branch_count()) +
          " resistors and switches)\n";
  text += "cell          " + std::string(models::to_string(spec.design.cell.design)) + " design, nominal " +
          sci(spec.design.cell.nominal) + " ohm, " + std::string(models::to_string(spec.design.cell.distribution)) +
          " variation " + sci(spec.design.cell.variation) + ", ron " + sci(spec.design.cell.ron) + ", roff " +
          sci(spec.design.cell.roff) + "\n";
  text += "scale         w_fs " + sci(s.w_fs) + ", g_fs " + sci(s.g_fs) + " S, x_fs " + sci(s.x_fs) + ", v_fs " +
          sci(s.v_fs) + " V\n";
  text += "backend       " + std::string(to_string(result.backend)) + ", " + std::to_string(design.inputs.rows()) +
          " input vectors" +
          (spec.design.wires.ideal() ? std::string(", ideal wires")
                              : ", wires " + sci(spec.design.wires.segment) + " ohm/segment, driver " + sci(spec.design.wires.driver) +
                                    ", sense " + sci(spec.design.wires.sense)) +
          "\n";
  const ProgrammingStats stats = programming_stats(design);
  text += "programming   " + std::string(spec.solver.objective == solver::Objective::min_common ? "min_common" : "exact") +
          ", " + fixed(stats.closed_per_bank, 2) + " closed switches per bank, G+ + G- " + sci(stats.total_conductance) +
          " S in all, common-mode current " + sci(stats.common_mode_current) + " A\n";
  if (design.compensation) {
    const CompensationReport& c = *design.compensation;
    const auto list = [](const std::vector<double>& values) {
      std::string steps;
      for (double r : values) steps += (steps.empty() ? "" : " ") + sci(r);
      return steps;
    };
    text += "compensation  model residual (of g_fs): continuous " + list(c.continuous_residual) + "; switch states " +
            list(c.residual) + " (best kept; stopped by " + c.stopped_by + "), " + std::to_string(c.saturated) +
            " cells saturated\n";
  }
  text += "weight error  " + sci(result.weight_error) + "  (max |w_programmed - w| / max |W|)\n";
  text += "output error  " + sci(result.output.max) + " max, " + sci(result.output.rms) +
          " rms  (|y_sim - y_ideal| / max |y_ideal|)\n";
  if (coverage) text += coverage_line(*coverage);
  text += energy_line(result.energy);
  if (extras.transient) {
    const TransientResult& t = *extras.transient;
    text += "transient     settles to half an ADC LSB (" + sci(t.tolerance) + " V) in " + sci(t.settling_time) + " s" +
            (t.settled ? "" : " (NOT settled within the window)") + ", t_int " + sci(design.readout.t_int) + " s" +
            (t.settling_time > design.readout.t_int ? ": longer than t_int" : "") + "\n";
  }
  if (design.readout.adc.present()) {
    text += "adc           " + std::to_string(design.readout.adc.bits) + " bits over " + sci(design.readout.adc.low) + " .. " +
            sci(design.readout.adc.high) + " V, " + std::to_string(result.adc_clipped) + " outputs clipped\n";
  }
  if (extras.budget) {
    const ErrorBudget& b = *extras.budget;
    text += "error budget  each effect alone (output error max): gap " + sci(b.gap) + ", measurement " +
            sci(b.measurement) + ", temperature " + sci(b.temperature) + ", wires " + sci(b.wires) + ", switch spread " +
            sci(b.switch_spread) + ", amplifier " + sci(b.amplifier) + ", adc " + sci(b.adc) + ", dac " + sci(b.dac) +
            ", interaction " + sci(b.interaction) + "\n";
    text += "              wires " + sci(b.wires_uncompensated) + " uncompensated, " + sci(b.wires_compensated) +
            " compensated; temperature " + sci(b.temperature_uncompensated) + " uncompensated, " +
            sci(b.temperature_compensated) + " compensated\n";
  }
  return text;
}

std::string coverage_report_json(const Spec& spec, const ProgrammedDesign& design, const CrossbarCoverage& coverage) {
  Json report;
  report["xbar_version"] = XBAR_VERSION;
  report["spec"] = spec.path.string();
  report["seed"] = spec.seed;
  report["solver_mode"] = spec.solver.mode.name();
  report["resistors_per_bank"] = design.crossbar.shape.resistors;
  report["g_fs"] = design.scale.g_fs;
  report["summary"] = coverage_summary_json(coverage);
  Json cells = Json::array();
  for (const CellCoverage& c : coverage.cells) {
    cells.push_back({{"row", c.row}, {"col", c.col}, {"worst_error", c.worst_error}, {"max_gap", c.max_gap},
                     {"exact", c.exact}});
  }
  report["cells"] = std::move(cells);
  return report.dump(1) + "\n";
}

std::string coverage_csv(const CrossbarCoverage& coverage) {
  std::string text = "row,col,worst_error,max_gap,exact\n";
  for (const CellCoverage& c : coverage.cells) {
    text += std::to_string(c.row) + "," + std::to_string(c.col) + "," + Json(c.worst_error).dump() + "," +
            Json(c.max_gap).dump() + "," + (c.exact ? "1" : "0") + "\n";
  }
  return text;
}

std::string coverage_summary(const Spec& spec, const ProgrammedDesign& design, const CrossbarCoverage& coverage) {
  const auto& s = design.crossbar.shape;
  std::string text = "spec          " + spec.path.string() + " (seed " + std::to_string(spec.seed) + ")\n";
  text += "cell          " + std::to_string(s.resistors) + " resistors per bank, solver mode " +
          spec.solver.mode.name() + ", g_fs " + sci(design.scale.g_fs) + " S\n";
  text += "cells         " + std::to_string(coverage.cells.size()) + " of " + std::to_string(coverage.total_cells) +
          (coverage.all_exact ? ", exact" : ", some upper bounds (coverage.budget reached)") + "\n";
  const auto row = [](const char* name, const Quantiles& d) {
    return std::string(name) + sci(d.min) + " min  " + sci(d.median) + " median  " + sci(d.p90) + " p90  " +
           sci(d.max) + " max\n";
  };
  text += row("worst error   ", coverage.worst_error);
  text += row("largest gap   ", coverage.max_gap);
  text += "              (fractions of full scale: the weight error an exact solve can leave, worst case)\n";
  return text;
}

}  // namespace xbar::sim
