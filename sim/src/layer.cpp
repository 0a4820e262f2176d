#include "xbar/sim/layer.hpp"

#include <cmath>

#include "xbar/models/pruning.hpp"

namespace xbar::sim {

namespace {

// Indices of the rows (or columns) of `m` that hold any nonzero entry.
std::vector<Eigen::Index> nonzero_lines(const Eigen::MatrixXd& m, bool rows) {
  std::vector<Eigen::Index> kept;
  const Eigen::Index count = rows ? m.rows() : m.cols();
  for (Eigen::Index k = 0; k < count; ++k) {
    if ((rows ? m.row(k).cwiseAbs().maxCoeff() : m.col(k).cwiseAbs().maxCoeff()) > 0.0) kept.push_back(k);
  }
  return kept;
}

Eigen::MatrixXd select(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& rows, const std::vector<Eigen::Index>& cols) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < cols.size(); ++c) out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = m(rows[r], cols[c]);
  return out;
}

// Cells whose weight was pruned get every switch open; the programmed weights follow.
void open_pruned_cells(ProgrammedDesign& design, const Eigen::MatrixXd& weights) {
  const auto& shape = design.crossbar.shape;
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j) {
      if (weights(i, j) != 0.0) continue;
      const std::size_t first = shape.branch(i, j, models::Polarity::positive, 0);
      std::fill_n(design.states.on.begin() + static_cast<std::ptrdiff_t>(first), shape.branches_per_cell(), 0);
    }
  design.programmed_weights = programmed_weights(design);
}

}  // namespace

LayerResult run_layer(const Spec& spec, BackendKind backend_kind, const RunOptions& options) {
  LayerResult result;
  result.backend = backend_kind;
  models::ConvLayer layer = spec.layer;
  if (spec.prune) {
    std::vector<std::uint8_t> mask;
    if (spec.prune_global) {  // one threshold over this layer and the others (as flat weight lists)
      std::vector<models::ConvLayer> others;
      for (const auto& w : spec.prune_with) {
        others.push_back(models::ConvLayer::from_oihw(w, {1, static_cast<int>(w.size()), 1, 1}, {}));
      }
      std::vector<const models::ConvLayer*> all = {&layer};
      for (const auto& o : others) all.push_back(&o);
      mask = models::global_magnitude_masks(all, spec.prune_settings.sparsity).front();
    } else {
      mask = models::prune_mask(layer, spec.prune_settings, spec.seed);
    }
    for (std::size_t k = 0; k < mask.size(); ++k) layer.weights[k] *= mask[k];
    result.sparsity = models::mask_sparsity(mask);
  }
  const models::Tensor4& input = spec.layer_input;
  const auto [oh, ow] = models::output_size(layer, input.h, input.w);
  double w_fs = 0.0;
  for (double w : layer.weights) w_fs = std::max(w_fs, std::abs(w));
  double x_fs = 0.0;
  for (double x : input.data) x_fs = std::max(x_fs, std::abs(x));
  if (w_fs == 0.0) w_fs = 1.0;
  if (x_fs == 0.0) x_fs = 1.0;

  const auto backend = make_backend(backend_kind);
  std::vector<Eigen::MatrixXd> ideal_groups, simulated_groups;
  std::uint64_t tile_index = 0;
  for (int g = 0; g < layer.geometry.groups; ++g) {
    const Eigen::MatrixXd w = models::lowered_weights(layer, g);
    const Eigen::MatrixXd x = models::im2col(layer, input, g);
    result.cells_dense += static_cast<std::size_t>(w.size());
    const auto rows = nonzero_lines(w, true), cols = nonzero_lines(w, false);
    result.cells_used += rows.size() * cols.size();
    const Eigen::MatrixXd kept = select(w, rows, cols);
    result.cells_idle += static_cast<std::size_t>((kept.array() == 0.0).count());
    std::vector<Eigen::Index> all_vectors(static_cast<std::size_t>(x.rows()));
    for (std::size_t v = 0; v < all_vectors.size(); ++v) all_vectors[v] = static_cast<Eigen::Index>(v);
    const Eigen::MatrixXd x_kept = select(x, all_vectors, rows);
    Eigen::MatrixXd simulated = Eigen::MatrixXd::Zero(x.rows(), w.cols());
    for (Eigen::Index r0 = 0; r0 < kept.rows(); r0 += spec.array_rows) {
      for (Eigen::Index c0 = 0; c0 < kept.cols(); c0 += spec.array_cols) {
        const Eigen::Index nr = std::min<Eigen::Index>(spec.array_rows, kept.rows() - r0);
        const Eigen::Index nc = std::min<Eigen::Index>(spec.array_cols, kept.cols() - c0);
        Spec tile = spec;
        tile.weights = kept.block(r0, c0, nr, nc);
        tile.w_fs = w_fs;  // one scale for every tile, so partial sums add in output units
        tile.x_fs = x_fs;
        tile.random_vectors = 0;
        tile.input_values = x_kept.middleCols(r0, nr);
        ProgrammedDesign design = program_design(tile, options, tile_index++);  // own fabrication per tile
        open_pruned_cells(design, tile.weights);
        const DesignResult r = simulate_design(design, *backend, options);
        for (Eigen::Index c = 0; c < nc; ++c) simulated.col(cols[static_cast<std::size_t>(c0 + c)]) += r.simulated.col(c);
        const double tile_error = (design.programmed_weights - tile.weights).cwiseAbs().maxCoeff() / w_fs;
        result.weight_error = std::max(result.weight_error, tile_error);
        result.tiles.push_back({g, static_cast<int>(r0), static_cast<int>(nr), static_cast<int>(c0), static_cast<int>(nc), tile_error});
      }
    }
    ideal_groups.push_back(x * w);
    simulated_groups.push_back(simulated);
  }
  result.resistors_saved = (result.cells_dense - result.cells_used) * 2 * static_cast<std::size_t>(spec.cell.resistors);
  result.ideal = models::assemble_output(layer, ideal_groups, input.n, oh, ow);
  result.simulated = models::assemble_output(layer, simulated_groups, input.n, oh, ow);
  if (!spec.layer_bias.empty()) {  // the bias is added digitally, to both
    for (models::Tensor4* t : {&result.ideal, &result.simulated})
      for (int n = 0; n < t->n; ++n)
        for (int c = 0; c < t->c; ++c)
          for (int y = 0; y < t->h; ++y)
            for (int x = 0; x < t->w; ++x) t->at(n, c, y, x) += spec.layer_bias[static_cast<std::size_t>(c)];
  }
  double peak = 0.0, worst = 0.0, squares = 0.0;
  for (std::size_t k = 0; k < result.ideal.data.size(); ++k) {
    peak = std::max(peak, std::abs(result.ideal.data[k]));
    const double d = result.simulated.data[k] - result.ideal.data[k];
    worst = std::max(worst, std::abs(d));
    squares += d * d;
  }
  const double norm = peak > 0.0 ? peak : 1.0;
  result.output_error_max = worst / norm;
  result.output_error_rms = std::sqrt(squares / static_cast<double>(std::max<std::size_t>(1, result.ideal.data.size()))) / norm;
  return result;
}

}  // namespace xbar::sim
