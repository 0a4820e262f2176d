#include "commands.hpp"

#include <iostream>

#include "arguments.hpp"
#include "xbar/sim/design.hpp"
#include "xbar/sim/output_files.hpp"
#include "xbar/sim/report.hpp"
#include "xbar/sim/spec.hpp"
#include "xbar/sim/spec_parameters.hpp"

namespace xbar::app {

namespace {

constexpr const char* run_help = R"(usage: xbar run SPEC [--json FILE] [--netlist FILE] [--backend ideal|ngspice]
                [--set KEY=VALUE]... [--quiet]

Fabricates the spec's crossbar, programs every cell's switches from measured values (closest subset
sum), simulates the input vectors and compares the outputs with the ideal product inputs x W.

  --json FILE       write the full report (inputs, ideal, simulated, column_currents, metrics, ...)
  --netlist FILE    write the ngspice netlist of input vector 0 (first row of column_currents)
  --backend NAME    ngspice (default from the spec) or ideal (closed-form, no parasitics)
  --set KEY=VALUE   override a spec key by its dotted path, e.g. --set cell.resistors=12 (repeatable)
  --quiet           print nothing on success
)";

constexpr const char* netlist_help = R"(usage: xbar netlist SPEC -o FILE [--vector K] [--set KEY=VALUE]...

Programs the spec's crossbar and writes its ngspice netlist for input vector K (default 0). The file
runs as is with `ngspice -b FILE` and prints the column currents i(V_c0), i(V_c1), ...

  -o, --output FILE  where to write the netlist
  --vector K         which input vector drives the rows (default 0)
  --set KEY=VALUE    override a spec key by its dotted path (repeatable)
)";

constexpr const char* keys_help = R"(usage: xbar keys

Prints every spec key (dotted path) with its unit, default, accepted values and meaning, as Markdown.
)";

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

std::string single_spec(const Arguments& parsed) {
  if (parsed.positional.size() != 1) throw UsageError("expected exactly one SPEC file");
  return parsed.positional[0];
}

int run(const std::vector<std::string>& args) {
  const Arguments parsed = parse_arguments(args, {{"--json"},
                                                  {"--netlist"},
                                                  {"--backend"},
                                                  {"--set", true, true},
                                                  {"--quiet", false}});
  const std::string spec_path = single_spec(parsed);
  const sim::Spec spec = sim::load_spec(spec_path, parsed.values("--set"));
  sim::BackendKind backend = spec.backend;
  if (auto name = parsed.value("--backend")) {
    auto kind = sim::parse_backend(*name);
    if (!kind) throw UsageError("--backend: expected ideal or ngspice, got '" + *name + "'");
    backend = *kind;
  }
  const sim::ProgrammedDesign design = sim::program_design(spec);
  const sim::DesignResult result = sim::simulate_design(design, backend);
  sim::OutputFiles files;
  if (auto path = parsed.value("--json")) files.add(*path, sim::design_report_json(spec, design, result));
  if (auto path = parsed.value("--netlist")) files.add(*path, sim::design_netlist(design, spec, 0));
  files.commit();
  if (!parsed.has("--quiet")) std::cout << sim::design_summary(spec, design, result);
  return 0;
}

int netlist(const std::vector<std::string>& args) {
  const Arguments parsed = parse_arguments(
      args, {{"--output"}, {"-o", true, false, "--output"}, {"--vector"}, {"--set", true, true}});
  const std::string spec_path = single_spec(parsed);
  const auto output = parsed.value("--output");
  if (!output) throw UsageError("missing -o FILE");
  const sim::Spec spec = sim::load_spec(spec_path, parsed.values("--set"));
  const sim::ProgrammedDesign design = sim::program_design(spec);
  int vector = 0;
  if (auto text = parsed.value("--vector")) {
    std::size_t used = 0;
    try {
      vector = std::stoi(*text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text->size() || vector < 0 || vector >= design.inputs.rows()) {
      throw UsageError("--vector: expected an integer from 0 to " + std::to_string(design.inputs.rows() - 1) +
                       ", got '" + *text + "'");
    }
  }
  sim::OutputFiles files;
  files.add(*output, sim::design_netlist(design, spec, vector));
  files.commit();
  return 0;
}

int keys(const std::vector<std::string>& args) {
  if (!args.empty()) throw UsageError("takes no arguments");
  std::cout << sim::parameters_markdown();
  return 0;
}

}  // namespace

int run_command(const std::string& command, const std::vector<std::string>& args) {
  struct Command {
    const char* name;
    const char* help;
    int (*handler)(const std::vector<std::string>&);
  };
  static const Command commands[] = {{"run", run_help, run}, {"netlist", netlist_help, netlist}, {"keys", keys_help, keys}};
  for (const Command& c : commands) {
    if (command != c.name) continue;
    if (wants_help(args)) {
      std::cout << c.help;
      return 0;
    }
    return c.handler(args);
  }
  return -1;
}

}  // namespace xbar::app
