// The spec loader: defaults, suffixes, overrides, and one clear diagnostic per kind of mistake.
#include <doctest/doctest.h>

#include <cmath>

#include "support.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/npy.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/spec/spec.hpp"
#include "xbar/sim/spec/parameters.hpp"

using namespace xbar;

namespace {

const char* minimal = "weights:\n  values: [[1, -2], [0.5, 0]]\n";

// The diagnostics of a spec that must fail.
std::vector<sim::Diagnostic> problems(const std::string& text, const std::vector<std::string>& overrides = {},
                                      const std::filesystem::path& path = "spec.yaml") {
  try {
    sim::load_spec_text(text, path, overrides);
  } catch (const sim::InputError& e) {
    return e.diagnostics();
  }
  FAIL("the spec was accepted");
  return {};
}

}  // namespace

TEST_CASE("defaults fill everything a minimal spec leaves out") {
  const sim::Spec spec = sim::load_spec_text(minimal, "spec.yaml");
  CHECK(spec.design.weights.rows() == 2);
  CHECK(spec.design.weights(0, 1) == -2.0);
  CHECK(spec.seed == 1);
  CHECK(spec.design.cell.resistors == 8);
  CHECK(spec.design.cell.nominal == 10e3);
  CHECK(spec.design.cell.roff == 1e9);
  CHECK(spec.inputs.random_vectors == 4);
  CHECK(spec.backend == sim::BackendKind::ngspice);
  CHECK_FALSE(spec.design.w_fs.has_value());
}

TEST_CASE("SPICE suffixes, choices and overrides by dotted path") {
  const std::string text = std::string(minimal) + "cell: {nominal: 4.7k, design: binary}\nswitch: {roff: 1meg}\n";
  const sim::Spec spec =
      sim::load_spec_text(text, "spec.yaml", {"cell.resistors=12", "simulate.backend=ideal", "inputs.v_fs=100m"});
  CHECK(spec.design.cell.nominal == 4700);
  CHECK(spec.design.cell.design == models::BankDesign::binary);
  CHECK(spec.design.cell.roff == 1e6);
  CHECK(spec.design.cell.resistors == 12);
  CHECK(spec.backend == sim::BackendKind::ideal);
  CHECK(spec.inputs.v_fs == doctest::Approx(0.1));
  // null removes a key, so a file can replace inline values
  const auto removed = problems(minimal, {"weights.values=null"});
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].message.find("missing") != std::string::npos);
}

