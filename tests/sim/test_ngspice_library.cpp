// The ngspice shared-library wrapper: real library, Ohm's law, errors as exceptions, recovery.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "support.hpp"
#include "xbar/sim/backends/ngspice/ngspice_library.hpp"

using xbar::sim::Ngspice;
using xbar::sim::NgspiceError;

namespace {

const char* divider = "* divider\nV1 in 0 DC 1.5\nR1 in mid 1000\nR2 mid 0 2000\nV_sense mid2 0 DC 0\n"
                      "R3 mid mid2 3000\n.end\n";

double run_divider_current() {
  auto& ng = Ngspice::instance();
  ng.load_circuit(divider);
  ng.command("op");
  const double i = ng.vector("v_sense#branch").at(0);
  ng.clear();
  return i;
}

std::string error_of(const std::string& netlist, const std::string& command = "op") {
  auto& ng = Ngspice::instance();
  try {
    ng.load_circuit(netlist);
    ng.command(command);
  } catch (const NgspiceError& e) {
    ng.clear();
    return e.what();
  }
  ng.clear();
  return "";
}

}  // namespace

TEST_CASE("a resistive network matches Ohm and Kirchhoff to 1e-12") {
  // R2 || R3 = 1200 ohm; v_mid = 1.5 * 1200 / 2200; current into V_sense = v_mid / 3000.
  const double expected = 1.5 * 1200.0 / 2200.0 / 3000.0;
  CHECK(std::abs(run_divider_current() - expected) <= 1e-12 * expected);
}

TEST_CASE("ngspice errors become exceptions carrying ngspice's own message") {
  const std::string unknown = error_of("* bad\nV1 a 0 DC 1\nX1 a 0 nosuchsub\n.end\n");
  CHECK(unknown.find("unknown subckt") != std::string::npos);
  const std::string floating = error_of("* floating\nV1 a 0 DC 1\nR1 a 0 1k\nR2 b c 1k\n.end\n");
  CHECK(floating.find("singular matrix") != std::string::npos);
  const std::string missing = error_of(divider, "op");
  CHECK(missing.empty());
  auto& ng = Ngspice::instance();
  ng.load_circuit(divider);
  ng.command("op");
  CHECK_THROWS_WITH_AS(ng.vector("v_nothere#branch"), doctest::Contains("no vector"), NgspiceError);
  ng.clear();
}

TEST_CASE("a fatal error does not end the process, and the next run works") {
  const std::string fatal = error_of("* fatal\nV1 a 0 DC 1\nR1 a 0 {1000\n.end\n");
  CHECK(fatal.find("fatal") != std::string::npos);
  CHECK(fatal.find("Closing \"}\" not found") != std::string::npos);
  const double expected = 1.5 * 1200.0 / 2200.0 / 3000.0;
  CHECK(std::abs(run_divider_current() - expected) <= 1e-12 * expected);
  CHECK(std::abs(run_divider_current() - expected) <= 1e-12 * expected);
}

TEST_CASE("alter changes a source without reloading") {
  auto& ng = Ngspice::instance();
  ng.load_circuit(divider);
  ng.command("op");
  const double before = ng.vector("v_sense#branch").at(0);
  ng.command("alter V1 dc = 3");
  ng.command("op");
  const double after = ng.vector("v_sense#branch").at(0);
  ng.clear();
  CHECK(after == doctest::Approx(2 * before).epsilon(1e-12));
}

// A Monte Carlo study on ngspice loads a circuit per trial: remcirc + destroy all must give the memory
// back, so the process does not grow with the trials (reopening the library would leak inside it).
TEST_CASE("loading and clearing circuits leaves memory flat") {
#ifdef __SANITIZE_ADDRESS__
  MESSAGE("not run under AddressSanitizer: its quarantine holds freed memory, so resident memory grows anyway");
  return;
#endif
  for (int k = 0; k < 50; ++k) run_divider_current();  // warm up
  const std::size_t before = xbar::test::resident_bytes();
  for (int k = 0; k < 1000; ++k) run_divider_current();
  const std::size_t after = xbar::test::resident_bytes();
  INFO("resident before ", before, " after ", after);
  CHECK(after < before + 8 * 1024 * 1024);
}
