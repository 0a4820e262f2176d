#include "support.hpp"

#include <regex>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace xbar::test {

ScratchDir::ScratchDir(const std::string& name)
    : m_path(std::filesystem::temp_directory_path() / ("xbar-test-" + name + "-" + std::to_string(::getpid()))) {
  std::filesystem::remove_all(m_path);
  std::filesystem::create_directories(m_path);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

CommandResult run_command(const std::string& command_line) {
  CommandResult result;
  FILE* pipe = ::popen((command_line + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::uint64_t test_seed(std::uint64_t fallback) {
  std::uint64_t seed = fallback;
  if (const char* text = std::getenv("XBAR_TEST_SEED")) seed = std::strtoull(text, nullptr, 10);
  std::cout << "test seed " << seed << " (override with XBAR_TEST_SEED)\n";
  return seed;
}

std::string quote(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::filesystem::path examples_dir() { return std::filesystem::path(XBAR_SOURCE_DIR) / "examples"; }

std::size_t resident_bytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

CommandResult xbar(const std::string& args) { return run_command(quote(XBAR_EXECUTABLE) + " " + args); }

double sum_in_index_order(std::span<const double> values, std::uint32_t mask) {
  double sum = 0.0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if ((mask >> k) & 1u) sum += values[k];
  }
  return sum;
}

std::map<std::string, double> ngspice_printed(const std::string& output) {
  std::map<std::string, double> values;
  static const std::regex line(R"(^([iv]\([a-z0-9_#]+\))\s*=\s*([-+0-9.eE]+)\s*$)");
  std::istringstream in(output);
  for (std::string text; std::getline(in, text);) {
    std::smatch m;
    if (std::regex_match(text, m, line)) values[m[1]] = std::stod(m[2]);
  }
  return values;
}

double worst_relative(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff();
}

}  // namespace xbar::test
