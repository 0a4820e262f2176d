// Two subset sums whose difference is closest to a goal while each stays near a target of its own:
// P = p_leak + sum of chosen p_k, N = n_leak + sum of chosen n_k (all steps > 0), P - N close to
// P* - N*, P near P* and N near N*. For a signed cell, P and N are its banks: the difference is its weight
// and P + N, its common mode, stays where it was, which is what IR-drop compensation needs (the drop a cell
// causes follows its common-mode current; docs/compensation.md).
// Usage (given std::span<const double> p_steps, std::span<const double> n_steps):
//   HeldPairSolver solver;
//   HeldPairChoice c = solver.solve({p_steps, 0.0}, {n_steps, 0.0}, 3.0, 1.0, /*band=*/0.01, /*tolerance=*/1e-9,
//                                   /*widest_band=*/0.5);
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
  // The pair whose P - N is closest to positive_target - negative_target, among candidates of each side
  // within `band` of its own target (up to 48 nearest), each completed by the other side's closest sum.
  // Stops as soon as one is within `tolerance`; where no sum of a side lies in the band, its closest sum
  // is the one candidate. Where none is within the tolerance, the band widens eightfold at a time up to
  // `widest_band`. Exact meet in the middle on each side (halves of at most 16 steps).
  HeldPairChoice solve(const StepValues& positive, const StepValues& negative, double positive_target,
                       double negative_target, double band, double tolerance, double widest_band);

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
  void candidates(const Halves& halves, double goal, double band, std::vector<Sum>& out) const;

  Halves m_positive, m_negative;
  std::vector<Sum> m_candidates;
};

}  // namespace xbar::solver
