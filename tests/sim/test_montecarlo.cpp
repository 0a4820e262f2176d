// xbar mc as a user runs it: kill and resume, any --jobs, consistent summaries, physics, sweeps.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "xbar/sim/io/csv.hpp"

using namespace xbar;
using Json = nlohmann::json;

namespace {

const std::string xbar_exe = XBAR_EXECUTABLE;
const std::string quickstart = test::quote(test::examples_dir() / "quickstart.yaml");
const auto xbar_cli = test::xbar;

// One column of a study's CSV, by name.
std::vector<double> column_of(const std::filesystem::path& csv, const std::string& name) {
  const sim::NumericCsv table = sim::parse_numeric_csv(test::read_file(csv), csv);
  const std::size_t c = table.column(name);
  std::vector<double> values;
  for (const auto& row : table.rows) values.push_back(row[c]);
  return values;
}

#ifdef XBAR_TEST_MPI
constexpr bool without_mpi = false;
#else
constexpr bool without_mpi = true;  // built without MPI (scripts/setup.sh installs libopenmpi-dev): skipped
#endif

}  // namespace

TEST_CASE("a study killed with SIGKILL and resumed has the rows of an uninterrupted run with other --jobs") {
  test::ScratchDir dir("mc");
  const std::string study = "mc " + quickstart +
                            " --backend native --set cell.resistors=13 --set wire.segment=1 --set calibration.error=1e-3";
  const auto killed = dir / "killed";
  // Killed outright (SIGKILL, workers in flight) the moment 17 rows are on disk: exact, not a race.
  const auto kill = test::run_command("XBAR_FAULT_KILL_AT_ROWS=17 " + test::quote(xbar_exe) + " " + study +
                                      " --trials 300 --jobs 2 --out " + test::quote(killed) + "; echo status=$?");
  INFO(kill.output);
  CHECK(kill.output.find("status=137") != std::string::npos);  // 128 + SIGKILL
  CHECK(column_of(killed / "trials.csv", "trial").size() == 17);
  CHECK_FALSE(std::filesystem::exists(killed / "summary.json"));
  CHECK(xbar_cli(study + " --trials 300 --out " + test::quote(killed)).status == 2);  // no silent clobbering
  // A writer killed in the middle of a line leaves it cut short: resume drops it and redoes the trial.
  std::ofstream(killed / "trials.csv", std::ios::app) << "17,0.0123";
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
  const auto trials = column_of(dir / "s" / "trials.csv", "trial");
  std::vector<double> errors = column_of(dir / "s" / "trials.csv", "output_error_max");
  REQUIRE(errors.size() == 57);
  const Json summary = Json::parse(test::read_file(dir / "s" / "summary.json"));
  double mean = 0;
  int passing = 0;
  for (std::size_t k = 0; k < errors.size(); ++k) {
    CHECK(trials[k] == static_cast<double>(k));
    mean += errors[k] / 57.0;
    passing += errors[k] <= summary["yield_threshold"].get<double>();
  }
  const auto& m = summary["metrics"]["output_error_max"];
  CHECK(m["mean"].get<double>() == doctest::Approx(mean).epsilon(1e-12));
  std::sort(errors.begin(), errors.end());
  CHECK(m["min"].get<double>() == errors.front());
  CHECK(m["max"].get<double>() == errors.back());
  // Nearest rank over 57 trials: p5 the ceil(2.85) = 3rd, p50 the 29th, p95 the ceil(54.15) = 55th.
  CHECK(m["p5"].get<double>() == errors[2]);
  CHECK(m["p50"].get<double>() == errors[28]);
  CHECK(m["p95"].get<double>() == errors[54]);
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

TEST_CASE("mpirun -n 2: ranks share the trials and give the rows of a single process" * doctest::skip(without_mpi)) {
#ifdef XBAR_TEST_MPI
  test::ScratchDir dir("mpi");
  const std::string study = "mc " + quickstart + " --backend native --set cell.resistors=10 --set calibration.error=1e-3";
#ifdef __SANITIZE_ADDRESS__
  // OpenMPI unloads its plugins before the ranks exit, so LeakSanitizer sees their allocations in
  // "unknown modules" that no suppression can name: the ranks run without leak checking here.
  const std::string sanitizer = "ASAN_OPTIONS=detect_leaks=0 ";
#else
  const std::string sanitizer;
#endif
  const std::string mpirun = sanitizer +
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
  const auto column = [&](const char* backend, const char* name) { return column_of(dir / backend / "trials.csv", name); };
  const auto ng_error = column("ng", "output_error_max"), native_error = column("native", "output_error_max");
  REQUIRE(ng_error.size() == 6);
  REQUIRE(native_error.size() == 6);
  CHECK(column("ng", "weight_error") == column("native", "weight_error"));  // it does not involve the simulator
  for (std::size_t k = 0; k < 6; ++k) CHECK(ng_error[k] == doctest::Approx(native_error[k]).epsilon(1e-9));
}

TEST_CASE("a second run on a study folder in use is refused with exit 2, naming the holder") {
  test::ScratchDir dir("mc-lock");
  const auto study = dir / "study";
  std::filesystem::create_directories(study);
  // This process holds the study as a running xbar would: an exclusive flock with its PID in the file.
  const int fd = ::open((study / ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  REQUIRE(::write(fd, "4242\n", 5) == 5);
  const std::string run = "mc " + quickstart + " --backend native --trials 3 --out " + test::quote(study);
  const auto refused = xbar_cli(run);
  CHECK(refused.status == 2);
  CHECK(refused.output.find("another xbar run (pid 4242) is working on this study") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(study / "trials.csv"));
  ::close(fd);  // released: the study runs
  CHECK(xbar_cli(run).status == 0);
  CHECK(column_of(study / "trials.csv", "trial").size() == 3);
}

// With solver.tolerance > 0 (the bundled Monte Carlo example) the answer must not depend on the kernel,
// or MPI ranks on mixed machines and a resume elsewhere would mix different answers.
TEST_CASE("with a tolerance, the AVX2 and the portable kernels give the same trials") {
  test::ScratchDir dir("mc-kernels");
  const std::string study = "mc " + test::quote(test::examples_dir() / "montecarlo.yaml") + " --trials 4 --jobs 1 --out ";
  REQUIRE(xbar_cli(study + test::quote(dir / "fastest")).status == 0);
  REQUIRE(test::run_command("XBAR_KERNEL=scalar " + test::quote(xbar_exe) + " " + study + test::quote(dir / "scalar"))
              .status == 0);
  CHECK(test::read_file(dir / "fastest" / "trials.csv") == test::read_file(dir / "scalar" / "trials.csv"));
}

TEST_CASE("plots: titled, redrawn by their kept scripts, a word-valued key named on the axis, the pass fraction shown") {
  test::ScratchDir dir("mc-plots");
  const auto run = xbar_cli("mc " + quickstart + " --backend native --trials 12 --sweep variation.distribution=uniform,normal"
                            " --out " + test::quote(dir / "s"));
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK(run.output.find("variation.distribution=normal") != std::string::npos);  // the sweep's table
  const std::string yield = test::read_file(dir / "s" / "sweep_yield.gp");
  CHECK(yield.find("set title 'Monte Carlo sweep over variation.distribution: quickstart.yaml, 12 trials per point'") !=
        std::string::npos);
  CHECK(yield.find("set xtics ('uniform' 0, 'normal' 1)") != std::string::npos);
  CHECK(yield.find("set yrange [-0.05:1.05]") != std::string::npos);  // a yield of 0 or 1 stays in view
  const std::string histogram = test::read_file(dir / "s" / "point_0" / "output_error_histogram.gp");
  CHECK(histogram.find("trials pass (") != std::string::npos);
  // The kept script redraws both pictures from the kept data.
  std::filesystem::remove(dir / "s" / "sweep_yield.png");
  std::filesystem::remove(dir / "s" / "sweep_yield.svg");
  REQUIRE(test::run_command("cd " + test::quote(dir / "s") + " && gnuplot sweep_yield.gp").status == 0);
  CHECK(std::filesystem::file_size(dir / "s" / "sweep_yield.png") > 1000);
  CHECK(std::filesystem::file_size(dir / "s" / "sweep_yield.svg") > 1000);
}

// A full disk: the study stops with exit 1 and the OS's message, keeps every row it wrote, and --resume
// completes it once there is space, with the rows of an uninterrupted run. Needs a small tmpfs, which
// only root can mount; elsewhere the case says so and checks nothing.
TEST_CASE("a study on a full disk stops cleanly and completes on --resume once there is space") {
  test::ScratchDir dir("mc-full");
  const auto disk = dir / "disk";
  std::filesystem::create_directories(disk);
  if (test::run_command("mount -t tmpfs -o size=48k tmpfs " + test::quote(disk)).status != 0) {
    MESSAGE("not run: mounting a 48 kB tmpfs needs root");
    return;
  }
  struct Unmount {
    std::filesystem::path path;
    ~Unmount() { test::run_command("umount " + test::quote(path)); }
  } unmount{disk};
  const std::string study = "mc " + quickstart + " --backend native --trials 3000 --jobs 2 --out " +
                            test::quote(disk / "s");
  const auto full = xbar_cli(study);
  CHECK(full.status == 1);
  CHECK(full.output.find("trials.csv: cannot write: No space left on device") != std::string::npos);
  const std::size_t kept = column_of(disk / "s" / "trials.csv", "trial").size();
  CHECK(kept > 100);
  CHECK(kept < 3000);
  REQUIRE(test::run_command("mount -o remount,size=2m " + test::quote(disk)).status == 0);
  REQUIRE(xbar_cli(study + " --resume").status == 0);
  REQUIRE(xbar_cli("mc " + quickstart + " --backend native --trials 3000 --jobs 1 --out " + test::quote(dir / "whole"))
              .status == 0);
  CHECK(test::read_file(disk / "s" / "trials.csv") == test::read_file(dir / "whole" / "trials.csv"));
}
