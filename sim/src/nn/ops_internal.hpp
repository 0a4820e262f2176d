// The operator kernels behind run_op (nn/ops.hpp), by family; each takes the node and its inputs
// (nullptr for an omitted optional input) and returns the node's first output.
#pragma once

#include <string>
#include <vector>

#include "xbar/sim/nn/ops.hpp"

namespace xbar::sim::ops {

using Inputs = std::vector<const Tensor*>;

// GraphError "<op 'name'>: what".
[[noreturn]] void fail(const OnnxGraphNode& node, const std::string& what);
const Tensor& required(const OnnxGraphNode& node, const Inputs& in, std::size_t k);
// An axis attribute or value, negative from the end, checked against the rank.
std::size_t normalise_axis(const OnnxGraphNode& node, long axis, std::size_t rank);
// The next multi-index of `shape` in C order (the last axis fastest), wrapping to all zeros.
void next_index(std::vector<std::size_t>& index, const std::vector<std::size_t>& shape);
// The integer values of a shape-like tensor (Reshape's shape, Unsqueeze's axes, ...).
std::vector<long> integers(const Tensor& t);

// a + b with NumPy broadcasting.
Tensor add_broadcast(const OnnxGraphNode& node, const Tensor& a, const Tensor& b);

Tensor elementwise(const OnnxGraphNode& node, const Inputs& in, long opset);  // unary and binary maps
Tensor softmax(const OnnxGraphNode& node, const Inputs& in, long opset);
Tensor batch_norm(const OnnxGraphNode& node, const Inputs& in);
Tensor pool(const OnnxGraphNode& node, const Inputs& in);            // MaxPool, AveragePool, GlobalAveragePool
Tensor pad(const OnnxGraphNode& node, const Inputs& in, long opset);
Tensor shape_op(const OnnxGraphNode& node, const Inputs& in, long opset);  // Shape, Reshape, Flatten, ...
Tensor linear(const OnnxGraphNode& node, const Inputs& in);          // Conv, Gemm, MatMul

}  // namespace xbar::sim::ops
