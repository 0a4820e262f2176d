// xbar — random-resistor crossbars: design, program, emit and simulate. See `xbar --help`.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/backends/ngspice/ngspice_library.hpp"

namespace {

constexpr const char* usage = R"(usage: xbar COMMAND [ARGS...]

commands:
  run SPEC        program a crossbar for the spec's weights, simulate it, report the error
  netlist SPEC    write the programmed crossbar as an ngspice netlist
  mc SPEC         Monte Carlo process-variation study, resumable, with sweeps and plots
  layer SPEC      a pruned CNN layer on tiled crossbars against the ideal layer
  coverage SPEC   worst-case programming error of every cell (exact subset-sum coverage)
  program SPEC    export every cell's switch states with the measured values they were solved for
  solve           closest subset sum on .npy arrays, no circuit (--values, --targets, --out)
  check FILE      topology checks on a netlist (floating nodes, source loops, ...)
  keys            print every spec key with its unit, default and accepted values
  help [COMMAND]  this text, or a command's own help

Exit status: 0 success, 1 simulation or internal failure, 2 bad input (spec, file, arguments).
Run `xbar COMMAND --help` for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(usage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "xbar " << XBAR_VERSION << "\n";
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "help") {
      if (args.empty()) {
        std::fputs(usage, stdout);
        return 0;
      }
      return xbar::app::run_command(args[0], {"--help"});
    }
    const int status = xbar::app::run_command(command, args);
    if (status < 0) {
      std::cerr << "xbar: unknown command '" << command << "'\n" << usage;
      return 2;
    }
    return status;
  } catch (const xbar::app::UsageError& e) {
    std::cerr << "xbar " << command << ": " << e.what() << " (see xbar " << command << " --help)\n";
    return 2;
  } catch (const xbar::sim::InputError& e) {
    std::cerr << e.what();
    return 2;
  } catch (const xbar::sim::NgspiceError& e) {
    std::cerr << "xbar " << command << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "xbar " << command << ": " << e.what() << "\n";
    return 1;
  }
}
