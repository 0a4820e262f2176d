// The solver-facing commands as a user runs them: xbar solve, xbar coverage, xbar program, and the
// solver modes reached from a spec.
#include <doctest/doctest.h>

#include <limits>

#include <bit>
#include <cmath>
#include <nlohmann/json.hpp>

#include "support.hpp"
#include "xbar/sim/io/npy.hpp"
#include "xbar/models/random.hpp"
#include "xbar/solver/subset_sum.hpp"

using namespace xbar;
using Json = nlohmann::json;

namespace {

const std::filesystem::path examples = test::examples_dir();
const auto xbar_cli = test::xbar;

}  // namespace

TEST_CASE("xbar solve: every mode's switch states reach the reported value, optimal against brute force") {
  test::ScratchDir dir("solve");
  models::Rng rng(test::test_seed(21));
  const std::size_t instances = 40, n = 10;
  std::vector<double> values(instances * n), targets(instances);
  for (double& v : values) v = rng.uniform(0.8, 1.2);
  for (double& t : targets) t = rng.uniform(-2.0, 5.0);
  sim::write_npy(dir / "v.npy", {instances, n}, values);
  sim::write_npy(dir / "t.npy", {instances}, targets);
  for (const std::string mode : {"free", "signed", "fixed:3", "max:2", "series"}) {
    const auto run =
        xbar_cli("solve --values " + test::quote(dir / "v.npy") + " --targets " + test::quote(dir / "t.npy") +
                 " --out " + test::quote(dir / "s.npy") + " --mode " + mode + " --jobs 2");
    INFO(run.output);
    REQUIRE(run.status == 0);
    const auto states = sim::read_npy(dir / "s.npy");
    const auto achieved = sim::read_npy(dir / "s_achieved.npy");
    REQUIRE(states.shape == std::vector<std::size_t>{instances, n});
    REQUIRE(achieved.shape == std::vector<std::size_t>{instances, 2});
    for (std::size_t k = 0; k < instances; ++k) {
      std::vector<double> signed_values(values.begin() + static_cast<std::ptrdiff_t>(k * n),
                                        values.begin() + static_cast<std::ptrdiff_t>((k + 1) * n));
      if (mode == "signed") {
        for (std::size_t i = n / 2; i < n; ++i) signed_values[i] = -signed_values[i];
      }
      double sum = 0.0;
      int closed = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const bool on = states.data[k * n + i] != 0.0;
        closed += on;
        const bool counts = mode == "series" ? !on : on;  // a series resistor counts when bypass is open
        sum += counts ? signed_values[i] : 0.0;
      }
      CAPTURE(mode);
      CAPTURE(k);
      CHECK(sum == doctest::Approx(achieved.data[2 * k]).epsilon(1e-12));
      CHECK(std::abs(targets[k] - sum) ==
            doctest::Approx(achieved.data[2 * k + 1]).epsilon(1e-9).scale(1e-12));
      solver::Cardinality cardinality;
      if (mode == "fixed:3") cardinality = solver::Cardinality::exactly(3);
      if (mode == "max:2") cardinality = solver::Cardinality::at_most(2);
      if (mode == "fixed:3" || mode == "max:2") CHECK(cardinality.allows(closed));
      const auto best = solver::closest_subset_sum_brute_force(signed_values, targets[k], cardinality);
      CHECK(achieved.data[2 * k + 1] == doctest::Approx(best.error).epsilon(1e-9).scale(1e-12));
    }
  }
}

