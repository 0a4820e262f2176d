#include "xbar/sim/report.hpp"

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

}  // namespace

std::string design_report_json(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result) {
  const models::CrossbarShape& shape = design.crossbar.shape;
  Json report;
  report["xbar_version"] = XBAR_VERSION;
  report["spec"] = spec.path.string();
  report["seed"] = spec.seed;
  report["backend"] = std::string(to_string(result.backend));
  report["shape"] = {{"inputs", shape.rows},
                     {"outputs", shape.cols},
                     {"resistors_per_bank", shape.resistors},
                     {"cells", shape.cell_count()},
                     {"resistors", shape.branch_count()},
                     {"input_vectors", design.inputs.rows()}};
  report["cell"] = {{"nominal", spec.cell.nominal},
                    {"design", std::string(models::to_string(spec.cell.design))},
                    {"variation", spec.cell.variation},
                    {"distribution", std::string(models::to_string(spec.cell.distribution))},
                    {"full_scale", spec.full_scale}};
  report["switch"] = {{"ron", spec.cell.ron}, {"roff", spec.cell.roff}};
  report["scale"] = {{"w_fs", design.scale.w_fs},
                     {"g_fs", design.scale.g_fs},
                     {"x_fs", design.scale.x_fs},
                     {"v_fs", design.scale.v_fs},
                     {"output_per_ampere", design.scale.output_of_current(1.0)}};
  report["metrics"] = {{"weight_error", result.weight_error},
                       {"output_error_max", result.output.max},
                       {"output_error_rms", result.output.rms}};
  report["per_vector"] = {{"output_error_max", result.output.per_vector_max},
                          {"output_error_rms", result.output.per_vector_rms}};
  report["column_sources"] = result.column_sources;
  report["inputs"] = rows_of(design.inputs);
  report["ideal"] = rows_of(result.ideal);
  report["simulated"] = rows_of(result.simulated);
  report["column_currents"] = rows_of(result.column_currents);
  report["weights"] = rows_of(design.weights);
  report["programmed_weights"] = rows_of(design.programmed_weights);
  return report.dump(1) + "\n";
}

std::string design_summary(const Spec& spec, const ProgrammedDesign& design, const DesignResult& result) {
  const models::CrossbarShape& shape = design.crossbar.shape;
  const models::Scale& s = design.scale;
  std::string text;
  text += "spec          " + spec.path.string() + " (seed " + std::to_string(spec.seed) + ")\n";
  text += "crossbar      " + std::to_string(shape.rows) + " inputs x " + std::to_string(shape.cols) + " outputs, " +
          std::to_string(shape.resistors) + " resistors per bank (" + std::to_string(shape.branch_count()) +
          " resistors and switches)\n";
  text += "cell          " + std::string(models::to_string(spec.cell.design)) + " design, nominal " +
          sci(spec.cell.nominal) + " ohm, " + std::string(models::to_string(spec.cell.distribution)) +
          " variation " + sci(spec.cell.variation) + ", ron " + sci(spec.cell.ron) + ", roff " +
          sci(spec.cell.roff) + "\n";
  text += "scale         w_fs " + sci(s.w_fs) + ", g_fs " + sci(s.g_fs) + " S, x_fs " + sci(s.x_fs) + ", v_fs " +
          sci(s.v_fs) + " V\n";
  text += "backend       " + std::string(to_string(result.backend)) + ", " + std::to_string(design.inputs.rows()) +
          " input vectors\n";
  text += "weight error  " + sci(result.weight_error) + "  (max |w_programmed - w| / max |W|)\n";
  text += "output error  " + sci(result.output.max) + " max, " + sci(result.output.rms) +
          " rms  (|y_sim - y_ideal| / max |y_ideal|)\n";
  return text;
}

}  // namespace xbar::sim
