// libFuzzer target: the ONNX model and tensor readers on any bytes. Oracle: only OnnxError escapes, from
// reading the node, its tensors and its convolution geometry; accepted tensors match their dims.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "xbar/sim/io/onnx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  xbar::fuzz::bounded_memory();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const xbar::sim::OnnxNode node = xbar::sim::parse_onnx_node(bytes, "fuzz.onnx", "#0");
    if (node.op_type == "Conv") xbar::sim::conv_geometry(node, 8, 8);
  } catch (const xbar::sim::OnnxError&) {
  }
  try {
    xbar::fuzz::require_matching_shape(xbar::sim::parse_tensor_proto(bytes, "fuzz.pb"));
  } catch (const xbar::sim::OnnxError&) {
  }
  return 0;
}
