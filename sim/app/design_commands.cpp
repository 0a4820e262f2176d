// The spec-driven subcommands: run, netlist, coverage, program.
#include <filesystem>
#include <iostream>

#include <cstdio>

#include "command_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/flow/error_budget.hpp"
#include "xbar/sim/studies/sweep.hpp"
#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/report/program_export.hpp"
#include "xbar/sim/report/design_report.hpp"

namespace xbar::app {

namespace {

// run --sweep (or a spec with a sweep: section): the design at every point, a table and DIR/sweep.csv.
int run_sweep(const Arguments& parsed, const sim::Spec& spec, const sim::SweepGrid& grid) {
  const auto points = sim::sweep_points(single_spec(parsed), parsed.values("--set"), grid);
  const std::filesystem::path out = parsed.value("--out").value_or("xbar-run-sweep");
  const sim::RunOptions options{jobs_option(parsed), terminal_progress()};
  std::vector<std::vector<std::string>> rows;
  std::printf("%-24s %-13s %-16s %-16s\n", "point", "weight_error", "output_error_max", "output_error_rms");
  for (const sim::SweepPoint& point : points) {
    const auto backend = sim::make_backend(backend_option(parsed, point.spec.backend));
    const sim::ProgrammedDesign design = sim::program_design(point.spec, options);
    const sim::DesignResult r = sim::simulate_design(design, *backend, options);
    rows.push_back({netlist::format_number(r.weight_error), netlist::format_number(r.output.max),
                    netlist::format_number(r.output.rms)});
    std::string label;
    for (const auto& [key, value] : point.values) label += (label.empty() ? "" : " ") + key + "=" + value;
    std::printf("%-24s %-13.3e %-16.3e %-16.3e\n", label.c_str(), r.weight_error, r.output.max, r.output.rms);
  }
  std::filesystem::create_directories(out);
  sim::OutputFiles files;
  files.add(out / "sweep.csv",
            sim::sweep_csv(points, {"weight_error", "output_error_max", "output_error_rms"}, rows));
  files.commit();
  std::printf("sweep: %s\n", (out / "sweep.csv").c_str());
  (void)spec;
  return 0;
}

}  // namespace

int run_design_command(const Args& args) {
  const Arguments parsed = parse_arguments(args, {{"--json"}, {"--netlist"}, {"--backend"}, jobs_spec, set_spec,
                                                  {"--quiet", false}, {"--sweep", true, true}, {"--out"}});
  const sim::Spec spec = load_spec_argument(parsed);
  const sim::SweepGrid grid = sim::sweep_grid(spec.study.sweep, parsed.values("--sweep"));
  if (!grid.empty()) {
    if (parsed.has("--json") || parsed.has("--netlist")) {
      throw UsageError("a sweep writes DIR/sweep.csv (--out DIR); --json and --netlist are for one design");
    }
    return run_sweep(parsed, spec, grid);
  }
  const auto backend = sim::make_backend(backend_option(parsed, spec.backend));
  const sim::RunOptions options{jobs_option(parsed), terminal_progress()};
  const sim::ProgrammedDesign design = sim::program_design(spec, options);
  const sim::DesignResult result = sim::simulate_design(design, *backend, options);
  sim::RunExtras extras{sim::design_coverage(spec, design, options), std::nullopt};
  if (sim::has_error_sources(spec)) extras.budget = sim::error_budget(spec, design, result, *backend, 0, options);
  sim::OutputFiles files;
  if (auto path = parsed.value("--json")) files.add(*path, sim::design_report_json(spec, design, result, extras));
  if (auto path = parsed.value("--netlist")) files.add(*path, sim::design_netlist(design, spec, 0));
  files.commit();
  if (!parsed.has("--quiet")) std::cout << sim::design_summary(spec, design, result, extras);
  return 0;
}

int netlist_command(const Args& args) {
  const Arguments parsed =
      parse_arguments(args, {{"--output"}, {"-o", true, false, "--output"}, {"--vector"}, jobs_spec, set_spec});
  const auto output = parsed.value("--output");
  if (!output) throw UsageError("missing -o FILE");
  const sim::Spec spec = load_spec_argument(parsed);
  const sim::ProgrammedDesign design = sim::program_design(spec, {jobs_option(parsed), terminal_progress()});
  int vector = 0;
  if (auto text = parsed.value("--vector")) {
    vector = static_cast<int>(parse_count(*text, "--vector", 0, static_cast<long>(design.inputs.rows()) - 1));
  }
  sim::OutputFiles files;
  files.add(*output, sim::design_netlist(design, spec, vector));
  files.commit();
  return 0;
}

int coverage_command(const Args& args) {
  const Arguments parsed = parse_arguments(args, {{"--cells"}, {"--json"}, {"--csv"}, jobs_spec, set_spec});
  const sim::Spec spec = load_spec_argument(parsed);
  if (spec.design.cell.topology == models::CellTopology::series) {
    throw sim::InputError({{spec.path.string(), 0, 0, "solver.mode",
                            "coverage analysis covers parallel banks; solver.mode series has none", ""}});
  }
  std::size_t cells = 0;  // all
  if (auto text = parsed.value("--cells"); text && *text != "all") {
    cells = static_cast<std::size_t>(parse_count(*text, "--cells", 1, 1000000000));
  }
  const sim::RunOptions options{jobs_option(parsed), terminal_progress()};
  const sim::ProgrammedDesign design = sim::program_design(spec, options);
  const sim::CrossbarCoverage coverage = sim::full_coverage(spec, design, cells, options);
  sim::OutputFiles files;
  if (auto path = parsed.value("--json")) files.add(*path, sim::coverage_report_json(spec, design, coverage));
  if (auto path = parsed.value("--csv")) files.add(*path, sim::coverage_csv(coverage));
  files.commit();
  std::cout << sim::coverage_summary(spec, design, coverage);
  return 0;
}

int program_command(const Args& args) {
  const Arguments parsed = parse_arguments(args, {{"--output"}, {"-o", true, false, "--output"}, jobs_spec, set_spec});
  const auto output = parsed.value("--output");
  if (!output) throw UsageError("missing -o DIR");
  const sim::Spec spec = load_spec_argument(parsed);
  const sim::ProgrammedDesign design = sim::program_design(spec, {jobs_option(parsed), terminal_progress()});
  sim::OutputFiles files;
  sim::add_program_files(files, *output, spec, design);
  const bool created = std::filesystem::create_directories(*output);
  try {
    files.commit();
  } catch (...) {
    if (created) std::filesystem::remove_all(*output);
    throw;
  }
  std::cout << "programmed " << design.crossbar.shape.cell_count() << " cells into " << *output << "\n";
  return 0;
}

}  // namespace xbar::app
