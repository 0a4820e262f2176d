// What the native solver asks of the process: CHOLMOD's memory from large_blocks (huge pages from
// 4 MiB up), its OpenMP loops in the calling thread (serial_openmp.cpp), SuiteSparse's statistics clock
// stopped (untimed_suitesparse.cpp), the BLAS on one thread (serial_blas.cpp), and a program's restart
// with glibc's huge-page tunable (huge_pages.hpp).
#include <dlfcn.h>
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "backends/native/large_blocks.hpp"
#include "backends/native/serial_openmp.hpp"
#include "support.hpp"
#include "xbar/models/random.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/backends/native/huge_pages.hpp"

using namespace xbar;

namespace {

void fill_pattern(void* block, std::size_t bytes, unsigned char seed) {
  auto* p = static_cast<unsigned char*>(block);
  for (std::size_t k = 0; k < bytes; ++k) p[k] = static_cast<unsigned char>(seed + k * 7);
}

bool has_pattern(const void* block, std::size_t bytes, unsigned char seed) {
  const auto* p = static_cast<const unsigned char*>(block);
  for (std::size_t k = 0; k < bytes; ++k) {
    if (p[k] != static_cast<unsigned char>(seed + k * 7)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("large blocks: small and mapped blocks keep their contents through realloc both ways; calloc is zero") {
  constexpr std::size_t small = 1000, big = std::size_t{9} << 20;
  void* p = sim::large_block_malloc(small);
  REQUIRE(p != nullptr);
  fill_pattern(p, small, 3);
  p = sim::large_block_realloc(p, big);  // malloc'd -> mapped
  REQUIRE(p != nullptr);
  CHECK(has_pattern(p, small, 3));
  fill_pattern(p, big, 5);
  p = sim::large_block_realloc(p, big + 12345);  // mapped -> mapped
  REQUIRE(p != nullptr);
  CHECK(has_pattern(p, big, 5));
  p = sim::large_block_realloc(p, small);  // mapped -> malloc'd
  REQUIRE(p != nullptr);
  CHECK(has_pattern(p, small, 5));
  sim::large_block_free(p);
  sim::large_block_free(nullptr);
  for (std::size_t bytes : {small, big}) {
    auto* z = static_cast<unsigned char*>(sim::large_block_calloc(bytes / 8, 8));
    REQUIRE(z != nullptr);
    bool zero = true;
    for (std::size_t k = 0; k < bytes; ++k) zero = zero && z[k] == 0;
    CHECK(zero);
    sim::large_block_free(z);
  }
  CHECK(sim::large_block_calloc(std::size_t{1} << 62, 16) == nullptr);  // the product overflows
  CHECK(sim::large_block_malloc(~std::size_t{0} - 8) == nullptr);
}

namespace {

// CHOLMOD's column currents of a crossbar large enough for supernodes that ask for OpenMP teams, and
// Eigen's; the regions run serially meanwhile.
struct Factorized {
  Eigen::MatrixXd cholmod, eigen;
  std::uint64_t regions = 0, clock_reads = 0;
};

Factorized factorize_both() {
  models::CellTechnology tech;
  tech.resistors = 4;
  auto xbar = models::fabricate_crossbar(tech, 128, 128, 3);
  xbar.wires.segment = 1.0;
  models::SwitchStates states(xbar.shape);
  models::Rng rng(4);
  for (auto& s : states.on) s = rng.uniform01() < 0.5;
  const Eigen::MatrixXd v = Eigen::MatrixXd::Constant(2, 128, 0.1);
  Factorized f;
  const std::uint64_t before = sim::serial_openmp_regions(), reads_before = sim::untimed_suitesparse_reads();
  f.cholmod = sim::make_backend(sim::BackendKind::native, {sim::Factorization::cholmod})->column_currents(xbar, states, v);
  f.regions = sim::serial_openmp_regions() - before;
  f.clock_reads = sim::untimed_suitesparse_reads() - reads_before;
  f.eigen = sim::make_backend(sim::BackendKind::native, {sim::Factorization::eigen})->column_currents(xbar, states, v);
  return f;
}

// This test program again, running only `test_case`, with `variable` set; what it wrote to `report`.
std::string rerun(const std::string& test_case, const char* variable, const char* value, const std::string& report) {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    setenv(variable, value, 1);
    setenv("XBAR_TEST_REPORT", report.c_str(), 1);
    setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_max=65536", 1);
    std::string filter = "-tc=" + test_case;
    char name[] = "test_native_runtime";
    char* args[] = {name, filter.data(), nullptr};
    sim::restart_with_huge_pages(args);  // execs this program
    _exit(3);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  return test::read_file(report);
}

}  // namespace

TEST_CASE("CHOLMOD's OpenMP regions run here, in the calling thread, with the same currents as Eigen's") {
  const Factorized f = factorize_both();
  CHECK(f.regions > 0);      // libcholmod's GOMP_parallel calls came to serial_openmp.cpp
  CHECK(f.clock_reads > 0);  // and its SuiteSparse_time calls to untimed_suitesparse.cpp
  CHECK(test::worst_relative(f.cholmod, f.eigen) <= 1e-12);
}

// Run only by the tests after it, as a child with a setting handed back: what came here, and whether
// CHOLMOD's currents still equal Eigen's.
TEST_CASE("runtime probe (helper)") {
  const char* report = std::getenv("XBAR_TEST_REPORT");
  if (report == nullptr) return;
  const Factorized f = factorize_both();
  test::write_file(report, "regions " + std::to_string(f.regions) + " reads " + std::to_string(f.clock_reads) +
                               (test::worst_relative(f.cholmod, f.eigen) <= 1e-12 ? " equal" : " differ") +
                               " blas " + std::to_string(sim::blas_threads()));
}

TEST_CASE("XBAR_OPENMP=teams hands the regions back to libgomp, with the same currents") {
  const test::ScratchDir dir("teams");
  const std::string report = rerun("runtime probe (helper)", "XBAR_OPENMP", "teams", (dir / "report").string());
  CHECK(report.starts_with("regions 0 reads "));
  CHECK(report.find(" equal blas ") != std::string::npos);
  CHECK(!report.starts_with("regions 0 reads 0 "));  // the clock stayed stopped
}

TEST_CASE("XBAR_SUITESPARSE_CLOCK=running hands the clock reads back to SuiteSparse, with the same currents") {
  const test::ScratchDir dir("clock");
  const std::string report = rerun("runtime probe (helper)", "XBAR_SUITESPARSE_CLOCK", "running", (dir / "report").string());
  CHECK(report.find(" reads 0 equal blas ") != std::string::npos);
  CHECK(!report.starts_with("regions 0 "));  // the regions stayed here
}

TEST_CASE("the BLAS runs on one thread; XBAR_BLAS=threads keeps OpenBLAS's own team, with the same currents") {
  if (std::getenv("OPENBLAS_NUM_THREADS") == nullptr) CHECK(sim::blas_threads() == 1);
  const test::ScratchDir dir("blas");
  const std::string report = rerun("runtime probe (helper)", "XBAR_BLAS", "threads", (dir / "report").string());
  CHECK(report.find(" equal blas ") != std::string::npos);
  // OpenBLAS's default is one thread per core (what a BLAS without openblas_get_num_threads reports: 1).
  const int cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  const int threads = std::stoi(report.substr(report.rfind(' ') + 1));
  CHECK(threads >= 1);
  CHECK(threads <= cores);
  if (cores > 1 && dlsym(RTLD_DEFAULT, "openblas_get_num_threads") != nullptr) CHECK(threads > 1);
}

// Run only by the test after it, as a child: the tunables it was started with.
TEST_CASE("restart probe (helper)") {
  const char* report = std::getenv("XBAR_TEST_REPORT");
  if (report == nullptr) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  test::write_file(report, tunables != nullptr ? tunables : "(unset)");
}

TEST_CASE("a program restarts itself once, with glibc's huge-page tunable added to those it had") {
  const test::ScratchDir dir("restart");
  CHECK(rerun("restart probe (helper)", "XBAR_OPENMP", "", (dir / "report").string()) ==
        "glibc.malloc.mmap_max=65536:glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304");

  // Once the tunable is named (here: turned off), nothing happens.
  const char* before = std::getenv("GLIBC_TUNABLES");
  const std::string saved = before != nullptr ? before : "";
  setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
  char name[] = "test_native_runtime";
  char* args[] = {name, nullptr};
  sim::restart_with_huge_pages(args);
  CHECK(std::string(std::getenv("GLIBC_TUNABLES")) == "glibc.malloc.hugetlb=0");
  if (before != nullptr) {
    setenv("GLIBC_TUNABLES", saved.c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}
