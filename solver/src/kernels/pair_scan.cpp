#include "pair_scan.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "pair_scan_avx2.hpp"
#include "walk.hpp"

namespace xbar::solver::detail {

namespace {

// One stretch of the walk, and the closest pair it has met (its high entry is found afterwards: it is
// one of the two around target - a).
struct Chain {
  const double* a;
  const double* b;
  const double* best_a;
  double best_error;
};

// Branch-free: which way the walk goes and whether the pair is the best so far are unpredictable.
[[gnu::always_inline]] inline void step(Chain& chain, double target) {
  const double sum = *chain.a + *chain.b;
  const double error = std::abs(sum - target);
  chain.best_a = error < chain.best_error ? chain.a : chain.best_a;
  chain.best_error = std::min(error, chain.best_error);
  const std::ptrdiff_t below = sum < target;
  chain.a += below;
  chain.b -= 1 - below;
}

// The high entry that, with a, is closest to target: one of the two around target - a.
const double* partner_of(const double* a, const double* b, std::size_t n_high, double target) {
  const double* above =
      std::partition_point(b + 1, b + 1 + n_high, [&](double x) { return *a + x < target; });
  const double* below = above - 1;
  if (below == b) return above;
  if (above == b + 1 + n_high) return below;
  return std::abs(*a + *below - target) <= std::abs(*a + *above - target) ? below : above;
}

// The scalar scan, one pair a step: the reference for the vector one.
ScanHit scan_walk(const double* a, std::size_t n_low, const double* b, std::size_t n_high, double target,
                  double tolerance) {
  const Walk<double> walk({a, 1, 0, n_low}, {b, 1, 0, n_high}, target, a[1], b[n_high]);
  const Stretches stretches = walk.in_stretches();
  constexpr std::size_t check_every = 64;
  Chain chain[Stretches::count];
  for (std::size_t c = 0; c < Stretches::count; ++c) {
    const auto [i, j] = stretches.at[c];
    chain[c] = {a + i, b + j, nullptr, std::numeric_limits<double>::infinity()};
  }
  bool within = false;
  for (std::size_t done = 0; done < stretches.together && !within;) {
    const std::size_t until = std::min(stretches.together, done + check_every);
    for (; done < until; ++done) {
      step(chain[0], target);
      step(chain[1], target);
      step(chain[2], target);
      step(chain[3], target);
    }
    within = std::min(std::min(chain[0].best_error, chain[1].best_error),
                      std::min(chain[2].best_error, chain[3].best_error)) <= tolerance;
  }
  if (!within) {
    for (std::size_t c = 0; c < Stretches::count; ++c) {
      if (stretches.has_one_more(c)) step(chain[c], target);
    }
  }

  ScanHit hit;
  for (const Chain& c : chain) {
    if (!(c.best_error < hit.error)) continue;
    const double* partner = partner_of(c.best_a, b, n_high, target);
    hit = {std::abs(*c.best_a + *partner - target), c.best_a, partner};
  }
  return hit;
}

}  // namespace

bool scan_pairs(const SortedSums& low, const SortedSums& high, double target, double tolerance,
                BestPair& best, Kernel kernel) {
  const std::size_t n_low = low.size(), n_high = high.size();
  if (n_low == 0 || n_high == 0) return best.error <= tolerance;
  const bool blocks = n_low % 4 == 0 && n_high % 4 == 0 && n_low >= 16 && n_high >= 16;
  const ScanHit hit = kernel == Kernel::vector && blocks
                          ? scan_blocks_avx2(low.sums(), n_low, high.sums(), n_high, target, tolerance)
                          : scan_walk(low.sums(), n_low, high.sums(), n_high, target, tolerance);
  if (hit.low != nullptr) {
    const double sum = *hit.low + *hit.high, error = std::abs(sum - target);
    if (error < best.error) {
      const auto i = static_cast<std::size_t>(hit.low - low.sums());
      const auto j = static_cast<std::size_t>(hit.high - high.sums());
      best = {error,
              sum,
              *hit.low,
              *hit.high,
              low.masks() ? low.masks()[i] : 0u,
              high.masks() ? high.masks()[j] : 0u};
    }
  }
  return best.error <= tolerance;
}

}  // namespace xbar::solver::detail
