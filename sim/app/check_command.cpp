// xbar check: topology checks on any netlist the project can read.
#include <iostream>

#include "arguments.hpp"
#include "commands.hpp"
#include "xbar/netlist/circuit_checks.hpp"
#include "xbar/netlist/spice_reader.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/input_file.hpp"

namespace xbar::app {

namespace {

constexpr const char* check_help = R"(usage: xbar check FILE.cir

Reads a netlist in the dialect xbar writes (R and V elements, comments, .control, .end) and checks
its topology before any simulation: nodes with a single connection, parts with no DC path to ground,
loops of voltage sources, shorted sources, duplicate element names. Each problem names the nodes and
elements involved. Exit status 0 when clean, 2 otherwise.
)";

int check_netlist(const Args& args) {
  const Arguments parsed = parse_arguments(args, {});
  if (parsed.positional.size() != 1) throw UsageError("expected exactly one netlist FILE");
  const std::string& file = parsed.positional[0];
  std::string text;
  try {
    text = sim::read_input_file(file, "a netlist");
  } catch (const sim::FileReadError& e) {
    throw sim::InputError({{file, 0, 0, "", e.reason(), ""}});
  }
  netlist::ParsedNetlist net;
  try {
    net = netlist::read_spice(text, file);
  } catch (const netlist::SpiceReadError& e) {
    std::vector<sim::Diagnostic> diagnostics;
    for (const auto& p : e.problems()) diagnostics.push_back({file, p.line, 0, "", p.message, p.text});
    throw sim::InputError(std::move(diagnostics));
  }
  const auto problems = netlist::check_circuit(net.circuit);
  for (const auto& p : problems) std::cerr << file << ": error: " << p.message << "\n";
  if (!problems.empty()) return 2;
  std::cout << file << ": " << net.circuit.node_count() << " nodes, " << net.circuit.elements().size()
            << " elements: no problems\n";
  return 0;
}

}  // namespace

const Command commands::check{.name = "check",
                              .synopsis = "check FILE",
                              .summary = "topology checks on a netlist (floating nodes, source loops, ...)",
                              .help = check_help,
                              .handler = check_netlist};

}  // namespace xbar::app
