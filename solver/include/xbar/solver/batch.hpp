// Many closest-subset-sum instances at once, on all cores, with the same answer for any thread count.
// Usage (given const std::vector<double>& values, std::size_t m, const std::vector<double>& targets,
//        const ClosestSumOptions& options, const Progress& progress, std::size_t k, std::size_t i):
//   BatchResult r = solve_batch(values, m, targets, options, /*jobs=*/0, progress);
//   r.chosen[k * m + i];  r.sum[k];  r.error[k];   // value i of instance k taken; its sum and error
//
// values: instances x m, row-major; targets: one per instance. jobs = 0 uses every hardware thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "xbar/solver/parallel.hpp"
#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

struct BatchResult {
  std::size_t instances = 0;
  std::size_t values = 0;             // m
  std::vector<std::uint8_t> chosen;   // instances x m
  std::vector<double> sum;            // per instance
  std::vector<double> error;          // per instance
};

BatchResult solve_batch(std::span<const double> values, std::size_t m, std::span<const double> targets,
                        const ClosestSumOptions& options = {}, unsigned jobs = 0, const Progress& progress = {});

}  // namespace xbar::solver
