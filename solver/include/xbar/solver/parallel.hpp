// Runs body(i) for i in [0, count) on `jobs` threads (0 = all hardware threads). Each index is
// independent, so results written per index never depend on the thread count. The first exception
// thrown by a body stops the rest and is rethrown here.
// Usage (given std::size_t cells, unsigned jobs, std::vector<double>& result, const Progress& progress):
//   parallel_for(cells, jobs, [&](std::size_t i) { result[i] = 2.0 * i; }, progress);
#pragma once

#include <cstddef>
#include <functional>

namespace xbar::solver {

// Called from the calling thread with (done, total), about ten times a second and once at the end.
using Progress = std::function<void(std::size_t, std::size_t)>;

void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& body,
                  const Progress& progress = {});

// The thread count `jobs = 0` stands for.
unsigned default_jobs();

}  // namespace xbar::solver
