// xbar solve: closest subset sum on arrays from .npy files, no circuit.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "xbar/sim/io/npy.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/solver/batch.hpp"
#include "xbar/sim/program/solve_mode.hpp"

namespace xbar::app {

namespace {

constexpr const char* solve_help = R"(usage: xbar solve --values V.npy --targets T.npy --out S.npy [--mode MODE]
                  [--tolerance X] [--jobs N]

Closest subset sum for each row of V, alone (no circuit): for test benches and other simulators.
  V  instances x n values (float); for --mode signed the first n/2 are the + bank, the rest the - bank
  T  one target per instance: shape (instances,) or (instances, 1)
  S  written as uint8 instances x n: switch states, 1 = closed
     plus S_achieved.npy next to it: float64 instances x 2, [achieved value, |target - achieved|]

  --mode MODE      free (default): sum of the values whose switch is closed
                   signed: + bank minus - bank, both solved jointly
                   fixed:K / max:K: exactly / at most K switches closed
                   series: V are resistances in a chain, each bypassed by its switch; a resistor
                   counts when its switch is OPEN; T is the target resistance
  --tolerance X    stop an instance once within X of its target (default 0: provably optimal)
  --jobs N         threads (default: all cores); the answer does not depend on it
)";

using Kind = sim::SolveMode::Kind;

[[noreturn]] void bad_file(const std::string& option, const std::string& file, const std::string& message) {
  throw sim::InputError({{file, 0, 0, option, message, ""}});
}

sim::NpyArray read_array(const std::string& option, const std::string& file) {
  try {
    return sim::read_npy(file);
  } catch (const sim::NpyError& e) {
    throw sim::InputError({{option, 0, 0, "", e.what(), ""}});
  }
}

std::string companion_path(const std::string& out) {
  const std::string stem =
      out.size() > 4 && out.substr(out.size() - 4) == ".npy" ? out.substr(0, out.size() - 4) : out;
  return stem + "_achieved.npy";
}

int solve_arrays(const Args& args) {
  const Arguments parsed =
      parse_arguments(args, {{"--values"}, {"--targets"}, {"--out"}, {"--mode"}, {"--tolerance"}, jobs_spec});
  if (!parsed.positional.empty()) throw UsageError("unexpected argument '" + parsed.positional[0] + "'");
  const auto values_file = parsed.value("--values"), targets_file = parsed.value("--targets"),
             out_file = parsed.value("--out");
  if (!values_file || !targets_file || !out_file)
    throw UsageError("--values, --targets and --out are required");
  const std::string mode_text = parsed.value("--mode").value_or("free");
  const auto mode = sim::SolveMode::parse(mode_text);
  if (!mode) {
    throw UsageError("--mode: expected " + std::string(sim::solve_mode_choices) + ", got '" + mode_text +
                     "'");
  }
  double tolerance = 0.0;
  if (auto text = parsed.value("--tolerance")) {
    const auto value = netlist::parse_spice_number(*text);
    if (!value || *value < 0) throw UsageError("--tolerance: expected a number >= 0, got '" + *text + "'");
    tolerance = *value;
  }

  const sim::NpyArray values = read_array("--values", *values_file);
  const sim::NpyArray targets = read_array("--targets", *targets_file);
  if (values.shape.size() != 2 || values.shape[1] == 0) {
    bad_file("--values", *values_file,
             "expected a 2-D array (instances, n), got shape " + sim::shape_text(values.shape));
  }
  const std::size_t instances = values.shape[0], n = values.shape[1];
  const bool one_column = targets.shape.size() == 2 && targets.shape[1] == 1;
  if (!(targets.shape.size() == 1 || one_column) || targets.shape[0] != instances) {
    bad_file("--targets", *targets_file,
             "expected shape (" + std::to_string(instances) + ",) or (" + std::to_string(instances) +
                 ", 1) to match --values, got " + sim::shape_text(targets.shape));
  }
  if (n > solver::max_values) {
    bad_file(
        "--values", *values_file,
        "at most " + std::to_string(solver::max_values) + " values per instance, got " + std::to_string(n));
  }
  if (mode->per_bank) {
    throw UsageError("--mode " + mode->name() + " picks a crossbar cell's bank by sign; here the values are one set: "
                     "use fixed:K or max:K");
  }
  if (mode->kind == Kind::signed_banks && n % 2 != 0) {
    bad_file("--values", *values_file,
             "--mode signed needs an even n (+ bank then - bank), got " + std::to_string(n));
  }
  if ((mode->kind == Kind::fixed || mode->kind == Kind::at_most) &&
      static_cast<std::size_t>(mode->count) > n) {
    throw UsageError("--mode " + mode->name() + ": more switches than the " + std::to_string(n) + " values");
  }
  for (std::size_t k = 0; k < values.data.size(); ++k) {
    if (!std::isfinite(values.data[k])) bad_file("--values", *values_file, "holds NaN or infinite values");
  }
  for (std::size_t k = 0; k < targets.data.size(); ++k) {
    if (!std::isfinite(targets.data[k])) {
      bad_file("--targets", *targets_file, "target " + std::to_string(k) + " is NaN or infinite");
    }
  }
  for (std::size_t k = 0; k < instances; ++k) {
    double magnitude = 0.0;
    for (std::size_t i = 0; i < n; ++i) magnitude += std::abs(values.data[k * n + i]);
    if (!std::isfinite(magnitude)) {
      bad_file("--values", *values_file,
               "instance " + std::to_string(k) + ": its values' sum overflows a double");
    }
  }

  // The solver's view: signed negates the - bank.
  std::vector<double> solver_values = values.data;
  if (mode->kind == Kind::signed_banks) {
    for (std::size_t k = 0; k < instances; ++k)
      for (std::size_t i = n / 2; i < n; ++i) solver_values[k * n + i] = -solver_values[k * n + i];
  }
  solver::ClosestSumOptions options;
  options.tolerance = tolerance;
  options.cardinality = mode->cardinality();
  const auto start = std::chrono::steady_clock::now();
  const solver::BatchResult result =
      solver::solve_batch(solver_values, n, targets.data, options, jobs_option(parsed));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Switch states: a value is taken when its switch is closed, except in a series chain, where a
  // resistor counts when its bypass switch is open.
  std::vector<std::uint8_t> states = result.chosen;
  if (mode->kind == Kind::series) {
    for (auto& s : states) s = !s;
  }
  std::vector<double> achieved(2 * instances);
  double worst = 0.0;
  for (std::size_t k = 0; k < instances; ++k) {
    achieved[2 * k] = result.sum[k];
    achieved[2 * k + 1] = result.error[k];
    worst = std::max(worst, result.error[k]);
  }
  sim::OutputFiles files;
  files.add(*out_file, sim::npy_bytes_u8({instances, n}, states));
  files.add(companion_path(*out_file), sim::npy_bytes({instances, 2}, achieved));
  files.commit();
  std::printf("solved %zu instances of %zu values (mode %s) in %.3f s (%.0f instances/s); worst error %.3e\n",
              instances, n, mode->name().c_str(), seconds,
              seconds > 0 ? static_cast<double>(instances) / seconds : 0.0, worst);
  return 0;
}

}  // namespace

const Command commands::solve{.name = "solve",
                              .synopsis = "solve",
                              .summary = "closest subset sum on .npy arrays, no circuit (--values, --targets, --out)",
                              .help = solve_help,
                              .handler = solve_arrays};

}  // namespace xbar::app
