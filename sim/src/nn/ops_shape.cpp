// Operators that move values without arithmetic: Shape, Reshape, Flatten, Transpose, Concat, Gather,
// Unsqueeze, Squeeze, Constant, and Pad.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "nn/ops_internal.hpp"

namespace xbar::sim::ops {

namespace {

// out[i] = x.data[source(i)] for every multi-index i of `shape` in C order; `fill` where source says none.
template <typename Source>
Tensor pick_each(const Tensor& x, const std::vector<std::size_t>& shape, double fill, Source source) {
  Tensor out = Tensor::zeros(shape);
  std::vector<std::size_t> index(shape.size(), 0);
  for (double& v : out.data) {
    const std::optional<std::size_t> from = source(index);
    v = from ? x.data[*from] : fill;
    next_index(index, shape);
  }
  return out;
}

Tensor reshaped(Tensor x, std::vector<std::size_t> shape) {
  x.shape = std::move(shape);
  return x;
}

Tensor vector_of(const std::vector<long>& values) {
  Tensor t = Tensor::zeros({values.size()});
  std::copy(values.begin(), values.end(), t.data.begin());
  return t;
}

Tensor shape_of(const OnnxGraphNode& node, const Tensor& x) {
  const long r = static_cast<long>(x.rank());
  const auto clamp = [r](long v) { return std::clamp(v < 0 ? v + r : v, 0L, r); };
  const long start = clamp(node.integer("start", 0)), end = clamp(node.integer("end", r));
  std::vector<long> dims;
  for (long k = start; k < end; ++k) dims.push_back(static_cast<long>(x.shape[static_cast<std::size_t>(k)]));
  return vector_of(dims);
}

Tensor reshape(const OnnxGraphNode& node, const Tensor& x, const std::vector<long>& wanted) {
  const bool allow_zero = node.integer("allowzero", 0) != 0;
  std::vector<std::size_t> shape(wanted.size());
  long infer = -1;
  std::size_t known = 1;
  for (std::size_t k = 0; k < wanted.size(); ++k) {
    const long w = wanted[k];
    if (w == -1) {
      if (infer >= 0) fail(node, "more than one -1 in the target shape");
      infer = static_cast<long>(k);
      continue;
    }
    if (w < -1) fail(node, "a negative extent in the target shape");
    if (w == 0 && !allow_zero) {
      if (k >= x.rank()) fail(node, "a 0 (copy) past the input's rank");
      shape[k] = x.shape[k];
    } else {
      shape[k] = static_cast<std::size_t>(w);
    }
    known *= shape[k];
  }
  if (infer >= 0) {
    if (known == 0 || x.size() % known) fail(node, "cannot reshape " + x.shape_text() + " to the target shape");
    shape[static_cast<std::size_t>(infer)] = x.size() / known;
  }
  if (element_count(shape) != x.size()) {
    fail(node, "cannot reshape " + x.shape_text() + " (" + std::to_string(x.size()) + " values) to " + shape_text(shape));
  }
  return reshaped(x, shape);
}

Tensor transpose(const OnnxGraphNode& node, const Tensor& x) {
  std::vector<long> perm = node.ints("perm");
  if (perm.empty()) {
    for (long k = static_cast<long>(x.rank()); k-- > 0;) perm.push_back(k);
  }
  if (perm.size() != x.rank()) fail(node, "perm has " + std::to_string(perm.size()) + " axes for " + x.shape_text());
  std::vector<std::size_t> shape(x.rank()), from_stride(x.rank());
  const auto strides = x.strides();
  for (std::size_t k = 0; k < perm.size(); ++k) {
    const std::size_t a = normalise_axis(node, perm[k], x.rank());
    shape[k] = x.shape[a];
    from_stride[k] = strides[a];
  }
  Tensor out = Tensor::zeros(shape);
  std::vector<std::size_t> index(shape.size(), 0);
  std::size_t from = 0;
  for (double& v : out.data) {
    v = x.data[from];
    for (std::size_t k = shape.size(); k-- > 0;) {
      if (++index[k] < shape[k]) {
        from += from_stride[k];
        break;
      }
      from -= from_stride[k] * (shape[k] - 1);
      index[k] = 0;
    }
  }
  return out;
}

Tensor concat(const OnnxGraphNode& node, const Inputs& in) {
  const Tensor& first = required(node, in, 0);
  const std::size_t axis = normalise_axis(node, node.integer("axis", 0), first.rank());
  std::vector<std::size_t> shape = first.shape;
  shape[axis] = 0;
  for (std::size_t k = 0; k < in.size(); ++k) {
    const Tensor& t = required(node, in, k);
    for (std::size_t d = 0; d < shape.size(); ++d) {
      if (t.rank() != shape.size() || (d != axis && t.shape[d] != first.shape[d])) {
        fail(node, "inputs " + first.shape_text() + " and " + t.shape_text() + " do not concatenate on axis " + std::to_string(axis));
      }
    }
    shape[axis] += t.shape[axis];
  }
  std::size_t outer = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= shape[d];
  Tensor out = Tensor::zeros(shape);
  auto o = out.data.begin();
  for (std::size_t block = 0; block < outer; ++block)
    for (const Tensor* t : in) {
      const std::size_t chunk = t->size() / std::max<std::size_t>(outer, 1);
      o = std::copy_n(t->data.begin() + static_cast<std::ptrdiff_t>(block * chunk), chunk, o);
    }
  return out;
}

Tensor gather(const OnnxGraphNode& node, const Tensor& x, const Tensor& indices) {
  const std::size_t axis = normalise_axis(node, node.integer("axis", 0), x.rank());
  std::vector<std::size_t> shape(x.shape.begin(), x.shape.begin() + static_cast<std::ptrdiff_t>(axis));
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), x.shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1, x.shape.end());
  std::size_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= x.shape[d];
  for (std::size_t d = axis + 1; d < x.rank(); ++d) inner *= x.shape[d];
  const long extent = static_cast<long>(x.shape[axis]);
  Tensor out = Tensor::zeros(shape);
  auto o = out.data.begin();
  for (std::size_t b = 0; b < outer; ++b)
    for (long i : integers(indices)) {
      if (i < -extent || i >= extent) fail(node, "index " + std::to_string(i) + " outside an axis of " + std::to_string(extent));
      const auto from = (b * x.shape[axis] + static_cast<std::size_t>(i < 0 ? i + extent : i)) * inner;
      o = std::copy_n(x.data.begin() + static_cast<std::ptrdiff_t>(from), inner, o);
    }
  return out;
}

