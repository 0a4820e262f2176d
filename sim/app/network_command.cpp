// xbar network: a whole ONNX model over a dataset, every analog layer on simulated crossbars.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/input_file.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/nn/network.hpp"
#include "xbar/sim/report/network_report.hpp"
#include "xbar/sim/report/plots.hpp"
#include "xbar/sim/studies/sweep.hpp"

namespace xbar::app {

namespace {

const std::string network_help = R"(usage: xbar network SPEC [--json FILE] [--output FILE.npz] [--csv FILE] [--jobs N]
                    [--sweep KEY=v1,v2,... [--out DIR]] [--set KEY=VALUE]...

Runs an ONNX model (network.onnx) over a dataset (dataset.images, optional dataset.labels) three ways:
float (its own weights), ideal (pruned weights, exact) and simulated (every analog Conv/Gemm/MatMul
node on fabricated, calibrated, programmed crossbars through simulate.backend). Reports per-image errors
of the model output, of every analog layer's output and of network.compare's tensors (max, p99,
median over images), top-1 accuracy of all three and their agreement.

  --json FILE       report: accuracy, agreement, tensors, layers, metrics, verify, seconds per stage
  --output FILE     .npz: float, ideal, simulated (images x the model output), compare<k>_float/_ideal/
                    _simulated for the k-th tensor of network.compare, labels
  --csv FILE        one row per image: label, top-1 of each, per-tensor errors
  --sweep KEY=LIST  the network at each value (e.g. cell.resistors=4,8,16): DIR/sweep.csv and plots of
                    the errors and the accuracy against the value (--out DIR)

Operators: )" + sim::supported_ops_text() + R"(
(Conv, Gemm and MatMul with constant weights go on crossbars; BatchNormalization after a Conv/Gemm is
folded into its weights.)
)";

std::vector<std::string> tensor_columns(const sim::NetworkResult& r) {
  std::vector<std::string> columns = {"weight_error", "accuracy_float", "accuracy_ideal", "accuracy_simulated", "agreement"};
  for (const sim::TensorReport& t : r.tensors) {
    columns.push_back("error_max:" + t.name);
    columns.push_back("error_median:" + t.name);
  }
  return columns;
}

int network_sweep(const Arguments& parsed, const sim::SweepGrid& grid) {
  const auto points = sim::sweep_points(single_spec(parsed), parsed.values("--set"), grid);
  // Every point is checked before the first one runs: a bad model or dataset costs nothing.
  std::vector<sim::NetworkModel> models;
  for (const auto& point : points) models.push_back(sim::load_network(point.spec));
  const std::filesystem::path out = parsed.value("--out").value_or("xbar-network-sweep");
  const std::string key = grid.front().first;
  std::vector<double> x;
  std::vector<std::pair<std::string, std::vector<double>>> errors, accuracy;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> columns;
  const sim::StageProgress bar = terminal_progress();
  for (std::size_t k = 0; k < points.size(); ++k) {
    // "point 2/6 inference": where the sweep is, not only the point's own stage
    const std::string where = "point " + std::to_string(k + 1) + "/" + std::to_string(points.size()) + " ";
    const sim::StageProgress progress = [&bar, where](std::string_view stage, std::size_t total) {
      return bar ? bar(where + std::string(stage), total) : solver::Progress{};
    };
    const sim::NetworkResult r = sim::run_network(points[k].spec, models[k], {jobs_option(parsed), progress});
    if (columns.empty()) {
      columns = tensor_columns(r);
      errors.push_back({"weight error", {}});
      for (const sim::TensorReport& t : r.tensors) {
        errors.push_back({t.name + " (max over images)", {}});
        errors.push_back({t.name + " (median)", {}});
      }
      if (r.accuracy_float) accuracy = {{"float", {}}, {"ideal", {}}, {"simulated", {}}};
    }
    x.push_back(sim::sweep_x(points[k], k));
    errors[0].second.push_back(r.weight_error);
    std::vector<std::string> row = {netlist::format_number(r.weight_error)};
    for (const auto& a : {r.accuracy_float, r.accuracy_ideal, r.accuracy_simulated}) row.push_back(a ? netlist::format_number(*a) : "");
    row.push_back(netlist::format_number(r.agreement));
    for (std::size_t t = 0; t < r.tensors.size(); ++t) {
      errors[1 + 2 * t].second.push_back(r.tensors[t].max);
      errors[2 + 2 * t].second.push_back(r.tensors[t].median);
      row.push_back(netlist::format_number(r.tensors[t].max));
      row.push_back(netlist::format_number(r.tensors[t].median));
    }
    if (!accuracy.empty()) {
      accuracy[0].second.push_back(*r.accuracy_float);
      accuracy[1].second.push_back(*r.accuracy_ideal);
      accuracy[2].second.push_back(*r.accuracy_simulated);
    }
    rows.push_back(row);
    // The point's line: weight error, the compared tensors' and the model output's worst image, accuracy.
    std::string line = key + " = " + points[k].values.front().second;
    line.resize(std::max<std::size_t>(line.size(), key.size() + 10), ' ');
    char cell[96];
    std::snprintf(cell, sizeof cell, "  weight error %.3e", r.weight_error);
    line += cell;
    for (const std::string& name : models[k].compare) {
      const auto t = std::find_if(r.tensors.begin(), r.tensors.end(), [&](const sim::TensorReport& e) { return e.name == name; });
      std::snprintf(cell, sizeof cell, "  %s %.3e", name.c_str(), t->max);
      line += cell;
    }
    std::snprintf(cell, sizeof cell, "  %s %.3e", r.tensors.front().name.c_str(), r.tensors.front().max);
    line += cell;
    if (r.accuracy_simulated) {
      std::snprintf(cell, sizeof cell, "  accuracy %.4f", *r.accuracy_simulated);
      line += cell;
    }
    std::printf("%s\n", line.c_str());
  }
  std::filesystem::create_directories(out);
  sim::OutputFiles files;
  files.add(out / "sweep.csv", sim::sweep_csv(points, columns, rows));
  files.commit();
  std::string swept;
  for (const auto& [name, values] : grid) {
    swept += (swept.empty() ? "" : ", ") + name + " = ";
    for (std::size_t v = 0; v < values.size(); ++v) swept += (v ? "," : "") + values[v];
  }
  const std::string title = points.front().spec.path.filename().string() + ": " + swept;
  // The plot shows the weight error, the model output and network.compare's tensors (the CSV has all).
  std::vector<std::pair<std::string, std::vector<double>>> shown = {errors[0], errors[1], errors[2]};
  for (std::size_t t = 0; t < models.front().compare.size(); ++t) {
    const std::string& name = models.front().compare[t];
    for (const auto& series : errors)
      if (series.first.rfind(name + " (", 0) == 0 &&
          std::none_of(shown.begin(), shown.end(), [&](const auto& s) { return s.first == series.first; }))
        shown.push_back(series);
  }
  sim::plot_lines(out, "errors", key, x, shown, "Network errors per image over " + title);
  if (!accuracy.empty()) sim::plot_lines(out, "accuracy", key, x, accuracy, "Top-1 accuracy over " + title, "top-1 accuracy");
  std::printf("sweep: %s (and errors.png/.svg%s)\n", (out / "sweep.csv").c_str(), accuracy.empty() ? "" : ", accuracy.png/.svg");
  return 0;
}

int run_network_command(const Args& args) {
  const Arguments parsed = parse_arguments(
      args, {{"--json"}, {"--output"}, {"--csv"}, {"--sweep", true, true}, {"--out"}, jobs_spec, set_spec});
  const sim::Spec spec = load_spec_argument(parsed);
  if (!spec.network.present) {
    throw sim::InputError({{spec.path.string(), 0, 0, "network", "xbar network needs network.onnx and dataset.images", ""}});
  }
  const sim::SweepGrid grid = sim::sweep_grid(spec.study.sweep, parsed.values("--sweep"));
  if (!grid.empty()) return network_sweep(parsed, grid);
  const sim::NetworkModel model = sim::load_network(spec);
  const auto json = parsed.value("--json"), output = parsed.value("--output"), csv = parsed.value("--csv");
  std::vector<std::filesystem::path> destinations;
  for (const auto& path : {json, output, csv})
    if (path) destinations.push_back(*path);
  sim::check_destinations(destinations);  // before the work, not after it
  if (output && model.kept_output_bytes() > static_cast<double>(sim::memory_limit())) {
    throw sim::InputError({{*output, 0, 0, "--output",
                            "keeping float, ideal and simulated outputs of every image needs about " +
                                sim::format_bytes(static_cast<std::uint64_t>(model.kept_output_bytes())) +
                                ", more than the memory limit of " + sim::format_bytes(sim::memory_limit()) +
                                " (dataset.limit, fewer network.compare tensors, or --max-memory)",
                            ""}});
  }
  sim::OutputFiles files;
  sim::NetworkOptions options{jobs_option(parsed), terminal_progress()};
  options.keep_outputs = output.has_value();
  const sim::NetworkResult r = sim::run_network(spec, model, options);
  if (json) files.add(*json, sim::network_report_json(spec, model, r));
  if (output) files.add(*output, sim::network_outputs_npz(model, r));
  if (csv) files.add(*csv, sim::network_images_csv(model, r));
  files.commit();
  std::cout << sim::network_summary(spec, r);
  return 0;
}

}  // namespace

const Command commands::network{.name = "network",
                                .synopsis = "network SPEC",
                                .summary = "an ONNX network over a dataset, analog layers on crossbars",
                                .help = network_help,
                                .handler = run_network_command};

}  // namespace xbar::app
