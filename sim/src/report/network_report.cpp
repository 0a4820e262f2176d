#include "xbar/sim/report/network_report.hpp"

#include <algorithm>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/npz.hpp"

namespace xbar::sim {

namespace {

nlohmann::ordered_json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::string number(double v) { return netlist::format_number(v); }

}  // namespace

std::string network_report_json(const Spec& spec, const NetworkModel& model, const NetworkResult& r) {
  nlohmann::ordered_json j;
  j["spec"] = spec.path.string();
  j["model"] = spec.network.onnx.string();
  j["dataset"] = {{"images", spec.dataset.images.string()},
                  {"labels", spec.dataset.labels.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(spec.dataset.labels.string())},
                  {"count", r.images},
                  {"shape", model.images.shape},
                  {"scale", model.scale},
                  {"offset", spec.dataset.offset}};
  j["backend"] = std::string(to_string(spec.backend));
  j["transfer"] = spec.simulation.transfer == TransferMode::matrix ? "matrix" : "solve";
  j["accuracy"] = {{"float", optional_number(r.accuracy_float)},
                   {"ideal", optional_number(r.accuracy_ideal)},
                   {"simulated", optional_number(r.accuracy_simulated)}};
  j["agreement"] = r.agreement;
  const TensorReport& output = r.tensors.front();
  j["metrics"] = {{"weight_error", r.weight_error}, {"output_error_max", output.max},
                  {"output_error_p99", output.p99}, {"output_error_median", output.median}};
  nlohmann::ordered_json tensors = nlohmann::ordered_json::object();
  for (const TensorReport& t : r.tensors) {
    tensors[t.name] = {{"output_error_max", t.max}, {"output_error_p99", t.p99}, {"output_error_median", t.median},
                       {"vs_float_max", t.vs_float_max}};
  }
  j["tensors"] = tensors;
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  const double images = static_cast<double>(std::max<std::size_t>(1, r.images));
  double energy = 0.0, macs = 0.0;
  for (const NetworkLayerReport& l : r.layers) {
    layers.push_back({{"node", l.node}, {"op_type", l.op_type}, {"output", l.output}, {"weight_error", l.weight_error},
                      {"sparsity", l.sparsity}, {"tiles", l.tiles}, {"cells", l.cells}, {"resistors", l.resistors},
                      {"switches_closed", l.switches_closed},
                      {"scale", {{"w_fs", l.w_fs}, {"g_fs", l.g_fs}, {"x_fs", l.x_fs}, {"v_fs", l.v_fs}}},
                      {"clipped_inputs", l.clipped},
                      {"adc_clipped", l.adc_clipped},
                      {"energy_per_inference_j", l.energy_j / images},
                      {"energy_per_mac_j", l.macs > 0 ? l.energy_j / l.macs : 0.0},
                      {"compensation", {{"saturated_cells", l.saturated}, {"model_residual", l.model_residual}}}});
    energy += l.energy_j;
    macs += l.macs;
  }
  j["layers"] = layers;
  j["energy"] = {{"definition", "every tile's power from its solved circuit (every source's -V I, as a quadratic form "
                                "of its row voltages from the transfer solve), over the products it computes, times "
                                "readout.t_int; per input image, and per MAC of the tiles' cells"},
                 {"t_int", spec.design.readout.t_int},
                 {"energy_per_inference_j", energy / images},
                 {"energy_per_mac_j", macs > 0 ? energy / macs : 0.0}};
  if (r.verify) {
    j["verify"] = {{"backend", std::string(to_string(r.verify->backend))}, {"vectors", r.verify->vectors},
                   {"tiles", r.verify->tiles}, {"max_deviation", r.verify->max_deviation}};
  }
  nlohmann::ordered_json seconds = nlohmann::ordered_json::object();
  for (const auto& [stage, s] : r.seconds) seconds[stage] = s;
  j["seconds"] = seconds;
  return j.dump(1) + "\n";
}

std::string network_images_csv(const NetworkModel& model, const NetworkResult& r) {
  std::string csv = "image";
  if (!model.labels.empty()) csv += ",label";
  csv += ",top1_float,top1_ideal,top1_simulated";
  for (const TensorReport& t : r.tensors) csv += ",error:" + t.name + ",vs_float:" + t.name;
  csv += "\n";
  for (std::size_t k = 0; k < r.images; ++k) {
    csv += std::to_string(k);
    if (!model.labels.empty()) csv += "," + std::to_string(model.labels[k]);
    csv += "," + std::to_string(r.top1_float[k]) + "," + std::to_string(r.top1_ideal[k]) + "," + std::to_string(r.top1_simulated[k]);
    for (const TensorReport& t : r.tensors) csv += "," + number(t.per_image[k]) + "," + number(t.per_image_vs_float[k]);
    csv += "\n";
  }
  return csv;
}

std::string network_outputs_npz(const NetworkModel& model, const NetworkResult& r) {
  std::vector<std::pair<std::string, NpzArray>> arrays;
  for (const char* name : {"float", "ideal", "simulated"}) {
    const NetworkArray& a = r.arrays.at(name);
    arrays.push_back({name, {a.shape, a.values}});
  }
  for (std::size_t c = 0; c < model.compare.size(); ++c) {
    for (const char* kind : {"float", "ideal", "simulated"}) {
      const std::string name = "compare" + std::to_string(c) + "_" + kind;
      const NetworkArray& a = r.arrays.at(name);
      arrays.push_back({name, {a.shape, a.values}});
    }
  }
  if (!model.labels.empty()) {
    arrays.push_back({"labels", {{model.labels.size()}, std::vector<double>(model.labels.begin(), model.labels.end())}});
  }
  return npz_bytes(arrays);
}

std::string network_summary(const Spec& spec, const NetworkResult& r) {
  char line[512];
  std::string text;
  const auto add = [&](const char* format, auto... values) {
    std::snprintf(line, sizeof line, format, values...);
    text += line;
  };
  add("network       %s: %zu images, %zu analog layers, backend %s, transfer %s\n", spec.network.onnx.filename().c_str(),
      r.images, r.layers.size(), std::string(to_string(spec.backend)).c_str(),
      spec.simulation.transfer == TransferMode::matrix ? "matrix" : "solve");
  for (const NetworkLayerReport& l : r.layers) {
    add("  %-18s %-6s %3d tiles %8zu cells  weight error %.3e  x_fs %.4g  clipped %zu\n", l.node.c_str(), l.op_type.c_str(),
        l.tiles, l.cells, l.weight_error, l.x_fs, l.clipped);
  }
  if (r.accuracy_float) {
    add("accuracy      float %.4f  ideal %.4f  simulated %.4f\n", *r.accuracy_float, *r.accuracy_ideal, *r.accuracy_simulated);
  }
  add("agreement     %.4f  (simulated top-1 = float top-1)\n", r.agreement);
  double energy = 0.0, macs = 0.0;
  for (const NetworkLayerReport& l : r.layers) {
    energy += l.energy_j;
    macs += l.macs;
  }
  add("energy        %.3e J per inference, %.3e J per MAC at t_int %g s\n",
      energy / static_cast<double>(std::max<std::size_t>(1, r.images)), macs > 0 ? energy / macs : 0.0,
      spec.design.readout.t_int);
  add("errors        per image, max |sim - ideal| / max |ideal|:  max / p99 / median\n");
  for (const TensorReport& t : r.tensors) {
    add("  %-24s %.3e / %.3e / %.3e   vs float: max %.3e\n", t.name.c_str(), t.max, t.p99, t.median, t.vs_float_max);
  }
  if (r.verify) {
    add("verified      %zu tiles x %d vectors by %s: max deviation %.3e\n", r.verify->tiles, r.verify->vectors,
        std::string(to_string(r.verify->backend)).c_str(), r.verify->max_deviation);
  }
  return text;
}

}  // namespace xbar::sim
