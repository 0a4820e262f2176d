// Whole networks: the executor against PyTorch's own outputs, the transfer-matrix path against per-vector
// solves and ngspice, errors that fall with n and grow with wires, accuracy and agreement, LeNet-5 at
// 16 resistors per bank, and every bad input refused with exit 2 and nothing written.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/npy.hpp"
#include "xbar/sim/io/onnx_graph.hpp"
#include "xbar/sim/nn/graph.hpp"
#include "xbar/sim/nn/network.hpp"

using namespace xbar;
namespace fs = std::filesystem;

namespace {

fs::path data_dir() { return test::examples_dir().parent_path() / "tests" / "data" / "onnx"; }
fs::path lenet_dir() { return test::examples_dir() / "lenet5"; }

// max |a - b| / max |b|
double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double peak = 0.0, worst = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    peak = std::max(peak, std::abs(b[k]));
    worst = std::max(worst, std::abs(a[k] - b[k]));
  }
  return worst / (peak > 0.0 ? peak : 1.0);
}

// A network spec over the residual test model (6 images of 2 x 11 x 11); `dataset` adds keys there.
std::string residual_spec(const std::string& extra = "", const std::string& dataset = "") {
  return "network: {onnx: " + (data_dir() / "residual_opset13.onnx").string() +
         "}\ndataset: {images: " + (data_dir() / "residual_opset13_x.npy").string() + dataset +
         "}\ncell: {resistors: 6, variation: 0.2}\narray: {rows: 8, cols: 8}\nsimulate: {backend: native}\n" + extra;
}

sim::NetworkResult run(const std::string& yaml, const fs::path& dir, const std::vector<std::string>& sets = {}, bool keep = false) {
  const sim::Spec spec = sim::load_spec_text(yaml, dir / "net.yaml", sets);
  sim::NetworkOptions options;
  options.jobs = 2;
  options.keep_outputs = keep;
  return sim::run_network(spec, sim::load_network(spec), options);
}

std::string spec_file(const fs::path& dir, const std::string& yaml) {
  test::write_file(dir / "net.yaml", yaml);
  return test::quote(dir / "net.yaml");
}

}  // namespace

TEST_CASE("the executor gives PyTorch's own outputs (residual Add, folded BN, pads, pools, a view, opsets 11 and 13)") {
  for (const char* name : {"residual_opset11", "residual_opset13"}) {
    CAPTURE(name);
    const sim::Graph graph(sim::read_onnx_model(data_dir() / (std::string(name) + ".onnx")));
    CHECK(graph.folded_batch_norms().size() == 1);  // BN after the stem conv, folded into its weights
    const sim::Tensor x = sim::Tensor::from(sim::read_npy(data_dir() / (std::string(name) + "_x.npy")));
    const sim::Tensor y = sim::Tensor::from(sim::read_npy(data_dir() / (std::string(name) + "_y.npy")));
    const auto values = sim::run_graph(graph, {{graph.inputs().front().name, x}}, {});
    const sim::Tensor& got = values.at(graph.outputs().front().name);
    REQUIRE(got.shape == y.shape);
    CHECK(relative_difference(got.data, y.data) < 1e-5);  // torch computes in float32
  }
}

TEST_CASE("LeNet-5's float outputs and predictions are PyTorch's (logits and conv_out of 100 test images)") {
  const sim::Graph graph(sim::read_onnx_model(lenet_dir() / "lenet5.onnx"));
  const sim::Tensor images = sim::Tensor::from(sim::read_npy(lenet_dir() / "reference" / "images.npy"));
  const auto values = sim::run_graph(graph, {{"image", images}}, {"conv_out"});
  const sim::NpyArray logits = sim::read_npy(lenet_dir() / "reference" / "logits.npy");
  const sim::NpyArray conv_out = sim::read_npy(lenet_dir() / "reference" / "conv_out.npy");
  CHECK(values.at("conv_out").shape == std::vector<std::size_t>{100, 16, 7, 7});
  CHECK(relative_difference(values.at("logits").data, logits.data) < 1e-4);
  CHECK(relative_difference(values.at("conv_out").data, conv_out.data) < 1e-4);
  for (std::size_t n = 0; n < 100; ++n) {
    const auto row = [&](const std::vector<double>& v) { return std::max_element(v.begin() + n * 10, v.begin() + n * 10 + 10) - v.begin(); };
    CHECK(row(values.at("logits").data) == row(logits.data));
  }
}

