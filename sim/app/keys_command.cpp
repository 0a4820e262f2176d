// xbar keys: every spec key, from the parameter table.
#include <iostream>

#include "arguments.hpp"
#include "commands.hpp"
#include "xbar/sim/spec/parameters.hpp"

namespace xbar::app {

namespace {

constexpr const char* keys_help = R"(usage: xbar keys

Prints every spec key (dotted path) with its unit, default, accepted values and meaning, as Markdown.
)";

int print_keys(const Args& args) {
  if (!args.empty()) throw UsageError("takes no arguments");
  std::cout << sim::parameters_markdown();
  return 0;
}

}  // namespace

const Command commands::keys{.name = "keys",
                             .synopsis = "keys",
                             .summary = "print every spec key with its unit, default and accepted values",
                             .help = keys_help,
                             .handler = print_keys};

}  // namespace xbar::app
