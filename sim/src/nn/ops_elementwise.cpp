// Unary and broadcasting binary maps, Softmax and inference-time BatchNormalization.
#include <algorithm>
#include <cmath>
#include <limits>

#include "nn/ops_internal.hpp"

namespace xbar::sim::ops {

namespace {

// NumPy broadcasting of a and b; `f` applied to each pair.
template <typename F>
Tensor broadcast(const OnnxGraphNode& node, const Tensor& a, const Tensor& b, F f) {
  const std::size_t rank = std::max(a.rank(), b.rank());
  std::vector<std::size_t> shape(rank), sa(rank, 0), sb(rank, 0);
  const auto a_strides = a.strides(), b_strides = b.strides();
  for (std::size_t k = 0; k < rank; ++k) {
    const long ia = static_cast<long>(k) - static_cast<long>(rank - a.rank());
    const long ib = static_cast<long>(k) - static_cast<long>(rank - b.rank());
    const std::size_t da = ia >= 0 ? a.shape[static_cast<std::size_t>(ia)] : 1;
    const std::size_t db = ib >= 0 ? b.shape[static_cast<std::size_t>(ib)] : 1;
    if (da != db && da != 1 && db != 1) {
      fail(node, "shapes " + a.shape_text() + " and " + b.shape_text() + " do not broadcast");
    }
    shape[k] = std::max(da, db);
    if (da == 0 || db == 0) shape[k] = 0;
    if (ia >= 0 && da != 1) sa[k] = a_strides[static_cast<std::size_t>(ia)];
    if (ib >= 0 && db != 1) sb[k] = b_strides[static_cast<std::size_t>(ib)];
  }
  Tensor out = Tensor::zeros(shape);
  std::vector<std::size_t> index(rank, 0);
  std::size_t pa = 0, pb = 0;
  for (std::size_t n = 0; n < out.size(); ++n) {
    out.data[n] = f(a.data[pa], b.data[pb]);
    for (std::size_t k = rank; k-- > 0;) {  // odometer step, offsets follow
      if (++index[k] < shape[k]) {
        pa += sa[k];
        pb += sb[k];
        break;
      }
      pa -= sa[k] * (shape[k] - 1);
      pb -= sb[k] * (shape[k] - 1);
      index[k] = 0;
    }
  }
  return out;
}

template <typename F>
Tensor map(const Tensor& x, F f) {
  Tensor out = x;
  for (double& v : out.data) v = f(v);
  return out;
}

double scalar_input(const Inputs& in, std::size_t k, double fallback) {
  return k < in.size() && in[k] && in[k]->size() == 1 ? in[k]->data.front() : fallback;
}

}  // namespace

Tensor add_broadcast(const OnnxGraphNode& node, const Tensor& a, const Tensor& b) {
  return broadcast(node, a, b, [](double u, double v) { return u + v; });
}

Tensor elementwise(const OnnxGraphNode& node, const Inputs& in, long opset) {
  const std::string& op = node.op_type;
  const Tensor& x = required(node, in, 0);
  if (op == "Add") return broadcast(node, x, required(node, in, 1), [](double a, double b) { return a + b; });
  if (op == "Sub") return broadcast(node, x, required(node, in, 1), [](double a, double b) { return a - b; });
  if (op == "Mul") return broadcast(node, x, required(node, in, 1), [](double a, double b) { return a * b; });
  if (op == "Div") return broadcast(node, x, required(node, in, 1), [](double a, double b) { return a / b; });
  if (op == "Relu") return map(x, [](double v) { return v > 0.0 ? v : 0.0; });
  if (op == "LeakyRelu") {
    const double alpha = node.real("alpha", 0.01);
    return map(x, [alpha](double v) { return v >= 0.0 ? v : alpha * v; });
  }
  if (op == "Sigmoid") return map(x, [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
  if (op == "Tanh") return map(x, [](double v) { return std::tanh(v); });
  if (op == "Identity" || op == "Dropout") return x;  // Dropout: inference
  if (op == "Clip") {
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double low = opset < 11 ? node.real("min", -inf) : scalar_input(in, 1, -inf);
    const double high = opset < 11 ? node.real("max", inf) : scalar_input(in, 2, inf);
    return map(x, [low, high](double v) { return std::min(std::max(v, low), high); });
  }
  fail(node, "no kernel for " + op);
}

// Opset 13: along one axis (default -1). Before: the tensor seen as 2-D, split at `axis` (default 1).
Tensor softmax(const OnnxGraphNode& node, const Inputs& in, long opset) {
  const Tensor& x = required(node, in, 0);
  Tensor out = x;
  if (x.size() == 0) return out;
  const std::size_t axis = normalise_axis(node, node.integer("axis", opset >= 13 ? -1 : 1), x.rank());
  std::size_t outer = 1, length = 1, inner = 1;
  for (std::size_t k = 0; k < x.rank(); ++k) (k < axis ? outer : k == axis || opset < 13 ? length : inner) *= x.shape[k];
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < inner; ++i) {
      const auto at = [&](std::size_t k) -> double& { return out.data[(o * length + k) * inner + i]; };
      double peak = -std::numeric_limits<double>::infinity(), sum = 0.0;
      for (std::size_t k = 0; k < length; ++k) peak = std::max(peak, at(k));
      for (std::size_t k = 0; k < length; ++k) sum += at(k) = std::exp(at(k) - peak);
      for (std::size_t k = 0; k < length; ++k) at(k) /= sum;
    }
  return out;
}

// y = scale (x - mean) / sqrt(var + epsilon) + B, per channel (axis 1).
Tensor batch_norm(const OnnxGraphNode& node, const Inputs& in) {
  const Tensor& x = required(node, in, 0);
  const Tensor &scale = required(node, in, 1), &bias = required(node, in, 2);
  const Tensor &mean = required(node, in, 3), &var = required(node, in, 4);
  if (x.rank() < 2) fail(node, "expected an input with a channel axis, got " + x.shape_text());
  const std::size_t channels = x.shape[1];
  for (const Tensor* p : {&scale, &bias, &mean, &var}) {
    if (p->size() != channels) fail(node, "parameters of " + std::to_string(p->size()) + " values for " + std::to_string(channels) + " channels");
  }
  const double epsilon = node.real("epsilon", 1e-5);
  std::size_t inner = 1;
  for (std::size_t k = 2; k < x.rank(); ++k) inner *= x.shape[k];
  Tensor out = x;
  for (std::size_t n = 0; n < x.shape[0]; ++n)
    for (std::size_t c = 0; c < channels; ++c) {
      const double s = scale.data[c] / std::sqrt(var.data[c] + epsilon);
      double* v = out.data.data() + (n * channels + c) * inner;
      for (std::size_t k = 0; k < inner; ++k) v[k] = (v[k] - mean.data[c]) * s + bias.data[c];
    }
  return out;
}

}  // namespace xbar::sim::ops
