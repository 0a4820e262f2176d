// The `xbar` subcommands. Each lives in its own file (<name>_command.cpp) with its help text, its
// options and its handler, and is listed once in commands.cpp. A handler returns the exit status; bad
// input is thrown (UsageError, sim::InputError) and turned into exit status 2 by main.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xbar::app {

using Args = std::vector<std::string>;

struct Command {
  std::string_view name;
  std::string_view synopsis;  // "run SPEC": the command's line in `xbar --help`
  std::string_view summary;   // what it does, in one line
  std::string_view help;      // `xbar NAME --help`
  int (*handler)(const Args& args);
};

namespace commands {
extern const Command run, netlist, mc, layer, network, coverage, program, solve, check, keys;
}

// Every command, in the order `xbar --help` lists them.
const std::vector<const Command*>& all_commands();

// `xbar --help`: the commands with their synopses and summaries.
std::string usage_text();

// Takes `--max-memory SIZE` (bytes, SPICE suffixes: 512meg, 2g) out of any command's arguments and sets
// the limit every spec-implied allocation is checked against (sim/io/input_file.hpp).
void take_memory_limit(Args& args);

// Runs one subcommand (or prints its --help); returns its exit status, or -1 if `name` is unknown.
int dispatch_command(const std::string& name, const Args& args);

}  // namespace xbar::app
