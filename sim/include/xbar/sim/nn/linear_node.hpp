// A Conv, Gemm or MatMul node as a matrix product: its weights lowered to one matrix per group
// (inputs x outputs, the crossbar's W), its bias, and a forward pass whose product the caller gives —
// the weights themselves (float), the pruned weights (ideal) or the crossbars (simulated). The
// digital kernels (nn/ops.hpp) use the same forward with a plain product, so all three agree on
// everything but the product.
// Usage (given const OnnxGraphNode& node, const Tensor& weights, const Tensor* bias, const Tensor& x):
//   LinearNode layer = make_linear_node(node, weights, bias);
//   Tensor y = linear_forward(layer, x, [&](int g, const Eigen::MatrixXd& rows) { return rows * layer.matrix(g); });
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/conv.hpp"
#include "xbar/sim/io/onnx.hpp"
#include "xbar/sim/io/onnx_graph.hpp"
#include "xbar/sim/nn/tensor.hpp"

namespace xbar::sim {

struct LinearNode {
  std::string name, op_type;
  bool conv = false;
  bool one_d = false;          // Conv over NCW: run as NCHW with H = 1
  models::ConvLayer layer;     // Conv: OIHW weights; geometry set per input size
  OnnxNode attributes;         // Conv: strides, pads, dilations, group, auto_pad (2-D form)
  Eigen::MatrixXd dense;       // Gemm, MatMul: inputs x outputs (alpha and transB applied)
  bool trans_a = false;        // Gemm
  Tensor bias;                 // added after the product (Conv: per channel; Gemm: beta C); empty: none

  int groups() const { return conv ? layer.geometry.groups : 1; }
  Eigen::MatrixXd matrix(int group) const;  // inputs x outputs of one group
  // Replaces the weights by those of `matrices` (one per group, shapes as matrix(g)).
  void set_matrices(const std::vector<Eigen::MatrixXd>& matrices);
};

// GraphError naming the node when the weights' shape does not suit the op.
LinearNode make_linear_node(const OnnxGraphNode& node, const Tensor& weights, const Tensor* bias);

// rows: one input vector per row (im2col rows for a Conv); returns one output vector per row.
using GroupProduct = std::function<Eigen::MatrixXd(int group, const Eigen::MatrixXd& rows)>;
Tensor linear_forward(const LinearNode& layer, const Tensor& x, const GroupProduct& product);

}  // namespace xbar::sim
