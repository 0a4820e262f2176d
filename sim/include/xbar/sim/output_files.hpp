// All-or-nothing output: files are staged next to their destination and renamed into place only
// when every one of them was written, so a failed run leaves no partial output behind.
//
//   OutputFiles out;
//   out.add("report.json", json_text);
//   out.add("design.cir", spice_text);
//   out.commit();   // throws std::runtime_error naming the file on failure; staged files are removed
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

}  // namespace xbar::sim
