// The `xbar` subcommands. Each handler parses its own arguments and returns the exit status; bad
// input is thrown (UsageError, sim::InputError) and turned into exit status 2 by main.
#pragma once

#include <string>
#include <vector>

namespace xbar::app {

using Args = std::vector<std::string>;

int run_design_command(const Args& args);  // xbar run
int netlist_command(const Args& args);     // xbar netlist
int coverage_command(const Args& args);    // xbar coverage
int program_command(const Args& args);     // xbar program
int solve_command(const Args& args);       // xbar solve
int check_command(const Args& args);       // xbar check
int mc_command(const Args& args);          // xbar mc
int layer_command(const Args& args);       // xbar layer
int keys_command(const Args& args);        // xbar keys

// Runs one subcommand (or prints its --help); returns its exit status, or -1 if `command` is unknown.
int run_command(const std::string& command, const Args& args);

}  // namespace xbar::app