TEST_CASE("unknown keys are named with their line and the keys that would be valid") {
  const auto d = problems(std::string(minimal) + "cell:\n  resistor: 8\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].file == "spec.yaml");
  CHECK(d[0].line == 4);
  CHECK(d[0].column == 3);
  CHECK(d[0].key == "cell.resistor");
  CHECK(d[0].message.find("resistors") != std::string::npos);
  CHECK(sim::format_diagnostic(d[0]).find("    ^") != std::string::npos);  // caret under the key
}

TEST_CASE("wrong types and out-of-range values say what was expected") {
  const auto d = problems(std::string(minimal) + "cell:\n  resistors: eight\n  variation: -0.1\n  design: binray\n");
  REQUIRE(d.size() == 3);
  CHECK(d[0].key == "cell.resistors");
  CHECK(d[0].line == 4);
  CHECK(d[0].message.find("expected an integer from 1 to 24") != std::string::npos);
  CHECK(d[1].key == "cell.variation");
  CHECK(d[1].message.find("from 0 to 0.9") != std::string::npos);
  CHECK(d[2].key == "cell.design");
  CHECK(d[2].message.find("uniform, binary") != std::string::npos);
  const auto too_many = problems(minimal, {"cell.resistors=25"});
  REQUIRE(too_many.size() == 1);
  CHECK(too_many[0].file == "--set cell.resistors=25");
}

TEST_CASE("YAML syntax errors point at the line") {
  const auto d = problems("seed: 1\nweights: [1, 2\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("YAML syntax error") != std::string::npos);
  CHECK(d[0].line >= 2);
}

TEST_CASE("weights: missing, doubled, ragged, missing file, mis-shaped file") {
  CHECK(problems("seed: 2\n")[0].message.find("missing: give weights.file") != std::string::npos);
  CHECK(problems("weights: {file: w.npy, values: [[1]]}\n")[0].message.find("not both") != std::string::npos);
  const auto ragged = problems("weights:\n  values:\n    - [1, 2]\n    - [3]\n");
  REQUIRE(ragged.size() == 1);
  CHECK(ragged[0].line == 4);
  CHECK(ragged[0].message.find("row 1") != std::string::npos);

  test::ScratchDir dir("spec");
  const auto spec_path = dir / "s.yaml";
  const auto missing = problems("weights: {file: nowhere.npy}\n", {}, spec_path);
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].key == "weights.file");
  CHECK(missing[0].line == 1);
  CHECK(missing[0].message.find("nowhere.npy: cannot open") != std::string::npos);

  sim::write_npy(dir / "w3.npy", {2, 2, 2}, std::vector<double>(8, 1.0));
  const auto shaped = problems("weights: {file: w3.npy}\n", {}, spec_path);
  REQUIRE(shaped.size() == 1);
  CHECK(shaped[0].message.find("expected a 2-D array (inputs x outputs), got shape (2, 2, 2)") != std::string::npos);

  sim::write_npy(dir / "w.npy", {3, 2}, std::vector<double>{1, 2, 3, 4, 5, 6});
  sim::write_npy(dir / "x.npy", {4, 2}, std::vector<double>(8, 0.5));
  const auto inputs = problems("weights: {file: w.npy}\ninputs: {file: x.npy}\n", {}, spec_path);
  REQUIRE(inputs.size() == 1);
  CHECK(inputs[0].key == "inputs.file");
  CHECK(inputs[0].message.find("expected shape (vectors, 3)") != std::string::npos);

  sim::write_npy(dir / "x.npy", {4, 3}, std::vector<double>(12, 0.5));
  const sim::Spec ok = sim::load_spec_text("weights: {file: w.npy}\ninputs: {file: x.npy}\n", spec_path);
  CHECK(ok.design.weights(2, 1) == 6.0);
  CHECK(ok.inputs.values.rows() == 4);
  CHECK(ok.inputs.random_vectors == 0);
}

TEST_CASE("duplicate keys and sections, overflowing weights and files that are not files are refused") {
  const auto twice = problems("weights:\n  values: [[1, 2]]\ncell:\n  resistors: 4\n  resistors: 12\n");
  REQUIRE(twice.size() == 1);
  CHECK(twice[0].key == "cell.resistors");
  CHECK(twice[0].line == 5);
  CHECK(twice[0].message == "duplicate key: already given on line 4");
  const auto section = problems("weights:\n  values: [[1, 2]]\ncell: {resistors: 4}\ncell: {nominal: 1k}\n");
  REQUIRE(section.size() == 1);
  CHECK(section[0].key == "cell");
  const auto huge = problems("weights:\n  values: [[1e308, 2]]\n");
  REQUIRE(huge.size() == 1);
  CHECK(huge[0].message.find("exceed 1e100") != std::string::npos);
  const auto load_problem = [](const std::filesystem::path& path) {
    try {
      sim::load_spec(path);
    } catch (const sim::InputError& e) {
      return e.diagnostics().at(0).message;
    }
    return std::string("accepted");
  };
  CHECK(load_problem("/dev/zero").find("is not a regular file") != std::string::npos);
  CHECK(load_problem(std::filesystem::temp_directory_path()).find("is a directory") != std::string::npos);
}