TEST_CASE("transfer matrices equal per-vector solves to 1e-9 with wires, and ngspice confirms every tile") {
  test::ScratchDir dir("network");
  const std::string yaml = residual_spec("wire: {segment: 2, driver: 1, sense: 1}\n");
  const sim::NetworkResult matrix = run(yaml, dir.path(), {"simulate.verify.vectors=2"}, true);
  const sim::NetworkResult solve = run(yaml, dir.path(), {"simulate.transfer=solve"}, true);
  CHECK(relative_difference(matrix.arrays.at("simulated").values, solve.arrays.at("simulated").values) < 1e-9);
  CHECK(relative_difference(matrix.arrays.at("ideal").values, solve.arrays.at("ideal").values) == 0.0);
  REQUIRE(matrix.verify);
  CHECK(matrix.verify->backend == sim::BackendKind::ngspice);
  CHECK(matrix.verify->tiles > 40);
  CHECK(matrix.verify->max_deviation < 1e-9);
  CHECK(matrix.tensors.front().max > 1e-4);  // the wires are visible: this is not a trivial agreement
}

TEST_CASE("amplifiers with offsets, ADCs and DACs: the tiles' transfer matrices give what per-vector solves give") {
  test::ScratchDir dir("network_readout");
  const std::string wires = "wire: {segment: 2}\n";
  const std::string yaml = residual_spec(wires + "readout: {tia: {gain: 1000, rf: 10k, offset: 2m}, adc: {bits: 10, range: 0.5}, dac: {bits: 8}}\n");
  const sim::NetworkResult matrix = run(yaml, dir.path(), {}, true);
  const sim::NetworkResult solve = run(yaml, dir.path(), {"simulate.transfer=solve"}, true);
  CHECK(relative_difference(matrix.arrays.at("simulated").values, solve.arrays.at("simulated").values) < 1e-9);
  REQUIRE(matrix.layers.size() == solve.layers.size());
  std::size_t clipped = 0;
  for (std::size_t k = 0; k < matrix.layers.size(); ++k) {
    CAPTURE(k);
    CHECK(matrix.layers[k].energy_j == doctest::Approx(solve.layers[k].energy_j).epsilon(1e-9));
    CHECK(matrix.layers[k].adc_clipped == solve.layers[k].adc_clipped);
    clipped += matrix.layers[k].adc_clipped;
  }
  CHECK(clipped > 0);  // the range is tight enough to clip some outputs, and both count them alike
  // The periphery is visible: without it the outputs differ.
  const sim::NetworkResult plain = run(residual_spec(wires), dir.path(), {}, true);
  CHECK(relative_difference(matrix.arrays.at("simulated").values, plain.arrays.at("simulated").values) > 1e-3);
}

TEST_CASE("errors fall with n, grow with wires, and do not depend on the thread count") {
  test::ScratchDir dir("network");
  const std::string yaml = residual_spec();
  std::vector<double> weight, output;
  for (const char* n : {"2", "4", "8"}) {
    const sim::NetworkResult r = run(yaml, dir.path(), {std::string("cell.resistors=") + n});
    weight.push_back(r.weight_error);
    output.push_back(r.tensors.front().max);
  }
  CHECK(weight[1] < weight[0]);
  CHECK(weight[2] < weight[1] / 4);
  CHECK(output[2] < output[0]);
  const sim::NetworkResult plain = run(yaml, dir.path(), {"cell.resistors=14"});
  const sim::NetworkResult wired = run(yaml, dir.path(), {"cell.resistors=14", "wire.segment=5"});
  for (std::size_t t = 0; t < plain.tensors.size(); ++t) CHECK(wired.tensors[t].max > 10 * plain.tensors[t].max);

  const auto one = test::xbar("network " + spec_file(dir.path(), yaml) + " --jobs 1 --csv " + test::quote(dir / "a.csv") +
                              " --output " + test::quote(dir / "a.npz"));
  const auto two = test::xbar("network " + test::quote(dir / "net.yaml") + " --jobs 2 --csv " + test::quote(dir / "b.csv") +
                              " --output " + test::quote(dir / "b.npz"));
  REQUIRE(one.status == 0);
  REQUIRE(two.status == 0);
  CHECK(test::read_file(dir / "a.csv") == test::read_file(dir / "b.csv"));
  CHECK(test::read_file(dir / "a.npz") == test::read_file(dir / "b.npz"));
}

