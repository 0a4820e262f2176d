#include "commands.hpp"

#include <cstdio>
#include <iostream>

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
                                                   &commands::layer,    &commands::coverage, &commands::program,
                                                   &commands::solve,    &commands::check,   &commands::keys};
  return list;
}

std::string usage_text() {
  std::string text = "usage: xbar COMMAND [ARGS...]\n\ncommands:\n";
  for (const Command* c : all_commands()) text += usage_line(c->synopsis, c->summary);
  text += usage_line("help [COMMAND]", "this text, or a command's own help");
  text += "\nExit status: 0 success, 1 simulation or internal failure, 2 bad input (spec, file, arguments).\n"
          "Run `xbar COMMAND --help` for a command's options.\n";
  return text;
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
