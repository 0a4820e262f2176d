// Closest subset sum: given values v_1..v_m (any sign) and a target t, choose s in {0,1}^m minimising
// |t - sum_i s_i v_i|  (thesis MIP (6.1); with values of both signs it is Lueker's setting, thesis §6.5),
// optionally with exactly K or at most K values chosen.
// Usage (given const std::vector<double>& values, double target, std::size_t i):
//   ClosestSumSolver solver;                            // keeps its work buffers between calls
//   SubsetChoice choice = solver.solve(values, target); // exact (tolerance 0)
//   choice.chosen[i];  choice.sum;  choice.error;       // 1 if v_i is taken; the sum; |target - sum|
//   solver.solve(values, target, {.cardinality = Cardinality::exactly(4)});
//   solver.solve(values, target, {.tolerance = 1e-6, .objective = Objective::min_common, .cardinality = {}});
//
// The meet-in-the-middle solver is exact: `error` is the optimum, up to the rounding of adding doubles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "xbar/solver/detail/quantized_lists.hpp"
#include "xbar/solver/detail/sorted_sums_list.hpp"

namespace xbar::solver {

struct SubsetChoice {
  std::vector<std::uint8_t> chosen;  // one 0/1 entry per value
  double sum = 0.0;                  // sum of the chosen values
  double error = 0.0;                // |target - sum|
};

// A constraint on how many values are chosen (thesis §6.5: a fixed subset size; a cap for power).
struct Cardinality {
  enum class Kind { any, exactly, at_most };
  Kind kind = Kind::any;
  int count = 0;

  static Cardinality any() { return {}; }
  static Cardinality exactly(int k) { return {Kind::exactly, k}; }
  static Cardinality at_most(int k) { return {Kind::at_most, k}; }
  bool allows(int chosen) const {
    return kind == Kind::any || (kind == Kind::exactly ? chosen == count : chosen <= count);
  }
  std::string describe() const;
};

// What the solver minimises.
//   closest     |target - sum|
//   min_common  among the subsets within `tolerance` of the target (within the optimum's error when no
//               subset is that close, or the tolerance is 0), the one with the smallest sum of |v_i|
//               chosen, fewest values as tie-break: for a signed cell, the smallest common-mode
//               conductance G+ + G- for its G+ - G- (thesis §6.5 cells draw current that carries no signal)
enum class Objective { closest, min_common };

struct ClosestSumOptions {
  // Stop as soon as a subset within this distance of the target is found; 0 asks for the optimum.
  double tolerance = 0.0;
  Objective objective = Objective::closest;
  Cardinality cardinality;  // the min_common objective takes none
};

// Largest instance the meet-in-the-middle solver accepts: two halves of 2^24 sums each.
inline constexpr std::size_t max_values = 48;
// Largest instance the brute-force reference accepts.
inline constexpr std::size_t max_brute_force_values = 30;

// Exact closest subset sum by meet-in-the-middle. Not thread-safe: use one solver per thread.
// With a tolerance > 0 (and no cardinality constraint), instances of at least smallest_inner +
// fewest_outer values first try a two-level split (solve_in_two_levels), its inner size chosen from the
// tolerance: any answer it gives is within the tolerance; the exact search runs only when it finds none.
class ClosestSumSolver {
 public:
  // Throws std::invalid_argument for more than `max_values` values, non-finite input, or a
  // cardinality no subset can meet.
  SubsetChoice solve(std::span<const double> values, double target, const ClosestSumOptions& options = {});

  static constexpr std::size_t smallest_inner = 8, fewest_outer = 4;

 private:
  SubsetChoice solve_exactly(std::span<const double> values, double target, const ClosestSumOptions& options);
  SubsetChoice solve_min_common(std::span<const double> values, double target, double tolerance);
  std::optional<SubsetChoice> min_common_few_opposite(std::span<const double> values, double target,
                                                      double tolerance, int low_sign);
  std::optional<SubsetChoice> min_common_of_banks(std::span<const double> values, double target, double tolerance,
                                                  int low_sign);
  SubsetChoice min_common_of_halves(std::span<const double> values, double target, double tolerance);
  std::optional<SubsetChoice> solve_in_two_levels(std::span<const double> values, double target,
                                                  double tolerance);

  detail::SortedSums m_low, m_high;
  detail::QuantizedLists m_quantized;
  std::vector<detail::SortedSums> m_low_groups, m_high_groups;  // by number of values chosen
  std::vector<double> m_low_common, m_high_common;               // sum of |v| per mask (min_common)
  std::vector<std::uint32_t> m_window;                           // sliding-window minimum (min_common)
  std::vector<double> m_bank_values;                             // one bank's magnitudes (min_common)
};

// The kernels the solver's hot loops run on here: "AVX2" where the processor has it, else "scalar"
// (the portable reference; the environment variable XBAR_KERNEL=scalar forces it).
std::string kernel_name();

// Convenience wrapper around a temporary ClosestSumSolver.
SubsetChoice closest_subset_sum(std::span<const double> values, double target,
                                const ClosestSumOptions& options = {});

// Reference: tries all 2^m subsets, each summed afresh in index order. m <= max_brute_force_values.
SubsetChoice closest_subset_sum_brute_force(std::span<const double> values, double target,
                                            const Cardinality& cardinality = {});

// Reference for Objective::min_common: every subset tried. `window` is the largest error allowed
// (the caller passes max(tolerance, optimum's error)); the smallest sum of |v_i| within it, fewest
// values as tie-break. m <= max_brute_force_values.
SubsetChoice min_common_subset_brute_force(std::span<const double> values, double target, double window);

// The sum of |v_i| over the chosen values (a signed cell's common-mode conductance, less leakage).
double common_of(std::span<const double> values, const std::vector<std::uint8_t>& chosen);

}  // namespace xbar::solver
