// A whole network on crossbars (`xbar network`): every analog Conv/Gemm/MatMul node pruned, lowered,
// cut into tiles, each tile fabricated, calibrated and programmed as its own crossbar, then the dataset
// run three ways, kept apart:
//   float      the model with its own weights, digital, double precision;
//   ideal      the pruned weights computed exactly (a perfect crossbar);
//   simulated  every analog layer through its programmed crossbars and the spec's backend, its input
//              clipped to the layer's full scale x_fs as the row drivers would.
// simulate.transfer matrix: each tile's exact transfer matrix (wires included, one factorization), the
// layers then run as matrix products; solve: one circuit solve per input vector (the slow reference).
// Images run in fixed batches (NetworkModel::batch), each independent, so results do not depend on
// the thread count.
// Usage (given const Spec& spec):
//   NetworkModel model = load_network(spec);
//   NetworkResult r = run_network(spec, model);
//   r.tensors.front().max;   // the model output's worst per-image error (metrics.hpp)
//   r.accuracy_simulated;    // with labels
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/nn/network_model.hpp"

namespace xbar::sim {

struct NetworkOptions {
  unsigned jobs = 0;           // threads; 0 = all
  StageProgress progress;      // empty: silent
  std::uint64_t trial = 0;     // Monte Carlo: each trial fabricates every tile anew
  bool keep_outputs = false;   // fill NetworkResult::arrays (for --output)
};

struct NetworkLayerReport {
  std::string node, op_type, output;  // output: the tensor it produces
  int tiles = 0;
  std::size_t cells = 0, resistors = 0, switches_closed = 0;
  double weight_error = 0.0;   // max over tiles, of the layer's max |W|
  double sparsity = 0.0;       // fraction of weights pruned
  double w_fs = 0.0, g_fs = 0.0, x_fs = 0.0, v_fs = 0.0;
  std::size_t clipped = 0;     // simulated input values beyond x_fs (clipped)
  std::size_t adc_clipped = 0; // amplifier outputs beyond readout.adc.range
  std::size_t saturated = 0;   // compensation: cells whose corrected target their banks cannot reach
  double model_residual = 0.0; // compensation: the worst tile's best max |T - W| / g_fs in the model
  double energy_j = 0.0;       // every tile's power over its products x readout.t_int, over the run's images
  double macs = 0.0;           // the tiles' multiply-accumulates over the run's images
};

// One tensor's errors over the images (metrics.hpp: image_errors).
struct TensorReport {
  std::string name;
  std::vector<double> per_image;           // simulated vs ideal
  std::vector<double> per_image_vs_float;  // simulated vs float
  double max = 0.0, p99 = 0.0, median = 0.0, vs_float_max = 0.0;
};

struct VerifyReport {
  BackendKind backend = BackendKind::ngspice;
  int vectors = 0;             // per tile
  std::size_t tiles = 0;
  double max_deviation = 0.0;  // max over vectors of max |I_check - I_fast| / max |I_check|
};

struct NetworkArray {
  std::vector<std::size_t> shape;  // images first
  std::vector<double> values;
};

struct NetworkResult {
  std::size_t images = 0;
  std::vector<NetworkLayerReport> layers;
  std::vector<TensorReport> tensors;  // the model output first, then analog outputs, then network.compare
  double weight_error = 0.0;          // max over layers
  std::vector<int> top1_float, top1_ideal, top1_simulated;
  std::optional<double> accuracy_float, accuracy_ideal, accuracy_simulated;  // with labels
  double agreement = 0.0;             // fraction of images whose simulated top-1 is the float top-1
  std::optional<VerifyReport> verify;
  std::vector<std::pair<std::string, double>> seconds;  // per stage, in order
  // keep_outputs: "float", "ideal", "simulated" (the model output) and compare<k>_{float,ideal,simulated}
  std::map<std::string, NetworkArray> arrays;
};

NetworkResult run_network(const Spec& spec, const NetworkModel& model, const NetworkOptions& options = {});

}  // namespace xbar::sim
