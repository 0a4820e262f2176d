#include "xbar/solver/held_pair.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/sorted_sums.hpp"

namespace xbar::solver {

namespace {

constexpr std::size_t most_in_window = 2048;  // per side: bounds the work where sums crowd

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

// Every sum of a side in [goal - band, goal + band], ascending (ties in mask order: one order on any
// machine); at most `most_in_window`, the nearest to goal.
void HeldPairSolver::window(const Halves& h, double goal, double band, std::vector<Sum>& out) const {
  out.clear();
  const double* a = h.low.sums();
  const double* b = h.high.sums();
  const std::size_t n_a = h.low.size(), n_b = h.high.size();
  for (std::size_t i = 1; i <= n_a; ++i) {
    if (a[i] > goal + band) break;
    const double* first = std::lower_bound(b + 1, b + n_b + 1, goal - band - a[i]);
    for (const double* p = first; p <= b + n_b && a[i] + *p <= goal + band; ++p) {
      out.push_back({a[i] + *p, joined(h.low.masks()[i], h.high.masks()[p - b], h.split)});
    }
  }
  if (out.size() > most_in_window) {
    const auto nearer = [goal](const Sum& x, const Sum& y) {
      const double dx = std::abs(x.value - goal), dy = std::abs(y.value - goal);
      return dx < dy || (dx == dy && x.mask < y.mask);
    };
    std::nth_element(out.begin(), out.begin() + most_in_window, out.end(), nearer);
    out.resize(most_in_window);
  }
  std::sort(out.begin(), out.end(),
            [](const Sum& x, const Sum& y) { return x.value < y.value || (x.value == y.value && x.mask < y.mask); });
}

HeldPairChoice HeldPairSolver::solve(const StepValues& positive, const StepValues& negative, double difference,
                                     double positive_target, double negative_target, double band, double tolerance,
                                     double widest_band) {
  build(positive.steps, m_positive);
  build(negative.steps, m_negative);
  HeldPairChoice best;
  double best_error = std::numeric_limits<double>::infinity(), best_shift = best_error;
  // Within the tolerance, the pair that moves least from the two targets; outside it, the closest difference.
  const auto consider = [&](const Sum& p, const Sum& n) {
    const double pv = p.value + positive.leakage, nv = n.value + negative.leakage;
    const double error = std::abs(pv - nv - difference);
    const double shift = std::abs(pv - positive_target) + std::abs(nv - negative_target);
    const bool better = error <= tolerance ? (best_error > tolerance || shift < best_shift) : error < best_error;
    if (better) {
      best_error = error;
      best_shift = shift;
      best = {p.mask, n.mask, pv - nv, pv + nv};
    }
  };
  // A side whose target lies where its sums are sparse (few switches closed) has no sums close by: the
  // band widens, giving up common mode for precision, only as far as the cell needs.
  for (double b = band;; b *= 4.0) {
    window(m_positive, positive_target - positive.leakage, b, m_candidates);
    window(m_negative, negative_target - negative.leakage, b, m_others);
    if (m_candidates.empty() && m_others.empty()) {
      m_candidates.push_back(closest(m_positive, positive_target - positive.leakage));
    }
    if (m_candidates.empty() || m_others.empty()) {
      // One side is sparse here: each of the other side's sums, completed by this side's closest.
      const bool from_positive = !m_candidates.empty();
      for (const Sum& s : from_positive ? m_candidates : m_others) {
        if (from_positive) {
          consider(s, closest(m_negative, s.value + positive.leakage - difference - negative.leakage));
        } else {
          consider(closest(m_positive, s.value + negative.leakage + difference - positive.leakage), s);
        }
      }
    } else {
      // Both ascending: P - N closest to the difference by one two-pointer pass.
      const double shift = difference - positive.leakage + negative.leakage;  // P - N = shift in sums
      std::size_t k = 0;
      for (const Sum& p : m_candidates) {
        while (k + 1 < m_others.size() && p.value - m_others[k + 1].value >= shift) ++k;
        consider(p, m_others[k]);
        if (k + 1 < m_others.size()) consider(p, m_others[k + 1]);
      }
    }
    if (best_error <= tolerance || b >= widest_band) break;
  }
  return best;
}

}  // namespace xbar::solver
