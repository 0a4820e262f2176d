// An ONNX inference graph ready to run: every op checked against the supported list (nn/ops.hpp),
// everything computable from constants computed once (initializers, Constant nodes, Transpose or
// Identity chains that lead weights to a Conv/Gemm), BatchNormalization folded into the Conv or Gemm
// before it where only that BN reads the product. run_graph evaluates the rest in order; a caller may
// take over any node (the network puts Conv/Gemm/MatMul nodes on crossbars that way).
// Usage (given OnnxModel model, Tensor images):
//   Graph graph(std::move(model));                       // GraphError naming a node it cannot run
//   for (std::size_t k : graph.linear_nodes()) graph.linear(k);   // Conv/Gemm/MatMul with constant weights
//   auto values = run_graph(graph, {{graph.inputs().front().name, images}}, {"conv_out"});
//   values.at(graph.outputs().front().name);             // and values.at("conv_out")
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xbar/sim/io/onnx_graph.hpp"
#include "xbar/sim/nn/linear_node.hpp"
#include "xbar/sim/nn/ops.hpp"
#include "xbar/sim/nn/tensor.hpp"

namespace xbar::sim {

class Graph {
 public:
  explicit Graph(OnnxModel model);

  const std::filesystem::path& path() const { return m_path; }
  long opset() const { return m_opset; }
  const std::vector<OnnxGraphNode>& nodes() const { return m_nodes; }
  const std::vector<OnnxValueInfo>& inputs() const { return m_inputs; }
  const std::vector<OnnxValueInfo>& outputs() const { return m_outputs; }
  const Tensor* constant(const std::string& name) const;
  // Every tensor a run can produce (graph inputs and node outputs), in order.
  std::vector<std::string> tensor_names() const;
  bool has_tensor(const std::string& name) const;

  // Indices of the Conv, Gemm and MatMul nodes whose weights are constant, in order.
  std::vector<std::size_t> linear_nodes() const;
  LinearNode linear(std::size_t node) const;
  // BatchNormalization nodes folded into the node before them, and by name what they were folded into.
  const std::vector<std::pair<std::string, std::string>>& folded_batch_norms() const { return m_folded; }

 private:
  void fold_constants();
  void fold_batch_norms();

  std::filesystem::path m_path;
  long m_opset = 0;
  std::vector<OnnxGraphNode> m_nodes;
  std::map<std::string, Tensor> m_constants;
  std::vector<OnnxValueInfo> m_inputs, m_outputs;
  std::vector<std::pair<std::string, std::string>> m_folded;
};

// Runs `node` itself and returns its output, or nothing to leave it to the digital kernels.
using NodeRunner = std::function<std::optional<Tensor>(std::size_t node, const std::vector<const Tensor*>& inputs)>;

// The graph's outputs and the tensors named in `keep`; the other intermediates are freed once used.
std::map<std::string, Tensor> run_graph(const Graph& graph, std::map<std::string, Tensor> inputs,
                                        const std::vector<std::string>& keep, const NodeRunner& runner = {});

}  // namespace xbar::sim
