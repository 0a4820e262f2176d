#include "xbar/sim/nn/linear_node.hpp"

#include "nn/ops_internal.hpp"

namespace xbar::sim {

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

int as_int(std::size_t v) { return static_cast<int>(v); }

// The node's Conv attributes in their 2-D form (a 1-D Conv gets a unit H axis in front).
OnnxNode conv_attributes(const OnnxGraphNode& node, bool one_d) {
  OnnxNode a;
  a.op_type = "Conv";
  a.name = node.label();
  const auto lift = [one_d](std::vector<long> v, long unit) {
    if (one_d && v.size() == 1) return std::vector<long>{unit, v[0]};
    if (one_d && v.size() == 2) return std::vector<long>{0, v[0], 0, v[1]};  // pads
    return v;
  };
  a.kernel_shape = lift(node.ints("kernel_shape"), 1);
  a.strides = lift(node.ints("strides"), 1);
  a.pads = lift(node.ints("pads"), 0);
  a.dilations = lift(node.ints("dilations"), 1);
  a.group = node.integer("group", 1);
  a.auto_pad = node.text("auto_pad", "NOTSET");
  return a;
}

}  // namespace

Eigen::MatrixXd LinearNode::matrix(int group) const {
  return conv ? models::lowered_weights(layer, group) : dense;
}

void LinearNode::set_matrices(const std::vector<Eigen::MatrixXd>& matrices) {
  if (!conv) {
    dense = matrices.front();
    return;
  }
  // Row r of group g's matrix is tap (c, y, x) = r; column j is output channel g * O/G + j.
  const int taps = layer.in_per_group * layer.kernel_h * layer.kernel_w;
  for (int g = 0; g < groups(); ++g)
    for (int j = 0; j < layer.out_per_group(); ++j)
      for (int r = 0; r < taps; ++r) {
        const auto o = static_cast<std::size_t>(g * layer.out_per_group() + j);
        layer.weights[o * static_cast<std::size_t>(taps) + static_cast<std::size_t>(r)] = matrices[static_cast<std::size_t>(g)](r, j);
      }
}

LinearNode make_linear_node(const OnnxGraphNode& node, const Tensor& weights, const Tensor* bias) {
  LinearNode l;
  l.name = node.name.empty() ? node.outputs.front() : node.name;
  l.op_type = node.op_type;
  if (bias) l.bias = *bias;
  if (node.op_type == "Conv") {
    l.conv = true;
    l.one_d = weights.rank() == 3;
    if (weights.rank() != 4 && !l.one_d) ops::fail(node, "expected 1-D or 2-D convolution weights, got " + weights.shape_text());
    l.attributes = conv_attributes(node, l.one_d);
    const auto& s = weights.shape;
    try {
      l.layer = models::ConvLayer::from_oihw(weights.data, {as_int(s[0]), as_int(s[1]), l.one_d ? 1 : as_int(s[2]), as_int(s.back())},
                                             conv_geometry(l.attributes, 1 << 20, 1 << 20));
    } catch (const std::exception& e) {
      ops::fail(node, e.what());
    }
    if (bias && bias->size() != s[0]) ops::fail(node, "a bias of " + std::to_string(bias->size()) + " values for " + std::to_string(s[0]) + " channels");
    return l;
  }
  if (weights.rank() != 2) ops::fail(node, "expected 2-D weights, got " + weights.shape_text());
  const Eigen::Map<const RowMajor> w(weights.data.data(), static_cast<Eigen::Index>(weights.shape[0]),
                                     static_cast<Eigen::Index>(weights.shape[1]));
  if (node.op_type == "Gemm") {
    l.dense = (node.integer("transB", 0) ? Eigen::MatrixXd(w.transpose()) : Eigen::MatrixXd(w)) * node.real("alpha", 1.0);
    l.trans_a = node.integer("transA", 0) != 0;
    const double beta = node.real("beta", 1.0);
    for (double& v : l.bias.data) v *= beta;
  } else {
    l.dense = w;
  }
  return l;
}

