// libFuzzer target: the ONNX model and tensor readers on any bytes. Oracle: only OnnxError escapes, from
// reading the node, its tensors and its convolution geometry; accepted tensors match their dims; a whole
// model read and prepared as a graph (its constants folded: every op run on what the bytes say) raises
// only OnnxError or GraphError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "xbar/sim/io/onnx.hpp"
#include "xbar/sim/io/onnx_graph.hpp"
#include "xbar/sim/nn/graph.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  xbar::fuzz::bounded_memory();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const xbar::sim::OnnxNode node = xbar::sim::parse_onnx_node(bytes, "fuzz.onnx", "#0");
    if (node.op_type == "Conv") xbar::sim::conv_geometry(node, 8, 8);
  } catch (const xbar::sim::OnnxError&) {
  }
  try {
    const xbar::sim::Graph graph(xbar::sim::parse_onnx_model(bytes, "fuzz.onnx"));
    for (std::size_t k : graph.linear_nodes()) graph.linear(k);
  } catch (const xbar::sim::OnnxError&) {
  } catch (const xbar::sim::GraphError&) {
  }
  try {
    xbar::fuzz::require_matching_shape(xbar::sim::parse_tensor_proto(bytes, "fuzz.pb"));
  } catch (const xbar::sim::OnnxError&) {
  }
  return 0;
}