TEST_CASE("accuracy of float, ideal and simulated and their agreement, from labels") {
  test::ScratchDir dir("network");
  // Labels: torch's own top-1 for images 0-3, something else for 4 and 5: float accuracy is 4/6.
  const sim::NpyArray y = sim::read_npy(data_dir() / "residual_opset13_y.npy");
  std::vector<double> labels;
  for (std::size_t n = 0; n < 6; ++n) {
    const auto first = y.data.begin() + static_cast<std::ptrdiff_t>(n * 5);
    const auto best = static_cast<double>(std::max_element(first, first + 5) - first);
    labels.push_back(n < 4 ? best : std::fmod(best + 1, 5));
  }
  sim::write_npy(dir / "labels.npy", {6}, labels);
  const sim::NetworkResult r = run(residual_spec("", ", labels: labels.npy"), dir.path(), {"cell.resistors=12"});
  REQUIRE(r.accuracy_float);
  CHECK(*r.accuracy_float == doctest::Approx(4.0 / 6.0));
  CHECK(*r.accuracy_ideal == doctest::Approx(4.0 / 6.0));
  CHECK(*r.accuracy_simulated == doctest::Approx(4.0 / 6.0));
  CHECK(r.agreement == 1.0);
  // Pruning half the weights changes the ideal network; float stays the model's own.
  const sim::NetworkResult pruned = run(residual_spec(), dir.path(), {"prune.method=magnitude", "prune.sparsity=0.5", "cell.resistors=12"});
  CHECK(pruned.layers.front().sparsity == doctest::Approx(0.5).epsilon(0.05));
  CHECK(pruned.tensors.front().vs_float_max > 10 * pruned.tensors.front().max);
}

TEST_CASE("LeNet-5 at 16 resistors per bank without wires: agreement >= 99.8 % and conv_out error < 1e-3") {
  test::ScratchDir dir("network");
  const auto result = test::xbar("network " + test::quote(lenet_dir() / "lenet5.yaml") +
                                 " --set dataset.limit=500 --set solver.tolerance=1e-6 --json " + test::quote(dir / "r.json"));
  REQUIRE(result.status == 0);
  const auto j = nlohmann::json::parse(test::read_file(dir / "r.json"));
  CHECK(j["agreement"].get<double>() >= 0.998);
  CHECK(j["tensors"]["conv_out"]["output_error_max"].get<double>() < 1e-3);
  CHECK(j["accuracy"]["float"].get<double>() > 0.85);
  CHECK(j["layers"].size() == 5);
  CHECK(j["layers"][2]["tiles"].get<int>() == 7);  // 784 x 120 on 128 x 128 tiles
  CHECK(j["metrics"]["weight_error"].get<double>() <= 1.1e-6);
  for (const char* stage : {"calibration", "programming", "transfer", "inference"}) CHECK(j["seconds"].contains(stage));
}

