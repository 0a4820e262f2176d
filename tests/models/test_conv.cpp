// Convolution lowering: im2col and lowered weights reproduce a direct convolution, for every geometry.
#include <doctest/doctest.h>

#include <cmath>

#include "support.hpp"
#include "xbar/models/conv.hpp"
#include "xbar/models/random.hpp"

using namespace xbar;

namespace {

models::Tensor4 lowered_conv(const models::ConvLayer& conv, const models::Tensor4& input) {
  const auto [oh, ow] = models::output_size(conv, input.h, input.w);
  std::vector<Eigen::MatrixXd> outputs;
  for (int g = 0; g < conv.geometry.groups; ++g) {
    outputs.push_back(models::im2col(conv, input, g) * models::lowered_weights(conv, g));
  }
  return models::assemble_output(conv, outputs, input.n, oh, ow);
}

}  // namespace

TEST_CASE("im2col x lowered weights equals the direct convolution (stride, padding, dilation, groups)") {
  models::Rng rng(test::test_seed(3));
  struct Case {
    int in, out, groups, kh, kw, stride, pad, dilation, h, w;
  };
  const Case cases[] = {
      {3, 4, 1, 3, 3, 1, 1, 1, 6, 5},   // plain 3x3 same-padding
      {2, 6, 1, 5, 5, 2, 2, 1, 9, 9},   // LeNet-like, stride 2
      {4, 4, 4, 3, 3, 1, 1, 1, 5, 5},   // depthwise
      {6, 4, 2, 3, 2, 2, 0, 2, 9, 8},   // grouped, dilated, asymmetric kernel
      {5, 3, 1, 1, 1, 1, 0, 1, 4, 4},   // pointwise 1x1
  };
  for (const Case& c : cases) {
    models::ConvGeometry g;
    g.stride_h = g.stride_w = c.stride;
    g.pad_top = g.pad_left = g.pad_bottom = c.pad;
    g.pad_right = c.pad + (c.pad > 0 ? 1 : 0);  // asymmetric padding too
    g.dilation_h = g.dilation_w = c.dilation;
    g.groups = c.groups;
    std::vector<double> weights(static_cast<std::size_t>(c.out) * (c.in / c.groups) * c.kh * c.kw);
    for (double& w : weights) w = rng.uniform(-1, 1);
    const auto conv = models::ConvLayer::from_oihw(weights, {c.out, c.in / c.groups, c.kh, c.kw}, g);
    models::Tensor4 input(2, c.in, c.h, c.w);
    for (double& v : input.data) v = rng.uniform(-1, 1);
    const auto expected = models::conv2d_reference(conv, input);
    const auto got = lowered_conv(conv, input);
    REQUIRE(got.data.size() == expected.data.size());
    double worst = 0;
    for (std::size_t k = 0; k < got.data.size(); ++k) worst = std::max(worst, std::abs(got.data[k] - expected.data[k]));
    CAPTURE(c.groups);
    CAPTURE(c.stride);
    CHECK(worst < 1e-12);
  }
}

TEST_CASE("a hand-computed 2x2 convolution, and HWIO weights read as OIHW") {
  // One channel, 3x3 input 1..9, 2x2 kernel [[1, 0], [0, -1]]: out(y, x) = in(y, x) - in(y+1, x+1) = -4.
  const auto conv = models::ConvLayer::from_oihw({1, 0, 0, -1}, {1, 1, 2, 2}, {});
  models::Tensor4 input(1, 1, 3, 3);
  for (int k = 0; k < 9; ++k) input.data[static_cast<std::size_t>(k)] = k + 1;
  for (double v : models::conv2d_reference(conv, input).data) CHECK(v == -4.0);
  // HWIO (2, 2, 1, 2): two output channels.
  const auto hwio = models::ConvLayer::from_hwio({1, 10, 2, 20, 3, 30, 4, 40}, {2, 2, 1, 2}, {});
  CHECK(hwio.weight(0, 0, 0, 0) == 1);
  CHECK(hwio.weight(1, 0, 0, 1) == 20);
  CHECK(hwio.weight(1, 0, 1, 1) == 40);
}

TEST_CASE("inconsistent layers are refused with the reason") {
  models::ConvGeometry g;
  g.groups = 3;
  CHECK_THROWS_WITH_AS(models::ConvLayer::from_oihw(std::vector<double>(8, 1.0), {4, 1, 1, 2}, g),
                       doctest::Contains("groups = 3 must divide the 4 output channels"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(models::ConvLayer::from_oihw(std::vector<double>(7, 1.0), {4, 1, 1, 2}, {}),
                       doctest::Contains("O x I x KH x KW"), std::invalid_argument);
  const auto conv = models::ConvLayer::from_oihw(std::vector<double>(9, 1.0), {1, 1, 3, 3}, {});
  CHECK_THROWS_AS(models::output_size(conv, 2, 2), std::invalid_argument);
}
