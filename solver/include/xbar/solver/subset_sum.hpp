// Closest subset sum: given values v_1..v_m (any sign) and a target t, choose s in {0,1}^m minimising
// |t - sum_i s_i v_i|  (thesis MIP (6.1); with values of both signs it is Lueker's setting, thesis §6.5).
//
//   xbar::solver::ClosestSumSolver solver;             // keeps its work buffers between calls
//   auto choice = solver.solve(values, target);         // exact (tolerance 0)
//   choice.chosen[i]  -> 1 if v_i is taken;  choice.sum, choice.error = |target - sum|
//
// The meet-in-the-middle solver is exact: `error` is the optimum, up to the rounding of adding doubles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace xbar::solver {

struct SubsetChoice {
  std::vector<std::uint8_t> chosen;  // one 0/1 entry per value
  double sum = 0.0;                  // sum of the chosen values
  double error = 0.0;                // |target - sum|
};

struct ClosestSumOptions {
  // Stop as soon as a subset within this distance of the target is found; 0 asks for the optimum.
  double tolerance = 0.0;
};

// Largest instance the meet-in-the-middle solver accepts: two halves of 2^24 sums each (24 per bank for a differential cell).
inline constexpr std::size_t max_values = 48;
// Largest instance the brute-force reference accepts.
inline constexpr std::size_t max_brute_force_values = 30;

// Exact closest subset sum by meet-in-the-middle. Not thread-safe: use one solver per thread.
class ClosestSumSolver {
 public:
  // Throws std::invalid_argument for more than `max_values` values or non-finite input.
  SubsetChoice solve(std::span<const double> values, double target, const ClosestSumOptions& options = {});

 private:
  struct SumEntry {
    double sum;
    std::uint32_t mask;
  };
  std::vector<SumEntry> m_low, m_high, m_scratch;
  void sorted_sums(std::span<const double> half, std::vector<SumEntry>& out);
};

// Convenience wrapper around a temporary ClosestSumSolver.
SubsetChoice closest_subset_sum(std::span<const double> values, double target,
                                const ClosestSumOptions& options = {});

// Reference: tries all 2^m subsets, each summed afresh in index order. m <= max_brute_force_values.
SubsetChoice closest_subset_sum_brute_force(std::span<const double> values, double target);

}  // namespace xbar::solver
