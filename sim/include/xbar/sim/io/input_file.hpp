// Reading a file a user names, whole and safely: only a regular file (a directory, FIFO or device such
// as /dev/zero is refused before reading) and no larger than the memory it may take.
// Usage (given const std::filesystem::path& path):
//   std::string text = read_input_file(path, "the spec file");   // FileReadError naming the file and why
//   memory_limit();   // bytes a run may allocate: XBAR_MAX_MEMORY or --max-memory, else what is free
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace xbar::sim {

// what() is "PATH: reason" (e.g. "w.npy: is a directory; expected a .npy file").
class FileReadError : public std::runtime_error {
 public:
  FileReadError(const std::filesystem::path& path, const std::string& reason)
      : std::runtime_error(path.string() + ": " + reason), m_reason(reason) {}
  const std::string& reason() const { return m_reason; }

 private:
  std::string m_reason;
};

// `what` names the file's role in messages ("the spec file", "the weights file").
std::string read_input_file(const std::filesystem::path& path, std::string_view what);

// The bytes a run may allocate for what a spec or file implies, checked before allocating: the value
// set by set_memory_limit (the --max-memory option), else XBAR_MAX_MEMORY (bytes, SPICE suffixes
// allowed), else the machine's available memory (MemAvailable).
std::uint64_t memory_limit();
void set_memory_limit(std::uint64_t bytes);

// "1.5 GiB": a byte count for messages.
std::string format_bytes(std::uint64_t bytes);

}  // namespace xbar::sim
