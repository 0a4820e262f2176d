// A whole ONNX model as plain data: its nodes in file order with their attributes, its initializers
// (constant tensors), and the graph's inputs and outputs. The executor (nn/graph.hpp) gives it meaning.
// Usage:
//   OnnxModel m = read_onnx_model("examples/lenet5/lenet5.onnx");
//   m.inputs.front().name == "image";  m.nodes.front().op_type == "Conv";
//   long stride = m.nodes.front().ints("strides", {1, 1}).front();
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xbar/sim/io/npy.hpp"
#include "xbar/sim/io/onnx.hpp"

namespace xbar::sim {

struct OnnxAttribute {
  long i = 0;
  double f = 0.0;
  std::string s;
  std::vector<long> ints;
  std::vector<double> floats;
  std::optional<NpyArray> tensor;
};

struct OnnxGraphNode {
  std::string op_type, name, domain;
  std::vector<std::string> inputs, outputs;  // an empty name is an omitted optional input
  std::map<std::string, OnnxAttribute> attributes;

  bool has(const std::string& key) const { return attributes.count(key) > 0; }
  long integer(const std::string& key, long fallback) const;
  double real(const std::string& key, double fallback) const;
  std::string text(const std::string& key, const std::string& fallback) const;
  std::vector<long> ints(const std::string& key, std::vector<long> fallback = {}) const;
  // The node as the error messages name it: "Conv '/c1/Conv'" (or its first output when unnamed).
  std::string label() const;
};

struct OnnxValueInfo {
  std::string name;
  std::vector<long> shape;  // -1 for a symbolic or unknown extent
};

struct OnnxModel {
  std::filesystem::path path;
  long opset = 0;                              // of the default domain
  std::vector<OnnxGraphNode> nodes;            // in file order (ONNX requires topological order)
  std::map<std::string, NpyArray> initializers;
  std::vector<OnnxValueInfo> inputs;           // graph inputs that are not initializers
  std::vector<OnnxValueInfo> outputs;
};

// OnnxError naming the file for anything unreadable.
OnnxModel read_onnx_model(const std::filesystem::path& path);
OnnxModel parse_onnx_model(const std::string& bytes, const std::filesystem::path& path);

}  // namespace xbar::sim
