// The spec-driven subcommands: run, netlist, coverage, program.
#include <filesystem>
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "xbar/sim/design.hpp"
#include "xbar/sim/diagnostics.hpp"
#include "xbar/sim/output_files.hpp"
#include "xbar/sim/program_export.hpp"
#include "xbar/sim/report.hpp"

namespace xbar::app {

int run_design_command(const Args& args) {
  const Arguments parsed =
      parse_arguments(args, {{"--json"}, {"--netlist"}, {"--backend"}, jobs_spec, set_spec, {"--quiet", false}});
  const sim::Spec spec = load_spec_argument(parsed);
  const sim::BackendKind backend = backend_option(parsed, spec.backend);
  const sim::RunOptions options{true, jobs_option(parsed)};
  const sim::ProgrammedDesign design = sim::program_design(spec, options);
  const sim::DesignResult result = sim::simulate_design(design, backend, options);
  sim::RunExtras extras{sim::design_coverage(spec, design, options), std::nullopt};
  if (sim::has_error_sources(spec)) {
    const auto budget_backend = sim::make_backend(backend);
    extras.budget = sim::error_budget(spec, *budget_backend, 0, options);
  }
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
  const sim::ProgrammedDesign design = sim::program_design(spec, {true, jobs_option(parsed)});
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
  if (spec.cell.topology == models::CellTopology::series) {
    throw sim::InputError({{spec.path.string(), 0, 0, "solver.mode",
                            "coverage analysis covers parallel banks; solver.mode series has none", ""}});
  }
  std::size_t cells = 0;  // all
  if (auto text = parsed.value("--cells"); text && *text != "all") {
    cells = static_cast<std::size_t>(parse_count(*text, "--cells", 1, 1000000000));
  }
  const sim::RunOptions options{true, jobs_option(parsed)};
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
  const sim::ProgrammedDesign design = sim::program_design(spec, {true, jobs_option(parsed)});
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
