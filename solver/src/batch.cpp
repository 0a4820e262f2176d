#include "xbar/solver/batch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace xbar::solver {

unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

BatchResult solve_batch(std::span<const double> values, std::size_t m, std::span<const double> targets,
                        const ClosestSumOptions& options, unsigned jobs, const BatchProgress& progress) {
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

  constexpr std::size_t chunk = 16;
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    ClosestSumSolver solver;
    try {
      for (;;) {
        const std::size_t first = next.fetch_add(chunk);
        if (first >= instances || failed) return;
        const std::size_t last = std::min(instances, first + chunk);
        for (std::size_t k = first; k < last; ++k) {
          const SubsetChoice choice = solver.solve(values.subspan(k * m, m), targets[k], options);
          std::copy(choice.chosen.begin(), choice.chosen.end(), result.chosen.begin() + static_cast<std::ptrdiff_t>(k * m));
          result.sum[k] = choice.sum;
          result.error[k] = choice.error;
        }
        done += last - first;
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      failed = true;
    }
  };

  const unsigned threads = std::max(1u, std::min<unsigned>(jobs == 0 ? default_jobs() : jobs,
                                                           static_cast<unsigned>((instances + chunk - 1) / chunk)));
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
  // The calling thread reports progress while the pool works.
  while (progress && done < instances && !failed) {
    progress(done, instances);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (next >= instances + chunk * threads) break;
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (progress) progress(instances, instances);
  return result;
}

}  // namespace xbar::solver