TEST_CASE("xbar network --output holds float, ideal, simulated and the compared tensors; --sweep plots") {
  test::ScratchDir dir("network");
  const std::string spec = "network: {onnx: " + (data_dir() / "residual_opset13.onnx").string() +
                           ", compare: [y]}\ndataset: {images: " + (data_dir() / "residual_opset13_x.npy").string() +
                           "}\ncell: {resistors: 6}\narray: {rows: 8, cols: 8}\nsimulate: {backend: native}\n";
  const auto r = test::xbar("network " + spec_file(dir.path(), spec) + " --output " + test::quote(dir / "o.npz") + " --json " +
                            test::quote(dir / "o.json"));
  REQUIRE(r.status == 0);
  REQUIRE(test::run_command("cd " + test::quote(dir.path()) +
                            " && python3 -c \"import zipfile; zipfile.ZipFile('o.npz').extractall('npz')\"").status == 0);
  for (const char* name : {"float", "ideal", "simulated", "compare0_float", "compare0_ideal", "compare0_simulated"}) {
    CAPTURE(name);
    CHECK(sim::read_npy(dir / "npz" / (std::string(name) + ".npy")).shape == std::vector<std::size_t>{6, 5});
  }
  const auto j = nlohmann::json::parse(test::read_file(dir / "o.json"));
  CHECK(j["tensors"].contains("y"));
  CHECK(j["layers"].size() == 5);  // stem, block, down, fc, head

  const auto sweep = test::xbar("network " + test::quote(dir / "net.yaml") + " --sweep cell.resistors=2,6 --out " + test::quote(dir / "s"));
  REQUIRE(sweep.status == 0);
  CHECK(test::read_file(dir / "s" / "sweep.csv").find("cell.resistors") != std::string::npos);
  CHECK(fs::exists(dir / "s" / "errors.gp"));
}

TEST_CASE("xbar mc on a network: each trial fabricates every tile anew; accuracy yield") {
  test::ScratchDir dir("network");
  sim::write_npy(dir / "labels.npy", {6}, std::vector<double>(6, 0.0));
  const std::string yaml = "network: {onnx: " + (data_dir() / "residual_opset13.onnx").string() +
                           ", compare: [y]}\ndataset: {images: " + (data_dir() / "residual_opset13_x.npy").string() +
                           ", labels: labels.npy}\ncell: {resistors: 3, variation: 0.3}\narray: {rows: 8, cols: 8}\n"
                           "simulate: {backend: native}\nmontecarlo: {trials: 3}\n";
  const auto r = test::xbar("mc " + spec_file(dir.path(), yaml) + " --jobs 2 --out " + test::quote(dir / "study"));
  REQUIRE(r.status == 0);
  const std::string trials = test::read_file(dir / "study" / "trials.csv");
  CHECK(trials.rfind("trial,weight_error,output_error_max,accuracy_float,accuracy_ideal,accuracy_simulated,agreement,"
                     "compare0_error_max,compare0_error_median\n", 0) == 0);
  CHECK(std::count(trials.begin(), trials.end(), '\n') == 4);
  const auto summary = nlohmann::json::parse(test::read_file(dir / "study" / "summary.json"));
  CHECK(summary.contains("accuracy_threshold"));
  CHECK(summary["compare"]["compare0"] == "y");
  // The trials differ: every tile fabricated anew.
  const auto lines = [&] {
    std::vector<std::string> v;
    std::istringstream in(trials);
    for (std::string l; std::getline(in, l);) v.push_back(l.substr(l.find(',') + 1));
    return v;
  }();
  CHECK(lines[1] != lines[2]);
  // Without labels there is no yield to speak of: refused before the folder is made.
  test::write_file(dir / "nolabels.yaml", residual_spec());
  const auto refused = test::xbar("mc " + test::quote(dir / "nolabels.yaml") + " --out " + test::quote(dir / "none"));
  CHECK(refused.status == 2);
  CHECK(refused.output.find("dataset.labels") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "none"));
}

