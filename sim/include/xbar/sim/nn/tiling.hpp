// Cutting a lowered (im2col) weight matrix onto crossbars: the rows and columns pruning emptied are
// dropped, and what is left is cut into tiles of at most array rows x array cols, each its own crossbar.
// Usage (given const Eigen::MatrixXd& w):
//   CompactMatrix kept = drop_empty_lines(w);   // kept.matrix, kept.rows, kept.cols (original indices)
//   for (const TileBlock& t : tile_blocks(kept.matrix.rows(), kept.matrix.cols(), 128, 128))
//     kept.matrix.block(t.first_row, t.first_col, t.rows, t.cols);   // one crossbar's weights
#pragma once

#include <vector>

#include <Eigen/Dense>

namespace xbar::sim {

// A matrix without its all-zero rows and columns, and where the rest came from.
struct CompactMatrix {
  Eigen::MatrixXd matrix;
  std::vector<Eigen::Index> rows, cols;  // original indices, in order
};

CompactMatrix drop_empty_lines(const Eigen::MatrixXd& m);

// The columns `cols` of m, in that order.
Eigen::MatrixXd select_columns(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& cols);

struct TileBlock {
  Eigen::Index first_row = 0, rows = 0, first_col = 0, cols = 0;
};

// Row-major order of tiles over a rows x cols matrix.
std::vector<TileBlock> tile_blocks(Eigen::Index rows, Eigen::Index cols, int array_rows, int array_cols);

}  // namespace xbar::sim
