#include "xbar/sim/io/input_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "xbar/netlist/spice_number.hpp"

namespace xbar::sim {

namespace {

std::optional<std::uint64_t> configured_limit;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& why) {
  throw FileReadError(path, why);
}

// MemAvailable from /proc/meminfo, in bytes; nullopt where there is none.
std::optional<std::uint64_t> available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

}  // namespace

std::string read_input_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) fail(path, "cannot open " + std::string(what) + " (does it exist?)");
  if (std::filesystem::is_directory(status)) fail(path, "is a directory; expected " + std::string(what));
  if (!std::filesystem::is_regular_file(status)) {
    fail(path, "is not a regular file (a device or pipe); expected " + std::string(what));
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) fail(path, "cannot read its size: " + ec.message());
  if (size > memory_limit()) {
    fail(path, "is " + format_bytes(size) + ", more than the memory limit of " + format_bytes(memory_limit()) +
                   " (--max-memory)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open " + std::string(what) + ": " + std::strerror(errno));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) fail(path, "cannot read " + std::string(what));
  return text;
}

std::uint64_t memory_limit() {
  if (configured_limit) return *configured_limit;
  if (const char* text = std::getenv("XBAR_MAX_MEMORY")) {
    if (const auto bytes = netlist::parse_spice_number(text); bytes && *bytes > 0) {
      return static_cast<std::uint64_t>(*bytes);
    }
  }
  return available_memory().value_or(std::uint64_t{1} << 34);  // no /proc: 16 GiB
}

void set_memory_limit(std::uint64_t bytes) { configured_limit = bytes; }

std::string format_bytes(std::uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 4) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

}  // namespace xbar::sim
