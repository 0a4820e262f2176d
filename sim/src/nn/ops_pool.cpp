// MaxPool, AveragePool and GlobalAveragePool over one or two spatial axes (NCW or NCHW).
#include <algorithm>
#include <cmath>
#include <limits>

#include "nn/ops_internal.hpp"

namespace xbar::sim::ops {

namespace {

struct Window {
  long kernel = 1, stride = 1, dilation = 1, pad_begin = 0, pad_end = 0, out = 1;
};

// One spatial axis: explicit pads or auto_pad, floor or ceil output size.
Window window(const OnnxGraphNode& node, std::size_t axis, std::size_t axes, long size) {
  const auto pick = [&](const char* key, long fallback, std::size_t k) {
    const auto v = node.ints(key);
    return k < v.size() ? v[k] : fallback;
  };
  Window w;
  w.kernel = pick("kernel_shape", 0, axis);
  if (w.kernel <= 0) fail(node, "kernel_shape must give " + std::to_string(axes) + " positive extents");
  w.stride = pick("strides", 1, axis);
  w.dilation = pick("dilations", 1, axis);
  if (w.stride <= 0 || w.dilation <= 0) fail(node, "strides and dilations must be positive");
  const long span = (w.kernel - 1) * w.dilation + 1;
  const std::string auto_pad = node.text("auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    w.out = (size + w.stride - 1) / w.stride;
    const long total = std::max(0L, (w.out - 1) * w.stride + span - size);
    w.pad_begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    w.pad_end = total - w.pad_begin;
    return w;
  }
  if (auto_pad != "NOTSET" && auto_pad != "VALID") fail(node, "auto_pad '" + auto_pad + "' is not supported");
  if (auto_pad == "NOTSET") {
    w.pad_begin = pick("pads", 0, axis);
    w.pad_end = pick("pads", 0, axis + axes);
  }
  const long room = size + w.pad_begin + w.pad_end - span;
  if (room < 0) fail(node, "the window is larger than the padded input");
  w.out = node.integer("ceil_mode", 0) ? (room + w.stride - 1) / w.stride + 1 : room / w.stride + 1;
  // A window must start inside the input or its leading padding (the ceil rule of ONNX and PyTorch).
  if (node.integer("ceil_mode", 0) && (w.out - 1) * w.stride >= size + w.pad_begin) --w.out;
  return w;
}

}  // namespace

Tensor pool(const OnnxGraphNode& node, const Inputs& in) {
  const Tensor& x = required(node, in, 0);
  if (x.rank() != 3 && x.rank() != 4) fail(node, "expected an NCW or NCHW input, got " + x.shape_text());
  const std::size_t axes = x.rank() - 2;
  const long n = static_cast<long>(x.shape[0]), c = static_cast<long>(x.shape[1]);
  const long h = axes == 2 ? static_cast<long>(x.shape[2]) : 1;
  const long wd = static_cast<long>(x.shape.back());
  const bool global = node.op_type == "GlobalAveragePool";
  const bool max = node.op_type == "MaxPool";
  Window wy, wx;
  if (global) {
    wy = {h, 1, 1, 0, 0, 1};
    wx = {wd, 1, 1, 0, 0, 1};
  } else {
    wx = window(node, axes - 1, axes, wd);
    if (axes == 2) wy = window(node, 0, axes, h);
  }
  const bool include_pad = node.integer("count_include_pad", 0) != 0;
  std::vector<std::size_t> shape = {x.shape[0], x.shape[1]};
  if (axes == 2) shape.push_back(static_cast<std::size_t>(wy.out));
  shape.push_back(static_cast<std::size_t>(wx.out));
  Tensor out = Tensor::zeros(shape);
  double* o = out.data.data();
  for (long plane = 0; plane < n * c; ++plane) {
    const double* p = x.data.data() + plane * h * wd;
    for (long oy = 0; oy < wy.out; ++oy)
      for (long ox = 0; ox < wx.out; ++ox) {
        double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
        long count = 0, padded = 0;
        for (long ky = 0; ky < wy.kernel; ++ky) {
          const long y = oy * wy.stride - wy.pad_begin + ky * wy.dilation;
          for (long kx = 0; kx < wx.kernel; ++kx) {
            const long xx = ox * wx.stride - wx.pad_begin + kx * wx.dilation;
            const bool in_pads = y >= -wy.pad_begin && y < h + wy.pad_end && xx >= -wx.pad_begin && xx < wd + wx.pad_end;
            if (y < 0 || y >= h || xx < 0 || xx >= wd) {
              padded += in_pads;
              continue;
            }
            const double v = p[y * wd + xx];
            acc = max ? std::max(acc, v) : acc + v;
            ++count;
          }
        }
        const long divisor = include_pad ? count + padded : count;
        *o++ = max ? acc : (divisor > 0 ? acc / static_cast<double>(divisor) : 0.0);
      }
  }
  return out;
}

}  // namespace xbar::sim::ops
