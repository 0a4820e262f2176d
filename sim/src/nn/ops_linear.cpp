// Conv, Gemm and MatMul run digitally (weights that are graph inputs, or nodes kept off the crossbars).
#include "nn/ops_internal.hpp"
#include "xbar/sim/nn/linear_node.hpp"

namespace xbar::sim::ops {

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// NumPy matmul of two tensors of rank >= 2 with broadcast batch axes.
Tensor batched_matmul(const OnnxGraphNode& node, const Tensor& a, const Tensor& b) {
  const std::size_t n = a.shape[a.rank() - 2], k = a.shape.back(), m = b.shape.back();
  if (b.shape[b.rank() - 2] != k) fail(node, "shapes " + a.shape_text() + " and " + b.shape_text() + " do not multiply");
  const std::size_t rank = std::max(a.rank(), b.rank());
  std::vector<std::size_t> batch(rank - 2), sa(rank - 2, 0), sb(rank - 2, 0);
  std::size_t stride_a = n * k, stride_b = k * m;
  for (std::size_t d = rank - 2; d-- > 0;) {
    const long ia = static_cast<long>(d) - static_cast<long>(rank - a.rank());
    const long ib = static_cast<long>(d) - static_cast<long>(rank - b.rank());
    const std::size_t da = ia >= 0 ? a.shape[static_cast<std::size_t>(ia)] : 1, db = ib >= 0 ? b.shape[static_cast<std::size_t>(ib)] : 1;
    if (da != db && da != 1 && db != 1) fail(node, "batch axes of " + a.shape_text() + " and " + b.shape_text() + " do not broadcast");
    batch[d] = std::max(da, db);
    sa[d] = da == 1 ? 0 : stride_a;
    sb[d] = db == 1 ? 0 : stride_b;
    stride_a *= da;
    stride_b *= db;
  }
  std::vector<std::size_t> shape = batch;
  shape.push_back(n);
  shape.push_back(m);
  Tensor out = Tensor::zeros(shape);
  const std::size_t count = element_count(batch);
  std::vector<std::size_t> index(batch.size(), 0);
  for (std::size_t t = 0; t < count; ++t) {
    std::size_t oa = 0, ob = 0;
    for (std::size_t d = 0; d < batch.size(); ++d) {
      oa += index[d] * sa[d];
      ob += index[d] * sb[d];
    }
    Eigen::Map<RowMajor>(out.data.data() + t * n * m, Eigen::Index(n), Eigen::Index(m)) =
        Eigen::Map<const RowMajor>(a.data.data() + oa, Eigen::Index(n), Eigen::Index(k)) *
        Eigen::Map<const RowMajor>(b.data.data() + ob, Eigen::Index(k), Eigen::Index(m));
    next_index(index, batch);
  }
  return out;
}

}  // namespace

Tensor linear(const OnnxGraphNode& node, const Inputs& in) {
  const Tensor& x = required(node, in, 0);
  const Tensor& w = required(node, in, 1);
  if (node.op_type == "MatMul" && (w.rank() != 2 || x.rank() < 1)) {
    if (x.rank() < 2 || w.rank() < 2) fail(node, "matrix products of rank-1 and higher-rank tensors are not supported");
    return batched_matmul(node, x, w);
  }
  const Tensor* bias = in.size() > 2 ? in[2] : nullptr;
  const LinearNode layer = make_linear_node(node, w, bias);
  return linear_forward(layer, x, [&](int g, const Eigen::MatrixXd& rows) -> Eigen::MatrixXd { return rows * layer.matrix(g); });
}

}  // namespace xbar::sim::ops
