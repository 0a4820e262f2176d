#include "xbar/sim/nn/ops.hpp"

#include <algorithm>
#include <cmath>

#include "nn/ops_internal.hpp"

namespace xbar::sim {

const std::vector<std::string_view>& supported_ops() {
  static const std::vector<std::string_view> ops = {
      "Add",      "AveragePool", "BatchNormalization", "Cast",    "Clip",    "Concat",  "Constant",
      "ConstantOfShape", "Conv", "Div",            "Dropout",   "Flatten", "Gather",  "Gemm",
      "GlobalAveragePool", "Identity", "LeakyRelu", "MatMul", "MaxPool", "Mul",     "Pad",
      "Relu",     "Reshape",     "Shape",              "Sigmoid", "Slice",   "Softmax", "Squeeze",
      "Sub",      "Tanh",        "Transpose",          "Unsqueeze"};
  return ops;
}

bool is_supported_op(std::string_view op_type) {
  const auto& ops = supported_ops();
  return std::find(ops.begin(), ops.end(), op_type) != ops.end();
}

std::string supported_ops_text() {
  std::string text;
  for (std::string_view op : supported_ops()) text += (text.empty() ? "" : ", ") + std::string(op);
  return text;
}

namespace ops {

void fail(const OnnxGraphNode& node, const std::string& what) { throw GraphError(node.label() + ": " + what); }

const Tensor& required(const OnnxGraphNode& node, const Inputs& in, std::size_t k) {
  if (k >= in.size() || !in[k]) fail(node, "input " + std::to_string(k) + " is missing");
  return *in[k];
}

std::size_t normalise_axis(const OnnxGraphNode& node, long axis, std::size_t rank) {
  const long r = static_cast<long>(rank);
  if (axis < -r || axis >= r) fail(node, "axis " + std::to_string(axis) + " outside a rank-" + std::to_string(r) + " tensor");
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

void next_index(std::vector<std::size_t>& index, const std::vector<std::size_t>& shape) {
  for (std::size_t k = shape.size(); k-- > 0;) {
    if (++index[k] < shape[k]) return;
    index[k] = 0;
  }
}

std::vector<long> integers(const Tensor& t) {
  std::vector<long> v;
  v.reserve(t.size());
  for (double d : t.data) v.push_back(static_cast<long>(std::llround(d)));
  return v;
}

}  // namespace ops

std::vector<Tensor> run_op(const OnnxGraphNode& node, const std::vector<const Tensor*>& inputs, long opset) {
  using namespace ops;
  const std::string& op = node.op_type;
  if (!node.domain.empty() && node.domain != "ai.onnx") fail(node, "operator domain '" + node.domain + "' is not supported");
  Tensor out;
  if (op == "Conv" || op == "Gemm" || op == "MatMul") {
    out = linear(node, inputs);
  } else if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") {
    out = pool(node, inputs);
  } else if (op == "BatchNormalization") {
    out = batch_norm(node, inputs);
  } else if (op == "Softmax") {
    out = softmax(node, inputs, opset);
  } else if (op == "Pad") {
    out = pad(node, inputs, opset);
  } else if (op == "Shape" || op == "Reshape" || op == "Flatten" || op == "Transpose" || op == "Concat" ||
             op == "Gather" || op == "Unsqueeze" || op == "Squeeze" || op == "Constant" || op == "ConstantOfShape" ||
             op == "Slice" || op == "Cast") {
    out = shape_op(node, inputs, opset);
  } else if (is_supported_op(op)) {
    out = elementwise(node, inputs, opset);
  } else {
    fail(node, "operator " + op + " is not supported; xbar runs " + supported_ops_text());
  }
  std::vector<Tensor> outputs;
  outputs.push_back(std::move(out));
  if (op == "Dropout" && node.outputs.size() > 1) {  // inference: the mask keeps everything
    Tensor mask = Tensor::zeros(outputs.front().shape);
    std::fill(mask.data.begin(), mask.data.end(), 1.0);
    outputs.push_back(std::move(mask));
  }
  return outputs;
}

}  // namespace xbar::sim
