#include "xbar/sim/nn/layer.hpp"

#include <algorithm>
#include <cmath>

#include "xbar/models/pruning.hpp"
#include "xbar/sim/flow/metrics.hpp"
#include "xbar/sim/nn/tile.hpp"
#include "xbar/sim/nn/tiling.hpp"

namespace xbar::sim {

namespace {

// The layer's weights after pruning (none when the spec does not prune), and the fraction removed.
models::ConvLayer pruned_layer(const Spec& spec, double& sparsity) {
  models::ConvLayer layer = spec.layer.conv;
  if (!spec.prune.enabled()) return layer;
  std::vector<std::uint8_t> mask;
  if (spec.prune.global) {  // one threshold over this layer and the others (as flat weight lists)
    std::vector<models::ConvLayer> others;
    for (const auto& w : spec.prune.with) {
      others.push_back(models::ConvLayer::from_oihw(w, {1, static_cast<int>(w.size()), 1, 1}, {}));
    }
    std::vector<const models::ConvLayer*> all = {&layer};
    for (const auto& o : others) all.push_back(&o);
    mask = models::global_magnitude_masks(all, spec.prune.settings.sparsity).front();
  } else {
    mask = models::prune_mask(layer, spec.prune.settings, spec.seed);
  }
  for (std::size_t k = 0; k < mask.size(); ++k) layer.weights[k] *= mask[k];
  sparsity = models::mask_sparsity(mask);
  return layer;
}

double peak_or_one(const std::vector<double>& values) {
  double peak = 0.0;
  for (double v : values) peak = std::max(peak, std::abs(v));
  return peak == 0.0 ? 1.0 : peak;
}

}  // namespace

LayerResult run_layer(const Spec& spec, BackendKind backend_kind, const RunOptions& options) {
  LayerResult result;
  result.backend = backend_kind;
  const models::ConvLayer layer = pruned_layer(spec, result.sparsity);
  const models::Tensor4& input = spec.layer.input;
  const auto [oh, ow] = models::output_size(layer, input.h, input.w);
  // One scale for every tile, so partial sums add in output units.
  models::Scale scale;
  scale.w_fs = peak_or_one(layer.weights);
  scale.x_fs = peak_or_one(input.data);
  scale.v_fs = spec.inputs.v_fs;
  const double reference = spec.design.full_scale * models::reference_bank_conductance(spec.design.cell);
  scale.g_fs = spec.design.g_fs.value_or(reference);

  const auto backend = make_backend(backend_kind, backend_options(spec));
  std::vector<Eigen::MatrixXd> ideal_groups, simulated_groups;
  std::uint64_t tile_index = 0;
  double energy = 0.0, macs = 0.0, products = 0.0;  // joules, multiply-accumulates and products over every tile
  for (int g = 0; g < layer.geometry.groups; ++g) {
    const Eigen::MatrixXd w = models::lowered_weights(layer, g);
    const Eigen::MatrixXd x = models::im2col(layer, input, g);
    result.cells_dense += static_cast<std::size_t>(w.size());
    const CompactMatrix kept = drop_empty_lines(w);
    result.cells_used += kept.rows.size() * kept.cols.size();
    result.cells_idle += static_cast<std::size_t>((kept.matrix.array() == 0.0).count());
    const Eigen::MatrixXd x_kept = select_columns(x, kept.rows);
    Eigen::MatrixXd simulated = Eigen::MatrixXd::Zero(x.rows(), w.cols());
    for (const TileBlock& t : tile_blocks(kept.matrix.rows(), kept.matrix.cols(), spec.array.rows, spec.array.cols)) {
      const DesignProblem problem{kept.matrix.block(t.first_row, t.first_col, t.rows, t.cols),
                                  x_kept.middleCols(t.first_row, t.rows), scale};
      const ProgrammedDesign design = program_tile(spec, problem, tile_index++, options);  // own fabrication per tile
      const DesignResult r = simulate_design(design, *backend, options);
      for (double p : r.energy.power_w) {
        energy += p * r.energy.t_int;
        macs += static_cast<double>(r.energy.macs_per_mvm);
        ++products;
      }
      result.adc_clipped += r.adc_clipped;
      for (Eigen::Index c = 0; c < t.cols; ++c) {
        simulated.col(kept.cols[static_cast<std::size_t>(t.first_col + c)]) += r.simulated.col(c);
      }
      const double tile_error = weight_error(design.programmed_weights, problem.weights, scale.w_fs);
      result.weight_error = std::max(result.weight_error, tile_error);
      LayerTile tile{g, static_cast<int>(t.first_row), static_cast<int>(t.rows), static_cast<int>(t.first_col),
                     static_cast<int>(t.cols), tile_error};
      if (const auto& c = design.compensation; c && !c->residual.empty()) {
        tile.saturated = c->saturated;
        tile.model_residual = *std::min_element(c->residual.begin(), c->residual.end());
      }
      result.tiles.push_back(tile);
    }
    ideal_groups.push_back(x * w);
    simulated_groups.push_back(simulated);
  }
  result.energy_per_inference_j = energy / std::max(1, input.n);
  result.energy_per_mac_j = macs > 0 ? energy / macs : 0.0;
  result.power_w_mean = products > 0 ? energy / spec.design.readout.t_int / products : 0.0;
  result.resistors_saved =
      (result.cells_dense - result.cells_used) * 2 * static_cast<std::size_t>(spec.design.cell.resistors);
  result.ideal = models::assemble_output(layer, ideal_groups, input.n, oh, ow);
  result.simulated = models::assemble_output(layer, simulated_groups, input.n, oh, ow);
  if (!spec.layer.bias.empty()) {  // the bias is added digitally, to both
    for (models::Tensor4* t : {&result.ideal, &result.simulated})
      for (int n = 0; n < t->n; ++n)
        for (int c = 0; c < t->c; ++c)
          for (int y = 0; y < t->h; ++y)
            for (int x = 0; x < t->w; ++x) t->at(n, c, y, x) += spec.layer.bias[static_cast<std::size_t>(c)];
  }
  const std::vector<double> per_image = image_errors(result.simulated.data, result.ideal.data, static_cast<std::size_t>(input.n));
  result.output_error_max = *std::max_element(per_image.begin(), per_image.end());
  result.output_error_rms = tensor_errors(result.simulated.data, result.ideal.data).rms;
  return result;
}

}  // namespace xbar::sim
