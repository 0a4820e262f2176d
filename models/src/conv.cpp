#include "xbar/models/conv.hpp"

#include <stdexcept>
#include <string>

namespace xbar::models {

namespace {

void check(const ConvLayer& c) {
  const ConvGeometry& g = c.geometry;
  const auto fail = [](const std::string& what) { throw std::invalid_argument("convolution: " + what); };
  if (c.out_channels < 1 || c.in_per_group < 1 || c.kernel_h < 1 || c.kernel_w < 1) fail("every weight dimension must be positive");
  if (g.groups < 1 || c.out_channels % g.groups != 0) {
    fail("groups = " + std::to_string(g.groups) + " must divide the " + std::to_string(c.out_channels) + " output channels");
  }
  if (g.stride_h < 1 || g.stride_w < 1) fail("strides must be at least 1");
  if (g.dilation_h < 1 || g.dilation_w < 1) fail("dilations must be at least 1");
  if (g.pad_top < 0 || g.pad_left < 0 || g.pad_bottom < 0 || g.pad_right < 0) fail("pads must not be negative");
  if (c.weights.size() != static_cast<std::size_t>(c.out_channels) * c.in_per_group * c.kernel_h * c.kernel_w) {
    fail("the weights do not hold O x I x KH x KW values");
  }
}

}  // namespace

ConvLayer ConvLayer::from_oihw(std::vector<double> weights, std::array<int, 4> oihw, const ConvGeometry& geometry) {
  ConvLayer c{oihw[0], oihw[1], oihw[2], oihw[3], geometry, std::move(weights)};
  check(c);
  return c;
}

ConvLayer ConvLayer::from_hwio(const std::vector<double>& weights, std::array<int, 4> hwio, const ConvGeometry& geometry) {
  const auto [kh, kw, in, out] = hwio;
  std::vector<double> oihw(weights.size());
  for (int y = 0; y < kh; ++y)
    for (int x = 0; x < kw; ++x)
      for (int i = 0; i < in; ++i)
        for (int o = 0; o < out; ++o) {
          const std::size_t from = ((static_cast<std::size_t>(y) * kw + x) * in + i) * out + o;
          oihw[((static_cast<std::size_t>(o) * in + i) * kh + y) * kw + x] = weights.at(from);
        }
  return from_oihw(std::move(oihw), {out, in, kh, kw}, geometry);
}

std::pair<int, int> output_size(const ConvLayer& conv, int height, int width) {
  const ConvGeometry& g = conv.geometry;
  const int span_h = g.dilation_h * (conv.kernel_h - 1) + 1, span_w = g.dilation_w * (conv.kernel_w - 1) + 1;
  const int oh = (height + g.pad_top + g.pad_bottom - span_h) / g.stride_h + 1;
  const int ow = (width + g.pad_left + g.pad_right - span_w) / g.stride_w + 1;
  if (oh < 1 || ow < 1) throw std::invalid_argument("convolution: the kernel does not fit the padded input");
  return {oh, ow};
}

Tensor4 conv2d_reference(const ConvLayer& conv, const Tensor4& input) {
  if (input.c != conv.in_channels()) throw std::invalid_argument("convolution: input channels differ from the layer's");
  const ConvGeometry& g = conv.geometry;
  const auto [oh, ow] = output_size(conv, input.h, input.w);
  Tensor4 out(input.n, conv.out_channels, oh, ow);
  for (int n = 0; n < input.n; ++n)
    for (int o = 0; o < conv.out_channels; ++o) {
      const int group = o / conv.out_per_group();
      for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x) {
          double sum = 0.0;
          for (int i = 0; i < conv.in_per_group; ++i)
            for (int ky = 0; ky < conv.kernel_h; ++ky)
              for (int kx = 0; kx < conv.kernel_w; ++kx) {
                const int iy = y * g.stride_h - g.pad_top + ky * g.dilation_h;
                const int ix = x * g.stride_w - g.pad_left + kx * g.dilation_w;
                if (iy < 0 || iy >= input.h || ix < 0 || ix >= input.w) continue;
                sum += conv.weight(o, i, ky, kx) * input.at(n, group * conv.in_per_group + i, iy, ix);
              }
          out.at(n, o, y, x) = sum;
        }
    }
  return out;
}

Eigen::MatrixXd lowered_weights(const ConvLayer& conv, int group) {
  const int rows = conv.in_per_group * conv.kernel_h * conv.kernel_w, cols = conv.out_per_group();
  Eigen::MatrixXd w(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < conv.in_per_group; ++i)
      for (int ky = 0; ky < conv.kernel_h; ++ky)
        for (int kx = 0; kx < conv.kernel_w; ++kx) {
          w((i * conv.kernel_h + ky) * conv.kernel_w + kx, j) = conv.weight(group * cols + j, i, ky, kx);
        }
  return w;
}

Eigen::MatrixXd im2col(const ConvLayer& conv, const Tensor4& input, int group) {
  if (input.c != conv.in_channels()) throw std::invalid_argument("convolution: input channels differ from the layer's");
  const ConvGeometry& g = conv.geometry;
  const auto [oh, ow] = output_size(conv, input.h, input.w);
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(input.n) * oh * ow,
                                            conv.in_per_group * conv.kernel_h * conv.kernel_w);
  // Column by column (kernel tap by tap), so that the writes run down Eigen's contiguous columns.
  for (int i = 0; i < conv.in_per_group; ++i)
    for (int ky = 0; ky < conv.kernel_h; ++ky)
      for (int kx = 0; kx < conv.kernel_w; ++kx) {
        double* column = x.col((i * conv.kernel_h + ky) * conv.kernel_w + kx).data();
        for (int n = 0; n < input.n; ++n)
          for (int y = 0; y < oh; ++y) {
            const int iy = y * g.stride_h - g.pad_top + ky * g.dilation_h;
            if (iy < 0 || iy >= input.h) continue;  // zero padding
            const double* line = &input.data[((static_cast<std::size_t>(n) * input.c + group * conv.in_per_group + i) * input.h + iy) * input.w];
            double* out = column + (static_cast<Eigen::Index>(n) * oh + y) * ow;
            for (int xx = 0; xx < ow; ++xx) {
              const int ix = xx * g.stride_w - g.pad_left + kx * g.dilation_w;
              if (ix >= 0 && ix < input.w) out[xx] = line[ix];
            }
          }
      }
  return x;
}

Tensor4 assemble_output(const ConvLayer& conv, const std::vector<Eigen::MatrixXd>& group_outputs, int n, int oh, int ow) {
  if (static_cast<int>(group_outputs.size()) != conv.geometry.groups) {
    throw std::invalid_argument("convolution: one output matrix per group expected");
  }
  Tensor4 out(n, conv.out_channels, oh, ow);
  for (int group = 0; group < conv.geometry.groups; ++group) {
    const Eigen::MatrixXd& y = group_outputs[static_cast<std::size_t>(group)];
    for (int i = 0; i < n; ++i)
      for (int r = 0; r < oh; ++r)
        for (int c = 0; c < ow; ++c)
          for (int j = 0; j < conv.out_per_group(); ++j) {
            out.at(i, group * conv.out_per_group() + j, r, c) = y((static_cast<Eigen::Index>(i) * oh + r) * ow + c, j);
          }
  }
  return out;
}

}  // namespace xbar::models
