// Monte Carlo process-variation studies (`xbar mc`): each trial fabricates a new crossbar, calibrates
// it, programs it, simulates it and compares with the ideal product. For a network spec a trial
// fabricates every tile of every analog layer anew and runs the dataset: its accuracy, agreement and
// errors are the row; the yield is the fraction of chips at or above montecarlo.accuracy_threshold.
// Usage (given const Spec& spec, const std::vector<SweepPoint>& points):
//   StudyOptions options{.out = "study", .jobs = 2};
//   run_study(spec, options);     // DIR/trials.csv (appended in trial order, flushed), summary.json, plots
//   run_sweep(points, options);   // one study per grid point under DIR/point_<k>/, plus DIR/sweep.csv
//
// Trial k draws from streams (seed, k, purpose): its numbers do not depend on the number of worker
// processes, nor on whether the study was resumed. Rows are written in trial order, so a study killed
// at any moment loses at most the trials in flight, and --resume completes it with identical rows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/flow/progress.hpp"
#include "xbar/sim/spec/spec.hpp"
#include "xbar/sim/studies/statistics.hpp"
#include "xbar/sim/studies/sweep.hpp"
#include "xbar/sim/studies/worker_pool.hpp"

namespace xbar::sim {

// Runs trials [first, last) somewhere and delivers every row; replaces the local worker processes
// (e.g. MPI ranks, see sim/app/mpi_trials.cpp).
using TrialExecutor = std::function<void(const Spec&, std::size_t first, std::size_t last, const RowSink&)>;

struct StudyOptions {
  std::filesystem::path out;
  int trials = 100;
  unsigned jobs = 1;          // worker processes
  bool resume = false;
  BackendKind backend = BackendKind::native;
  StageProgress progress;     // "trials"; empty: silent
  std::string signature;      // identifies the study (spec text, overrides, backend); checked on --resume
  TrialExecutor executor;     // empty: `jobs` local worker processes
};

// One trial's metrics, in the column order of trial_columns(), and as its trials.csv line.
std::vector<double> run_trial(const Spec& spec, Backend& backend, std::uint64_t trial);
std::string trial_row(const Spec& spec, Backend& backend, std::uint64_t trial);
std::vector<std::string> trial_columns(const Spec& spec);

struct StudySummary {
  int trials = 0;
  double yield = 0.0;  // fraction of trials with output_error_max <= the threshold (networks: accuracy >= it)
  double threshold = 0.0;
  std::vector<std::pair<std::string, MetricSummary>> metrics;
};

StudySummary run_study(const Spec& spec, const StudyOptions& options);

// Runs every point's study, then writes DIR/sweep.csv and the sweep plots. Returns the summaries.
std::vector<StudySummary> run_sweep(const std::vector<SweepPoint>& points, const StudyOptions& options);

}  // namespace xbar::sim
