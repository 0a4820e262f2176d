// 2-D convolution layers and their lowering to crossbar matrices by im2col (for pruned CNN layers).
// Usage (given const std::vector<double>& weights_oihw, int out, int in_per_group, int kh, int kw,
//        const ConvGeometry& geometry, const Tensor4& input):
//   ConvLayer conv = ConvLayer::from_oihw(weights_oihw, {out, in_per_group, kh, kw}, geometry);
//   auto [oh, ow] = output_size(conv, input.h, input.w);
//   std::vector<Eigen::MatrixXd> products;
//   for (int g = 0; g < geometry.groups; ++g) {
//     Eigen::MatrixXd x_g = im2col(conv, input, g);        // (N*OH*OW) x (C/G*KH*KW): one input vector per pixel
//     Eigen::MatrixXd w_g = lowered_weights(conv, g);      // (C/G*KH*KW) x (O/G): a crossbar's W (inputs x outputs)
//     products.push_back(x_g * w_g);
//   }
//   Tensor4 output = assemble_output(conv, products, input.n, oh, ow);   // NCHW, = conv2d_reference(conv, input)
//
// Conventions follow ONNX Conv: weights OIHW with I = C / groups, input NCHW, pads (top, left, bottom,
// right), stride and dilation per axis. Row r of W_g is (c * KH + y) * KW + x for input channel c of the
// group and kernel tap (y, x); column j is output channel g * O/G + j. Bias is added digitally, not here.
#pragma once

#include <array>
#include <utility>
#include <vector>

#include <Eigen/Dense>

namespace xbar::models {

struct ConvGeometry {
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int dilation_h = 1, dilation_w = 1;
  int groups = 1;
};

// A dense NCHW tensor.
struct Tensor4 {
  int n = 0, c = 0, h = 0, w = 0;
  std::vector<double> data;
  Tensor4() = default;
  Tensor4(int n_, int c_, int h_, int w_) : n(n_), c(c_), h(h_), w(w_), data(static_cast<std::size_t>(n_) * c_ * h_ * w_, 0.0) {}
  double& at(int i, int j, int y, int x) { return data[((static_cast<std::size_t>(i) * c + j) * h + y) * w + x]; }
  double at(int i, int j, int y, int x) const { return data[((static_cast<std::size_t>(i) * c + j) * h + y) * w + x]; }
};

struct ConvLayer {
  int out_channels = 0, in_per_group = 0, kernel_h = 0, kernel_w = 0;  // OIHW
  ConvGeometry geometry;
  std::vector<double> weights;  // OIHW, C order

  int in_channels() const { return in_per_group * geometry.groups; }
  int out_per_group() const { return out_channels / geometry.groups; }
  double weight(int o, int i, int y, int x) const {
    return weights[((static_cast<std::size_t>(o) * in_per_group + i) * kernel_h + y) * kernel_w + x];
  }

  // Throws std::invalid_argument for inconsistent shapes or geometry (naming what is wrong).
  static ConvLayer from_oihw(std::vector<double> weights, std::array<int, 4> oihw, const ConvGeometry& geometry);
  static ConvLayer from_hwio(const std::vector<double>& weights, std::array<int, 4> hwio, const ConvGeometry& geometry);
};

std::pair<int, int> output_size(const ConvLayer& conv, int height, int width);

// Direct convolution: the reference the lowering is tested against.
Tensor4 conv2d_reference(const ConvLayer& conv, const Tensor4& input);

Eigen::MatrixXd lowered_weights(const ConvLayer& conv, int group);
Eigen::MatrixXd im2col(const ConvLayer& conv, const Tensor4& input, int group);
Tensor4 assemble_output(const ConvLayer& conv, const std::vector<Eigen::MatrixXd>& group_outputs, int n, int oh, int ow);

}  // namespace xbar::models
