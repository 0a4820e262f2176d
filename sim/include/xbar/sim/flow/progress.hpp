// How the library reports progress, without drawing anything: a long stage ("solving", "simulating",
// "trials") asks the caller's StageProgress for a per-item callback, the solver's own Progress type
// (done, total). The `xbar` command answers with a progress bar on a terminal (app/progress.hpp);
// an empty StageProgress means silence.
// Usage (given const StageProgress& progress, std::size_t cells, std::size_t done):
//   solver::Progress step = begin_stage(progress, "solving", cells);
//   step(done, cells);   // a no-op when nobody listens
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "xbar/solver/parallel.hpp"

namespace xbar::sim {

using StageProgress = std::function<solver::Progress(std::string_view stage, std::size_t total)>;

// The stage's callback, callable even when `progress` is empty. The stage ends when the last copy of
// the returned callback is destroyed.
inline solver::Progress begin_stage(const StageProgress& progress, std::string_view stage, std::size_t total) {
  solver::Progress step = progress ? progress(stage, total) : solver::Progress{};
  if (!step) step = [](std::size_t, std::size_t) {};
  return step;
}

}  // namespace xbar::sim
