#include "pair_scan.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace xbar::solver::detail {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// The scan is a walk through the grid of pairs (i, j), low ascending and high ascending: from (1, n_high),
// each step moves to the next low entry when a_i + b_j < target, else to the previous high entry. It is
// the merge of low with target - high, so it meets every a with the two b nearest target - a, and the
// closest pair overall. After d steps the walk stands at (k + 1, n_high - d + k), k the number of low
// moves (the merge-path co-rank): the largest k with a_k + b_{n_high - d + k} < target. The -inf
// sentinels a_0 and b_0 make the smallest k allowed always qualify; the comparison is the one each step
// makes, so rounding cannot put the walk anywhere a serial one would not be.
class Walk {
 public:
  Walk(const SortedSums& low, const SortedSums& high, double target)
      : m_a(low.sums()), m_b(high.sums()), m_n_low(low.size()), m_n_high(high.size()), m_target(target) {}

  std::size_t low_moves_after(std::size_t d) const {
    std::size_t k = d > m_n_high ? d - m_n_high : 0, last = std::min(d, m_n_low);
    while (k < last) {
      const std::size_t middle = k + (last - k + 1) / 2;
      if (m_a[middle] + m_b[m_n_high - d + middle] < m_target) {
        k = middle;
      } else {
        last = middle - 1;
      }
    }
    return k;
  }

  // Steps until the walk leaves the grid: past the last low entry (every later pair holds +inf) or
  // below the first high one (-inf). Nothing after that can be closest.
  std::size_t length() const {
    const double a_last = m_a[m_n_low], b_first = m_b[1];
    const double* high_end = std::partition_point(m_b + 1, m_b + 1 + m_n_high,
                                                  [&](double b) { return a_last + b < m_target; });
    const double* low_end = std::partition_point(m_a + 1, m_a + 1 + m_n_low,
                                                 [&](double a) { return a + b_first < m_target; });
    const std::size_t high_left = static_cast<std::size_t>(high_end - (m_b + 1));  // j when low runs out
    const std::size_t low_done = static_cast<std::size_t>(low_end - (m_a + 1));    // i - 1 when high runs out
    return std::min(m_n_low + m_n_high - high_left, low_done + m_n_high);
  }

  const double* m_a;
  const double* m_b;
  std::size_t m_n_low, m_n_high;
  double m_target;
};

// One stretch of the walk, and the closest pair it has met (best_b is found afterwards: it is one of
// the two high entries around target - a).
struct Chain {
  const double* a;
  const double* b;
  const double* best_a;
  double best_error;
};

Chain chain_at(const Walk& walk, std::size_t d) {
  const std::size_t k = walk.low_moves_after(d);
  return {walk.m_a + k + 1, walk.m_b + (walk.m_n_high - d + k), nullptr, infinity};
}

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
const double* partner_of(const Walk& walk, const double* a) {
  const double* above = std::partition_point(walk.m_b + 1, walk.m_b + 1 + walk.m_n_high,
                                             [&](double b) { return *a + b < walk.m_target; });
  const double* below = above - 1;
  if (below == walk.m_b) return above;
  if (above == walk.m_b + 1 + walk.m_n_high) return below;
  return std::abs(*a + *below - walk.m_target) <= std::abs(*a + *above - walk.m_target) ? below : above;
}

}  // namespace

bool scan_pairs(const SortedSums& low, const SortedSums& high, double target, double tolerance, BestPair& best) {
  if (low.size() == 0 || high.size() == 0) return best.error <= tolerance;
  const Walk walk(low, high, target);
  const std::size_t length = walk.length();

  // Each step is a serial dependency (load, add, compare, move), so the walk is cut into four stretches
  // walked at once, each from its own start: four times the work in flight.
  constexpr std::size_t chains = 4, check_every = 64;
  Chain chain[chains];
  std::size_t start[chains + 1];
  for (std::size_t c = 0; c <= chains; ++c) start[c] = c * length / chains;
  for (std::size_t c = 0; c < chains; ++c) chain[c] = chain_at(walk, start[c]);
  const std::size_t together = length / chains;  // every stretch has this many steps, some one more
  bool within = false;
  for (std::size_t done = 0; done < together && !within;) {
    const std::size_t until = std::min(together, done + check_every);
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
    for (std::size_t c = 0; c < chains; ++c) {
      if (start[c + 1] - start[c] > together) step(chain[c], target);
    }
  }

  for (const Chain& c : chain) {
    if (!(c.best_error < best.error)) continue;
    const double* b = partner_of(walk, c.best_a);
    const double sum = *c.best_a + *b;
    const auto i = static_cast<std::size_t>(c.best_a - walk.m_a), j = static_cast<std::size_t>(b - walk.m_b);
    best = {std::abs(sum - target), sum, *c.best_a, *b, low.masks() ? low.masks()[i] : 0u,
            high.masks() ? high.masks()[j] : 0u};
  }
  return best.error <= tolerance;
}

}  // namespace xbar::solver::detail