TEST_CASE("xbar solve rejects mis-shaped arrays and impossible modes with exit code 2, writing nothing") {
  test::ScratchDir dir("solve");
  sim::write_npy(dir / "v.npy", {3, 4}, std::vector<double>(12, 1.0));
  sim::write_npy(dir / "t.npy", {5}, std::vector<double>(5, 1.0));
  const auto wrong = xbar_cli("solve --values " + test::quote(dir / "v.npy") + " --targets " +
                              test::quote(dir / "t.npy") + " --out " + test::quote(dir / "s.npy"));
  CHECK(wrong.status == 2);
  CHECK(wrong.output.find("expected shape (3,) or (3, 1)") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "s.npy"));
  sim::write_npy(dir / "t.npy", {3}, std::vector<double>(3, 1.0));
  CHECK(xbar_cli("solve --values " + test::quote(dir / "v.npy") + " --targets " + test::quote(dir / "t.npy") +
                 " --out " + test::quote(dir / "s.npy") + " --mode fixed:9")
            .status == 2);
  CHECK(xbar_cli("solve --values " + test::quote(dir / "v.npy") + " --targets " + test::quote(dir / "t.npy") +
                 " --out " + test::quote(dir / "s.npy") + " --mode sideways")
            .status == 2);
  std::vector<double> overflowing(12, 1.0);
  overflowing[4] = overflowing[5] = 1e308;  // instance 1's sums overflow
  sim::write_npy(dir / "v.npy", {3, 4}, overflowing);
  const auto huge = xbar_cli("solve --values " + test::quote(dir / "v.npy") + " --targets " +
                             test::quote(dir / "t.npy") + " --out " + test::quote(dir / "s.npy"));
  CHECK(huge.status == 2);
  CHECK(huge.output.find("instance 1: its values' sum overflows a double") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "s.npy"));

  sim::write_npy(dir / "v.npy", {3, 4}, std::vector<double>(12, 1.0));
  const std::vector<double> infinite_target = {1.0, std::numeric_limits<double>::infinity(), 1.0};
  sim::write_npy(dir / "inf.npy", {3}, infinite_target);
  const auto infinite = xbar_cli("solve --values " + test::quote(dir / "v.npy") + " --targets " +
                                 test::quote(dir / "inf.npy") + " --out " + test::quote(dir / "s.npy"));
  CHECK(infinite.status == 2);
  CHECK(infinite.output.find("target 1 is NaN or infinite") != std::string::npos);
  // The companion file's path is a folder: refused before S.npy is written.
  std::filesystem::create_directories(dir / "s_achieved.npy");
  const auto companion = xbar_cli("solve --values " + test::quote(dir / "v.npy") + " --targets " +
                                  test::quote(dir / "t.npy") + " --out " + test::quote(dir / "s.npy"));
  CHECK(companion.status == 2);
  CHECK(companion.output.find("s_achieved.npy: error: is a directory") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "s.npy"));
}

