// A pruned CNN layer on crossbars (`xbar layer`): prune, lower each group by im2col, drop the rows and
// columns pruning emptied, cut the matrix into array-sized tiles — each its own fabricated crossbar,
// programmed and simulated like a design — and add the tiles' partial sums digitally. Pruned weights
// are cells with every switch open. Compared with the ideal output of the same (pruned) layer.
// Usage (given const Spec& spec, const RunOptions& options):
//   LayerResult r = run_layer(spec, BackendKind::native, options);
//   r.ideal; r.simulated;   // NCHW output tensors (bias excluded: it is added digitally)
#pragma once

#include <vector>

#include "xbar/models/conv.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

struct LayerTile {
  int group = 0, first_row = 0, rows = 0, first_col = 0, cols = 0;
  double weight_error = 0.0;  // of the layer's full scale
  std::size_t saturated = 0;  // compensation: cells whose corrected target their banks cannot reach
  double model_residual = 0.0;  // compensation: best max |T - W| / g_fs in the model (0: none)
};

struct LayerResult {
  BackendKind backend = BackendKind::native;
  models::Tensor4 ideal, simulated;
  double weight_error = 0.0;
  double output_error_max = 0.0;  // the worst image's max |sim - ideal| / max |ideal| (metrics.hpp)
  double output_error_rms = 0.0;  // over the whole output tensor, of its peak
  double sparsity = 0.0;          // fraction of weights pruned
  std::size_t cells_dense = 0;    // cells the unpruned lowered matrices would need
  std::size_t cells_used = 0;     // cells left after dropping emptied rows and columns
  std::size_t resistors_saved = 0;  // in the rows and columns that pruning removed
  std::size_t cells_idle = 0;       // cells kept in a tile but pruned: every switch open
  // Energy from each tile's solved circuit (flow/energy.hpp): every tile's power summed over the input
  // vectors it computes, times readout.t_int, per input image; per MAC of the tiles' cells.
  double energy_per_inference_j = 0.0;
  double energy_per_mac_j = 0.0;
  double power_w_mean = 0.0;        // mean over the tiles' products
  std::size_t adc_clipped = 0;
  std::vector<LayerTile> tiles;
};

LayerResult run_layer(const Spec& spec, BackendKind backend, const RunOptions& options = {});

}  // namespace xbar::sim
