#include "xbar/solver/batch.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace xbar::solver {

BatchResult solve_batch(std::span<const double> values, std::size_t m, std::span<const double> targets,
                        const ClosestSumOptions& options, unsigned jobs, const Progress& progress) {
  const std::size_t instances = targets.size();
  if (values.size() != instances * m) {
    throw std::invalid_argument("solve_batch: values must hold instances x m entries");
  }
  BatchResult result;
  result.instances = instances;
  result.values = m;
  result.chosen.assign(instances * m, 0);
  result.sum.assign(instances, 0.0);
  result.error.assign(instances, 0.0);
  // One solver (with its work buffers) per thread.
  thread_local ClosestSumSolver solver;
  parallel_for(
      instances, jobs,
      [&](std::size_t k) {
        const SubsetChoice choice = solver.solve(values.subspan(k * m, m), targets[k], options);
        std::copy(choice.chosen.begin(), choice.chosen.end(), result.chosen.begin() + static_cast<std::ptrdiff_t>(k * m));
        result.sum[k] = choice.sum;
        result.error[k] = choice.error;
      },
      progress);
  return result;
}

}  // namespace xbar::solver