TEST_CASE("bad networks and datasets: exit 2, the file and key named, nothing written") {
  test::ScratchDir dir("network");
  const std::string model = (data_dir() / "residual_opset13.onnx").string();
  const std::string images = (data_dir() / "residual_opset13_x.npy").string();
  const auto refuse = [&](const std::string& yaml, const std::vector<std::string>& words) {
    CAPTURE(yaml);
    const auto r = test::xbar("network " + spec_file(dir.path(), yaml) + " --json " + test::quote(dir / "r.json"));
    CAPTURE(r.output);
    CHECK(r.status == 2);
    for (const std::string& w : words) CHECK(r.output.find(w) != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "r.json"));
  };
  const fs::path erf = "/usr/share/libonnx-testdata/data/node/test_erf/model.onnx";
  if (fs::exists(erf)) {
    refuse("network: {onnx: " + erf.string() + "}\ndataset: {images: " + images + "}\n",
           {"net.yaml", "network.onnx", "Erf", "not supported", "MaxPool"});
  }
  refuse("network: {onnx: " + model + ", compare: [nope]}\ndataset: {images: " + images + "}\n",
         {"network.compare", "no tensor 'nope'", "candidates"});
  refuse("network: {onnx: " + model + ", analog: [/Relu]}\ndataset: {images: " + images + "}\n",
         {"network.analog", "is a Relu, not a Conv, Gemm or MatMul"});
  refuse("network: {onnx: " + model + "}\ndataset: {images: " + (lenet_dir() / "reference" / "images.npy").string() + "}\n",
         {"dataset.images", "do not fit the model input"});
  sim::write_npy(dir / "labels.npy", {5}, std::vector<double>(5, 1.0));
  refuse("network: {onnx: " + model + "}\ndataset: {images: " + images + ", labels: labels.npy}\n",
         {"dataset.labels", "expected 6 labels"});
  test::write_file(dir / "bad.idx", std::string("\x08\x08\x08\x03", 4) + std::string(8, '\0'));
  refuse("network: {onnx: " + model + "}\ndataset: {images: bad.idx}\n", {"dataset.images", "bad.idx"});
  test::write_file(dir / "short.idx", std::string("\0\0\x08\x03\0\0\0\x06\0\0\0\x02\0\0\0\x0b", 16) + std::string(10, '\0'));
  refuse("network: {onnx: " + model + "}\ndataset: {images: short.idx}\n", {"dataset.images", "short.idx"});
  refuse("network: {onnx: " + model + "}\ndataset: {images: " + images + "}\nlayers: {/nothing: {cell: {resistors: 4}}}\n",
         {"layers", "'/nothing' is not an analog node"});
  refuse("network: {onnx: " + model + "}\ndataset: {images: " + images + "}\nlayers: {/fc/Gemm: {seed: 4}}\n",
         {"layers./fc/Gemm.seed", "cannot be set per layer"});
  refuse("network: {onnx: " + model + "}\n", {"dataset.images", "missing"});
  refuse("network: {onnx: " + (dir / "nothing.onnx").string() + "}\ndataset: {images: " + images + "}\n",
         {"network.onnx", "nothing.onnx"});
}

TEST_CASE("per-layer settings: one layer with more resistors is more precise than the rest") {
  test::ScratchDir dir("network");
  const sim::NetworkResult r = run(residual_spec("layers: {/fc/Gemm: {cell: {resistors: 14}}}\n"), dir.path());
  const auto layer = [&](const std::string& node) {
    return *std::find_if(r.layers.begin(), r.layers.end(), [&](const sim::NetworkLayerReport& l) { return l.node == node; });
  };
  CHECK(layer("/fc/Gemm").weight_error < layer("/down/Conv").weight_error / 100);
  CHECK(layer("/fc/Gemm").resistors == layer("/fc/Gemm").cells * 2 * 14);
}

TEST_CASE("a model exported for one image runs image by image; images of another rank fit a fully known input") {
  test::ScratchDir dir("network");
  for (const char* name : {"fixed_batch", "mlp"}) {
    CAPTURE(name);
    const std::string yaml = "network: {onnx: " + (data_dir() / (std::string(name) + ".onnx")).string() +
                             "}\ndataset: {images: " + (data_dir() / (std::string(name) + "_x.npy")).string() +
                             "}\ncell: {resistors: 12}\nsimulate: {backend: native}\n";
    const sim::Spec spec = sim::load_spec_text(yaml, dir / "net.yaml");
    const sim::NetworkModel model = sim::load_network(spec);
    CHECK(model.batch == (std::string(name) == "fixed_batch" ? 1u : 32u));
    sim::NetworkOptions options;
    options.keep_outputs = true;
    const sim::NetworkResult r = sim::run_network(spec, model, options);
    const sim::NpyArray y = sim::read_npy(data_dir() / (std::string(name) + "_y.npy"));
    CHECK(r.arrays.at("float").shape == y.shape);
    CHECK(relative_difference(r.arrays.at("float").values, y.data) < 1e-5);
    CHECK(r.tensors.front().max < 1e-4);
  }
}
