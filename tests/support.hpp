// Helpers shared by the test suites: scratch folders, running programs, seeds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>

#include <Eigen/Dense>

namespace xbar::test {

// A fresh empty folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& file) const { return m_path / file; }

 private:
  std::filesystem::path m_path;
};

struct CommandResult {
  int status = -1;     // exit status
  std::string output;  // stdout and stderr together
};

// Runs a shell command line, capturing stdout and stderr.
CommandResult run_command(const std::string& command_line);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

// Seed for randomised tests: XBAR_TEST_SEED if set, else `fallback`. Printed so a failure can be rerun.
std::uint64_t test_seed(std::uint64_t fallback);

std::string quote(const std::filesystem::path& path);

// Resident memory of this process (VmRSS from /proc/self/status), in bytes; 0 where there is none.
std::size_t resident_bytes();

// The sum of the subset `mask` (bit k for values[k]) added in index order from 0, as the solver's sorted
// lists add it.
double sum_in_index_order(std::span<const double> values, std::uint32_t mask);

// Every "i(NAME) = value" or "v(NAME) = value" line ngspice's `print` wrote, by lower-case vector name.
std::map<std::string, double> ngspice_printed(const std::string& output);

// The largest |a - b| over the largest |b|: how far two results of the same shape are apart.
double worst_relative(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

// The project's examples folder, and the built `xbar` command run with `args` (stdout and stderr).
std::filesystem::path examples_dir();
CommandResult xbar(const std::string& args);

}  // namespace xbar::test