Tensor linear_forward(const LinearNode& l, const Tensor& x, const GroupProduct& product) {
  if (l.conv) {
    const std::size_t rank = l.one_d ? 3 : 4;
    if (x.rank() != rank) throw GraphError(l.op_type + " '" + l.name + "': expected an input of rank " + std::to_string(rank) + ", got " + x.shape_text());
    models::Tensor4 input(as_int(x.shape[0]), as_int(x.shape[1]), l.one_d ? 1 : as_int(x.shape[2]), as_int(x.shape.back()));
    if (input.c != l.layer.in_channels()) {
      throw GraphError(l.op_type + " '" + l.name + "': the input has " + std::to_string(input.c) + " channels, the weights take " +
                       std::to_string(l.layer.in_channels()));
    }
    input.data = x.data;
    models::ConvLayer layer = l.layer;
    layer.geometry = conv_geometry(l.attributes, input.h, input.w);
    const auto [oh, ow] = models::output_size(layer, input.h, input.w);
    if (oh <= 0 || ow <= 0) throw GraphError(l.op_type + " '" + l.name + "': the kernel is larger than the padded input " + x.shape_text());
    const auto channels = static_cast<std::size_t>(layer.out_channels);
    const std::size_t plane = static_cast<std::size_t>(oh) * static_cast<std::size_t>(ow);
    const double rows = static_cast<double>(x.shape[0]) * static_cast<double>(plane);
    require_memory(rows * static_cast<double>(layer.in_per_group * layer.kernel_h * layer.kernel_w + layer.out_per_group()) +
                       rows * static_cast<double>(channels),
                   l.op_type + " '" + l.name + "': the lowered input and output");
    Tensor out;
    out.shape = l.one_d ? std::vector<std::size_t>{x.shape[0], channels, std::size_t(ow)}
                        : std::vector<std::size_t>{x.shape[0], channels, std::size_t(oh), std::size_t(ow)};
    out.data.resize(x.shape[0] * channels * plane);
    // Row (n, y, x) of a group's product, column j: output channel g * O/G + j of image n. Each image's
    // plane of one channel is a contiguous run down the column (as models::assemble_output, faster).
    for (int g = 0; g < layer.geometry.groups; ++g) {
      const Eigen::MatrixXd y = product(g, models::im2col(layer, input, g));
      for (int j = 0; j < layer.out_per_group(); ++j) {
        const std::size_t c = static_cast<std::size_t>(g * layer.out_per_group() + j);
        const double b = l.bias.data.empty() ? 0.0 : l.bias.data[c];
        for (std::size_t n = 0; n < x.shape[0]; ++n) {
          const double* from = y.col(j).data() + n * plane;
          double* to = out.data.data() + (n * channels + c) * plane;
          for (std::size_t k = 0; k < plane; ++k) to[k] = from[k] + b;
        }
      }
    }
    return out;
  }
  // Gemm takes a matrix (transA), MatMul any rank >= 1 (the last axis is the vector).
  const auto inputs = l.dense.rows();
  if (x.rank() == 0 || (l.trans_a ? x.shape.front() : x.shape.back()) != static_cast<std::size_t>(inputs) ||
      (l.op_type == "Gemm" && x.rank() != 2)) {
    throw GraphError(l.op_type + " '" + l.name + "': an input of shape " + x.shape_text() + " does not fit weights of " +
                     std::to_string(inputs) + " inputs");
  }
  const auto vectors = static_cast<Eigen::Index>(x.size() / static_cast<std::size_t>(inputs));
  require_memory(static_cast<double>(vectors) * static_cast<double>(l.dense.cols()), l.op_type + " '" + l.name + "': the output");
  Eigen::MatrixXd rows = l.trans_a ? Eigen::MatrixXd(Eigen::Map<const RowMajor>(x.data.data(), inputs, vectors).transpose())
                                   : Eigen::MatrixXd(Eigen::Map<const RowMajor>(x.data.data(), vectors, inputs));
  const RowMajor y = product(0, rows);
  Tensor out;
  out.shape = x.rank() == 1 ? std::vector<std::size_t>{} : std::vector<std::size_t>(x.shape.begin(), x.shape.end() - 1);
  if (l.trans_a) out.shape = {x.shape.back()};
  out.shape.push_back(static_cast<std::size_t>(y.cols()));
  out.data.assign(y.data(), y.data() + y.size());
  if (!l.bias.data.empty()) {
    OnnxGraphNode add;
    add.op_type = l.op_type;
    add.name = l.name;
    out = ops::add_broadcast(add, out, l.bias);
  }
  return out;
}

}  // namespace xbar::sim
