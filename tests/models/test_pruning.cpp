// Pruning removes exactly the requested fraction, with the requested structure.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "support.hpp"
#include "xbar/models/pruning.hpp"
#include "xbar/models/random.hpp"

using namespace xbar;
using models::PruneMethod;

namespace {

models::ConvLayer random_conv(int out, int in, int k, int groups, std::uint64_t seed) {
  models::Rng rng(seed);
  std::vector<double> w(static_cast<std::size_t>(out) * (in / groups) * k * k);
  for (double& v : w) v = rng.uniform(-1, 1);
  models::ConvGeometry g;
  g.groups = groups;
  return models::ConvLayer::from_oihw(w, {out, in / groups, k, k}, g);
}

bool kept(const models::ConvLayer& c, const std::vector<std::uint8_t>& m, int o, int i, int y, int x) {
  return m[((static_cast<std::size_t>(o) * c.in_per_group + i) * c.kernel_h + y) * c.kernel_w + x] != 0;
}

}  // namespace

TEST_CASE("magnitude and random pruning remove exactly round(s x weights); magnitude takes the smallest") {
  const auto conv = random_conv(6, 4, 3, 1, test::test_seed(1));
  for (double s : {0.0, 0.25, 0.5, 0.9, 1.0}) {
    for (auto method : {PruneMethod::magnitude, PruneMethod::random}) {
      const auto mask = models::prune_mask(conv, {method, s}, 5);
      CHECK(std::count(mask.begin(), mask.end(), 0) == std::llround(s * static_cast<double>(conv.weights.size())));
    }
  }
  const auto mask = models::prune_mask(conv, {PruneMethod::magnitude, 0.5}, 0);
  double largest_pruned = 0, smallest_kept = 1e9;
  for (std::size_t w = 0; w < mask.size(); ++w) {
    if (mask[w]) {
      smallest_kept = std::min(smallest_kept, std::abs(conv.weights[w]));
    } else {
      largest_pruned = std::max(largest_pruned, std::abs(conv.weights[w]));
    }
  }
  CHECK(largest_pruned <= smallest_kept);
  CHECK(models::prune_mask(conv, {PruneMethod::random, 0.5}, 5) == models::prune_mask(conv, {PruneMethod::random, 0.5}, 5));
  CHECK(models::prune_mask(conv, {PruneMethod::random, 0.5}, 5) != models::prune_mask(conv, {PruneMethod::random, 0.5}, 6));
  const auto replaced = models::prune_mask(conv, {PruneMethod::random_with_replacement, 0.5}, 5);
  CHECK(std::count(replaced.begin(), replaced.end(), 0) <= std::llround(0.5 * static_cast<double>(conv.weights.size())));
  CHECK(std::count(replaced.begin(), replaced.end(), 0) > 0);
}

TEST_CASE("filter and channel pruning remove whole output and input channels, the weakest first") {
  const auto conv = random_conv(8, 6, 3, 2, test::test_seed(2));
  const auto filters = models::prune_mask(conv, {PruneMethod::filter, 0.25}, 0);
  int gone = 0;
  for (int o = 0; o < 8; ++o) {
    std::set<bool> states;
    for (int i = 0; i < conv.in_per_group; ++i)
      for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) states.insert(kept(conv, filters, o, i, y, x));
    CHECK(states.size() == 1);  // all or nothing per filter
    gone += !*states.begin();
  }
  CHECK(gone == 2);
  const auto channels = models::prune_mask(conv, {PruneMethod::channel, 0.5}, 0);
  int channels_gone = 0;
  for (int c = 0; c < conv.in_channels(); ++c) {
    const int group = c / conv.in_per_group, i = c % conv.in_per_group;
    std::set<bool> states;
    for (int o = group * conv.out_per_group(); o < (group + 1) * conv.out_per_group(); ++o)
      for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) states.insert(kept(conv, channels, o, i, y, x));
    CHECK(states.size() == 1);
    channels_gone += !*states.begin();
  }
  CHECK(channels_gone == 3);
}

TEST_CASE("block pruning removes whole b x b blocks of the lowered matrix") {
  const auto conv = random_conv(4, 2, 2, 1, test::test_seed(3));  // lowered W: 8 rows x 4 columns
  const auto mask = models::prune_mask(conv, {PruneMethod::block, 0.5, 2}, 0);
  const Eigen::MatrixXd w = models::lowered_weights(conv, 0);
  Eigen::MatrixXd m(8, 4);
  for (int o = 0; o < 4; ++o)
    for (int i = 0; i < 2; ++i)
      for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 2; ++x) m((i * 2 + y) * 2 + x, o) = kept(conv, mask, o, i, y, x);
  int blocks_gone = 0;
  for (int r = 0; r < 8; r += 2)
    for (int c = 0; c < 4; c += 2) {
      const double sum = m.block(r, c, 2, 2).sum();
      CHECK((sum == 0.0 || sum == 4.0));
      blocks_gone += sum == 0.0;
    }
  CHECK(blocks_gone == 4);  // half of the 8 blocks
  CHECK(w.rows() == 8);
}

TEST_CASE("global magnitude pruning uses one threshold for all layers") {
  const auto a = random_conv(4, 4, 3, 1, 7), b = random_conv(2, 4, 1, 1, 8);
  const auto masks = models::global_magnitude_masks({&a, &b}, 0.6);
  const std::size_t total = a.weights.size() + b.weights.size();
  const auto zeros = std::count(masks[0].begin(), masks[0].end(), 0) + std::count(masks[1].begin(), masks[1].end(), 0);
  CHECK(zeros == std::llround(0.6 * static_cast<double>(total)));
  double largest_pruned = 0, smallest_kept = 1e9;
  for (auto [layer, mask] : {std::pair{&a, &masks[0]}, std::pair{&b, &masks[1]}})
    for (std::size_t w = 0; w < mask->size(); ++w) {
      if ((*mask)[w]) smallest_kept = std::min(smallest_kept, std::abs(layer->weights[w]));
      else largest_pruned = std::max(largest_pruned, std::abs(layer->weights[w]));
    }
  CHECK(largest_pruned <= smallest_kept);
  CHECK(models::mask_sparsity(masks[0]) > 0.0);
}
