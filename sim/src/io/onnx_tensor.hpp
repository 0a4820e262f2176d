// The values of an ONNX TensorProto as doubles (shared by the node reader and the graph reader).
#pragma once

#include <string>

#include <onnx/onnx_pb.h>

#include "xbar/sim/io/npy.hpp"

namespace xbar::sim {

// `where` names the tensor in messages; OnnxError for dims that cannot be, data that does not match
// them, or an element type other than float, double, int32, int64, uint8, int8 or bool.
NpyArray tensor_values(const onnx::TensorProto& t, const std::string& where);

}  // namespace xbar::sim
