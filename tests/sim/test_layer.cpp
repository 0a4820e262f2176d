// CNN layers on tiled crossbars: ONNX models end to end, pruning structure, tiling, the .npz output.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "xbar/sim/io/npy.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/nn/layer.hpp"
#include "xbar/sim/io/onnx.hpp"

using namespace xbar;

namespace {

const std::filesystem::path converted = "/usr/share/libonnx-testdata/data/pytorch-converted";

sim::Spec layer_spec(const std::string& yaml, const std::filesystem::path& dir, const std::vector<std::string>& sets = {}) {
  return sim::load_spec_text(yaml, dir / "layer.yaml", sets);
}

}  // namespace

TEST_CASE("ONNX Conv and Gemm models (weights, bias, strides, padding, dilation, groups): ideal = ONNX's output, simulated close") {
  test::ScratchDir dir("layer");
  for (const char* name : {"test_Conv2d", "test_Conv2d_padding", "test_Conv2d_strided", "test_Conv2d_dilated",
                           "test_Conv2d_groups", "test_Conv2d_depthwise", "test_Conv2d_no_bias", "test_Linear"}) {
    CAPTURE(name);
    const auto model = converted / name;
    const sim::Spec spec = layer_spec("layer:\n  onnx: " + (model / "model.onnx").string() + "\n  input: " +
                                          (model / "test_data_set_0" / "input_0.pb").string() +
                                          "\narray: {rows: 24, cols: 6}\ncell: {resistors: 14}\n",
                                      dir.path());
    const sim::LayerResult r = sim::run_layer(spec, sim::BackendKind::native, {1, {}});
    const sim::NpyArray expected = sim::read_tensor_proto(model / "test_data_set_0" / "output_0.pb");
    REQUIRE(expected.data.size() == r.ideal.data.size());
    double peak = 0;
    for (std::size_t k = 0; k < expected.data.size(); ++k) {
      CHECK(std::abs(r.ideal.data[k] - expected.data[k]) <= 1e-5);
      peak = std::max(peak, std::abs(expected.data[k]));
    }
    CHECK(r.output_error_max < 1e-5);
    CHECK(r.weight_error < 1e-4);
  }
}

TEST_CASE("filter pruning removes whole output channels and their columns; tiles cover the rest") {
  test::ScratchDir dir("layer");
  sim::write_npy(dir / "w.npy", {8, 3, 3, 3}, [] {
    std::vector<double> w(8 * 27);
    for (std::size_t k = 0; k < w.size(); ++k) w[k] = std::sin(0.37 * static_cast<double>(k) + 1.0);
    return w;
  }());
  const std::string base =
      "layer: {file: w.npy, layout: OIHW, padding: 1, input_random: [2, 3, 5, 5]}\narray: {rows: 10, cols: 3}\n"
      "cell: {resistors: 10}\n";
  const sim::LayerResult full = sim::run_layer(layer_spec(base, dir.path()), sim::BackendKind::ideal, {1, {}});
  CHECK(full.tiles.size() == 3 * 3);  // 27 rows in tiles of 10, 8 columns in tiles of 3
  CHECK(full.cells_used == full.cells_dense);
  const sim::LayerResult pruned = sim::run_layer(
      layer_spec(base + "prune: {method: filter, sparsity: 0.5}\n", dir.path()), sim::BackendKind::ideal, {1, {}});
  CHECK(pruned.sparsity == 0.5);
  CHECK(pruned.cells_used == pruned.cells_dense / 2);
  CHECK(pruned.resistors_saved == pruned.cells_dense / 2 * 2 * 10);
  const sim::LayerResult sparse = sim::run_layer(
      layer_spec(base + "prune: {method: magnitude, sparsity: 0.25}\n", dir.path()), sim::BackendKind::ideal, {1, {}});
  CHECK(sparse.cells_idle == 54);  // a quarter of the 216 weights, in cells that stay, switches open
  int silent = 0;
  for (int c = 0; c < 8; ++c) {
    bool zero = true;
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 5; ++x) zero = zero && pruned.simulated.at(1, c, y, x) == 0.0 && pruned.ideal.at(1, c, y, x) == 0.0;
    silent += zero;
  }
  CHECK(silent == 4);
  CHECK(pruned.output_error_max < 1e-3);
}

