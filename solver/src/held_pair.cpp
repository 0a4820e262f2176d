#include "xbar/solver/held_pair.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/sorted_sums.hpp"

namespace xbar::solver {

namespace {

constexpr std::size_t most_candidates = 48;  // per bank: precision ~ one bank's gap / this

std::uint32_t joined(std::uint32_t low_mask, std::uint32_t high_mask, std::size_t split) {
  return low_mask | (high_mask << split);
}

}  // namespace

void HeldPairSolver::build(std::span<const double> steps, Halves& halves) {
  halves.split = steps.size() / 2;
  detail::generate_sorted_sums_pair(steps.first(halves.split), halves.low, steps.subspan(halves.split),
                                            halves.high, true, detail::Kernel::scalar);
}

// The bank sum closest to `goal`: one two-pointer pass over the halves' sorted sums.
HeldPairSolver::Sum HeldPairSolver::closest(const Halves& h, double goal) {
  const double* a = h.low.sums();
  const double* b = h.high.sums();
  const std::size_t n_a = h.low.size(), n_b = h.high.size();
  double best_error = std::numeric_limits<double>::infinity();
  Sum best{0.0, 0};
  std::size_t j = n_b;
  for (std::size_t i = 1; i <= n_a; ++i) {
    while (j > 1 && a[i] + b[j] > goal) --j;
    for (std::size_t k = j; k <= std::min(j + 1, n_b); ++k) {
      const double error = std::abs(goal - (a[i] + b[k]));
      if (error < best_error) {
        best_error = error;
        best = {a[i] + b[k], joined(h.low.masks()[i], h.high.masks()[k], h.split)};
      }
    }
  }
  return best;
}

// Every bank sum in [goal - band, goal + band] (the `most_candidates` nearest to goal where more), or
// the closest sum where none is.
void HeldPairSolver::candidates(const Halves& h, double goal, double band, std::vector<Sum>& out) const {
  out.clear();
  const double* a = h.low.sums();
  const double* b = h.high.sums();
  const std::size_t n_a = h.low.size(), n_b = h.high.size();
  for (std::size_t i = 1; i <= n_a; ++i) {
    const double* first = std::lower_bound(b + 1, b + n_b + 1, goal - band - a[i]);
    for (const double* p = first; p <= b + n_b && a[i] + *p <= goal + band; ++p) {
      out.push_back({a[i] + *p, joined(h.low.masks()[i], h.high.masks()[p - b], h.split)});
    }
  }
  if (out.empty()) {
    out.push_back(closest(h, goal));
    return;
  }
  if (out.size() > most_candidates) {
    const auto nearer = [goal](const Sum& x, const Sum& y) {
      const double dx = std::abs(x.value - goal), dy = std::abs(y.value - goal);
      return dx < dy || (dx == dy && x.mask < y.mask);
    };
    std::nth_element(out.begin(), out.begin() + most_candidates, out.end(), nearer);
    out.resize(most_candidates);
  }
  std::sort(out.begin(), out.end(), [](const Sum& x, const Sum& y) { return x.mask < y.mask; });  // one order
}

HeldPairChoice HeldPairSolver::solve(const StepValues& positive, const StepValues& negative, double positive_target,
                                     double negative_target, double band, double tolerance, double widest_band) {
  build(positive.steps, m_positive);
  build(negative.steps, m_negative);
  const double difference = positive_target - negative_target;
  HeldPairChoice best;
  double best_error = std::numeric_limits<double>::infinity();
  // Candidates of one bank near its target, each completed by the other bank's closest sum.
  const auto try_from = [&](bool from_positive) {
    const Halves& own = from_positive ? m_positive : m_negative;
    const Halves& other = from_positive ? m_negative : m_positive;
    const double own_leak = from_positive ? positive.leakage : negative.leakage;
    const double other_leak = from_positive ? negative.leakage : positive.leakage;
    candidates(own, (from_positive ? positive_target : negative_target) - own_leak, band, m_candidates);
    for (const Sum& s : m_candidates) {
      const double own_total = s.value + own_leak;
      // The other bank completes the difference: G- = G+ - D, or G+ = G- + D.
      const double other_goal = (from_positive ? own_total - difference : own_total + difference) - other_leak;
      const Sum o = closest(other, other_goal);
      const double p = from_positive ? own_total : o.value + other_leak;
      const double n = from_positive ? o.value + other_leak : own_total;
      const double error = std::abs(p - n - difference);
      if (error < best_error) {
        best_error = error;
        best = {from_positive ? s.mask : o.mask, from_positive ? o.mask : s.mask, p - n, p + n};
      }
      if (best_error <= tolerance) return true;
    }
    return false;
  };
  // A side whose target lies where its sums are sparse (few switches closed) has no candidates close by:
  // widen the band, giving up common mode for precision, only as far as the cell needs.
  for (double b = band;; b *= 8.0) {
    band = b;
    if (try_from(true) || try_from(false) || b >= widest_band) break;
  }
  return best;
}

}  // namespace xbar::solver
