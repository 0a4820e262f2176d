// Pruning masks for convolution (and dense, as 1x1 convolution) weights, as in the seed papers:
// magnitude (layer-wise, or global over several layers), random (without and with replacement), and
// structured — whole filters (output channels), whole input channels, b x b blocks of the lowered
// matrix. A pruned weight becomes a cell with every switch open; pruned filters/channels remove
// columns/rows of the crossbar.
// Usage (given const ConvLayer& conv, std::uint64_t seed):
//   auto mask = prune_mask(conv, {PruneMethod::filter, 0.5}, seed);   // 1 = kept, OIHW order
//
// Exactly round(sparsity x units) units are removed (units: weights, filters, input channels or
// blocks), the smallest by magnitude (L1 norm for structures; ties to the lower index), or drawn at
// random from stream (seed, 0, pruning, layer). With replacement, that many draws are made and the
// distinct ones removed, so fewer may go.
#pragma once

#include <cstdint>
#include <vector>

#include "xbar/models/conv.hpp"

namespace xbar::models {

enum class PruneMethod { magnitude, random, random_with_replacement, filter, channel, block };

struct PruneSettings {
  PruneMethod method = PruneMethod::magnitude;
  double sparsity = 0.5;  // fraction of units removed, in [0, 1]
  int block = 2;          // b, for PruneMethod::block
};

std::vector<std::uint8_t> prune_mask(const ConvLayer& conv, const PruneSettings& settings, std::uint64_t seed = 0,
                                     std::uint64_t layer = 0);

// Magnitude pruning over several layers at once: the smallest weights of all of them together.
std::vector<std::vector<std::uint8_t>> global_magnitude_masks(const std::vector<const ConvLayer*>& layers,
                                                              double sparsity);

// The fraction of zeros in a mask.
double mask_sparsity(const std::vector<std::uint8_t>& mask);

}  // namespace xbar::models