TEST_CASE("xbar layer writes an .npz numpy reads and a report; bad layers are refused") {
  test::ScratchDir dir("layer");
  const auto model = converted / "test_Conv2d_strided";
  test::write_file(dir / "l.yaml", "layer:\n  onnx: " + (model / "model.onnx").string() + "\n  input: " +
                                       (model / "test_data_set_0" / "input_0.pb").string() + "\nsimulate: {backend: native}\n");
  const auto run = test::xbar("layer " + test::quote(dir / "l.yaml") + " --output " + test::quote(dir / "o.npz") +
                              " --json " + test::quote(dir / "r.json"));
  INFO(run.output);
  REQUIRE(run.status == 0);
  // The archive is a plain zip of .npy files: unpack it with Python's zipfile and read them back.
  const auto unpack = test::run_command("cd " + test::quote(dir.path()) +
                                        " && python3 -c \"import zipfile; zipfile.ZipFile('o.npz').extractall('npz')\"");
  REQUIRE(unpack.status == 0);
  const auto ideal = sim::read_npy(dir / "npz" / "ideal.npy"), simulated = sim::read_npy(dir / "npz" / "simulated.npy");
  const auto expected = sim::read_tensor_proto(model / "test_data_set_0" / "output_0.pb");
  CHECK(ideal.shape == expected.shape);
  CHECK(simulated.shape == expected.shape);
  const auto report = nlohmann::json::parse(test::read_file(dir / "r.json"));
  CHECK(report["metrics"]["output_error_max"].get<double>() < 1e-3);
  test::write_file(dir / "bad.yaml", "layer:\n  onnx: " + (model / "model.onnx").string() +
                                         "\n  node: nosuch\n  input_random: [1, 2, 3]\n");
  const auto bad = test::xbar("layer " + test::quote(dir / "bad.yaml") + " --output " + test::quote(dir / "x.npz"));
  CHECK(bad.status == 2);
  CHECK(bad.output.find("layer.node") != std::string::npos);
  CHECK(bad.output.find("the model has: #0 Conv") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "x.npz"));
}

TEST_CASE("xbar layer --sweep: the errors fall with n, in a CSV and a plot") {
  test::ScratchDir dir("layer-sweep");
  const auto model = converted / "test_Conv2d";
  test::write_file(dir / "l.yaml", "layer:\n  onnx: " + (model / "model.onnx").string() +
                                       "\n  input_random: [1, 3, 6, 6]\nsimulate: {backend: native}\n");
  const auto run = test::xbar("layer " + test::quote(dir / "l.yaml") + " --sweep cell.resistors=4,8,12 --out " +
                              test::quote(dir / "sweep"));
  INFO(run.output);
  REQUIRE(run.status == 0);
  std::istringstream lines(test::read_file(dir / "sweep" / "layer_sweep.csv"));
  std::string line;
  std::getline(lines, line);
  CHECK(line == "cell.resistors,weight_error,output_error_max,output_error_rms");
  double previous = 1e9;
  int rows = 0;
  while (std::getline(lines, line)) {
    const double output = std::stod(line.substr(line.find(',', line.find(',') + 1) + 1));
    CHECK(output < previous);
    previous = output;
    ++rows;
  }
  CHECK(rows == 3);
  CHECK(std::filesystem::exists(dir / "sweep" / "layer_sweep.dat"));
}

TEST_CASE("global magnitude pruning ranks this layer with the others") {
  test::ScratchDir dir("layer-global");
  sim::write_npy(dir / "small.npy", {4, 2, 1, 1}, std::vector<double>{0.1, -0.2, 0.15, 0.05, -0.12, 0.3, 0.25, -0.08});
  sim::write_npy(dir / "large.npy", {8}, std::vector<double>{1, -2, 1.5, 0.5, -1.2, 3, 2.5, -0.8});
  const std::string base = "layer: {file: small.npy, layout: OIHW, input_random: [1, 2, 1, 1]}\n";
  const auto local = sim::run_layer(layer_spec(base + "prune: {method: magnitude, sparsity: 0.5}\n", dir.path()),
                                    sim::BackendKind::ideal, {1, {}});
  CHECK(local.sparsity == 0.5);
  const auto global = sim::run_layer(
      layer_spec(base + "prune: {method: magnitude, sparsity: 0.5, scope: global, with: [large.npy]}\n", dir.path()),
      sim::BackendKind::ideal, {1, {}});
  CHECK(global.sparsity == 1.0);  // the 8 smallest of 16 are all this layer's
  CHECK_THROWS_AS(layer_spec(base + "prune: {method: filter, scope: global, with: [large.npy]}\n", dir.path()),
                  sim::InputError);
}

TEST_CASE("mis-shaped layer weights and inputs are refused at their keys") {
  test::ScratchDir dir("layer-bad");
  sim::write_npy(dir / "w3.npy", {2, 3, 4}, std::vector<double>(24, 0.5));
  sim::write_npy(dir / "w.npy", {2, 3, 1, 1}, std::vector<double>(6, 0.5));
  const auto diagnostics = [&](const std::string& yaml) {
    try {
      layer_spec(yaml, dir.path());
    } catch (const sim::InputError& e) {
      return e.diagnostics();
    }
    return std::vector<sim::Diagnostic>{};
  };
  const auto shape = diagnostics("layer: {file: w3.npy, layout: OIHW, input_random: [1, 3, 2, 2]}\n");
  REQUIRE(shape.size() == 1);
  CHECK(shape[0].key == "layer.file");
  CHECK(shape[0].message.find("expected a 4-D weight array for layout OIHW, got 3-D") != std::string::npos);
  const auto channels = diagnostics("layer: {file: w.npy, layout: OIHW, input_random: [1, 4, 2, 2]}\n");
  REQUIRE(channels.size() == 1);
  CHECK(channels[0].key == "layer.input_random");
  CHECK(channels[0].message.find("the input has 4 channels, the layer takes 3") != std::string::npos);
}
