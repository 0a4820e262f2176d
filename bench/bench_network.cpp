// Whole-network throughput: LeNet-5 (examples/lenet5) on the 10,000 Fashion-MNIST test images, every
// conv and dense layer analog, 16 resistors per bank, 128 x 128 tiles, 1-ohm wire segments, native
// backend. Side by side in one run:
//   - the transfer-matrix path on every image: end to end (model and dataset read, calibration,
//     fabrication and programming, transfer matrices, inference) and the inference alone;
//   - the per-vector `solve` path (one sparse solve per input vector) on the first 100 images;
//   - the ngspice backend (`solve`: one ngspice operating point per input vector) on the first image,
//     with the convolutional portion analog (its 3 tiles; the dense layers' seven 128 x 120 tiles with
//     wires take ngspice over two minutes per operating point each, so a whole image ran past an hour),
//     next to the transfer-matrix path on the same configuration.
// The rates are of the inference stage (float, ideal and simulated networks and the metrics).
//
//   build/bench/bench_network [images]    (default: all 10,000; needs dataset-fashion-mnist)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "xbar/sim/backends/native/huge_pages.hpp"
#include "xbar/sim/nn/network.hpp"

using namespace xbar;

namespace {

struct Timed {
  sim::NetworkResult result;
  double total = 0.0;  // seconds, spec and dataset read included
};

Timed run(const std::filesystem::path& spec_path, std::vector<std::string> sets) {
  const auto start = std::chrono::steady_clock::now();
  const sim::Spec spec = sim::load_spec(spec_path, sets);
  const sim::NetworkModel model = sim::load_network(spec);
  Timed t{sim::run_network(spec, model, {0, {}, 0, false}), 0.0};
  t.total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

double stage(const sim::NetworkResult& r, const std::string& name) {
  for (const auto& [stage, seconds] : r.seconds)
    if (stage == name) return seconds;
  return 0.0;
}

void report(const char* label, const Timed& t) {
  const double inference = stage(t.result, "inference");
  std::printf("%-34s %6zu images  end to end %7.2f s  (calibration %.2f, programming %.2f, transfer %.2f, inference %.2f s)"
              "  %8.1f images/s\n",
              label, t.result.images, t.total, stage(t.result, "calibration"), stage(t.result, "programming"),
              stage(t.result, "transfer"), inference, t.result.images / inference);
}

}  // namespace

int main(int argc, char** argv) {
  xbar::sim::restart_with_huge_pages(argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each row as it is measured, also into a file
  const std::string images = argc > 1 ? argv[1] : "all";
  const auto spec_path = std::filesystem::path(XBAR_SOURCE_DIR) / "examples" / "lenet5" / "lenet5.yaml";
  const std::vector<std::string> common = {"cell.resistors=16", "wire.segment=1", "solver.tolerance=1e-6",
                                           "array.rows=128", "array.cols=128", "simulate.backend=native"};
  std::printf("%s: LeNet-5, every conv and dense layer analog, 16 resistors per bank (solver.tolerance 1e-6),\n"
              "128 x 128 tiles, 1-ohm wire segments\n",
              spec_path.c_str());
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = common;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  const Timed matrix = run(spec_path, with({"dataset.limit=" + images}));
  report("native, transfer matrix", matrix);
  const auto& m = matrix.result;
  std::printf("  accuracy float %.4f  simulated %.4f  agreement %.4f  conv_out error max %.3e\n", *m.accuracy_float,
              *m.accuracy_simulated, m.agreement, m.tensors.back().max);
  const Timed matrix100 = run(spec_path, with({"dataset.limit=100"}));
  report("native, transfer matrix", matrix100);
  const Timed solve = run(spec_path, with({"dataset.limit=100", "simulate.transfer=solve"}));
  report("native, solve per vector", solve);
  std::printf("  matrix / solve inference rate: %.0fx\n",
              (matrix.result.images / stage(matrix.result, "inference")) / (solve.result.images / stage(solve.result, "inference")));
  const std::string conv_only = "network.analog=[/c1/Conv, /c2/Conv]";
  const Timed conv = run(spec_path, with({"dataset.limit=" + images, conv_only}));
  report("native, matrix, conv layers analog", conv);
  const Timed spice = run(spec_path, with({"dataset.limit=1", conv_only, "simulate.transfer=solve", "simulate.backend=ngspice"}));
  report("ngspice, solve, conv layers analog", spice);
  std::printf("  matrix / ngspice inference rate (conv layers analog): %.0fx\n",
              (conv.result.images / stage(conv.result, "inference")) / (spice.result.images / stage(spice.result, "inference")));
  return 0;
}
