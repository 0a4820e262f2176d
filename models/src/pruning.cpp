#include "xbar/models/pruning.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "xbar/models/random.hpp"

namespace xbar::models {

namespace {

std::size_t units_removed(double sparsity, std::size_t units) {
  if (!(sparsity >= 0.0 && sparsity <= 1.0)) throw std::invalid_argument("pruning: sparsity must be in [0, 1]");
  return static_cast<std::size_t>(std::llround(sparsity * static_cast<double>(units)));
}

// Indices of the `count` smallest scores; ties go to the lower index (a stable order).
std::vector<std::size_t> smallest(const std::vector<double>& scores, std::size_t count) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  order.resize(count);
  return order;
}

// For every weight (OIHW index), the structural unit it belongs to, and how many units there are.
std::pair<std::vector<std::size_t>, std::size_t> units_of(const ConvLayer& conv, const PruneSettings& s) {
  const std::size_t total = conv.weights.size();
  std::vector<std::size_t> unit(total);
  const int taps = conv.kernel_h * conv.kernel_w;
  const int rows = conv.in_per_group * taps, cols = conv.out_per_group();
  const int b = std::max(1, s.block);
  const int row_blocks = (rows + b - 1) / b, col_blocks = (cols + b - 1) / b;
  for (int o = 0; o < conv.out_channels; ++o)
    for (int i = 0; i < conv.in_per_group; ++i)
      for (int t = 0; t < taps; ++t) {
        const std::size_t index = (static_cast<std::size_t>(o) * conv.in_per_group + i) * taps + t;
        const int group = o / cols;
        switch (s.method) {
          case PruneMethod::filter:
            unit[index] = static_cast<std::size_t>(o);
            break;
          case PruneMethod::channel:
            unit[index] = static_cast<std::size_t>(group * conv.in_per_group + i);
            break;
          case PruneMethod::block: {
            const int row = i * taps + t, col = o - group * cols;  // position in the lowered matrix W_g
            unit[index] = (static_cast<std::size_t>(group) * row_blocks + row / b) * col_blocks + col / b;
            break;
          }
          default:
            unit[index] = index;
        }
      }
  const std::size_t count = s.method == PruneMethod::filter    ? static_cast<std::size_t>(conv.out_channels)
                            : s.method == PruneMethod::channel ? static_cast<std::size_t>(conv.in_channels())
                            : s.method == PruneMethod::block
                                ? static_cast<std::size_t>(conv.geometry.groups) * row_blocks * col_blocks
                                : total;
  return {unit, count};
}

}  // namespace

std::vector<std::uint8_t> prune_mask(const ConvLayer& conv, const PruneSettings& settings, std::uint64_t seed,
                                     std::uint64_t layer) {
  const auto [unit, units] = units_of(conv, settings);
  const std::size_t remove = units_removed(settings.sparsity, units);
  std::vector<bool> removed(units, false);
  if (settings.method == PruneMethod::random || settings.method == PruneMethod::random_with_replacement) {
    Rng rng(derive_seed(seed, 0, StreamPurpose::pruning, layer));
    if (settings.method == PruneMethod::random_with_replacement) {
      for (std::size_t k = 0; k < remove; ++k) removed[rng.next() % units] = true;
    } else {  // a partial Fisher-Yates shuffle picks `remove` distinct units
      std::vector<std::size_t> order(units);
      std::iota(order.begin(), order.end(), 0);
      for (std::size_t k = 0; k < remove; ++k) {
        std::swap(order[k], order[k + rng.next() % (units - k)]);
        removed[order[k]] = true;
      }
    }
  } else {
    std::vector<double> score(units, 0.0);
    for (std::size_t w = 0; w < conv.weights.size(); ++w) score[unit[w]] += std::abs(conv.weights[w]);
    for (std::size_t u : smallest(score, remove)) removed[u] = true;
  }
  std::vector<std::uint8_t> mask(conv.weights.size());
  for (std::size_t w = 0; w < mask.size(); ++w) mask[w] = !removed[unit[w]];
  return mask;
}

std::vector<std::vector<std::uint8_t>> global_magnitude_masks(const std::vector<const ConvLayer*>& layers,
                                                              double sparsity) {
  std::vector<double> all;
  for (const ConvLayer* l : layers)
    for (double w : l->weights) all.push_back(std::abs(w));
  std::vector<bool> removed(all.size(), false);
  for (std::size_t k : smallest(all, units_removed(sparsity, all.size()))) removed[k] = true;
  std::vector<std::vector<std::uint8_t>> masks;
  std::size_t offset = 0;
  for (const ConvLayer* l : layers) {
    std::vector<std::uint8_t> mask(l->weights.size());
    for (std::size_t w = 0; w < mask.size(); ++w) mask[w] = !removed[offset + w];
    offset += mask.size();
    masks.push_back(std::move(mask));
  }
  return masks;
}

double mask_sparsity(const std::vector<std::uint8_t>& mask) {
  if (mask.empty()) return 0.0;
  return static_cast<double>(std::count(mask.begin(), mask.end(), 0)) / static_cast<double>(mask.size());
}

}  // namespace xbar::models