TEST_CASE("xbar program exports switch states that reproduce the report's programmed weights") {
  test::ScratchDir dir("program");
  const std::string spec = test::quote(examples / "quickstart.yaml");
  REQUIRE(xbar_cli("program " + spec + " -o " + test::quote(dir / "p")).status == 0);
  REQUIRE(xbar_cli("run " + spec + " --quiet --backend ideal --json " + test::quote(dir / "r.json")).status ==
          0);
  const Json report = Json::parse(test::read_file(dir / "r.json"));
  const auto states = sim::read_npy(dir / "p" / "switches.npy");
  const auto closed = sim::read_npy(dir / "p" / "measured_closed.npy");
  const auto open = sim::read_npy(dir / "p" / "measured_open.npy");
  const Json info = Json::parse(test::read_file(dir / "p" / "program.json"));
  const std::size_t rows = states.shape[0], cols = states.shape[1], n = states.shape[3];
  CHECK(states.shape[2] == 2);
  CHECK(info["measured_unit"] == "siemens");
  const double w_per_siemens = report["scale"]["w_fs"].get<double>() / report["scale"]["g_fs"].get<double>();
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      double g = 0.0;
      for (std::size_t bank = 0; bank < 2; ++bank)
        for (std::size_t k = 0; k < n; ++k) {
          const std::size_t b = ((i * cols + j) * 2 + bank) * n + k;
          g += (bank == 0 ? 1.0 : -1.0) * (states.data[b] != 0.0 ? closed.data[b] : open.data[b]);
        }
      CHECK(g * w_per_siemens ==
            doctest::Approx(report["programmed_weights"][i][j].get<double>()).epsilon(1e-12));
    }
  const std::string csv = test::read_file(dir / "p" / "switches.csv");
  CHECK(csv.rfind("row,col,bank,position,state,measured_closed,measured_open\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == static_cast<long>(1 + rows * cols * 2 * n));
}

TEST_CASE("xbar coverage bounds the programming error of every cell, in every mode that has it") {
  test::ScratchDir dir("coverage");
  const std::string spec = test::quote(examples / "quickstart.yaml");
  // fixed:K and max:K reach only the sums of the subsets they allow (fixed:2 leaves errors near 0.4).
  for (const std::string mode : {"signed", "fixed:2", "max:3", "bank_fixed:3", "bank_max:4"}) {
    CAPTURE(mode);
    const std::string sets = " --set solver.mode=" + mode;
    const auto run = xbar_cli("coverage " + spec + sets + " --json " + test::quote(dir / "c.json") + " --csv " +
                              test::quote(dir / "c.csv"));
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK(run.output.find("worst error") != std::string::npos);
    const Json c = Json::parse(test::read_file(dir / "c.json"));
    REQUIRE(xbar_cli("run " + spec + sets + " --quiet --backend ideal --json " + test::quote(dir / "r.json"))
                .status == 0);
    const Json r = Json::parse(test::read_file(dir / "r.json"));
    CHECK(c["cells"].size() == 32);
    CHECK(c["summary"]["exact"] == true);
    // The weight error of every cell is at most its worst-case coverage error.
    for (const auto& cell : c["cells"]) {
      const int i = cell["row"], j = cell["col"];
      const double w = r["weights"][i][j], p = r["programmed_weights"][i][j];
      const double error = std::abs(p - w) / r["scale"]["w_fs"].get<double>();
      CHECK(error <= cell["worst_error"].get<double>() * (1 + 1e-9));
    }
  }
}

TEST_CASE("every solver mode runs end to end from a spec, with ngspice agreeing with the ideal circuit") {
  test::ScratchDir dir("modes");
  const std::string spec = test::quote(examples / "quickstart.yaml");
  for (const std::string mode : {"signed", "free", "fixed:8", "max:10", "bank_max:6", "series"}) {
    const auto json = dir / "r.json";
    const auto ideal = dir / "i.json";
    // A series chain of equal resistors cannot reach small conductances finely: use the binary design.
    const std::string sets =
        " --set solver.mode=" + mode + (mode == "series" ? " --set cell.design=binary" : "");
    const auto run = xbar_cli("run " + spec + " --quiet" + sets + " --json " + test::quote(json));
    INFO(run.output);
    REQUIRE(run.status == 0);
    REQUIRE(xbar_cli("run " + spec + " --quiet --backend ideal" + sets + " --json " + test::quote(ideal))
                .status == 0);
    const Json a = Json::parse(test::read_file(json)), b = Json::parse(test::read_file(ideal));
    CAPTURE(mode);
    CHECK(a["solver"]["mode"] == mode);
    CHECK(a["metrics"]["weight_error"].get<double>() < 0.2);
    for (std::size_t v = 0; v < a["column_currents"].size(); ++v)
      for (std::size_t j = 0; j < a["column_currents"][v].size(); ++j) {
        const double x = a["column_currents"][v][j], y = b["column_currents"][v][j];
        CHECK(std::abs(x - y) <= 1e-9 * std::abs(y) + 1e-18);
      }
  }
  const auto too_many = xbar_cli("run " + spec + " --set solver.mode=fixed:17");
  CHECK(too_many.status == 2);
  CHECK(too_many.output.find("solver.mode: fixed:17 asks for more switches") != std::string::npos);
}
