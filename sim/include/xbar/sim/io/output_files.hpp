// All-or-nothing output. OutputFiles stages every file next to its destination (written and synced),
// then moves them into place; if any move fails, the files already moved are taken back and whatever
// they replaced is restored, so a failed run leaves the folder as it was.
// Usage (given const std::string& json_text, const std::string& spice_text, const std::string& text):
//   OutputFiles out;
//   out.add("report.json", json_text);
//   out.add("design.cir", spice_text);
//   check_destinations({"report.json"});   // the same check, before a long computation
//   out.commit();   // InputError if a destination is a folder or has none (nothing written);
//                   // std::runtime_error naming the file if a write fails (all undone)
//
//   write_file_atomic("study/summary.json", text);   // one file: temporary, fsync, rename
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace xbar::sim {

class OutputFiles {
 public:
  void add(std::filesystem::path path, std::string content);
  void commit();

 private:
  std::vector<std::pair<std::filesystem::path, std::string>> m_files;
};

// InputError unless every path can be written as a file (its folder exists, it is not a folder):
// commit() checks this; a long command checks its destinations before the work too.
void check_destinations(const std::vector<std::filesystem::path>& paths);

// Replaces `path` with `content` so that a reader (or a kill at any moment) sees the old file or the
// new one, never a part. Throws std::runtime_error with the OS's message.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

}  // namespace xbar::sim
