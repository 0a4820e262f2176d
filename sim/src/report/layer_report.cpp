#include "xbar/sim/report/layer_report.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace xbar::sim {

std::vector<std::size_t> layer_output_shape(const models::Tensor4& t, bool dense) {
  if (dense) return {static_cast<std::size_t>(t.n), static_cast<std::size_t>(t.c)};
  return {static_cast<std::size_t>(t.n), static_cast<std::size_t>(t.c), static_cast<std::size_t>(t.h),
          static_cast<std::size_t>(t.w)};
}

std::string layer_report_json(const Spec& spec, const LayerResult& r) {
  nlohmann::ordered_json j;
  j["spec"] = spec.path.string();
  j["layer"] = spec.layer.source;
  j["backend"] = std::string(to_string(r.backend));
  const auto& l = spec.layer.conv;
  j["weights"] = {{"out_channels", l.out_channels}, {"in_channels", l.in_channels()}, {"kernel", {l.kernel_h, l.kernel_w}},
                  {"groups", l.geometry.groups}, {"dense", spec.layer.dense}};
  j["output_shape"] = layer_output_shape(r.ideal, spec.layer.dense);
  j["pruning"] = {{"method", spec.prune.method},
                  {"sparsity", r.sparsity},
                  {"cells_dense", r.cells_dense},
                  {"cells_used", r.cells_used},
                  {"cells_idle", r.cells_idle},
                  {"resistors_saved", r.resistors_saved}};
  j["array"] = {{"rows", spec.array.rows}, {"cols", spec.array.cols}, {"tiles", r.tiles.size()}};
  nlohmann::json tiles = nlohmann::json::array();
  for (const auto& t : r.tiles) {
    tiles.push_back({{"group", t.group}, {"first_row", t.first_row}, {"rows", t.rows}, {"first_col", t.first_col},
                     {"cols", t.cols}, {"weight_error", t.weight_error},
                     {"compensation", {{"saturated_cells", t.saturated}, {"model_residual", t.model_residual}}}});
  }
  j["tiles"] = tiles;
  j["metrics"] = {{"weight_error", r.weight_error}, {"output_error_max", r.output_error_max},
                  {"output_error_rms", r.output_error_rms}};
  j["energy"] = {{"definition", "each tile's power from its solved circuit (every source's -V I), summed over the "
                                "products it computes, times t_int; per input image and per MAC of the tiles' cells"},
                 {"power_w_mean", r.power_w_mean},
                 {"t_int", spec.design.readout.t_int},
                 {"energy_per_inference_j", r.energy_per_inference_j},
                 {"energy_per_mac_j", r.energy_per_mac_j},
                 {"adc_clipped", r.adc_clipped}};
  return j.dump(1) + "\n";
}

std::string layer_summary(const Spec& spec, const LayerResult& r) {
  char line[512];
  std::string text;
  std::snprintf(line, sizeof line, "layer         %s (%s)\n", spec.layer.source.c_str(),
                spec.layer.dense ? "dense" : "convolution");
  text += line;
  std::snprintf(line, sizeof line,
                "pruning       sparsity %.3f, %zu of %zu cells used (%zu of them idle: switches open), %zu resistors saved\n",
                r.sparsity, r.cells_used, r.cells_dense, r.cells_idle, r.resistors_saved);
  text += line;
  std::snprintf(line, sizeof line, "tiles         %zu of %dx%d, backend %s\n", r.tiles.size(), spec.array.rows,
                spec.array.cols, std::string(to_string(r.backend)).c_str());
  text += line;
  std::snprintf(line, sizeof line, "weight error  %.3e  (of full scale)\n", r.weight_error);
  text += line;
  std::snprintf(line, sizeof line,
                "output error  %.3e max, %.3e rms  (max: worst image's max |y_sim - y_ideal| / max |y_ideal|; rms: whole tensor)\n",
                r.output_error_max, r.output_error_rms);
  text += line;
  std::snprintf(line, sizeof line, "energy        %.3e J per inference, %.3e J per MAC, %.3e W per tile product at t_int %g s\n",
                r.energy_per_inference_j, r.energy_per_mac_j, r.power_w_mean, spec.design.readout.t_int);
  text += line;
  return text;
}

}  // namespace xbar::sim
