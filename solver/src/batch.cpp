#include "xbar/solver/batch.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace xbar::solver {

namespace {

// This thread's solver, constructed the first time the thread asks and destroyed when it ends. (A
// block-scope thread_local used from a lambda that runs on other threads is never constructed nor
// destroyed there: its buffers leaked with every pool.)
ClosestSumSolver& thread_solver() {
  thread_local ClosestSumSolver solver;
  return solver;
}

}  // namespace

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
  parallel_for(
      instances, jobs,
      [&](std::size_t k) {
        const SubsetChoice choice = thread_solver().solve(values.subspan(k * m, m), targets[k], options);
        std::copy(choice.chosen.begin(), choice.chosen.end(), result.chosen.begin() + static_cast<std::ptrdiff_t>(k * m));
        result.sum[k] = choice.sum;
        result.error[k] = choice.error;
      },
      progress);
  return result;
}

}  // namespace xbar::solver
