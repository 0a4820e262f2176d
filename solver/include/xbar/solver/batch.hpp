// Many closest-subset-sum instances at once, on all cores, with the same answer for any thread count.
//
//   BatchResult r = solve_batch(values, m, targets, options, /*jobs=*/0, progress);
//   r.chosen[k * m + i]  -> value i of instance k taken;  r.sum[k], r.error[k]
//
// values: instances x m, row-major; targets: one per instance. jobs = 0 uses every hardware thread.
// Each instance is solved on its own, so the result never depends on `jobs`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

struct BatchResult {
  std::size_t instances = 0;
  std::size_t values = 0;             // m
  std::vector<std::uint8_t> chosen;   // instances x m
  std::vector<double> sum;            // per instance
  std::vector<double> error;          // per instance
};

// Called from the calling thread with (done, total), at most about ten times a second and once at the end.
using BatchProgress = std::function<void(std::size_t, std::size_t)>;

BatchResult solve_batch(std::span<const double> values, std::size_t m, std::span<const double> targets,
                        const ClosestSumOptions& options = {}, unsigned jobs = 0,
                        const BatchProgress& progress = {});

// The thread count `jobs = 0` stands for.
unsigned default_jobs();

}  // namespace xbar::solver
