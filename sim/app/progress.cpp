#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>

namespace xbar::app {

ProgressBar::ProgressBar(std::string label, std::size_t total, bool enabled)
    : m_label(std::move(label)),
      m_total(total),
      m_enabled(enabled),
      m_start(std::chrono::steady_clock::now()),
      m_last_draw(m_start) {
  // Shown at once: a long first step (ngspice's first operating point of a large crossbar) must not sit
  // behind the previous stage's finished bar.
  if (m_enabled) draw(0);
}

bool ProgressBar::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::size_t done) {
  if (!m_enabled) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < m_total && now - m_last_draw < std::chrono::milliseconds(100)) return;
  m_last_draw = now;
  draw(done);
}

void ProgressBar::draw(std::size_t done) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  const double fraction = m_total ? static_cast<double>(done) / static_cast<double>(m_total) : 1.0;
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(m_total - done) / rate : 0.0;
  constexpr int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%-10s [%s] %zu/%zu  %.1f/s  ETA %.0fs ", m_label.c_str(), bar.c_str(), done, m_total,
               rate, eta);
  std::fflush(stderr);
  m_drawn = true;
}

void ProgressBar::finish() {
  if (m_enabled && m_drawn) {
    std::fputc('\n', stderr);
    m_drawn = false;
  }
  m_enabled = false;
}

sim::StageProgress terminal_progress() {
  if (!ProgressBar::stderr_is_terminal()) return {};
  return [](std::string_view stage, std::size_t total) -> solver::Progress {
    // The bar lives as long as the stage's callback; its last copy finishes the line.
    auto bar = std::make_shared<ProgressBar>(std::string(stage), total, true);
    return [bar](std::size_t done, std::size_t) { bar->update(done); };
  };
}

}  // namespace xbar::app
