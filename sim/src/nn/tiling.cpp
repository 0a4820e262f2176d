#include "xbar/sim/nn/tiling.hpp"

#include <algorithm>

namespace xbar::sim {

CompactMatrix drop_empty_lines(const Eigen::MatrixXd& m) {
  CompactMatrix compact;
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    if (m.row(r).cwiseAbs().maxCoeff() > 0.0) compact.rows.push_back(r);
  }
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    if (m.col(c).cwiseAbs().maxCoeff() > 0.0) compact.cols.push_back(c);
  }
  compact.matrix.resize(static_cast<Eigen::Index>(compact.rows.size()), static_cast<Eigen::Index>(compact.cols.size()));
  for (std::size_t r = 0; r < compact.rows.size(); ++r)
    for (std::size_t c = 0; c < compact.cols.size(); ++c) {
      compact.matrix(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = m(compact.rows[r], compact.cols[c]);
    }
  return compact;
}

Eigen::MatrixXd select_columns(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& cols) {
  Eigen::MatrixXd out(m.rows(), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t c = 0; c < cols.size(); ++c) out.col(static_cast<Eigen::Index>(c)) = m.col(cols[c]);
  return out;
}

std::vector<TileBlock> tile_blocks(Eigen::Index rows, Eigen::Index cols, int array_rows, int array_cols) {
  std::vector<TileBlock> blocks;
  for (Eigen::Index r0 = 0; r0 < rows; r0 += array_rows) {
    for (Eigen::Index c0 = 0; c0 < cols; c0 += array_cols) {
      blocks.push_back({r0, std::min<Eigen::Index>(array_rows, rows - r0), c0, std::min<Eigen::Index>(array_cols, cols - c0)});
    }
  }
  return blocks;
}

}  // namespace xbar::sim