// Unsqueeze and Squeeze: axes from the attribute (before opset 13) or the second input.
std::vector<long> axes_of(const OnnxGraphNode& node, const Inputs& in, long opset) {
  if (opset < 13) return node.ints("axes");
  return in.size() > 1 && in[1] ? integers(*in[1]) : std::vector<long>{};
}

Tensor unsqueeze(const OnnxGraphNode& node, const Tensor& x, const std::vector<long>& axes) {
  const std::size_t rank = x.rank() + axes.size();
  std::vector<bool> inserted(rank, false);
  for (long a : axes) {
    const std::size_t k = normalise_axis(node, a, rank);
    if (inserted[k]) fail(node, "axis " + std::to_string(a) + " given twice");
    inserted[k] = true;
  }
  std::vector<std::size_t> shape;
  auto from = x.shape.begin();
  for (std::size_t k = 0; k < rank; ++k) shape.push_back(inserted[k] ? 1 : *from++);
  return reshaped(x, shape);
}

Tensor squeeze(const OnnxGraphNode& node, const Tensor& x, const std::vector<long>& axes) {
  std::vector<bool> drop(x.rank(), axes.empty());
  for (long a : axes) drop[normalise_axis(node, a, x.rank())] = true;
  std::vector<std::size_t> shape;
  for (std::size_t k = 0; k < x.rank(); ++k) {
    if (drop[k] && x.shape[k] != 1 && !axes.empty()) fail(node, "axis " + std::to_string(k) + " of " + x.shape_text() + " is not 1");
    if (!(drop[k] && x.shape[k] == 1)) shape.push_back(x.shape[k]);
  }
  return reshaped(x, shape);
}

