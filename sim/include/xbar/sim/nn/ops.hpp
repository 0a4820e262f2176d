// The ONNX operators xbar executes digitally (double precision), one node at a time, with the semantics
// of the ONNX operator specification at opsets 11-17 (older attribute forms where they still appear).
// Conv, Gemm and MatMul run here too when they stay digital; analog ones run through their crossbars
// (nn/linear_node.hpp). Anything else is a GraphError naming the node, its op type and this list.
// Usage (given const OnnxGraphNode& node, const Tensor& x):
//   std::vector<Tensor> out = run_op(node, {&x}, 13);   // nullptr stands for an omitted optional input
//   is_supported_op("Relu") == true;
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "xbar/sim/io/onnx_graph.hpp"
#include "xbar/sim/nn/tensor.hpp"

namespace xbar::sim {

const std::vector<std::string_view>& supported_ops();
bool is_supported_op(std::string_view op_type);
std::string supported_ops_text();  // "Add, AveragePool, ..."

std::vector<Tensor> run_op(const OnnxGraphNode& node, const std::vector<const Tensor*>& inputs, long opset);

}  // namespace xbar::sim
