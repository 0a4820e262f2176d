// xbar mc as a user runs it: kill and resume, any --jobs, consistent summaries, physics, sweeps.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "xbar/sim/studies/montecarlo.hpp"

using namespace xbar;
using Json = nlohmann::json;

namespace {

const std::string xbar_exe = XBAR_EXECUTABLE;
const std::string quickstart = test::quote(test::examples_dir() / "quickstart.yaml");
const auto xbar_cli = test::xbar;

std::vector<std::vector<double>> rows_of(const std::filesystem::path& csv) {
  std::istringstream lines(test::read_file(csv));
  std::string line;
  std::getline(lines, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(lines, line)) {
    std::vector<double> row;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST_CASE("a study killed with SIGKILL and resumed has the rows of an uninterrupted run with other --jobs") {
  test::ScratchDir dir("mc");
  const std::string study = "mc " + quickstart +
                            " --backend native --set cell.resistors=13 --set wire.segment=1 --set calibration.error=1e-3";
  const auto killed = dir / "killed";
  // Start it, wait until some rows are on disk, then kill it outright.
  const std::string script = test::quote(xbar_exe) + " " + study + " --trials 300 --jobs 2 --out " +
                             test::quote(killed) + " >/dev/null 2>&1 & pid=$!; "
                             "for i in $(seq 400); do n=$(wc -l < " + test::quote(killed / "trials.csv") +
                             " 2>/dev/null || echo 0); [ \"$n\" -gt 15 ] && break; sleep 0.02; done; "
                             "kill -9 $pid; wait $pid; wc -l < " + test::quote(killed / "trials.csv");
  const auto kill = test::run_command(script);
  const int rows_when_killed = std::atoi(kill.output.c_str()) - 1;
  INFO(kill.output);
  CHECK(rows_when_killed > 0);
  CHECK(rows_when_killed < 300);  // it really was interrupted
  CHECK(xbar_cli(study + " --trials 300 --out " + test::quote(killed)).status == 2);  // no silent clobbering
  const auto resumed = xbar_cli(study + " --trials 300 --jobs 1 --resume --out " + test::quote(killed));
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  REQUIRE(xbar_cli(study + " --trials 300 --jobs 2 --out " + test::quote(dir / "whole")).status == 0);
  CHECK(test::read_file(killed / "trials.csv") == test::read_file(dir / "whole" / "trials.csv"));
  CHECK(test::read_file(killed / "summary.json") == test::read_file(dir / "whole" / "summary.json"));
  CHECK(xbar_cli(study + " --set seed=2 --trials 300 --resume --out " + test::quote(killed)).status == 2);
}

TEST_CASE("the summary agrees with the rows") {
  test::ScratchDir dir("mc");
  REQUIRE(xbar_cli("mc " + quickstart + " --backend native --trials 57 --set calibration.error=2e-3 --out " +
                   test::quote(dir / "s"))
              .status == 0);
  const auto rows = rows_of(dir / "s" / "trials.csv");
  REQUIRE(rows.size() == 57);
  const Json summary = Json::parse(test::read_file(dir / "s" / "summary.json"));
  std::vector<double> errors;
  double mean = 0;
  int passing = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    CHECK(rows[k][0] == static_cast<double>(k));
    errors.push_back(rows[k][2]);
    mean += rows[k][2] / 57.0;
    passing += rows[k][2] <= summary["yield_threshold"].get<double>();
  }
  const auto& m = summary["metrics"]["output_error_max"];
  CHECK(m["mean"].get<double>() == doctest::Approx(mean).epsilon(1e-12));
  std::sort(errors.begin(), errors.end());
  CHECK(m["max"].get<double>() == errors.back());
  CHECK(m["p50"].get<double>() == errors[28]);
  CHECK(m["p95"].get<double>() == errors[54]);  // nearest rank: ceil(0.95 * 57) = 55th
  CHECK(summary["yield"].get<double>() == doctest::Approx(passing / 57.0));
  CHECK(std::filesystem::exists(dir / "s" / "output_error_histogram.dat"));
}

TEST_CASE("physics: error falls with n, grows with measurement error and with variation beyond the margin") {
  test::ScratchDir dir("mc");
  const auto medians = [&](const std::string& sweep, const std::string& extra) {
    const auto out = dir / sweep.substr(0, sweep.find('='));
    const auto run = xbar_cli("mc " + quickstart + " --backend native --trials 30 --sweep " + sweep + extra + " --out " +
                              test::quote(out));
    INFO(run.output);
    REQUIRE(run.status == 0);
    std::istringstream lines(test::read_file(out / "sweep.csv"));
    std::string header;
    std::getline(lines, header);
    std::vector<std::string> names;
    std::stringstream cells(header);
    for (std::string c; std::getline(cells, c, ',');) names.push_back(c);
    const auto column = std::find(names.begin(), names.end(), "output_error_max_mean") - names.begin();
    std::vector<double> values;
    for (std::string line; std::getline(lines, line);) {
      std::vector<std::string> row;
      std::stringstream parts(line);
      for (std::string c; std::getline(parts, c, ',');) row.push_back(c);
      values.push_back(std::stod(row[static_cast<std::size_t>(column)]));
    }
    return values;
  };
  const auto by_n = medians("cell.resistors=4,6,8,10", "");
  for (std::size_t k = 1; k < by_n.size(); ++k) CHECK(by_n[k] < by_n[k - 1]);
  const auto by_measurement = medians("calibration.error=0,1e-3,1e-2", "");
  for (std::size_t k = 1; k < by_measurement.size(); ++k) CHECK(by_measurement[k] > by_measurement[k - 1]);
  // Calibration absorbs variation until the shifted resistors can no longer reach full scale.
  const auto by_variation = medians("variation.global=0.2,0.4,0.6",
                                    " --set cell.full_scale=0.9 --set variation.global_distribution=uniform");
  for (std::size_t k = 1; k < by_variation.size(); ++k) CHECK(by_variation[k] > by_variation[k - 1]);
}

TEST_CASE("sweep points are validated before any trial runs") {
  test::ScratchDir dir("mc");
  const auto bad = xbar_cli("mc " + quickstart + " --backend native --trials 3 --sweep cell.resistors=4,99 --out " +
                            test::quote(dir / "bad"));
  CHECK(bad.status == 2);
  CHECK(bad.output.find("--set cell.resistors=99: error: cell.resistors") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "bad" / "point_0" / "trials.csv"));
}

TEST_CASE("percentiles are nearest-rank") {
  const auto s = sim::summarise({5, 1, 4, 2, 3});
  CHECK(s.min == 1);
  CHECK(s.p50 == 3);
  CHECK(s.max == 5);
  CHECK(s.mean == doctest::Approx(3));
  CHECK(s.std == doctest::Approx(std::sqrt(2.5)));
}

TEST_CASE("mpirun -n 2: ranks share the trials and give the rows of a single process") {
#ifndef XBAR_TEST_MPI
  FAIL("xbar was built without MPI: scripts/setup.sh installs libopenmpi-dev");
#else
  test::ScratchDir dir("mpi");
  const std::string study = "mc " + quickstart + " --backend native --set cell.resistors=10 --set calibration.error=1e-3";
  const std::string mpirun =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 mpirun -n 2 " +
      test::quote(xbar_exe) + " ";
  const auto ranks = test::run_command(mpirun + study + " --trials 40 --out " + test::quote(dir / "mpi"));
  INFO(ranks.output);
  REQUIRE(ranks.status == 0);
  REQUIRE(xbar_cli(study + " --trials 40 --jobs 1 --out " + test::quote(dir / "one")).status == 0);
  CHECK(test::read_file(dir / "mpi" / "trials.csv") == test::read_file(dir / "one" / "trials.csv"));
  CHECK(test::read_file(dir / "mpi" / "summary.json") == test::read_file(dir / "one" / "summary.json"));
  // Resumed under MPI to more trials: still the same rows.
  REQUIRE(test::run_command(mpirun + study + " --trials 60 --resume --out " + test::quote(dir / "mpi")).status == 0);
  REQUIRE(xbar_cli(study + " --trials 60 --resume --out " + test::quote(dir / "one")).status == 0);
  CHECK(test::read_file(dir / "mpi" / "trials.csv") == test::read_file(dir / "one" / "trials.csv"));
#endif
}

TEST_CASE("worker processes each run their own ngspice, agreeing with the native backend") {
  test::ScratchDir dir("mc-ngspice");
  const std::string study = "mc " + quickstart + " --trials 6 --set wire.segment=1 --set calibration.error=1e-3";
  REQUIRE(xbar_cli(study + " --backend ngspice --jobs 2 --out " + test::quote(dir / "ng")).status == 0);
  REQUIRE(xbar_cli(study + " --backend native --jobs 1 --out " + test::quote(dir / "native")).status == 0);
  const auto ng = rows_of(dir / "ng" / "trials.csv"), native = rows_of(dir / "native" / "trials.csv");
  REQUIRE(ng.size() == 6);
  REQUIRE(native.size() == 6);
  for (std::size_t k = 0; k < 6; ++k) {
    CHECK(ng[k][1] == native[k][1]);  // the weight error does not involve the simulator
    CHECK(ng[k][2] == doctest::Approx(native[k][2]).epsilon(1e-9));
  }
}
