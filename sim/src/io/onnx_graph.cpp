#include "xbar/sim/io/onnx_graph.hpp"

#include <set>

#include <onnx/onnx_pb.h>

#include "io/onnx_tensor.hpp"
#include "xbar/sim/io/input_file.hpp"

namespace xbar::sim {

long OnnxGraphNode::integer(const std::string& key, long fallback) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? fallback : it->second.i;
}

double OnnxGraphNode::real(const std::string& key, double fallback) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? fallback : it->second.f;
}

std::string OnnxGraphNode::text(const std::string& key, const std::string& fallback) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? fallback : it->second.s;
}

std::vector<long> OnnxGraphNode::ints(const std::string& key, std::vector<long> fallback) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? fallback : it->second.ints;
}

std::string OnnxGraphNode::label() const {
  const std::string id = !name.empty() ? name : !outputs.empty() ? outputs.front() : std::string("?");
  return op_type + " '" + id + "'";
}

namespace {

OnnxValueInfo value_info(const onnx::ValueInfoProto& v) {
  OnnxValueInfo info{v.name(), {}};
  if (v.type().has_tensor_type() && v.type().tensor_type().has_shape()) {
    for (const auto& d : v.type().tensor_type().shape().dim()) info.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
  }
  return info;
}

OnnxAttribute attribute(const onnx::AttributeProto& a, const std::string& where) {
  OnnxAttribute out;
  out.i = a.i();
  out.f = a.f();
  out.s = a.s();
  out.ints.assign(a.ints().begin(), a.ints().end());
  out.floats.assign(a.floats().begin(), a.floats().end());
  if (a.has_t()) out.tensor = tensor_values(a.t(), where + " attribute " + a.name());
  return out;
}

}  // namespace

OnnxModel read_onnx_model(const std::filesystem::path& path) {
  std::string bytes;
  try {
    bytes = read_input_file(path, "an ONNX model");
  } catch (const FileReadError& e) {
    throw OnnxError(e.what());
  }
  return parse_onnx_model(bytes, path);
}

OnnxModel parse_onnx_model(const std::string& bytes, const std::filesystem::path& path) {
  onnx::ModelProto proto;
  if (!proto.ParseFromString(bytes)) throw OnnxError(path.string() + ": not a valid ONNX model");
  OnnxModel model;
  model.path = path;
  for (const auto& o : proto.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") model.opset = o.version();
  }
  const auto& graph = proto.graph();
  for (const auto& init : graph.initializer()) {
    model.initializers[init.name()] = tensor_values(init, path.string() + ": initializer " + init.name());
  }
  for (const auto& input : graph.input()) {
    if (!model.initializers.count(input.name())) model.inputs.push_back(value_info(input));
  }
  for (const auto& output : graph.output()) model.outputs.push_back(value_info(output));
  for (const auto& n : graph.node()) {
    OnnxGraphNode node;
    node.op_type = n.op_type();
    node.name = n.name();
    node.domain = n.domain();
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const auto& a : n.attribute()) node.attributes[a.name()] = attribute(a, path.string() + ": " + node.label());
    model.nodes.push_back(std::move(node));
  }
  return model;
}

}  // namespace xbar::sim
