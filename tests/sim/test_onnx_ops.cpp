// The graph executor against the reference outputs that ship with the ONNX operator tests (Debian's
// libonnx-testdata): every node test of every supported op, except the few listed with their reason.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "xbar/sim/io/onnx.hpp"
#include "xbar/sim/io/onnx_graph.hpp"
#include "xbar/sim/nn/graph.hpp"

namespace fs = std::filesystem;
using namespace xbar::sim;

namespace {

const fs::path node_tests = "/usr/share/libonnx-testdata/data/node";

// Node tests of supported ops that test something xbar does not do, and why.
const std::vector<std::pair<std::string, std::string>> skipped = {
    {"_3d_", "3-D pooling and convolution: xbar runs 1-D and 2-D images"},
    {"_expanded", "written with ReduceMax/Exp/ReduceSum, ops outside the list"},
    {"training_mode", "BatchNormalization in training mode (inference only)"},
    {"test_dropout_random", "training-mode dropout draws random masks"},
    {"_opt", "optional and sequence types"},
    {"_sequence", "optional and sequence types"},
    {"with_argmax", "MaxPool's second (index) output"},
    {"test_gather_elements", "GatherElements, another op"},
    {"test_gathernd", "GatherND, another op"},
    {"test_castlike", "CastLike, another op"},
    {"FLOAT16", "float16 and bfloat16 tensors: xbar reads float, double and integer types"},
    {"STRING", "string tensors"},
    {"test_convinteger", "ConvInteger, another op"},
    {"test_convtranspose", "ConvTranspose, another op"},
    {"test_matmulinteger", "MatMulInteger, another op"},
    {"test_div_uint8", "integer division (xbar computes in double)"},
};

std::string op_prefix(std::string_view op) {
  std::string lower = "test_";
  for (char c : op) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// A hand-made model: one data input "x" and the given nodes.
OnnxModel hand_made_model(const std::string& path, std::vector<OnnxGraphNode> nodes) {
  OnnxModel model;
  model.path = path;
  model.inputs.push_back({"x", {-1}});
  model.nodes = std::move(nodes);
  return model;
}

OnnxGraphNode make_node(std::string op, std::vector<std::string> inputs, std::vector<std::string> outputs, std::string name) {
  OnnxGraphNode n;
  n.op_type = std::move(op);
  n.name = std::move(name);
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  return n;
}

bool belongs_to_supported_op(const std::string& name) {
  for (std::string_view op : supported_ops()) {
    const std::string prefix = op_prefix(op);
    if (name == prefix || name.rfind(prefix + "_", 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every ONNX node test of a supported op gives the reference outputs") {
  if (!fs::exists(node_tests)) {
    MESSAGE("libonnx-testdata is not installed (scripts/setup.sh installs it): nothing to compare with");
    return;
  }
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(node_tests)) {
    const std::string name = entry.path().filename().string();
    if (!belongs_to_supported_op(name)) continue;
    if (std::any_of(skipped.begin(), skipped.end(), [&](const auto& s) { return name.find(s.first) != std::string::npos; })) continue;
    cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  CHECK(cases.size() > 140);
  int compared = 0;
  for (const fs::path& dir : cases) {
    CAPTURE(dir.filename().string());
    Graph graph(read_onnx_model(dir / "model.onnx"));
    for (const auto& set : fs::directory_iterator(dir)) {
      if (!set.is_directory()) continue;
      std::map<std::string, Tensor> inputs;
      for (std::size_t k = 0; k < graph.inputs().size(); ++k) {
        const fs::path file = set.path() / ("input_" + std::to_string(k) + ".pb");
        if (fs::exists(file)) inputs[graph.inputs()[k].name] = Tensor::from(read_tensor_proto(file));
      }
      const auto values = run_graph(graph, inputs, {});
      for (std::size_t k = 0; k < graph.outputs().size(); ++k) {
        const Tensor expected = Tensor::from(read_tensor_proto(set.path() / ("output_" + std::to_string(k) + ".pb")));
        const Tensor& got = values.at(graph.outputs()[k].name);
        REQUIRE(got.shape == expected.shape);
        double worst = 0.0;
        for (std::size_t i = 0; i < got.size(); ++i) {
          const double scale = std::max(1.0, std::abs(expected.data[i]));
          if (std::isnan(expected.data[i]) && std::isnan(got.data[i])) continue;
          worst = std::max(worst, std::abs(got.data[i] - expected.data[i]) / scale);
        }
        CHECK(worst < 1e-5);  // references are float32; xbar computes in double
        ++compared;
      }
    }
  }
  MESSAGE(compared << " outputs of " << cases.size() << " node tests compared");
}

TEST_CASE("an op outside the list names the node, its op type and the list") {
  OnnxModel model = hand_made_model("m.onnx", {make_node("Erf", {"x"}, {"y"}, "/e")});
  model.outputs.push_back({"y", {1}});
  try {
    Graph graph(model);
    FAIL("accepted an Erf node");
  } catch (const GraphError& e) {
    const std::string message = e.what();
    CHECK(message.find("m.onnx") != std::string::npos);
    CHECK(message.find("Erf '/e'") != std::string::npos);
    CHECK(message.find("MaxPool") != std::string::npos);
  }
}

TEST_CASE("weights reached through Transpose and Identity chains are constants; the node goes on crossbars") {
  OnnxModel model = hand_made_model("chain.onnx", {make_node("Transpose", {"w_t"}, {"w_tt"}, "/t"),
                                                   make_node("Identity", {"w_tt"}, {"w"}, "/i"),
                                                   make_node("MatMul", {"x", "w"}, {"y"}, "/m")});
  model.initializers["w_t"] = NpyArray{{2, 3}, {1, 2, 3, 4, 5, 6}, "float64"};
  model.outputs.push_back({"y", {-1, 2}});
  const Graph graph(model);
  REQUIRE(graph.nodes().size() == 1);  // the chain ran once, at load
  REQUIRE(graph.linear_nodes() == std::vector<std::size_t>{0});
  const LinearNode layer = graph.linear(0);
  CHECK(layer.matrix(0).rows() == 3);
  CHECK(layer.matrix(0)(2, 1) == 6.0);  // W = transpose of w_t: row 2, column 1 is w_t[1][2]
  const auto y = run_graph(graph, {{"x", Tensor{{1, 3}, {1, 1, 1}}}}, {}).at("y");
  CHECK(y.data == std::vector<double>{6, 15});
}

TEST_CASE("a node without an output is refused (found by fuzzing: readers of a node take its first output)") {
  const OnnxModel model = hand_made_model("broken.onnx", {make_node("Relu", {"x"}, {}, "")});
  CHECK_THROWS_WITH_AS(Graph{model}, doctest::Contains("has no output"), GraphError);
}