TEST_CASE("unit words are read as ngspice reads them; a nominal SPICE would read as milliohms is warned about") {
  const sim::Spec ohms = sim::load_spec_text(std::string(minimal) + "cell: {nominal: 10kohm}\n", "s.yaml");
  CHECK(ohms.design.cell.nominal == 10e3);
  CHECK(ohms.warnings.empty());
  const sim::Spec milli = sim::load_spec_text(std::string(minimal) + "cell: {nominal: 1M}\n", "s.yaml");
  CHECK(milli.design.cell.nominal == doctest::Approx(1e-3));
  REQUIRE(milli.warnings.size() == 1);
  CHECK(milli.warnings[0].warning);
  CHECK(milli.warnings[0].key == "cell.nominal");
  CHECK(milli.warnings[0].line == 3);
  CHECK(sim::format_diagnostic(milli.warnings[0]).find("s.yaml:3:17: warning: cell.nominal: 0.001 ohm is below") !=
        std::string::npos);
  CHECK(sim::load_spec_text(std::string(minimal) + "cell: {nominal: 2g}\n", "s.yaml").warnings.size() == 1);
  CHECK(sim::load_spec_text(minimal, "s.yaml").warnings.empty());
}

TEST_CASE("every problem is reported at once") {
  const auto d = problems("weights: {file: nowhere.npy}\ncell: {resistors: 0, nominal: -5}\nbogus: 1\n");
  CHECK(d.size() == 4);
}

// The table and the loader agree: every bounded or chosen key of the table is read by the loader, which
// rejects a value outside the table's range (or choices) under that key, with the table's wording.
TEST_CASE("the loader enforces every range and choice of the parameter table") {
  int checked = 0;
  for (const sim::Parameter& p : sim::spec_parameters()) {
    std::string bad;
    if (p.type == sim::ParamType::choice) {
      bad = "no-such-choice";
    } else if ((p.type == sim::ParamType::integer || p.type == sim::ParamType::real) && std::isfinite(p.min)) {
      bad = netlist::format_number(p.min_exclusive ? p.min : p.min - 1.0);
    } else if ((p.type == sim::ParamType::integer || p.type == sim::ParamType::real) && std::isfinite(p.max)) {
      bad = netlist::format_number(p.max + 1.0);
    } else {
      continue;
    }
    CAPTURE(p.key);
    CAPTURE(bad);
    const auto d = problems(minimal, {std::string(p.key) + "=" + bad});
    REQUIRE(d.size() == 1);
    CHECK(d[0].key == p.key);
    CHECK(d[0].message.find(sim::describe_expected(p)) != std::string::npos);
    ++checked;
  }
  CHECK(checked > 30);
}

TEST_CASE("variation.local names cell.variation: either one, not both") {
  const sim::Spec spec = sim::load_spec_text(std::string(minimal) + "variation: {local: 0.05, global: 0.1}\n", "s.yaml");
  CHECK(spec.design.cell.variation == 0.05);
  CHECK(spec.design.cell.global == 0.1);
  const auto both = problems(std::string(minimal) + "cell: {variation: 0.1}\nvariation: {local: 0.05}\n");
  REQUIRE(both.size() == 1);
  CHECK(both[0].message.find("the same as cell.variation") != std::string::npos);
  // A --set (as --sweep makes) of one name replaces what the file gives under the other.
  const std::string file_says = std::string(minimal) + "cell: {variation: 0.1, distribution: normal}\n";
  const sim::Spec swept =
      sim::load_spec_text(file_says, "s.yaml", {"variation.local=0.05", "variation.distribution=uniform"});
  CHECK(swept.design.cell.variation == 0.05);
  CHECK(swept.design.cell.distribution == models::Distribution::uniform);
  CHECK(problems(minimal, {"variation.local=0.05", "cell.variation=0.1"}).size() == 1);
  const auto sweep = problems(std::string(minimal) + "sweep: {cell.resistor: [4, 8]}\n");
  REQUIRE(sweep.size() == 1);
  CHECK(sweep[0].key == "sweep.cell.resistor");
}

TEST_CASE("cell.g_fs fixes the full-scale conductance") {
  CHECK_FALSE(sim::load_spec_text(minimal, "s.yaml").design.g_fs.has_value());
  CHECK(sim::load_spec_text(minimal, "s.yaml", {"cell.g_fs=200u"}).design.g_fs.value() == doctest::Approx(2e-4));
  CHECK(problems(minimal, {"cell.g_fs=-1"})[0].key == "cell.g_fs");
}
