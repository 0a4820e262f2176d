// xbar layer: a (pruned) CNN layer on tiled crossbars against the ideal layer.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/npz.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/nn/layer.hpp"
#include "xbar/sim/report/layer_report.hpp"
#include "xbar/sim/report/plots.hpp"
#include "xbar/sim/studies/sweep.hpp"

namespace xbar::app {

namespace {

constexpr const char* layer_help = R"(usage: xbar layer SPEC [--json FILE] [--output FILE.npz] [--backend NAME] [--jobs N]
                  [--sweep KEY=v1,v2,... [--out DIR]] [--set KEY=VALUE]...

Maps a CNN layer (layer.file: .npy conv weights HWIO/OIHW or dense IO; or layer.onnx + layer.node)
onto crossbars: prune (prune.*), lower each group by im2col, drop emptied rows and columns, cut into
array.rows x array.cols tiles (each its own fabricated crossbar), simulate every output pixel's input
vector, add the partial sums, and compare with the ideal output of the pruned layer.

  --json FILE       report: shapes, pruning (sparsity, cells and resistors saved), tiles, metrics
  --output FILE     .npz with arrays `ideal` and `simulated`, NCHW like the input
  --backend NAME    native, ngspice or ideal (default: the spec's simulate.backend)
  --sweep KEY=LIST  run the layer at each value (e.g. cell.resistors=4,8,12,16): DIR/layer_sweep.csv
                    and a PNG/SVG of the weight and output errors against the value (--out DIR)
)";

// --sweep KEY=v1,v2,...: the layer at each value, DIR/layer_sweep.csv and a plot of both errors.
int layer_sweep(const Arguments& parsed, const sim::SweepGrid& grid) {
  const auto points = sim::sweep_points(single_spec(parsed), parsed.values("--set"), grid);
  const std::filesystem::path out = parsed.value("--out").value_or("xbar-layer-sweep");
  const std::string key = grid.front().first;
  std::vector<double> x, weight, output;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const sim::Spec& spec = points[k].spec;
    const sim::LayerResult r =
        sim::run_layer(spec, backend_option(parsed, spec.backend), {jobs_option(parsed), terminal_progress()});
    x.push_back(sim::sweep_x(points[k], k));
    weight.push_back(r.weight_error);
    output.push_back(r.output_error_max);
    rows.push_back({netlist::format_number(r.weight_error), netlist::format_number(r.output_error_max),
                    netlist::format_number(r.output_error_rms)});
    std::string label;
    for (const auto& [name, value] : points[k].values) {
      std::string padded = value;
      padded.resize(std::max<std::size_t>(padded.size(), 8), ' ');
      label += (label.empty() ? "" : ", ") + name + " = " + padded;
    }
    std::printf("%s weight error %.3e  output error %.3e\n", label.c_str(), r.weight_error, r.output_error_max);
  }
  std::filesystem::create_directories(out);
  sim::OutputFiles files;
  files.add(out / "layer_sweep.csv",
            sim::sweep_csv(points, {"weight_error", "output_error_max", "output_error_rms"}, rows));
  files.commit();
  sim::plot_lines(out, "layer_sweep", key, x, {{"weight error", weight}, {"output error (max)", output}},
                  "Layer errors over " + key + ": " + points.front().spec.path.filename().string());
  std::printf("sweep: %s (and layer_sweep.png/.svg)\n", (out / "layer_sweep.csv").c_str());
  return 0;
}

int run_layer_command(const Args& args) {
  const Arguments parsed = parse_arguments(
      args, {{"--json"}, {"--output"}, {"--backend"}, {"--sweep", true, true}, {"--out"}, jobs_spec, set_spec});
  const sim::Spec spec = load_spec_argument(parsed);
  if (!spec.layer.present) {
    throw sim::InputError({{spec.path.string(), 0, 0, "layer", "xbar layer needs layer.file or layer.onnx", ""}});
  }
  const sim::SweepGrid grid = sim::sweep_grid(spec.study.sweep, parsed.values("--sweep"));
  if (!grid.empty()) return layer_sweep(parsed, grid);
  const sim::LayerResult r =
      sim::run_layer(spec, backend_option(parsed, spec.backend), {jobs_option(parsed), terminal_progress()});
  sim::OutputFiles files;
  if (auto path = parsed.value("--json")) files.add(*path, sim::layer_report_json(spec, r));
  if (auto path = parsed.value("--output")) {
    const auto shape = sim::layer_output_shape(r.ideal, spec.layer.dense);
    files.add(*path, sim::npz_bytes({{"ideal", {shape, r.ideal.data}}, {"simulated", {shape, r.simulated.data}}}));
  }
  files.commit();
  std::cout << sim::layer_summary(spec, r);
  return 0;
}

}  // namespace

const Command commands::layer{.name = "layer",
                              .synopsis = "layer SPEC",
                              .summary = "a pruned CNN layer on tiled crossbars against the ideal layer",
                              .help = layer_help,
                              .handler = run_layer_command};

}  // namespace xbar::app
