// Two subset sums whose difference is closest to a goal while each stays near a target of its own:
// P = p_leak + sum of chosen p_k, N = n_leak + sum of chosen n_k (all steps > 0), P - N close to
// P* - N*, P near P* and N near N*. For a signed cell, P and N are its banks: the difference is its weight
// and P + N, its common mode, stays where it was, which is what IR-drop compensation needs (the drop a cell
// causes follows its common-mode current; docs/compensation.md).
// Usage (given std::span<const double> p_steps, std::span<const double> n_steps):
//   HeldPairSolver solver;
//   HeldPairChoice c = solver.solve({p_steps, 0.0}, {n_steps, 0.0}, /*difference=*/2.0, 3.0, 1.0, /*band=*/0.01,
//                                   /*tolerance=*/1e-9, /*widest_band=*/0.5);
//   c.positive;  c.difference;   // mask of p's chosen steps; P - N reached
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "xbar/solver/detail/sorted_sums_list.hpp"

namespace xbar::solver {

// One side's steps (all > 0; a bank's closed - open conductances) and its base (a bank's leakage, all open).
struct StepValues {
  std::span<const double> steps;
  double leakage = 0.0;
};

struct HeldPairChoice {
  std::uint32_t positive = 0, negative = 0;  // masks of the chosen steps (bit k: step k), at most 32 steps a side
  double difference = 0.0;                   // P - N reached
  double common = 0.0;                       // P + N reached
};

// Not thread-safe: one per thread (keeps its lists between calls).
class HeldPairSolver {
 public:
  // The pair whose P - N is closest to `difference` among the sums of each side
  // within `band` of its own target: both windows listed in order (meet in the middle over each side's
  // halves) and paired by one two-pointer pass (of the pairs within `tolerance`, the one nearest the two
  // targets: |P - positive_target| + |N - negative_target| least); where one window is empty, each sum of the other is
  // completed by that side's closest sum. Where the best is not within `tolerance`, the band widens
  // fourfold at a time up to `widest_band` (the common mode gives way only where precision needs it).
  // The targets need not differ by `difference`: a caller may aim both sides off their own values (to cancel
  // what neighbours moved) while asking for an exact difference.
  HeldPairChoice solve(const StepValues& positive, const StepValues& negative, double difference,
                       double positive_target, double negative_target, double band, double tolerance,
                       double widest_band);

 private:
  struct Halves {
    solver::detail::SortedSums low, high;
    std::size_t split = 0;
  };
  struct Sum {
    double value;
    std::uint32_t mask;
  };
  static void build(std::span<const double> steps, Halves& halves);
  static Sum closest(const Halves& halves, double goal);
  void window(const Halves& halves, double goal, double band, std::vector<Sum>& out) const;

  Halves m_positive, m_negative;
  std::vector<Sum> m_candidates, m_others;
};

}  // namespace xbar::solver
