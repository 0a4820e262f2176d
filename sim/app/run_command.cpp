// xbar run: one design end to end, or a sweep of designs.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/flow/error_budget.hpp"
#include "xbar/sim/flow/transient.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/report/design_report.hpp"
#include "xbar/sim/report/plots.hpp"
#include "xbar/sim/studies/sweep.hpp"

namespace xbar::app {

namespace {

constexpr const char* run_help = R"(usage: xbar run SPEC [--json FILE] [--netlist FILE] [--backend ideal|native|ngspice]
                [--budget] [--transient] [--jobs N] [--set KEY=VALUE]... [--sweep KEY=v1,v2,... [--out DIR]]
                [--quiet]

Fabricates the spec's crossbar, programs every cell's switches from measured values (closest subset
sum), simulates the input vectors and compares the outputs with the ideal product inputs x W.

  --json FILE       write the full report (inputs, ideal, simulated, column_currents, metrics, ...)
  --netlist FILE    write the ngspice netlist of input vector 0 (first row of column_currents)
  --backend NAME    ngspice, native (nodal analysis with wires; simulate.factorization) or ideal
                    (closed form, no wires); the default comes from the spec
  --budget          also the error budget: the output error with each effect (measurement error,
                    temperature, wires, switch spread, amplifier, ADC, DAC) alone, and the subset-sum
                    gap alone; computed on the native backend from the same fabricated crossbar
  --transient       also how long input vector 0 takes: a step through ngspice with wire.capacitance,
                    the time until every output stays within half an ADC LSB (needs readout.tia.rf
                    and readout.adc.bits)
  --jobs N          threads for solving and coverage (default: all cores)
  --set KEY=VALUE   override a spec key by its dotted path, e.g. --set cell.resistors=12 (repeatable)
  --sweep KEY=LIST  the design at each value (repeatable: a grid): a table, and DIR/sweep.csv (--out
                    DIR, default xbar-run-sweep)
  --quiet           print nothing on success
)";

// run --sweep (or a spec with a sweep: section): the design at every point, a table and DIR/sweep.csv.
int run_sweep(const Arguments& parsed, const sim::Spec& spec, const sim::SweepGrid& grid) {
  const auto points = sim::sweep_points(single_spec(parsed), parsed.values("--set"), grid);
  const std::filesystem::path out = parsed.value("--out").value_or("xbar-run-sweep");
  const sim::RunOptions options{jobs_option(parsed), terminal_progress()};
  std::vector<std::vector<std::string>> rows;
  std::vector<sim::ParetoPoint> pareto;
  std::printf("%-24s %-13s %-16s %-16s %-16s\n", "point", "weight_error", "output_error_max", "output_error_rms",
              "energy_per_mac_j");
  for (const sim::SweepPoint& point : points) {
    const auto backend = sim::make_backend(backend_option(parsed, point.spec.backend), sim::backend_options(point.spec));
    const sim::ProgrammedDesign design = sim::program_design(point.spec, options);
    const sim::DesignResult r = sim::simulate_design(design, *backend, options);
    double power = 0.0;
    for (double p : r.energy.power_w) power += p / static_cast<double>(r.energy.power_w.size());
    rows.push_back({netlist::format_number(r.weight_error), netlist::format_number(r.output.max),
                    netlist::format_number(r.output.rms), netlist::format_number(power),
                    netlist::format_number(r.energy.energy_per_mvm_j), netlist::format_number(r.energy.energy_per_mac_j)});
    std::string label, short_label;
    for (const auto& [key, value] : point.values) {
      label += (label.empty() ? "" : " ") + key + "=" + value;
      short_label += (short_label.empty() ? "" : " ") + key.substr(key.rfind('.') + 1) + "=" + value;
    }
    std::printf("%-24s %-13.3e %-16.3e %-16.3e %-16.3e\n", label.c_str(), r.weight_error, r.output.max, r.output.rms,
                r.energy.energy_per_mac_j);
    pareto.push_back({r.energy.energy_per_mac_j, r.output.max, short_label});
  }
  std::filesystem::create_directories(out);
  sim::OutputFiles files;
  files.add(out / "sweep.csv",
            sim::sweep_csv(points,
                           {"weight_error", "output_error_max", "output_error_rms", "power_w_mean", "energy_per_mvm_j",
                            "energy_per_mac_j"},
                           rows));
  files.commit();
  std::printf("sweep: %s\n", (out / "sweep.csv").c_str());
  char t_int[32];
  std::snprintf(t_int, sizeof t_int, "%g", spec.design.readout.t_int);
  const std::string title = spec.path.filename().string() + ": output error against energy per MAC (t_int " + t_int +
                            " s), " + std::to_string(points.size()) + " designs";
  if (sim::plot_pareto(out, "pareto", pareto, title)) std::printf("plot: %s\n", (out / "pareto.png").c_str());
  return 0;
}

int run_design(const Args& args) {
  const Arguments parsed = parse_arguments(args, {{"--json"}, {"--netlist"}, {"--backend"}, jobs_spec, set_spec,
                                                  {"--quiet", false}, {"--sweep", true, true}, {"--out"},
                                                  {"--budget", false}, {"--transient", false}});
  const sim::Spec spec = load_spec_argument(parsed);
  if (parsed.has("--transient") && (spec.design.readout.tia.rf == 0.0 || !spec.design.readout.adc.present())) {
    throw UsageError("--transient measures settling to the ADC's LSB: the spec needs readout.tia.rf and readout.adc.bits" +
                     std::string(spec.design.wire_capacitance == 0.0 ? " (and wire.capacitance, or nothing takes time)" : ""));
  }
  const sim::SweepGrid grid = sim::sweep_grid(spec.study.sweep, parsed.values("--sweep"));
  if (!grid.empty()) {
    if (parsed.has("--json") || parsed.has("--netlist")) {
      throw UsageError("a sweep writes DIR/sweep.csv (--out DIR); --json and --netlist are for one design");
    }
    return run_sweep(parsed, spec, grid);
  }
  const auto backend = sim::make_backend(backend_option(parsed, spec.backend), sim::backend_options(spec));
  const sim::RunOptions options{jobs_option(parsed), terminal_progress()};
  const sim::ProgrammedDesign design = sim::program_design(spec, options);
  const sim::DesignResult result = sim::simulate_design(design, *backend, options);
  sim::RunExtras extras{sim::design_coverage(spec, design, options), std::nullopt};
  if (parsed.has("--budget")) {
    // On the native backend whatever --backend says: six more solves of the same fabricated crossbar,
    // seconds where ngspice would take minutes; its `all` is the native result of the main case.
    const auto native = sim::make_backend(sim::BackendKind::native, sim::backend_options(spec));
    const sim::DesignResult native_result =
        backend->kind() == sim::BackendKind::native ? result : sim::simulate_design(design, *native, options);
    extras.budget = sim::error_budget(spec, design, native_result, *native, 0, options);
  }
  if (parsed.has("--transient")) extras.transient = sim::settle(design, 0);
  sim::OutputFiles files;
  if (auto path = parsed.value("--json")) files.add(*path, sim::design_report_json(spec, design, result, extras));
  if (auto path = parsed.value("--netlist")) files.add(*path, sim::design_netlist(design, spec, 0));
  files.commit();
  if (!parsed.has("--quiet")) std::cout << sim::design_summary(spec, design, result, extras);
  return 0;
}

}  // namespace

const Command commands::run{.name = "run",
                            .synopsis = "run SPEC",
                            .summary = "program a crossbar for the spec's weights, simulate it, report the error",
                            .help = run_help,
                            .handler = run_design};

}  // namespace xbar::app
