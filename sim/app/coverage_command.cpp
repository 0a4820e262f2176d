// xbar coverage: the worst-case programming error of every cell.
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/report/design_report.hpp"

namespace xbar::app {

namespace {

constexpr const char* coverage_help = R"(usage: xbar coverage SPEC [--cells N|all] [--json FILE] [--csv FILE] [--jobs N]
                     [--set KEY=VALUE]...

For every cell of the spec's fabricated crossbar (or N of them, evenly spread), the exact worst-case
distance from any weight in [-w_fs, w_fs] to the nearest value the cell's measured resistors can
reach, and the largest gap in that range — as fractions of full scale. Prints the distribution.

  --cells N|all      how many cells to analyse (default all)
  --json FILE        summary and every analysed cell
  --csv FILE         one row per analysed cell: row, col, worst_error, max_gap, exact
  --jobs N           threads (default: all cores)
  --set KEY=VALUE    override a spec key (repeatable); coverage.budget bounds the work per cell
)";

int analyse_coverage(const Args& args) {
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

}  // namespace

const Command commands::coverage{.name = "coverage",
                                 .synopsis = "coverage SPEC",
                                 .summary = "worst-case programming error of every cell (exact subset-sum coverage)",
                                 .help = coverage_help,
                                 .handler = analyse_coverage};

}  // namespace xbar::app