// Slice: starts, ends, axes, steps (inputs from opset 10, attributes before), clamped as ONNX says.
Tensor slice(const OnnxGraphNode& node, const Inputs& in, long opset) {
  const Tensor& x = required(node, in, 0);
  const auto optional_ints = [&](std::size_t k, const char* attribute) {
    if (opset < 10) return node.ints(attribute);
    return k < in.size() && in[k] ? integers(*in[k]) : std::vector<long>{};
  };
  const std::vector<long> starts = optional_ints(1, "starts"), ends = optional_ints(2, "ends");
  std::vector<long> axes = optional_ints(3, "axes"), steps = optional_ints(4, "steps");
  if (axes.empty())
    for (std::size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<long>(k));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    fail(node, "starts, ends, axes and steps differ in length");
  }
  const std::size_t r = x.rank();
  std::vector<long> first(r, 0), step(r, 1);
  std::vector<std::size_t> shape = x.shape;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::size_t a = normalise_axis(node, axes[k], r);
    const long n = static_cast<long>(x.shape[a]), s = steps[k];
    if (s == 0) fail(node, "a step of 0");
    const auto clamp = [&](long v, long low, long high) {
      if (v < 0) v += n;
      return std::clamp(v, low, high);
    };
    const long b = s > 0 ? clamp(starts[k], 0, n) : clamp(starts[k], -1, n - 1);
    const long e = s > 0 ? clamp(ends[k], 0, n) : clamp(ends[k], -1, n - 1);
    const long count = s > 0 ? std::max(0L, (e - b + s - 1) / s) : std::max(0L, (b - e + (-s) - 1) / (-s));
    first[a] = b;
    step[a] = s;
    shape[a] = static_cast<std::size_t>(count);
  }
  const auto strides = x.strides();
  return pick_each(x, shape, 0.0, [&](const std::vector<std::size_t>& index) -> std::optional<std::size_t> {
    std::size_t from = 0;
    for (std::size_t k = 0; k < r; ++k) from += static_cast<std::size_t>(first[k] + static_cast<long>(index[k]) * step[k]) * strides[k];
    return from;
  });
}

// Cast: values stay doubles; integer targets truncate toward zero, bool tests for non-zero.
Tensor cast(const OnnxGraphNode& node, const Tensor& x) {
  const long to = node.integer("to", 1);
  Tensor out = x;
  constexpr long float_type = 1, bool_type = 9, double_type = 11, float16 = 10, bfloat16 = 16;
  if (to == 8) fail(node, "casts to string are not supported");
  if (to == bool_type) {
    for (double& v : out.data) v = v != 0.0;
  } else if (to != float_type && to != double_type && to != float16 && to != bfloat16) {
    for (double& v : out.data) v = std::trunc(v);
  }
  return out;
}

Tensor constant_of_shape(const OnnxGraphNode& node, const Tensor& shape) {
  std::vector<std::size_t> extents;
  for (long d : integers(shape)) {
    if (d < 0) fail(node, "a negative extent");
    extents.push_back(static_cast<std::size_t>(d));
  }
  Tensor out = Tensor::zeros(extents);
  const auto it = node.attributes.find("value");
  if (it != node.attributes.end() && it->second.tensor && !it->second.tensor->data.empty()) {
    std::fill(out.data.begin(), out.data.end(), it->second.tensor->data.front());
  }
  return out;
}

