// xbar program: every cell's switch states, for a test bench or a chip programmer.
#include <filesystem>
#include <iostream>

#include "command_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/report/program_export.hpp"

namespace xbar::app {

namespace {

constexpr const char* program_help = R"(usage: xbar program SPEC -o DIR [--jobs N] [--set KEY=VALUE]...

Programs the spec's crossbar and exports what a test bench or chip programmer needs, into DIR:
  switches.npy          uint8 (rows, cols, 2, n): 1 = switch closed; bank 0 is +, bank 1 is -
  enable.npy            uint8 (rows, cols, 2): enable switches (series banks only)
  measured_closed.npy   float64 (rows, cols, 2, n): each branch as measured, switch closed
  measured_open.npy     float64 (rows, cols, 2, n): each branch as measured, switch open
                        (siemens for parallel banks, ohm for series banks)
  switches.csv          row, col, bank, position, state, measured_closed, measured_open
  program.json          what the files hold: shape, topology, units, solver mode, scale
)";

int export_program(const Args& args) {
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

}  // namespace

const Command commands::program{.name = "program",
                                .synopsis = "program SPEC",
                                .summary = "export every cell's switch states with the measured values they were solved for",
                                .help = program_help,
                                .handler = export_program};

}  // namespace xbar::app
