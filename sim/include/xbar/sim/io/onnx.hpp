// ONNX input: TensorProto files (.pb) and the Conv / Gemm / MatMul nodes of a model, with their
// attributes (strides, pads, dilations, group, auto_pad) and, where the model stores them as
// initializers, their weights. Built on Debian's libonnx (its protobuf classes).
// Usage (given int height, int width):
//   sim::NpyArray x = read_tensor_proto("input_0.pb");          // shape + values, C order
//   OnnxNode node = read_onnx_node("model.onnx", "conv1");          // by name, or "#0" for the first
//   models::ConvGeometry g = conv_geometry(node, height, width);    // auto_pad resolved for this input
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "xbar/models/conv.hpp"
#include "xbar/sim/io/npy.hpp"

namespace xbar::sim {

class OnnxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

sim::NpyArray read_tensor_proto(const std::filesystem::path& path);
// The same from the file's bytes in memory; `path` names it in messages.
sim::NpyArray parse_tensor_proto(const std::string& bytes, const std::filesystem::path& path);

struct OnnxNode {
  std::string op_type;  // Conv, Gemm or MatMul
  std::string name;
  std::vector<std::string> inputs;
  std::vector<long> kernel_shape, strides, pads, dilations;
  long group = 1;
  std::string auto_pad = "NOTSET";
  long trans_b = 0;                        // Gemm
  std::optional<sim::NpyArray> weights;  // the second input, when it is an initializer
  std::optional<sim::NpyArray> bias;     // the third (Conv B, Gemm C), when it is an initializer
};

// `selector`: a node name, or "#k" for the k-th Conv/Gemm/MatMul node (0-based). OnnxError lists the
// candidates when nothing matches.
OnnxNode read_onnx_node(const std::filesystem::path& model, const std::string& selector);
OnnxNode parse_onnx_node(const std::string& bytes, const std::filesystem::path& model, const std::string& selector);

// The geometry of a Conv node for an input of height x width (auto_pad needs the input size).
models::ConvGeometry conv_geometry(const OnnxNode& node, int height, int width);

}  // namespace xbar::sim
