#include "commands.hpp"

#include <cstdio>
#include <iostream>

#include "arguments.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/input_file.hpp"

namespace xbar::app {

namespace {

bool wants_help(const Args& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

std::string usage_line(std::string_view synopsis, std::string_view summary) {
  char padded[64];
  std::snprintf(padded, sizeof padded, "  %-16.*s", static_cast<int>(synopsis.size()), synopsis.data());
  return std::string(padded) + std::string(summary) + "\n";
}

}  // namespace

const std::vector<const Command*>& all_commands() {
  static const std::vector<const Command*> list = {&commands::run,      &commands::netlist, &commands::mc,
                                                   &commands::layer,    &commands::network, &commands::coverage,
                                                   &commands::program,  &commands::solve,   &commands::check,
                                                   &commands::keys};
  return list;
}

std::string usage_text() {
  std::string text = "usage: xbar COMMAND [ARGS...]\n\ncommands:\n";
  for (const Command* c : all_commands()) text += usage_line(c->synopsis, c->summary);
  text += usage_line("help [COMMAND]", "this text, or a command's own help");
  text += "\nEvery command takes --max-memory SIZE (bytes: 512meg, 2g; default: the memory now available):\n"
          "what a spec or file implies is checked against it before anything is allocated.\n";
  text += "\nExit status: 0 success, 1 simulation or internal failure, 2 bad input (spec, file, arguments).\n"
          "Run `xbar COMMAND --help` for a command's options.\n";
  return text;
}

void take_memory_limit(Args& args) {
  for (std::size_t k = 0; k < args.size(); ++k) {
    if (args[k] != "--max-memory") continue;
    if (k + 1 == args.size()) throw UsageError("--max-memory needs a size in bytes (e.g. 512meg, 2g)");
    const auto bytes = netlist::parse_spice_number(args[k + 1]);
    if (!bytes || *bytes < 1.0 || *bytes > 1.8e19) {
      throw UsageError("--max-memory: expected a size in bytes (e.g. 512meg, 2g), got '" + args[k + 1] + "'");
    }
    sim::set_memory_limit(static_cast<std::uint64_t>(*bytes));
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(k), args.begin() + static_cast<std::ptrdiff_t>(k) + 2);
    return;
  }
}

int dispatch_command(const std::string& name, const Args& args) {
  for (const Command* c : all_commands()) {
    if (name != c->name) continue;
    if (wants_help(args)) {
      std::cout << c->help;
      return 0;
    }
    return c->handler(args);
  }
  return -1;
}

}  // namespace xbar::app
