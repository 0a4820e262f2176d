// The report of `xbar layer`: the JSON document and the human summary.
// Usage (given const Spec& spec, const LayerResult& result):
//   std::string json = layer_report_json(spec, result);     // spec, layer, backend, weights, pruning, tiles, metrics
//   std::cout << layer_summary(spec, result);
//   layer_output_shape(result.ideal, spec.layer.dense);     // NCHW, or (N, outputs) for a dense layer
#pragma once

#include <string>
#include <vector>

#include "xbar/sim/nn/layer.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

std::vector<std::size_t> layer_output_shape(const models::Tensor4& t, bool dense);
std::string layer_report_json(const Spec& spec, const LayerResult& result);
std::string layer_summary(const Spec& spec, const LayerResult& result);

}  // namespace xbar::sim
