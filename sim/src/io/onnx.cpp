#include "xbar/sim/io/onnx.hpp"

#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/input_file.hpp"

#include <cstring>
#include <fstream>

#include <onnx/onnx_pb.h>

#include "io/onnx_tensor.hpp"

namespace xbar::sim {

namespace {

std::string file_bytes(const std::filesystem::path& path, const char* what) {
  try {
    return read_input_file(path, std::string("an ONNX ") + what);
  } catch (const FileReadError& e) {
    throw OnnxError(e.what());
  }
}

template <typename Proto>
Proto parse(const std::string& bytes, const std::filesystem::path& path, const char* what) {
  Proto proto;
  if (!proto.ParseFromString(bytes)) throw OnnxError(path.string() + ": not a valid ONNX " + what);
  return proto;
}

}  // namespace

sim::NpyArray read_tensor_proto(const std::filesystem::path& path) {
  return parse_tensor_proto(file_bytes(path, "TensorProto"), path);
}

sim::NpyArray parse_tensor_proto(const std::string& bytes, const std::filesystem::path& path) {
  return tensor_values(parse<onnx::TensorProto>(bytes, path, "TensorProto"), path.string());
}

OnnxNode read_onnx_node(const std::filesystem::path& model_path, const std::string& selector) {
  return parse_onnx_node(file_bytes(model_path, "model"), model_path, selector);
}

OnnxNode parse_onnx_node(const std::string& bytes, const std::filesystem::path& model_path,
                         const std::string& selector) {
  const auto model = parse<onnx::ModelProto>(bytes, model_path, "model");
  std::vector<const onnx::NodeProto*> candidates;
  for (const auto& node : model.graph().node()) {
    if (node.op_type() == "Conv" || node.op_type() == "Gemm" || node.op_type() == "MatMul") candidates.push_back(&node);
  }
  const onnx::NodeProto* chosen = nullptr;
  if (!selector.empty() && selector[0] == '#') {
    const auto k = netlist::parse_integer(selector.substr(1));
    if (k && *k >= 0 && static_cast<std::size_t>(*k) < candidates.size()) chosen = candidates[static_cast<std::size_t>(*k)];
  } else {
    for (const auto* node : candidates) {
      if (node->name() == selector) chosen = node;
    }
  }
  if (!chosen) {
    std::string names;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      names += (k ? ", " : "") + ("#" + std::to_string(k)) + " " + candidates[k]->op_type() +
               (candidates[k]->name().empty() ? "" : " '" + candidates[k]->name() + "'");
    }
    throw OnnxError(model_path.string() + ": no Conv, Gemm or MatMul node '" + selector + "'; the model has: " +
                    (names.empty() ? "none" : names));
  }
  OnnxNode node;
  node.op_type = chosen->op_type();
  node.name = chosen->name();
  node.inputs.assign(chosen->input().begin(), chosen->input().end());
  for (const auto& a : chosen->attribute()) {
    const std::vector<long> ints(a.ints().begin(), a.ints().end());
    if (a.name() == "kernel_shape") node.kernel_shape = ints;
    if (a.name() == "strides") node.strides = ints;
    if (a.name() == "pads") node.pads = ints;
    if (a.name() == "dilations") node.dilations = ints;
    if (a.name() == "group") node.group = a.i();
    if (a.name() == "auto_pad") node.auto_pad = a.s();
    if (a.name() == "transB") node.trans_b = a.i();
  }
  for (const auto& init : model.graph().initializer()) {
    if (node.inputs.size() >= 2 && init.name() == node.inputs[1]) {
      node.weights = tensor_values(init, model_path.string() + ": " + init.name());
    }
    if (node.inputs.size() >= 3 && init.name() == node.inputs[2]) {
      node.bias = tensor_values(init, model_path.string() + ": " + init.name());
    }
  }
  return node;
}

models::ConvGeometry conv_geometry(const OnnxNode& node, int height, int width) {
  if (node.op_type != "Conv") throw OnnxError("node '" + node.name + "' is a " + node.op_type + ", not a Conv");
  const auto pick = [](const std::vector<long>& v, std::size_t k, long fallback) {
    return static_cast<int>(k < v.size() ? v[k] : fallback);
  };
  models::ConvGeometry g;
  g.stride_h = pick(node.strides, 0, 1);
  g.stride_w = pick(node.strides, 1, 1);
  g.dilation_h = pick(node.dilations, 0, 1);
  g.dilation_w = pick(node.dilations, 1, 1);
  g.groups = static_cast<int>(node.group);
  if (node.auto_pad == "NOTSET") {  // ONNX pads: [top, left, bottom, right]
    g.pad_top = pick(node.pads, 0, 0);
    g.pad_left = pick(node.pads, 1, 0);
    g.pad_bottom = pick(node.pads, 2, 0);
    g.pad_right = pick(node.pads, 3, 0);
  } else if (node.auto_pad == "SAME_UPPER" || node.auto_pad == "SAME_LOWER") {
    // Output size ceil(input / stride); the odd pixel of padding goes to the end (UPPER) or start (LOWER).
    const auto total = [](int size, int stride, int kernel, int dilation) {
      const int out = (size + stride - 1) / stride;
      return std::max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size);
    };
    if (node.kernel_shape.size() < 2) throw OnnxError("node '" + node.name + "': auto_pad needs kernel_shape");
    const int th = total(height, g.stride_h, pick(node.kernel_shape, 0, 1), g.dilation_h);
    const int tw = total(width, g.stride_w, pick(node.kernel_shape, 1, 1), g.dilation_w);
    const bool upper = node.auto_pad == "SAME_UPPER";
    g.pad_top = upper ? th / 2 : th - th / 2;
    g.pad_bottom = th - g.pad_top;
    g.pad_left = upper ? tw / 2 : tw - tw / 2;
    g.pad_right = tw - g.pad_left;
  } else if (node.auto_pad != "VALID") {
    throw OnnxError("node '" + node.name + "': auto_pad '" + node.auto_pad + "' is not supported");
  }
  return g;
}

}  // namespace xbar::sim
