#include "xbar/sim/output_files.hpp"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace xbar::sim {

void OutputFiles::add(std::filesystem::path path, std::string content) {
  m_files.emplace_back(std::move(path), std::move(content));
}

void OutputFiles::commit() {
  std::vector<std::filesystem::path> staged;
  const auto discard = [&] {
    std::error_code ignored;
    for (const auto& p : staged) std::filesystem::remove(p, ignored);
  };
  for (const auto& [path, content] : m_files) {
    auto temporary = path;
    temporary += ".xbar-tmp-" + std::to_string(::getpid());
    std::ofstream out(temporary, std::ios::binary);
    if (out) staged.push_back(temporary);
    out << content;
    out.close();
    if (!out) {
      discard();
      throw std::runtime_error(path.string() + ": cannot write (does the folder exist and is it writable?)");
    }
  }
  for (std::size_t k = 0; k < m_files.size(); ++k) {
    std::error_code error;
    std::filesystem::rename(staged[k], m_files[k].first, error);
    if (error) {
      discard();
      throw std::runtime_error(m_files[k].first.string() + ": cannot write: " + error.message());
    }
  }
  m_files.clear();
}

}  // namespace xbar::sim
