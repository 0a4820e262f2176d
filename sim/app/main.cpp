// xbar — random-resistor crossbars: design, program, emit and simulate. See `xbar --help`.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "arguments.hpp"
#include "commands.hpp"
#include "xbar/sim/backends/native/huge_pages.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/backends/ngspice/ngspice_library.hpp"

int main(int argc, char** argv) {
  xbar::sim::restart_with_huge_pages(argv);
  // Eigen sizes its matrix-product blocks from the CPU's caches, and the blocking decides the order of
  // the sums: fixed sizes make every product, and so every output byte, the same on any machine.
  Eigen::setCpuCacheSizes(32 * 1024, 1024 * 1024, 8 * 1024 * 1024);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(xbar::app::usage_text().c_str(), args.empty() ? stderr : stdout);
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
        std::fputs(xbar::app::usage_text().c_str(), stdout);
        return 0;
      }
      return xbar::app::dispatch_command(args[0], {"--help"});
    }
    xbar::app::take_memory_limit(args);
    const int status = xbar::app::dispatch_command(command, args);
    if (status < 0) {
      std::cerr << "xbar: unknown command '" << command << "'\n" << xbar::app::usage_text();
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
