// Circuit solvers side by side on identical crossbars: the native nodal solver against ngspice (shared
// library), with and without 1-ohm wire segments. Each measurement runs in its own child process so
// that its peak memory (max RSS) is its own.
//
//   build/bench/bench_circuit            (a few minutes: ngspice dominates)
//   build/bench/bench_circuit --quick    (sizes up to 64x64)
//   build/bench/bench_circuit --large    (256x256x16 only: native)
//
// Columns: time for the first operating point (build + analyse + factorize + solve; ngspice: load +
// op), time per extra input vector (native: one more solve; ngspice: alter + op), peak memory, the
// largest relative difference between the two, and the speed ratio for the first operating point.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "xbar/models/random.hpp"
#include "xbar/sim/backends/backend.hpp"

using namespace xbar;

namespace {

struct Size {
  int rows, cols, resistors;
};

struct Measurement {
  double first = 0, extra = 0;  // seconds
  double peak_mib = 0;
  double current[8] = {};       // a few column currents of vector 0, for the agreement check
  bool ok = false;
};

models::Crossbar make_crossbar(const Size& size, bool wires, models::SwitchStates& states, Eigen::MatrixXd& v) {
  models::CellTechnology tech;
  tech.resistors = size.resistors;
  auto xbar = models::fabricate_crossbar(tech, size.rows, size.cols, 42);
  if (wires) xbar.wires = {1.0, 0.0, 0.0};
  states = models::SwitchStates(xbar.shape);
  models::Rng rng(7);
  for (auto& s : states.on) s = rng.uniform01() < 0.5;
  v.resize(9, size.rows);
  for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = rng.uniform(-0.2, 0.2);
  return xbar;
}

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs in a child: one vector, then nine (the extra time is the difference over eight).
Measurement measure_here(sim::BackendKind kind, const Size& size, bool wires) {
  models::SwitchStates states;
  Eigen::MatrixXd v;
  const models::Crossbar xbar = make_crossbar(size, wires, states, v);
  Measurement m;
  auto start = std::chrono::steady_clock::now();
  const Eigen::MatrixXd one = sim::make_backend(kind)->column_currents(xbar, states, v.topRows(1));
  m.first = seconds(start);
  start = std::chrono::steady_clock::now();
  sim::make_backend(kind)->column_currents(xbar, states, v);
  m.extra = std::max(0.0, (seconds(start) - m.first) / 8.0);
  for (int j = 0; j < 8 && j < one.cols(); ++j) m.current[j] = one(0, j * (one.cols() - 1) / 7);
  m.ok = true;
  return m;
}

Measurement measure(sim::BackendKind kind, const Size& size, bool wires) {
  int channel[2];
  if (pipe(channel) != 0) return {};
  const pid_t child = fork();
  if (child == 0) {
    close(channel[0]);
    const Measurement m = measure_here(kind, size, wires);
    const ssize_t written = write(channel[1], &m, sizeof m);
    _exit(written == static_cast<ssize_t>(sizeof m) ? 0 : 1);
  }
  close(channel[1]);
  Measurement m;
  const ssize_t got = read(channel[0], &m, sizeof m);
  close(channel[0]);
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  if (got != static_cast<ssize_t>(sizeof m) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  m.peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const bool large = argc > 1 && std::strcmp(argv[1], "--large") == 0;  // only 256x256x16
  std::vector<Size> sizes = {{16, 16, 8}, {32, 32, 8}, {64, 64, 8}};
  if (!quick) {
    sizes.push_back({128, 128, 8});
    sizes.push_back({256, 256, 16});
  }
  if (large) sizes = {{256, 256, 16}};
  std::printf("%-12s %-5s | %11s %12s %9s | %11s %11s %9s | %9s %10s\n", "size", "wires", "native 1st", "native +1 ms",
              "MiB", "ngspice 1st", "ngspice +1", "MiB", "max diff", "ngspice/n");
  for (bool wires : {false, true}) {
    for (const Size& size : sizes) {
      char name[32];
      std::snprintf(name, sizeof name, "%dx%dx%d", size.rows, size.cols, size.resistors);
      const Measurement native = measure(sim::BackendKind::native, size, wires);
      // ngspice's reordering grows ~ (rows*cols)^2.2 with wires (docs/circuits.md): 128x128 takes
      // minutes per operating point there, so it is left out with wires, and 256x256 always.
      const long cells = static_cast<long>(size.rows) * size.cols;
      const bool run_ngspice = wires ? cells <= 64 * 64 : cells <= 128 * 128;
      const Measurement ng = run_ngspice ? measure(sim::BackendKind::ngspice, size, wires) : Measurement{};
      double diff = 0.0;
      for (int j = 0; j < 8 && ng.ok; ++j) {
        if (native.current[j] != 0) diff = std::max(diff, std::abs(native.current[j] - ng.current[j]) / std::abs(ng.current[j]));
      }
      if (ng.ok) {
        std::printf("%-12s %-5s | %9.4f s %12.4f %9.0f | %9.3f s %9.3f s %9.0f | %9.1e %10.0f\n", name,
                    wires ? "1 ohm" : "none", native.first, native.extra * 1e3, native.peak_mib, ng.first, ng.extra,
                    ng.peak_mib, diff, ng.first / native.first);
      } else {
        std::printf("%-12s %-5s | %9.4f s %12.4f %9.0f | %11s %11s %9s | %9s %10s\n", name, wires ? "1 ohm" : "none",
                    native.first, native.extra * 1e3, native.peak_mib, "skipped", "", "", "", "");
      }
      std::fflush(stdout);
    }
  }
  return 0;
}
