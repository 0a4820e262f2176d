// The emitted netlist, run by the stock `ngspice -b` program, gives the shared library's currents.
#include <doctest/doctest.h>

#include <cmath>
#include <regex>

#include "support.hpp"
#include "xbar/sim/flow/design.hpp"

using namespace xbar;

TEST_CASE("ngspice -b on the written netlist prints the column currents of input vector 0") {
  test::ScratchDir dir("program");
  const std::string spec_text =
      "seed: 5\nweights:\n  values: [[0.5, -1.0, 0.25], [0.0, 0.75, -0.5], [-0.3, 0.2, 0.9], [1.0, -0.1, 0.4]]\n"
      "cell: {resistors: 6, variation: 0.2}\nswitch: {ron: 100, roff: 1g}\ninputs: {vectors: 2, v_fs: 0.3}\n";
  const sim::Spec spec = sim::load_spec_text(spec_text, dir / "s.yaml");
  const sim::ProgrammedDesign design = sim::program_design(spec, {});
  const sim::DesignResult result = sim::simulate_design(design, sim::BackendKind::ngspice, {});
  test::write_file(dir / "x.cir", sim::design_netlist(design, spec, 0));

  const auto run = test::run_command("ngspice -b " + test::quote(dir / "x.cir"));
  REQUIRE(run.status == 0);
  const std::regex line(R"(i\(v_c(\d+)\)\s*=\s*([-+0-9.eE]+))");
  int found = 0;
  for (auto it = std::sregex_iterator(run.output.begin(), run.output.end(), line); it != std::sregex_iterator();
       ++it) {
    const int column = std::stoi((*it)[1]);
    const double printed = std::stod((*it)[2]);
    const double library = result.column_currents(0, column);
    CAPTURE(column);
    CHECK(std::abs(printed - library) <= 1e-9 * std::abs(library));
    ++found;
  }
  CHECK(found == 3);
}
