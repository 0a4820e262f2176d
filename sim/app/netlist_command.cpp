// xbar netlist: the programmed crossbar as an ngspice netlist.
#include "command_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/io/output_files.hpp"

namespace xbar::app {

namespace {

constexpr const char* netlist_help = R"(usage: xbar netlist SPEC -o FILE [--vector K] [--jobs N] [--set KEY=VALUE]...

Programs the spec's crossbar and writes its ngspice netlist for input vector K (default 0). The file
runs as is with `ngspice -b FILE` and prints the column currents i(V_c0), i(V_c1), ...

  -o, --output FILE  where to write the netlist
  --vector K         which input vector drives the rows (default 0)
  --jobs N           threads for solving (default: all cores)
  --set KEY=VALUE    override a spec key by its dotted path (repeatable)
)";

int write_netlist(const Args& args) {
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

}  // namespace

const Command commands::netlist{.name = "netlist",
                                .synopsis = "netlist SPEC",
                                .summary = "write the programmed crossbar as an ngspice netlist",
                                .help = netlist_help,
                                .handler = write_netlist};

}  // namespace xbar::app
