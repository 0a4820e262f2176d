// What `xbar network` runs, read and checked before anything is computed or written: the ONNX graph,
// which of its Conv/Gemm/MatMul nodes go on crossbars, the tensors to compare, and the dataset scaled
// to the model's input. Every problem is an InputError (exit 2) at the spec key that names the file.
// Usage (given const Spec& spec):
//   NetworkModel model = load_network(spec);
//   model.images.shape;        // {N, C, H, W} as the model takes it; model.labels.size() == N or 0
//   model.graph->linear(model.analog.front());
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "xbar/sim/nn/graph.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

struct NetworkModel {
  std::shared_ptr<const Graph> graph;
  std::string input, output;         // the model's data input and (first) output
  std::vector<std::size_t> analog;   // node indices put on crossbars, in graph order
  std::vector<std::string> compare;  // network.compare, checked
  Tensor images;                     // scaled: value * scale + offset
  double scale = 1.0;                // as applied
  std::vector<int> labels;           // empty: none given
  // Images per batch: 32, or 1 for a model exported with a fixed batch of one. Fixed by the model,
  // so every product, and so every result, is the same whatever the thread count.
  std::size_t batch = 32;
  // Values per image of the model output and of each compared tensor (from a dry run of one image).
  std::size_t output_values = 0;
  std::vector<std::size_t> compare_values;
  // What --output keeps: float, ideal and simulated of the output and the compared tensors.
  double kept_output_bytes() const;
};

NetworkModel load_network(const Spec& spec);

}  // namespace xbar::sim