Tensor constant(const OnnxGraphNode& node) {
  for (const auto& [key, a] : node.attributes) {
    if (key == "value" && a.tensor) return Tensor::from(*a.tensor);
    if (key == "value_float") return Tensor{{}, {a.f}};
    if (key == "value_int") return Tensor{{}, {static_cast<double>(a.i)}};
    if (key == "value_floats") return Tensor{{a.floats.size()}, a.floats};
    if (key == "value_ints") return vector_of(a.ints);
  }
  fail(node, "expected a value, value_float(s) or value_int(s) attribute");
}

}  // namespace

Tensor shape_op(const OnnxGraphNode& node, const Inputs& in, long opset) {
  const std::string& op = node.op_type;
  if (op == "Constant") return constant(node);
  const Tensor& x = required(node, in, 0);
  if (op == "Shape") return shape_of(node, x);
  if (op == "Slice") return slice(node, in, opset);
  if (op == "Cast") return cast(node, x);
  if (op == "ConstantOfShape") return constant_of_shape(node, x);
  if (op == "Reshape") return reshape(node, x, integers(required(node, in, 1)));
  if (op == "Transpose") return transpose(node, x);
  if (op == "Concat") return concat(node, in);
  if (op == "Gather") return gather(node, x, required(node, in, 1));
  if (op == "Unsqueeze") return unsqueeze(node, x, axes_of(node, in, opset));
  if (op == "Squeeze") return squeeze(node, x, axes_of(node, in, opset));
  // Flatten: everything before `axis` becomes the first extent, the rest the second.
  const long r = static_cast<long>(x.rank());
  long axis = node.integer("axis", 1);
  if (axis < -r || axis > r) fail(node, "axis " + std::to_string(axis) + " outside a rank-" + std::to_string(r) + " tensor");
  if (axis < 0) axis += r;
  std::size_t outer = 1;
  for (long k = 0; k < axis; ++k) outer *= x.shape[static_cast<std::size_t>(k)];
  return reshaped(x, {outer, outer ? x.size() / outer : 0});
}

// Pad: pads [begin_0 .. begin_n, end_0 .. end_n] (negative crops), mode constant, reflect or edge.
Tensor pad(const OnnxGraphNode& node, const Inputs& in, long opset) {
  const Tensor& x = required(node, in, 0);
  const std::vector<long> pads = opset < 11 ? node.ints("pads") : integers(required(node, in, 1));
  const double value = opset < 11 ? node.real("value", 0.0) : (in.size() > 2 && in[2] && in[2]->size() ? in[2]->data[0] : 0.0);
  const std::string mode = node.text("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge") fail(node, "mode '" + mode + "' is not supported");
  const std::size_t r = x.rank();
  if (pads.size() != 2 * r) fail(node, "expected " + std::to_string(2 * r) + " pads for " + x.shape_text());
  std::vector<std::size_t> shape(r);
  for (std::size_t k = 0; k < r; ++k) {
    const long size = static_cast<long>(x.shape[k]) + pads[k] + pads[k + r];
    if (size < 0) fail(node, "pads crop more than the input has");
    if (mode == "reflect" && (pads[k] >= static_cast<long>(x.shape[k]) || pads[k + r] >= static_cast<long>(x.shape[k])))
      fail(node, "reflect padding needs pads smaller than the axis");
    shape[k] = static_cast<std::size_t>(size);
  }
  const auto strides = x.strides();
  return pick_each(x, shape, value, [&](const std::vector<std::size_t>& index) -> std::optional<std::size_t> {
    std::size_t from = 0;
    for (std::size_t k = 0; k < r; ++k) {
      long i = static_cast<long>(index[k]) - pads[k];
      const long n = static_cast<long>(x.shape[k]);
      if (i < 0 || i >= n) {
        if (mode == "constant" || n == 0) return std::nullopt;
        i = mode == "edge" ? std::clamp(i, 0L, n - 1) : i < 0 ? -i : 2 * (n - 1) - i;  // edge or reflect
      }
      from += static_cast<std::size_t>(i) * strides[k];
    }
    return from;
  });
}

}  // namespace xbar::sim::ops
