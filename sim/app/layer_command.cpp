// xbar layer: a (pruned) CNN layer on tiled crossbars against the ideal layer.
#include <cstdio>
#include <sstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_options.hpp"
#include "commands.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/diagnostics.hpp"
#include "xbar/sim/plots.hpp"
#include "xbar/sim/layer.hpp"
#include "xbar/sim/npz.hpp"
#include "xbar/sim/output_files.hpp"

namespace xbar::app {

namespace {

// NCHW, or (N, outputs) for a dense layer, like its input.
std::vector<std::size_t> shape_of(const models::Tensor4& t, bool dense) {
  if (dense) return {static_cast<std::size_t>(t.n), static_cast<std::size_t>(t.c)};
  return {static_cast<std::size_t>(t.n), static_cast<std::size_t>(t.c), static_cast<std::size_t>(t.h),
          static_cast<std::size_t>(t.w)};
}

std::string report(const sim::Spec& spec, const sim::LayerResult& r) {
  nlohmann::ordered_json j;
  j["spec"] = spec.path.string();
  j["layer"] = spec.layer_source;
  j["backend"] = std::string(sim::to_string(r.backend));
  const auto& l = spec.layer;
  j["weights"] = {{"out_channels", l.out_channels}, {"in_channels", l.in_channels()}, {"kernel", {l.kernel_h, l.kernel_w}},
                  {"groups", l.geometry.groups}, {"dense", spec.dense_layer}};
  j["output_shape"] = shape_of(r.ideal, spec.dense_layer);
  j["pruning"] = {{"method", spec.prune_method},
                  {"sparsity", r.sparsity},
                  {"cells_dense", r.cells_dense},
                  {"cells_used", r.cells_used},
                  {"cells_idle", r.cells_idle},
                  {"resistors_saved", r.resistors_saved}};
  j["array"] = {{"rows", spec.array_rows}, {"cols", spec.array_cols}, {"tiles", r.tiles.size()}};
  nlohmann::json tiles = nlohmann::json::array();
  for (const auto& t : r.tiles) {
    tiles.push_back({{"group", t.group}, {"first_row", t.first_row}, {"rows", t.rows}, {"first_col", t.first_col},
                     {"cols", t.cols}, {"weight_error", t.weight_error}});
  }
  j["tiles"] = tiles;
  j["metrics"] = {{"weight_error", r.weight_error}, {"output_error_max", r.output_error_max},
                  {"output_error_rms", r.output_error_rms}};
  return j.dump(1) + "\n";
}

}  // namespace

// --sweep KEY=v1,v2,...: the layer at each value, DIR/layer_sweep.csv and a plot of both errors.
int layer_sweep(const Arguments& parsed, sim::BackendKind backend) {
  const std::string arg = *parsed.value("--sweep");
  const auto equals = arg.find('=');
  if (equals == std::string::npos || equals == 0) throw UsageError("--sweep: expected KEY=v1,v2,..., got '" + arg + "'");
  const std::string key = arg.substr(0, equals);
  std::vector<std::string> values;
  std::stringstream list(arg.substr(equals + 1));
  for (std::string v; std::getline(list, v, ',');) values.push_back(v);
  const std::filesystem::path out = parsed.value("--out").value_or("xbar-layer-sweep");
  std::vector<sim::Spec> specs;  // every point validated before any runs
  for (const auto& v : values) {
    auto sets = parsed.values("--set");
    sets.push_back(key + "=" + v);
    specs.push_back(sim::load_spec(single_spec(parsed), sets));
  }
  std::vector<double> x, weight, output;
  std::string csv = key + ",weight_error,output_error_max,output_error_rms\n";
  for (std::size_t k = 0; k < specs.size(); ++k) {
    const sim::LayerResult r = sim::run_layer(specs[k], backend, {true, jobs_option(parsed)});
    const auto number = netlist::parse_spice_number(values[k]);
    x.push_back(number ? *number : static_cast<double>(k));
    weight.push_back(r.weight_error);
    output.push_back(r.output_error_max);
    csv += values[k] + "," + netlist::format_number(r.weight_error) + "," + netlist::format_number(r.output_error_max) +
           "," + netlist::format_number(r.output_error_rms) + "\n";
    std::printf("%s = %-8s weight error %.3e  output error %.3e\n", key.c_str(), values[k].c_str(), r.weight_error,
                r.output_error_max);
  }
  std::filesystem::create_directories(out);
  sim::OutputFiles files;
  files.add(out / "layer_sweep.csv", csv);
  files.commit();
  sim::plot_lines(out, "layer_sweep", key, x, {{"weight error", weight}, {"output error (max)", output}});
  std::printf("sweep: %s (and layer_sweep.png/.svg)\n", (out / "layer_sweep.csv").c_str());
  return 0;
}

int layer_command(const Args& args) {
  const Arguments parsed =
      parse_arguments(args, {{"--json"}, {"--output"}, {"--backend"}, {"--sweep"}, {"--out"}, jobs_spec, set_spec});
  const sim::Spec spec = load_spec_argument(parsed);
  if (!spec.has_layer) {
    throw sim::InputError({{spec.path.string(), 0, 0, "layer", "xbar layer needs layer.file or layer.onnx", ""}});
  }
  const sim::BackendKind backend = backend_option(parsed, spec.backend);
  if (parsed.has("--sweep")) return layer_sweep(parsed, backend);
  const sim::LayerResult r = sim::run_layer(spec, backend, {true, jobs_option(parsed)});
  sim::OutputFiles files;
  if (auto path = parsed.value("--json")) files.add(*path, report(spec, r));
  if (auto path = parsed.value("--output")) {
    files.add(*path, sim::npz_bytes({{"ideal", {shape_of(r.ideal, spec.dense_layer), r.ideal.data}},
                                     {"simulated", {shape_of(r.simulated, spec.dense_layer), r.simulated.data}}}));
  }
  files.commit();
  std::printf("layer         %s (%s)\n", spec.layer_source.c_str(), spec.dense_layer ? "dense" : "convolution");
  std::printf("pruning       sparsity %.3f, %zu of %zu cells used (%zu of them idle: switches open), %zu resistors saved\n",
              r.sparsity, r.cells_used, r.cells_dense, r.cells_idle, r.resistors_saved);
  std::printf("tiles         %zu of %dx%d, backend %s\n", r.tiles.size(), spec.array_rows, spec.array_cols,
              std::string(sim::to_string(r.backend)).c_str());
  std::printf("weight error  %.3e  (of full scale)\n", r.weight_error);
  std::printf("output error  %.3e max, %.3e rms  (|y_sim - y_ideal| / max |y_ideal|, whole output tensor)\n",
              r.output_error_max, r.output_error_rms);
  return 0;
}

}  // namespace xbar::app
