#include "io/onnx_tensor.hpp"

#include <cstring>

#include "xbar/sim/io/onnx.hpp"

namespace xbar::sim {

sim::NpyArray tensor_values(const onnx::TensorProto& t, const std::string& where) {
  sim::NpyArray array;
  std::size_t count = 1;
  for (auto d : t.dims()) {
    // A corrupt or hostile file: a negative extent, or a product past what any file can hold.
    if (d < 0 || (d != 0 && count > (std::size_t{1} << 40) / static_cast<std::size_t>(d))) {
      throw OnnxError(where + ": tensor dims are negative or impossibly large");
    }
    array.shape.push_back(static_cast<std::size_t>(d));
    count *= static_cast<std::size_t>(d);
  }
  const std::string& raw = t.raw_data();
  const auto from_raw = [&](auto sample) {
    using T = decltype(sample);
    if (raw.size() != count * sizeof(T)) throw OnnxError(where + ": raw data does not match the tensor's dims");
    array.data.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
      T v;
      std::memcpy(&v, raw.data() + k * sizeof(T), sizeof(T));
      array.data[k] = static_cast<double>(v);
    }
  };
  // Values come either packed in raw_data or in the field of their type.
  const auto take = [&](auto sample, const auto& typed, const char* dtype) {
    array.dtype = dtype;
    if (!raw.empty()) {
      from_raw(sample);
    } else {
      array.data.assign(typed.begin(), typed.end());
    }
  };
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      take(float{}, t.float_data(), "float32");
      break;
    case onnx::TensorProto::DOUBLE:
      take(double{}, t.double_data(), "float64");
      break;
    case onnx::TensorProto::INT64:
      take(std::int64_t{}, t.int64_data(), "int64");
      break;
    case onnx::TensorProto::INT32:
      take(std::int32_t{}, t.int32_data(), "int32");
      break;
    case onnx::TensorProto::UINT8:  // int32_data holds the narrow integer types unpacked
      take(std::uint8_t{}, t.int32_data(), "uint8");
      break;
    case onnx::TensorProto::INT8:
      take(std::int8_t{}, t.int32_data(), "int8");
      break;
    case onnx::TensorProto::BOOL:
      take(std::uint8_t{}, t.int32_data(), "bool");
      break;
    default:
      throw OnnxError(where + ": tensor data type " + std::to_string(t.data_type()) +
                      " is not supported (float, double, int32, int64, uint8, int8 or bool expected)");
  }
  if (array.data.size() != count) throw OnnxError(where + ": the values do not match the tensor's dims");
  return array;
}

}  // namespace xbar::sim
