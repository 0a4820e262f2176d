#include "xbar/sim/nn/graph.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace xbar::sim {

namespace {

bool is_linear(const std::string& op) { return op == "Conv" || op == "Gemm" || op == "MatMul"; }

}  // namespace

Graph::Graph(OnnxModel model)
    : m_path(model.path), m_opset(model.opset), m_nodes(std::move(model.nodes)), m_inputs(std::move(model.inputs)),
      m_outputs(std::move(model.outputs)) {
  for (auto& [name, array] : model.initializers) m_constants.emplace(name, Tensor::from(std::move(array)));
  for (const OnnxGraphNode& node : m_nodes) {
    if (node.outputs.empty() || node.outputs.front().empty()) {  // (found by fuzzing: every reader of a node takes its output)
      throw GraphError(m_path.string() + ": node " + node.label() + " has no output");
    }
    if (!is_supported_op(node.op_type)) {
      throw GraphError(m_path.string() + ": node " + node.label() + ": operator " + node.op_type +
                       " is not supported; xbar runs " + supported_ops_text());
    }
  }
  std::set<std::string> known;
  for (const auto& input : m_inputs) known.insert(input.name);
  for (const auto& [name, value] : m_constants) known.insert(name);
  for (const OnnxGraphNode& node : m_nodes) {
    for (const std::string& input : node.inputs) {
      if (!input.empty() && !known.count(input)) {
        throw GraphError(m_path.string() + ": node " + node.label() + " reads '" + input +
                         "', which no earlier node, input or initializer gives");
      }
    }
    known.insert(node.outputs.begin(), node.outputs.end());
  }
  for (const auto& output : m_outputs) {
    if (!known.count(output.name)) throw GraphError(m_path.string() + ": graph output '" + output.name + "' is never computed");
  }
  fold_constants();
  fold_batch_norms();
}

const Tensor* Graph::constant(const std::string& name) const {
  const auto it = m_constants.find(name);
  return it == m_constants.end() ? nullptr : &it->second;
}

std::vector<std::string> Graph::tensor_names() const {
  std::vector<std::string> names;
  for (const auto& input : m_inputs) names.push_back(input.name);
  for (const OnnxGraphNode& node : m_nodes) names.insert(names.end(), node.outputs.begin(), node.outputs.end());
  return names;
}

