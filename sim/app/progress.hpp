// Progress bars for the `xbar` command: rate and ETA on stderr when stderr is a terminal; silent
// otherwise. The library never draws: it reports through sim::StageProgress, answered here.
//
//   ProgressBar bar("solving", cells, ProgressBar::stderr_is_terminal());
//   for (...) bar.update(done);      // redraws at most ~10 times a second
//   bar.finish();
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "xbar/sim/flow/progress.hpp"

namespace xbar::app {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::size_t total, bool enabled);
  static bool stderr_is_terminal();
  ~ProgressBar();
  void update(std::size_t done);
  void finish();

 private:
  void draw(std::size_t done);
  std::string m_label;
  std::size_t m_total;
  bool m_enabled;
  bool m_drawn = false;
  std::chrono::steady_clock::time_point m_start, m_last_draw;
};

// A bar per stage on a terminal, none when stderr is piped (then the result is empty: silence).
sim::StageProgress terminal_progress();

}  // namespace xbar::app
