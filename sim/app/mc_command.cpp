// xbar mc: Monte Carlo studies and sweeps.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "mpi_trials.hpp"
#include "progress.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/input_file.hpp"
#include "xbar/sim/studies/montecarlo.hpp"
#include "xbar/sim/studies/sweep.hpp"
#include "xbar/solver/parallel.hpp"

namespace xbar::app {

namespace {

constexpr const char* mc_help = R"(usage: xbar mc SPEC [--trials N] [--jobs J] [--out DIR] [--resume] [--backend NAME]
              [--sweep KEY=v1,v2,...]... [--set KEY=VALUE]...

Monte Carlo: each trial fabricates a new crossbar (process variation), calibrates it (measurement
error, quantisation, at the calibration temperature), programs it, simulates it (at the operating
temperature, with wires) and compares with the ideal product.

  --trials N        trials (default: montecarlo.trials of the spec)
  --jobs J          worker processes (default: all cores); trial k gives the same numbers whatever J
  --out DIR         where the study goes (default: xbar-mc-<spec name>)
  --resume          complete a study that was interrupted (same spec, overrides and backend)
  --backend NAME    native (fast), ngspice or ideal (default: the spec's simulate.backend)
  --sweep KEY=LIST  a grid over spec values (repeatable; adds to the spec's sweep: section)
  --set KEY=VALUE   override a spec key (repeatable)

Writes DIR/trials.csv (one row per trial, in trial order, flushed as it goes), DIR/summary.json
(mean, std, percentiles, yield against montecarlo.yield_threshold) and a histogram of the output
error (PNG and SVG, with gnuplot). A sweep writes one such study per point (DIR/point_<k>/),
DIR/sweep.csv with one summary row per point, and plots of error and yield over the first swept key.
)";

// FNV-1a: a stable fingerprint of what defines a study (std::hash is not stable across builds).
std::string fingerprint(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

void print_summary(const std::string& title, const sim::StudySummary& s) {
  std::printf("%s: %d trials, yield %.3f\n", title.c_str(), s.trials, s.yield);
  std::printf("  %-44s %11s %11s %11s %11s\n", "metric", "mean", "p50", "p95", "max");
  for (const auto& [name, m] : s.metrics) {
    std::printf("  %-44s %11.3e %11.3e %11.3e %11.3e\n", name.c_str(), m.mean, m.p50, m.p95, m.max);
  }
}

// What the command line says of the study (the spec gives the defaults).
sim::StudyOptions study_options(const Arguments& parsed, const sim::Spec& spec) {
  sim::StudyOptions options;
  options.backend = backend_option(parsed, spec.backend);
  options.trials = spec.study.trials;
  if (auto text = parsed.value("--trials")) options.trials = static_cast<int>(parse_count(*text, "--trials", 1, 1000000000));
  options.jobs = jobs_option(parsed);
  if (options.jobs == 0) options.jobs = solver::default_jobs();
  options.resume = parsed.has("--resume");
  const std::string stem = std::filesystem::path(single_spec(parsed)).stem().string();
  options.out = parsed.value("--out").value_or("xbar-mc-" + stem);
  return options;
}

// One row per point, as `run --sweep` and `layer --sweep` print.
void print_sweep_table(const std::vector<sim::SweepPoint>& points, const std::vector<sim::StudySummary>& summaries) {
  std::vector<std::string> labels;
  for (const sim::SweepPoint& point : points) {
    std::string label;
    for (const auto& [key, value] : point.values) label += (label.empty() ? "" : " ") + key + "=" + value;
    labels.push_back(label);
  }
  const int width = static_cast<int>(std::max_element(labels.begin(), labels.end(), [](const auto& a, const auto& b) {
                                       return a.size() < b.size();
                                     })->size());
  std::printf("%-*s %8s %13s %13s %13s\n", width, "point", "yield", "error p50", "error p95", "weight p50");
  for (std::size_t k = 0; k < points.size(); ++k) {
    const std::string& label = labels[k];
    const auto metric = [&](const std::string& name) {
      for (const auto& [n, m] : summaries[k].metrics) {
        if (n == name) return m;
      }
      return sim::MetricSummary{};
    };
    const sim::MetricSummary error = metric("output_error_max"), weight = metric("weight_error");
    std::printf("%-*s %8.3f %13.3e %13.3e %13.3e\n", width, label.c_str(), summaries[k].yield, error.p50, error.p95,
                weight.p50);
  }
}

int run_monte_carlo(const Args& args) {
  const Arguments parsed = parse_arguments(
      args, {{"--trials"}, jobs_spec, {"--out"}, {"--resume", false}, {"--backend"}, {"--sweep", true, true}, set_spec});
  const std::string spec_path = single_spec(parsed);
  const sim::Spec spec = load_spec_argument(parsed);
  sim::StudyOptions options = study_options(parsed, spec);
  // What defines the study, checked on --resume: the spec's text, the backend, the overrides.
  std::string identity = sim::read_input_file(spec_path, "a spec file (YAML)") + "\nbackend " +
                         std::string(sim::to_string(options.backend));
  for (const auto& s : parsed.values("--set")) identity += "\nset " + s;

  options.progress = terminal_progress();
  const auto grid = sim::sweep_grid(spec.study.sweep, parsed.values("--sweep"));
  // Under mpirun, rank 0 runs the study as usual with the ranks as its executor; the others serve.
  std::unique_ptr<MpiTrials> mpi;
  if (launched_by_mpirun()) {
    mpi = std::make_unique<MpiTrials>();
    options.executor = mpi->executor(options.backend);
  }
  const auto run_or_serve = [&](const std::vector<sim::Spec>& studies, const auto& run) {
    if (mpi && mpi->rank() != 0) {
      mpi->serve(studies, options.backend);
      return false;
    }
    try {
      run();
    } catch (const std::exception& e) {
      if (!mpi) throw;
      std::fprintf(stderr, "xbar mc: %s", e.what());
      mpi->abort(dynamic_cast<const sim::InputError*>(&e) ? 2 : 1);
    }
    return true;
  };
  if (grid.empty()) {
    options.signature = fingerprint(identity);
    if (run_or_serve({spec}, [&] { print_summary(options.out.string(), sim::run_study(spec, options)); })) {
      std::printf("rows: %s  summary: %s\n", (options.out / "trials.csv").c_str(), (options.out / "summary.json").c_str());
    }
    return 0;
  }
  // Every grid point is loaded (and so validated) before any trial runs.
  const std::vector<sim::SweepPoint> points = sim::sweep_points(spec_path, parsed.values("--set"), grid);
  for (const auto& [key, values] : grid) {
    identity += "\nsweep " + key;
    for (const auto& v : values) identity += " " + v;
  }
  options.signature = fingerprint(identity);
  std::vector<sim::Spec> studies;
  for (const auto& p : points) studies.push_back(p.spec);
  std::vector<sim::StudySummary> summaries;
  if (run_or_serve(studies, [&] { summaries = sim::run_sweep(points, options); })) {
    print_sweep_table(points, summaries);
    std::printf("sweep of %zu points x %d trials: %s\n", points.size(), options.trials, (options.out / "sweep.csv").c_str());
  }
  return 0;
}

}  // namespace

const Command commands::mc{.name = "mc",
                           .synopsis = "mc SPEC",
                           .summary = "Monte Carlo process-variation study, resumable, with sweeps and plots",
                           .help = mc_help,
                           .handler = run_monte_carlo};

}  // namespace xbar::app
