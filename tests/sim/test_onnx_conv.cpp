// Convolution lowering against ONNX's own Conv test cases (Debian's libonnx-testdata): the model's
// attributes, its input and weight tensors, and the expected output shipped with each case.
#include <doctest/doctest.h>

#include <cmath>

#include "xbar/models/conv.hpp"
#include "xbar/sim/io/onnx.hpp"

using namespace xbar;

namespace {

const std::filesystem::path cases = "/usr/share/libonnx-testdata/data/node";

models::Tensor4 to_tensor(const sim::NpyArray& a) {
  REQUIRE(a.shape.size() == 4);
  models::Tensor4 t(static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]), static_cast<int>(a.shape[2]),
                    static_cast<int>(a.shape[3]));
  t.data = a.data;
  return t;
}

}  // namespace

TEST_CASE("im2col lowering reproduces every ONNX Conv test case to 1e-5") {
  for (const char* name : {"test_basic_conv_with_padding", "test_basic_conv_without_padding",
                           "test_conv_with_strides_padding", "test_conv_with_strides_no_padding",
                           "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_autopad_same"}) {
    CAPTURE(name);
    const auto dir = cases / name;
    const sim::OnnxNode node = sim::read_onnx_node(dir / "model.onnx", "#0");
    CHECK(node.op_type == "Conv");
    const models::Tensor4 x = to_tensor(sim::read_tensor_proto(dir / "test_data_set_0" / "input_0.pb"));
    const sim::NpyArray w = sim::read_tensor_proto(dir / "test_data_set_0" / "input_1.pb");
    const models::Tensor4 expected = to_tensor(sim::read_tensor_proto(dir / "test_data_set_0" / "output_0.pb"));
    const auto conv = models::ConvLayer::from_oihw(
        w.data,
        {static_cast<int>(w.shape[0]), static_cast<int>(w.shape[1]), static_cast<int>(w.shape[2]), static_cast<int>(w.shape[3])},
        sim::conv_geometry(node, x.h, x.w));
    const auto [oh, ow] = models::output_size(conv, x.h, x.w);
    REQUIRE(oh == expected.h);
    REQUIRE(ow == expected.w);
    std::vector<Eigen::MatrixXd> outputs;
    for (int g = 0; g < conv.geometry.groups; ++g) {
      outputs.push_back(models::im2col(conv, x, g) * models::lowered_weights(conv, g));
    }
    const models::Tensor4 got = models::assemble_output(conv, outputs, x.n, oh, ow);
    REQUIRE(got.data.size() == expected.data.size());
    for (std::size_t k = 0; k < got.data.size(); ++k) CHECK(std::abs(got.data[k] - expected.data[k]) <= 1e-5);
  }
}

TEST_CASE("unknown nodes and missing files are refused with what there is") {
  const auto model = cases / "test_basic_conv_with_padding" / "model.onnx";
  CHECK_THROWS_WITH_AS(sim::read_onnx_node(model, "conv9"), doctest::Contains("the model has: #0 Conv"), sim::OnnxError);
  CHECK_THROWS_WITH_AS(sim::read_onnx_node(model, "#3"), doctest::Contains("no Conv, Gemm or MatMul node '#3'"),
                       sim::OnnxError);
  CHECK_THROWS_WITH_AS(sim::read_tensor_proto("/nonexistent/x.pb"), doctest::Contains("cannot open"), sim::OnnxError);
}
