// xbar mc: Monte Carlo studies and sweeps.
#include <cstdio>
#include <memory>
#include <fstream>
#include <iostream>
#include <sstream>

#include "command_options.hpp"
#include "commands.hpp"
#include "mpi_trials.hpp"
#include "xbar/sim/diagnostics.hpp"
#include "xbar/sim/montecarlo.hpp"
#include "xbar/solver/parallel.hpp"

namespace xbar::app {

namespace {

// FNV-1a: a stable fingerprint of what defines a study (std::hash is not stable across builds).
std::string fingerprint(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// --sweep KEY=v1,v2,... entries, replacing the spec's own sweep entry for the same key.
std::vector<std::pair<std::string, std::vector<std::string>>> sweep_grid(const sim::Spec& spec,
                                                                          const std::vector<std::string>& args) {
  auto grid = spec.sweep;
  for (const std::string& arg : args) {
    const auto equals = arg.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == arg.size()) {
      throw UsageError("--sweep: expected KEY=v1,v2,..., got '" + arg + "'");
    }
    std::vector<std::string> values;
    std::stringstream list(arg.substr(equals + 1));
    for (std::string v; std::getline(list, v, ',');) values.push_back(v);
    const std::string key = arg.substr(0, equals);
    std::erase_if(grid, [&](const auto& entry) { return entry.first == key; });
    grid.emplace_back(key, std::move(values));
  }
  return grid;
}

void print_summary(const std::string& title, const sim::StudySummary& s) {
  std::printf("%s: %d trials, yield %.3f\n", title.c_str(), s.trials, s.yield);
  std::printf("  %-44s %11s %11s %11s %11s\n", "metric", "mean", "p50", "p95", "max");
  for (const auto& [name, m] : s.metrics) {
    std::printf("  %-44s %11.3e %11.3e %11.3e %11.3e\n", name.c_str(), m.mean, m.p50, m.p95, m.max);
  }
}

}  // namespace

int mc_command(const Args& args) {
  const Arguments parsed = parse_arguments(
      args, {{"--trials"}, jobs_spec, {"--out"}, {"--resume", false}, {"--backend"}, {"--sweep", true, true}, set_spec});
  const std::string spec_path = single_spec(parsed);
  const sim::Spec spec = load_spec_argument(parsed);
  sim::StudyOptions options;
  options.backend = backend_option(parsed, spec.backend);
  options.trials = spec.trials;
  if (auto text = parsed.value("--trials")) options.trials = static_cast<int>(parse_count(*text, "--trials", 1, 1000000000));
  options.jobs = jobs_option(parsed);
  if (options.jobs == 0) options.jobs = solver::default_jobs();
  options.resume = parsed.has("--resume");
  const std::string stem = std::filesystem::path(spec_path).stem().string();
  options.out = parsed.value("--out").value_or("xbar-mc-" + stem);
  std::string identity = file_text(spec_path) + "\nbackend " + std::string(sim::to_string(options.backend));
  for (const auto& s : parsed.values("--set")) identity += "\nset " + s;

  const auto grid = sweep_grid(spec, parsed.values("--sweep"));
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
  std::vector<sim::SweepPoint> points(1);
  for (const auto& [key, values] : grid) {
    std::vector<sim::SweepPoint> next;
    for (const auto& point : points) {
      for (const auto& v : values) {
        sim::SweepPoint p = point;
        p.values.emplace_back(key, v);
        next.push_back(std::move(p));
      }
    }
    points = std::move(next);
  }
  std::vector<sim::Diagnostic> problems;
  for (auto& point : points) {
    std::vector<std::string> sets = parsed.values("--set");
    for (const auto& [key, value] : point.values) sets.push_back(key + "=" + value);
    try {
      point.spec = sim::load_spec(spec_path, sets);
    } catch (const sim::InputError& e) {
      for (const auto& d : e.diagnostics()) problems.push_back(d);
    }
  }
  if (!problems.empty()) throw sim::InputError(problems);
  for (const auto& [key, values] : grid) {
    identity += "\nsweep " + key;
    for (const auto& v : values) identity += " " + v;
  }
  options.signature = fingerprint(identity);
  std::vector<sim::Spec> studies;
  for (const auto& p : points) studies.push_back(p.spec);
  if (run_or_serve(studies, [&] { sim::run_sweep(points, options); })) {
    std::printf("sweep of %zu points x %d trials: %s\n", points.size(), options.trials, (options.out / "sweep.csv").c_str());
  }
  return 0;
}

}  // namespace xbar::app
