#pragma once

#include <string>
#include <vector>

namespace xbar::app {

// Runs one subcommand; returns its exit status, or -1 if `command` is unknown.
int run_command(const std::string& command, const std::vector<std::string>& args);

}  // namespace xbar::app
