// Array programming side by side: per-cell programming (the peer: today's exact solve) against
// IR-drop-compensated programming on identical 128 x 128 crossbars, 16 resistors per bank of 1 Mohm, 1- and
// 2-ohm segments, one core. Columns: the compensation's own time (beyond the per-cell solve), its
// continuous and switch-state steps, and the output error (native backend; stock ngspice confirms the same
// netlists in tests/sim/test_compensation) without and with it.
//
//   build/bench/bench_compensation            (a minute)
//   build/bench/bench_compensation --quick    (64 x 64 only)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include "xbar/sim/backends/native/huge_pages.hpp"
#include "xbar/models/random.hpp"
#include "xbar/sim/flow/design.hpp"

using namespace xbar;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string spec_text(int size, double segment) {
  models::Rng rng(2026);
  std::ostringstream out;
  out.precision(17);
  out << "seed: 3\ncell: {resistors: 16, nominal: 1meg, variation: 0.2}\nwire: {segment: " << segment
      << "}\ninputs: {vectors: 8}\nsolver: {tolerance: 1e-6}\ncoverage: {cells: 0}\nweights:\n  values: [";
  for (int i = 0; i < size; ++i) {
    out << (i ? ", [" : "[");
    for (int j = 0; j < size; ++j) out << (j ? ", " : "") << rng.standard_normal();
    out << "]";
  }
  out << "]\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  xbar::sim::restart_with_huge_pages(argv);
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const sim::RunOptions one_core{1, {}};
  std::printf("IR-drop compensation, 16 per bank of 1 Mohm, solver.tolerance 1e-6, one core\n");
  std::printf("%-10s %8s %12s %14s %8s %8s %14s %14s %8s\n", "size", "segment", "per-cell s", "compensation s",
              "contin.", "passes", "error before", "error after", "ratio");
  for (int size : quick ? std::vector<int>{64} : std::vector<int>{64, 128}) {
    for (double segment : {1.0, 2.0}) {
      const std::string text = spec_text(size, segment);
      const sim::Spec plain = sim::load_spec_text(text, "bench.yaml");
      const sim::Spec compensated = sim::load_spec_text(text, "bench.yaml", {"programming.compensate=[wires]"});
      auto start = std::chrono::steady_clock::now();
      const sim::ProgrammedDesign a = sim::program_design(plain, one_core);
      const double t_plain = seconds_since(start);
      start = std::chrono::steady_clock::now();
      const sim::ProgrammedDesign b = sim::program_design(compensated, one_core);
      const double t_compensated = seconds_since(start) - t_plain;  // the same first solve, then compensation
      const double before = sim::simulate_design(a, sim::BackendKind::native, one_core).output.max;
      const double after = sim::simulate_design(b, sim::BackendKind::native, one_core).output.max;
      std::printf("%-10s %8.0f %12.2f %14.2f %8zu %8zu %14.3e %14.3e %8.0f\n",
                  (std::to_string(size) + "x" + std::to_string(size)).c_str(), segment, t_plain, t_compensated,
                  b.compensation->continuous_residual.size(), b.compensation->residual.size(), before, after,
                  before / after);
    }
  }

  std::printf("\nObjective min_common against exact at equal tolerance (1e-6 of g_fs), 64 x 64, no wires\n");
  std::printf("%-12s %12s %22s %22s %14s\n", "objective", "solve s", "closed per bank", "G+ + G- (S)", "weight error");
  const std::string text = spec_text(64, 0.0);
  for (const char* objective : {"exact", "min_common"}) {
    const sim::Spec spec = sim::load_spec_text(text, "bench.yaml", {std::string("solver.objective=") + objective});
    const auto start = std::chrono::steady_clock::now();
    const sim::ProgrammedDesign d = sim::program_design(spec, one_core);
    const double t = seconds_since(start);
    const sim::ProgrammingStats stats = sim::programming_stats(d);
    std::printf("%-12s %12.2f %22.2f %22.3e %14.3e\n", objective, t, stats.closed_per_bank, stats.total_conductance,
                sim::weight_error(d.programmed_weights, d.weights));
  }
  return 0;
}
