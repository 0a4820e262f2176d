// Monte Carlo throughput: trials per second of `xbar mc` on examples/montecarlo.yaml (64x64 cells of
// 16 resistors per bank, 1-ohm wires, native backend, measurement error, temperature), with 1 and 2
// worker processes, and the scaling between them. Fabrication, calibration, solving and simulation
// are all inside a trial.
//
//   build/bench/bench_montecarlo [trials]     (default 40)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "xbar/sim/backends/native/huge_pages.hpp"
#include "xbar/sim/studies/montecarlo.hpp"
#include "xbar/sim/spec/spec.hpp"

using namespace xbar;

int main(int argc, char** argv) {
  xbar::sim::restart_with_huge_pages(argv);
  const int trials = argc > 1 ? std::atoi(argv[1]) : 40;
  const auto spec_path = std::filesystem::path(XBAR_SOURCE_DIR) / "examples" / "montecarlo.yaml";
  const sim::Spec spec = sim::load_spec(spec_path);
  std::printf("%s: %dx%d cells, %d resistors per bank, wire segment %g ohm, backend native, %d trials\n",
              spec_path.c_str(), static_cast<int>(spec.design.weights.rows()), static_cast<int>(spec.design.weights.cols()),
              spec.design.cell.resistors, spec.design.wires.segment, trials);
  double rate_one = 0.0;
  for (unsigned jobs : {1u, 2u}) {
    const auto out = std::filesystem::temp_directory_path() / ("xbar-bench-mc-" + std::to_string(jobs));
    std::filesystem::remove_all(out);
    sim::StudyOptions options;
    options.out = out;
    options.trials = trials;
    options.jobs = jobs;
    options.backend = sim::BackendKind::native;
    options.signature = "bench";
    const auto start = std::chrono::steady_clock::now();
    sim::run_study(spec, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = trials / seconds;
    if (jobs == 1) rate_one = rate;
    std::printf("  %u process%s: %6.2f s  %6.2f trials/s%s\n", jobs, jobs == 1 ? "  " : "es", seconds, rate,
                jobs == 1 ? "" : ("  (scaling " + std::to_string(rate / rate_one).substr(0, 4) + "x)").c_str());
    std::filesystem::remove_all(out);
  }
  return 0;
}