bool Graph::has_tensor(const std::string& name) const {
  const auto names = tensor_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Nodes whose inputs are all constant run now, once; their outputs become constants. Conv, Gemm and
// MatMul stay (their weights are what goes on the crossbars), unless their data input is constant too.
void Graph::fold_constants() {
  std::vector<OnnxGraphNode> kept;
  for (OnnxGraphNode& node : m_nodes) {
    std::vector<const Tensor*> inputs;
    bool all_constant = true;
    for (const std::string& name : node.inputs) {
      const Tensor* t = name.empty() ? nullptr : constant(name);
      if (!name.empty() && !t) all_constant = false;
      inputs.push_back(t);
    }
    if (!all_constant) {
      kept.push_back(std::move(node));
      continue;
    }
    std::vector<Tensor> outputs;
    try {
      outputs = run_op(node, inputs, m_opset);
    } catch (const std::exception& e) {
      throw GraphError(m_path.string() + ": " + e.what());
    }
    for (std::size_t k = 0; k < outputs.size() && k < node.outputs.size(); ++k) m_constants[node.outputs[k]] = std::move(outputs[k]);
  }
  m_nodes = std::move(kept);
}

// BN(Conv(x, W, b)) = Conv(x, W s, (b - mean) s + beta), s = scale / sqrt(var + epsilon), per output
// channel: exact arithmetic, done once, when the BN is the only reader of the product.
void Graph::fold_batch_norms() {
  std::map<std::string, int> readers;
  for (const OnnxGraphNode& node : m_nodes)
    for (const std::string& input : node.inputs) ++readers[input];
  for (const auto& output : m_outputs) ++readers[output.name];
  std::map<std::string, std::size_t> producer;
  for (std::size_t k = 0; k < m_nodes.size(); ++k)
    for (const std::string& output : m_nodes[k].outputs) producer[output] = k;

  for (OnnxGraphNode& bn : m_nodes) {
    if (bn.op_type != "BatchNormalization" || bn.inputs.size() < 5 || bn.outputs.size() != 1) continue;
    const auto from = producer.find(bn.inputs[0]);
    if (from == producer.end() || readers[bn.inputs[0]] != 1) continue;
    OnnxGraphNode& layer = m_nodes[from->second];
    const bool conv = layer.op_type == "Conv", gemm = layer.op_type == "Gemm";
    std::vector<const Tensor*> p;
    for (std::size_t k = 1; k < 5; ++k) p.push_back(constant(bn.inputs[k]));
    const Tensor* w = layer.inputs.size() > 1 ? constant(layer.inputs[1]) : nullptr;
    if ((!conv && !gemm) || !w || std::count(p.begin(), p.end(), nullptr) || (gemm && w->rank() != 2)) continue;
    const bool trans_b = gemm && layer.integer("transB", 0) != 0;
    const std::size_t channels = conv ? w->shape[0] : trans_b ? w->shape[0] : w->shape[1];
    if (std::any_of(p.begin(), p.end(), [&](const Tensor* t) { return t->size() != channels; })) continue;
    const Tensor* b = layer.inputs.size() > 2 && !layer.inputs[2].empty() ? constant(layer.inputs[2]) : nullptr;
    if (layer.inputs.size() > 2 && !layer.inputs[2].empty() && (!b || b->size() != channels)) continue;
    if (gemm && layer.real("beta", 1.0) != 1.0 && b) continue;

    const double epsilon = bn.real("epsilon", 1e-5);
    std::vector<double> s(channels);
    for (std::size_t c = 0; c < channels; ++c) s[c] = p[0]->data[c] / std::sqrt(p[3]->data[c] + epsilon);
    Tensor weights = *w, bias = Tensor::zeros({channels});
    const std::size_t per_channel = weights.size() / channels;
    for (std::size_t k = 0; k < weights.size(); ++k) {
      const std::size_t c = conv || trans_b ? k / per_channel : k % channels;
      weights.data[k] *= s[c];
    }
    for (std::size_t c = 0; c < channels; ++c) bias.data[c] = ((b ? b->data[c] : 0.0) - p[2]->data[c]) * s[c] + p[1]->data[c];
    const std::string prefix = layer.name.empty() ? layer.outputs.front() : layer.name;
    m_constants[prefix + ":folded_weights"] = std::move(weights);
    m_constants[prefix + ":folded_bias"] = std::move(bias);
    layer.inputs.resize(3);
    layer.inputs[1] = prefix + ":folded_weights";
    layer.inputs[2] = prefix + ":folded_bias";
    m_folded.emplace_back(bn.name.empty() ? bn.outputs.front() : bn.name, prefix);
    bn.op_type = "Identity";
    bn.inputs.resize(1);
    bn.attributes.clear();
  }
}

std::vector<std::size_t> Graph::linear_nodes() const {
  std::vector<std::size_t> found;
  for (std::size_t k = 0; k < m_nodes.size(); ++k) {
    const OnnxGraphNode& n = m_nodes[k];
    if (!is_linear(n.op_type) || n.inputs.size() < 2) continue;
    const Tensor* w = constant(n.inputs[1]);
    if (!w || constant(n.inputs[0])) continue;
    if (n.op_type == "MatMul" && w->rank() != 2) continue;
    if (n.inputs.size() > 2 && !n.inputs[2].empty() && !constant(n.inputs[2])) continue;
    found.push_back(k);
  }
  return found;
}

LinearNode Graph::linear(std::size_t index) const {
  const OnnxGraphNode& n = m_nodes.at(index);
  const Tensor* bias = n.inputs.size() > 2 && !n.inputs[2].empty() ? constant(n.inputs[2]) : nullptr;
  try {
    return make_linear_node(n, *constant(n.inputs[1]), bias);
  } catch (const GraphError& e) {
    throw GraphError(m_path.string() + ": " + e.what());
  }
}

std::map<std::string, Tensor> run_graph(const Graph& graph, std::map<std::string, Tensor> inputs,
                                        const std::vector<std::string>& keep, const NodeRunner& runner) {
  std::map<std::string, Tensor>& values = inputs;
  std::set<std::string> wanted(keep.begin(), keep.end());
  for (const auto& output : graph.outputs()) wanted.insert(output.name);
  std::map<std::string, std::size_t> last_use;
  const auto& nodes = graph.nodes();
  for (std::size_t k = 0; k < nodes.size(); ++k)
    for (const std::string& input : nodes[k].inputs) last_use[input] = k;

  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const OnnxGraphNode& node = nodes[k];
    std::vector<const Tensor*> args;
    for (const std::string& name : node.inputs) {
      if (name.empty()) {
        args.push_back(nullptr);
        continue;
      }
      const Tensor* t = graph.constant(name);
      if (!t) {
        const auto it = values.find(name);
        if (it == values.end()) throw GraphError(node.label() + ": input '" + name + "' was not given");
        t = &it->second;
      }
      args.push_back(t);
    }
    std::optional<Tensor> taken = runner ? runner(k, args) : std::nullopt;
    std::vector<Tensor> outputs;
    if (taken) {
      outputs.push_back(std::move(*taken));
    } else {
      outputs = run_op(node, args, graph.opset());
    }
    for (const std::string& name : node.inputs) {
      if (!name.empty() && last_use[name] == k && !wanted.count(name)) values.erase(name);
    }
    for (std::size_t o = 0; o < outputs.size() && o < node.outputs.size(); ++o) {
      if (!node.outputs[o].empty()) values[node.outputs[o]] = std::move(outputs[o]);
    }
  }
  std::map<std::string, Tensor> result;
  for (const std::string& name : wanted) {
    const auto it = values.find(name);
    if (it != values.end()) {
      result.emplace(name, std::move(it->second));
    } else if (const Tensor* t = graph.constant(name)) {
      result.emplace(name, *t);
    }
  }
  return result;
}

}  // namespace xbar::sim
