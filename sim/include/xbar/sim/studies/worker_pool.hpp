// Rows of a study computed in worker processes (fork), each row a line of text sent up a pipe. The pool
// knows nothing of specs or trials: a worker asks `make_job` (in the child) for a function that turns
// an index into its row, and the parent hands each row to `sink` as it arrives.
// Usage (given std::size_t first, std::size_t last, std::vector<std::string>& rows):
//   run_worker_processes(first, last, 4,
//       [] { return RowJob([](std::size_t k) { return std::to_string(k * k) + "\n"; }); },  // in the child
//       [&](std::size_t k, std::string row) { rows[k - first] = std::move(row); });         // in the parent
//
// Worker w runs indices first + w, first + w + workers, ... A worker dies with its parent
// (PR_SET_PDEATHSIG), so a killed study leaves no orphans. A failed job's message, a worker that dies
// or a lost row becomes a std::runtime_error in the parent.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace xbar::sim {

// Index -> its row, with the trailing newline.
using RowJob = std::function<std::string(std::size_t index)>;
// Receives each row (with its newline) in the parent, in the order they arrive.
using RowSink = std::function<void(std::size_t index, std::string row)>;

void run_worker_processes(std::size_t first, std::size_t last, unsigned workers,
                          const std::function<RowJob()>& make_job, const RowSink& sink);

}  // namespace xbar::sim
